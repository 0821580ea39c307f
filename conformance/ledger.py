"""What a conformance run created on the target, and who created it.

These are the rules that keep the suite safe against a real endpoint: it touches only what it
made (or ids it invented to be missing), it deletes what a check made when the check ends, and
it tries again for whatever is left at cleanup. A resource stops being owned once its
owner's DELETE answers 2xx or 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from conformance.failures import SetupError

Owner = TypeVar("Owner")


class Ledger(Generic[Owner]):
    def __init__(self, noun: str, missing_prefix: str) -> None:
        self.noun = noun  # "qonversion report", say: how cleanup names what it could not delete
        self.missing_prefix = missing_prefix  # ids the suite invents to be missing may be touched
        self.owners: dict[str, Owner] = {}  # resource id -> who created it
        self.deleted: set[str] = set()
        self._this_check: list[str] = []

    def created(self, resource_id: str, owner: Owner) -> None:
        self.owners[resource_id] = owner
        self._this_check.append(resource_id)

    def owns(self, resource_id: str) -> bool:
        return resource_id in self.owners

    def is_owner(self, resource_id: str, who: Owner) -> bool:
        return self.owners.get(resource_id) == who

    def gone(self, resource_id: str) -> None:
        """Its owner's DELETE answered 2xx or 404: no longer ours to clean up."""
        del self.owners[resource_id]
        self.deleted.add(resource_id)

    def guard(self, resource_id: str) -> None:
        """SetupError unless this run created `resource_id` (or invented it to be missing)."""
        if resource_id in self.owners or resource_id in self.deleted or resource_id.startswith(self.missing_prefix):
            return
        raise SetupError(f"refusing to touch {self.noun.split()[-1]} {resource_id!r}: this run did not create it")

    def end_check(self, discard: Callable[[str], object]) -> None:
        """Delete what the ending check created (`discard` retries are left to cleanup)."""
        created, self._this_check = self._this_check, []
        for resource_id in created:
            discard(resource_id)

    def cleanup(self, discard: Callable[[str], object]) -> list[str]:
        """Delete everything still owned; what survives is named for the report."""
        for resource_id in list(self.owners):
            discard(resource_id)
        return [f"{self.noun} {resource_id}" for resource_id in self.owners]
