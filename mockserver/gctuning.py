"""How the served process uses Python's cyclic garbage collector.

Everything alive after start-up (specs, validators, a restored state) is frozen out of the
collector's scans. After a full collection its survivors are frozen too, so the next full
collection scans only what came since: with 100k stored reports a full collection would
otherwise walk every one of them and stall every request in flight for tens of milliseconds.
The 16th, 32nd, 64th, ... full collection first thaws everything and scans it all, so
garbage in reference cycles among frozen objects is still reclaimed, while the complete
scans, each costing time in proportion to what is stored, stay a handful over a whole run
(sixteen over a million full collections) instead of one every few seconds. Deciding costs
nothing: counting the frozen set would itself walk every object in it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

FIRST_FULL_SCAN = 16


class _Policy:
    full_collections = 0  # since the policy was installed
    next_full_scan = FIRST_FULL_SCAN  # the collection that thaws and scans everything; doubles each time


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection while start-up builds (or a state file restores) what will be frozen:
    restoring 100k reports would otherwise run a dozen full collections over a growing heap."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def freeze_start_up() -> None:
    """Freeze what start-up made (no collection first: it leaves no cyclic garbage worth its
    cost), then collect the empty rest, which resets the collector's count of long-lived
    objects: its next full collection comes after a few new objects, not after a quarter of
    everything restored, so it scans little instead of stalling requests on hundreds of thousands."""
    gc.freeze()
    gc.collect()


def _tune(phase: str, info: dict[str, Any]) -> None:
    generation = info.get("generation")
    if generation == 1 and phase == "stop":
        gc.freeze()  # the survivors of the middle generation: a full collection has little to scan
        return
    if generation != 2:
        return
    if phase == "start":
        _Policy.full_collections += 1
        if _Policy.full_collections == _Policy.next_full_scan:
            _Policy.next_full_scan *= 2
            gc.unfreeze()  # this collection scans everything
        return
    gc.freeze()


def freeze_after_full_collections() -> None:
    """Install the policy once per process (idempotent)."""
    if _tune not in gc.callbacks:
        gc.callbacks.append(_tune)
