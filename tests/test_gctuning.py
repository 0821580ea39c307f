"""The served process's collector policy: survivors of full collections are frozen, and cyclic
garbage among them is still reclaimed by the periodic full scan."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from mockserver import gctuning


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture
def policy() -> Iterator[None]:
    gctuning.freeze_after_full_collections()
    gctuning.freeze_after_full_collections()  # idempotent
    try:
        yield
    finally:
        gc.callbacks.remove(gctuning._tune)
        gc.unfreeze()


def test_full_collections_freeze_their_survivors(policy: None) -> None:
    gc.unfreeze()
    keep = [Node() for _ in range(1000)]
    gc.collect()
    assert gc.get_freeze_count() >= len(keep)
    assert gctuning._tune in gc.callbacks and gc.callbacks.count(gctuning._tune) == 1


def test_cycles_among_frozen_objects_are_reclaimed_by_the_periodic_full_scan(policy: None) -> None:
    first, second = Node(), Node()
    first.other, second.other = second, first
    alive = weakref.ref(first)
    gc.collect()  # the cycle survives (still referenced) and is frozen
    del first, second
    for _ in range(gctuning.FULL_SCAN_EVERY + 1):
        gc.collect()
    assert alive() is None
