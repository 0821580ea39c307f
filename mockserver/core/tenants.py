"""Per-tenant state: a tenant is created empty on first use and never shared."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Tenants(Generic[T]):
    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._by_key: dict[str, T] = {}

    def __getitem__(self, key: str) -> T:
        state = self._by_key.get(key)
        if state is None:
            state = self._by_key[key] = self._factory()
        return state

    def peek(self, key: str) -> T | None:
        """The tenant's state if it exists, without creating it."""
        return self._by_key.get(key)

    def items(self) -> Iterator[tuple[str, T]]:
        return iter(self._by_key.items())
