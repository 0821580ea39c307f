"""Where the shipped data lives: `schemas/` and `fixtures/`.

In a wheel they are packaged under `mockserver/_data/`; in a source checkout (editable
install, tests) they are the top-level folders of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def data_dir(name: str) -> Path:
    """The directory holding the shipped `schemas` or `fixtures`."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no {name}/ directory shipped with mockserver")
