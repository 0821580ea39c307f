"""Bytes on disk: atomic writes, and JSON text that reads back as exactly what was written.

Both the state file (persistence) and the parsed-spec cache write through `write_atomically`;
the spec cache and the config's fast copy of its defaults use `plain_json`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` so that a reader sees the old file or the new one, never a part:
    a temporary file in the same folder, flushed and fsynced, renamed over `target`, then the
    folder fsynced. On any failure the temporary file is removed and `target` is untouched."""
    import tempfile  # only when writing: start-up (which writes nothing on a warm cache) skips it

    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def plain_json(value: Any) -> bytes | None:
    """`value` as JSON text when reading the text back gives an equal value; None when JSON
    would change it (a tuple, a date, a non-string key, NaN, an integer beyond 64 bits)."""
    try:
        text = orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return None
    return text if orjson.loads(text) == value else None
