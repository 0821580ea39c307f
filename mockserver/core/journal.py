"""The request journal: what reached the vendor APIs, newest last, in a capped ring buffer."""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass


@dataclass(slots=True)
class JournalEntry:
    """One request as the journal keeps it (not frozen: a frozen dataclass pays a
    `object.__setattr__` per field on every request; nothing changes an entry once made)."""

    method: str
    path: str
    query: str
    status: int
    vendor: str | None
    tenant: str | None
    time: str
    duration_ms: float

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    # State files keep entries as a list of field values, as the frozen dataclass this was
    # pickled them, so files saved by earlier versions still load (and the other way round).
    def __getstate__(self) -> list[object]:
        return [getattr(self, name) for name in self.__slots__]

    def __setstate__(self, state: list[object]) -> None:
        for name, value in zip(self.__slots__, state, strict=True):
            setattr(self, name, value)


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
