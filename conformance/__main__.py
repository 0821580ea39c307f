"""`python -m conformance`: the conformance runner's command line."""

from __future__ import annotations

from conformance.cli import main

raise SystemExit(main())
