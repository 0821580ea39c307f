"""SendKit ids and timestamps (CONTRACTS.md 3.8).

An id is 24 lowercase hex: 8 of the clock's unix seconds at creation, then 16 of a 64-bit
counter whose start is drawn once from the vendor's id stream (and again when a new seed
re-seeds that stream). Ids therefore sort by creation. Timestamps keep milliseconds.
"""

from __future__ import annotations

from datetime import datetime

from mockserver.core.ids import IdStream
from mockserver.core.vendor import VendorContext

HEX = "0123456789abcdef"
COUNTER_START_HEX_DIGITS = 12  # a start in [0, 2^48)


def to_millis(instant: datetime) -> datetime:
    """`instant` truncated to whole milliseconds, as SendKit stores it."""
    if not instant.microsecond % 1000:
        return instant  # already whole (a frozen clock's instants always are)
    return instant.replace(microsecond=instant.microsecond // 1000 * 1000)


class ObjectIds:
    def __init__(self, context: VendorContext) -> None:
        self._context = context
        self._stream: IdStream | None = None
        self._next = 0

    def new(self, at: datetime) -> str:
        """The next id, stamped with the unix seconds of `at`."""
        if self._stream is not self._context.ids:
            self._stream = self._context.ids
            self._next = int(self._stream.token(COUNTER_START_HEX_DIGITS, HEX), 16)
        value, self._next = self._next, (self._next + 1) % 2**64
        return f"{int(at.timestamp()) & 0xFFFFFFFF:08x}{value:016x}"
