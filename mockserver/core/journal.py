"""The request journal: what reached the vendor APIs, newest last, in a capped ring buffer."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockserver.core.timefmt import iso_z, parse_instant


@dataclass(slots=True)
class JournalEntry:
    """One request as the journal keeps it: raw values as the request left them (a clock
    instant, the query's bytes, seconds taken), put into words only when somebody reads it,
    so recording costs a request next to nothing. (Not frozen: a frozen dataclass pays an
    `object.__setattr__` per field on every request; nothing changes an entry once made.)"""

    method: str
    path: str
    raw_query: bytes
    status: int
    vendor: str | None
    tenant: str | None
    at: datetime
    seconds: float

    @property
    def query(self) -> str:
        return self.raw_query.decode("latin-1")

    @property
    def time(self) -> str:
        return iso_z(self.at)

    @property
    def duration_ms(self) -> float:
        return round(self.seconds * 1000, 3)

    def to_json(self) -> dict[str, object]:
        return dict(zip(_WIRE_FIELDS, self._wire_values(), strict=True))

    def _wire_values(self) -> list[object]:
        return [self.method, self.path, self.query, self.status, self.vendor, self.tenant, self.time, self.duration_ms]

    # State files keep entries as the list of their wire values, as earlier versions pickled
    # them, so files saved by earlier versions still load (and the other way round).
    def __getstate__(self) -> list[object]:
        return self._wire_values()

    def __setstate__(self, state: list[Any]) -> None:
        method, path, query, status, vendor, tenant, time, duration_ms = state
        self.__init__(  # type: ignore[misc]
            method, path, query.encode("latin-1"), status, vendor, tenant, parse_instant(time), duration_ms / 1000
        )


_WIRE_FIELDS = ("method", "path", "query", "status", "vendor", "tenant", "time", "duration_ms")


class Journal:
    def __init__(self, capacity: int) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=capacity)

    def record(self, entry: JournalEntry) -> None:
        self._entries.append(entry)

    def latest(self, limit: int | None = None) -> list[JournalEntry]:
        entries = list(self._entries)
        return entries if limit is None else entries[len(entries) - limit :] if limit else []

    def resize(self, capacity: int) -> None:
        """A new cap; when it shrinks, the oldest entries go first."""
        if capacity != self._entries.maxlen:
            self._entries = deque(self._entries, maxlen=capacity)

    def clear(self) -> None:
        self._entries.clear()
