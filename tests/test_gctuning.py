"""The served process's collector policy: survivors of middle and full collections are frozen,
cyclic garbage among them is still reclaimed by complete scans at the 16th, 32nd, 64th, ...
full collection, and start-up builds its objects with the collector paused."""

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
def policy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(gctuning._Policy, "full_collections", 0)
    monkeypatch.setattr(gctuning._Policy, "next_full_scan", gctuning.FIRST_FULL_SCAN)
    gctuning.freeze_after_full_collections()
    gctuning.freeze_after_full_collections()  # idempotent
    gc.disable()  # only the tests' own collections count
    try:
        yield
    finally:
        gc.enable()
        gc.callbacks.remove(gctuning._tune)
        gc.unfreeze()


def _frozen_garbage_cycle() -> weakref.ref[Node]:
    """A cycle frozen by a full collection while referenced, then dropped."""
    first, second = Node(), Node()
    first.other, second.other = second, first
    alive = weakref.ref(first)
    gc.collect()
    return alive


def test_full_collections_freeze_their_survivors(policy: None) -> None:
    gc.unfreeze()
    keep = [Node() for _ in range(1000)]
    gc.collect()
    assert gc.get_freeze_count() >= len(keep)
    assert gctuning._tune in gc.callbacks and gc.callbacks.count(gctuning._tune) == 1


def test_middle_generation_survivors_are_frozen_too(policy: None) -> None:
    gc.collect()
    before = gc.get_freeze_count()
    keep = [Node() for _ in range(1000)]
    gc.collect(1)
    assert gc.get_freeze_count() >= before + len(keep)


def test_a_frozen_cycle_waits_for_the_next_complete_scan_and_is_reclaimed_there(policy: None) -> None:
    alive = _frozen_garbage_cycle()  # full collection 1
    for _ in range(gctuning.FIRST_FULL_SCAN - 2):
        gc.collect()
    assert alive() is not None  # frozen: collections 2..15 never scanned it
    gc.collect()  # the 16th thaws and scans everything
    assert alive() is None


def test_complete_scans_come_at_doubling_counts(policy: None) -> None:
    done = 0
    for scan in (gctuning.FIRST_FULL_SCAN * 2, gctuning.FIRST_FULL_SCAN * 4):  # the 32nd, then the 64th
        while done < scan // 2:
            gc.collect()
            done += 1
        alive = _frozen_garbage_cycle()
        done += 1
        while done < scan - 1:
            gc.collect()
            done += 1
        assert alive() is not None
        gc.collect()
        done += 1
        assert alive() is None


def test_collector_is_paused_while_start_up_builds_and_restored_after() -> None:
    gc.enable()
    with gctuning.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gctuning.collector_paused():
            pass
        assert not gc.isenabled()  # a collector the caller had off stays off
    finally:
        gc.enable()


def test_start_up_objects_are_frozen(policy: None) -> None:
    gc.unfreeze()
    keep = [Node() for _ in range(1000)]
    gctuning.freeze_start_up()
    assert gc.get_freeze_count() >= len(keep)
