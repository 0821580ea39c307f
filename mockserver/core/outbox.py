"""The outbox: every delivery the mock made (scheduled runs, tests, ready files, messages).

A capped ring buffer (`outbox_max_entries`), oldest dropped first. Payloads may be given
as a zero-argument callable, built only when someone reads the entry, so that a clock jump
over a year of deliveries does not pay for payloads nobody will look at.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mockserver.core.timefmt import iso_z

Payload = dict[str, Any] | Callable[[], dict[str, Any]]
FILTERS = ("vendor", "tenant", "resource_id", "kind")


@dataclass
class Delivery:
    id: str
    vendor: str
    tenant: str
    kind: str
    resource_id: str
    destination: str | None
    at: datetime
    _payload: Payload = field(repr=False)

    @property
    def payload(self) -> dict[str, Any]:
        if callable(self._payload):
            self._payload = self._payload()
        return self._payload

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "vendor": self.vendor,
            "tenant": self.tenant,
            "kind": self.kind,
            "resource_id": self.resource_id,
            "destination": self.destination,
            "at": iso_z(self.at),
            "payload": self.payload,
        }


class Outbox:
    def __init__(self, capacity: int) -> None:
        self._entries: deque[Delivery] = deque(maxlen=capacity)
        self._count = 0

    def add(
        self,
        *,
        vendor: str,
        tenant: str,
        kind: str,
        resource_id: str,
        destination: str | None,
        at: datetime,
        payload: Payload,
    ) -> Delivery:
        self._count += 1
        entry = Delivery(f"dlv_{self._count:08d}", vendor, tenant, kind, resource_id, destination, at, payload)
        self._entries.append(entry)
        return entry

    def select(self, filters: Mapping[str, str]) -> list[Delivery]:
        wanted = {key: value for key, value in filters.items() if key in FILTERS and value != ""}
        return [entry for entry in self._entries if _matches(entry, wanted)]

    def __iter__(self) -> Iterator[Delivery]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def capacity(self) -> int | None:
        return self._entries.maxlen

    def skip(self, count: int) -> None:
        """`count` entries were added and dropped unread (a clock catch-up): their ids are used up."""
        self._count += count
        for _ in range(min(count, len(self._entries))):
            self._entries.popleft()

    def resize(self, capacity: int) -> None:
        """A new cap; when it shrinks, the oldest entries go first."""
        if capacity != self._entries.maxlen:
            self._entries = deque(self._entries, maxlen=capacity)

    def clear(self) -> None:
        self._entries.clear()


def _matches(entry: Delivery, wanted: Mapping[str, str]) -> bool:
    return all(getattr(entry, key) == value for key, value in wanted.items())
