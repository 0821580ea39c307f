"""How the served process uses Python's cyclic garbage collector.

Everything alive after start-up (specs, validators, a restored state) is frozen out of the
collector's scans. After a full collection its survivors are frozen too, so the next full
collection scans only what came since: with 100k stored reports a full collection would
otherwise walk every one of them and stall every request in flight for tens of milliseconds.
Every tenth full collection first thaws everything and scans it all, so garbage in reference
cycles among frozen objects (a deleted report and its cancelled timer, say) is still
reclaimed and memory stays bounded.
"""

from __future__ import annotations

import gc
import itertools
from typing import Any

FULL_SCAN_EVERY = 10
_full_collections = itertools.count()


def freeze_start_up() -> None:
    gc.freeze()  # no collection first: start-up leaves no cyclic garbage worth its ~10 ms


def _tune(phase: str, info: dict[str, Any]) -> None:
    if info.get("generation") != 2:
        return
    if phase == "start" and next(_full_collections) % FULL_SCAN_EVERY == FULL_SCAN_EVERY - 1:
        gc.unfreeze()  # this collection scans everything
    elif phase == "stop":
        gc.freeze()


def freeze_after_full_collections() -> None:
    """Install the policy once per process (idempotent)."""
    if _tune not in gc.callbacks:
        gc.callbacks.append(_tune)
