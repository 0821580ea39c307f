"""Rate-limit windows: all rate-limit state lives here; vendors configure, never implement.

A window opens when a call is accepted; later calls inside it are refused and do not
extend it.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime, timedelta


class RateWindows:
    def __init__(self) -> None:
        self._opened: dict[Hashable, datetime] = {}

    def try_open(self, key: Hashable, now: datetime, seconds: float) -> float | None:
        """Open the window for `key` and return None, or return the seconds still left."""
        opened = self._opened.get(key)
        if opened is not None:
            left = (opened + timedelta(seconds=seconds) - now).total_seconds()
            if left > 0:
                return left
        self._opened[key] = now
        return None

    def drop(self, key: Hashable) -> None:
        self._opened.pop(key, None)

    def clear(self) -> None:
        self._opened.clear()
