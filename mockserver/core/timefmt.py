"""Time parsing and the wire formats of timestamps.

All instants in the mock are timezone-aware UTC datetimes; this module is the one place
that turns them into and out of text.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime


def parse_instant(text: str) -> datetime:
    """Parse ISO-8601 text into an aware UTC datetime; a naive value is read as UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


@functools.lru_cache(maxsize=4096)
def iso_z(instant: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ`, whole seconds (cached: the same stored instants are written again and again)."""
    if instant.tzinfo is not UTC:
        instant = instant.astimezone(UTC)
    return instant.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


@functools.lru_cache(maxsize=4096)
def iso_z_millis(instant: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SS.mmmZ`."""
    utc = instant.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


@functools.lru_cache(maxsize=4096)
def iso_utc_offset(instant: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SS+00:00` (cached: strftime is slow, and the same instants are written again and again)."""
    return instant.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def whole_seconds(instant: datetime) -> datetime:
    return instant.replace(microsecond=0) if instant.microsecond else instant  # a frozen clock's instants are whole
