"""Timers kept in a heap by due time; all time-driven behaviour goes through here.

`run_due(now)` fires every timer due at or before `now`, ordered by due time and then by
creation order. A fired timer may arm new ones; those fire in the same pass when due.
Cancelling is O(1): a cancelled timer stays in the heap and is skipped when popped.

A repeating timer (`every`) re-arms itself one period after its own due time, drawing its
creation-order number after its action ran, exactly as if the action had armed it again.
When it also has a `CatchUp` and `run_due` is given a capped `Sink` (the outbox), a long
clock advance does not run the occurrences whose outbox entries the cap would drop anyway:
it applies them at once (`CatchUp.apply(count, last_due)`, `Sink.skip(entries)`) and fires
only the tail one by one. What anyone can observe (kept entries, their ids and order, the
state the occurrences leave, the fire count, the order of later ties) is the same as firing
each occurrence; see `_skip_window` for why the creation order survives. A catch-up timer
must not be cancelled by another timer's action, and its `entries()` must not change
during a pass.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

TimerAction = Callable[[datetime], None]
PLAN_AFTER = 64  # fires one by one before a pass looks for occurrences to skip (a plan scans the heap)
Entry = tuple[datetime, int, "Timer"]


@dataclass(frozen=True)
class CatchUp:
    """How a repeating timer applies many occurrences without running its action for each."""

    apply: Callable[[int, datetime], None]  # (occurrences, due of the last one): state as after them
    entries: Callable[[], int]  # outbox entries one occurrence adds


class Sink(Protocol):
    """Where fired timers write (the outbox): how many entries it keeps, and a way to count skipped ones."""

    @property
    def capacity(self) -> int | None: ...

    def skip(self, count: int) -> None: ...


@dataclass(eq=False, slots=True)
class Timer:
    due: datetime
    action: TimerAction
    cancelled: bool = False
    period: timedelta | None = None
    catch_up: CatchUp | None = None

    def cancel(self) -> None:
        """Never fire again; the action and catch-up are let go, so what they hold (a deleted
        report that points back at this timer, say) is freed at once, not by a cyclic collection."""
        self.cancelled = True
        self.action = _never_fired
        self.catch_up = None

    def __setstate__(self, state: tuple[None, dict[str, object]]) -> None:
        """A timer from a state file; one saved before timers could repeat is a one-shot."""
        self.period = None
        self.catch_up = None
        for name, value in state[1].items():
            setattr(self, name, value)


def _never_fired(due: datetime) -> None:
    raise AssertionError("a cancelled timer fired")


@dataclass(frozen=True, slots=True)
class _Plan:
    """One catch-up round: skip occurrences due before `skip_to`; `blocker` ends the round early."""

    skip_to: datetime
    blocker: datetime | None


class Scheduler:
    catch_up = True  # False: every occurrence runs its action (the reference path)
    plan_after = PLAN_AFTER

    def __init__(self) -> None:
        # (due, sequence, timer): tuples compare in C, the sequence keeps creation order
        self._heap: list[Entry] = []
        self._sequence = itertools.count()

    def at(self, due: datetime, action: TimerAction) -> Timer:
        """Arm `action(due)` to run once the clock reaches `due`."""
        return self._push(Timer(due, action))

    def every(self, first: datetime, period: timedelta, action: TimerAction, catch_up: CatchUp | None = None) -> Timer:
        """Arm `action(due)` at `first`, `first + period`, ... until cancelled."""
        if period <= timedelta(0):
            raise ValueError("a repeating timer needs a positive period")
        return self._push(Timer(first, action, period=period, catch_up=catch_up))

    def _push(self, timer: Timer) -> Timer:
        heapq.heappush(self._heap, (timer.due, next(self._sequence), timer))
        return timer

    def run_due(self, now: datetime, sink: Sink | None = None) -> int:
        """Fire every live timer due at or before `now`; return how many fired (skipped ones included)."""
        if not self._heap or self._heap[0][0] > now:
            return 0  # the usual case on a request: nothing due
        capacity = sink.capacity if sink is not None and self.catch_up else None
        if capacity is None:
            return self._fire_through(now)
        # a short pass (a request's, say) never pays for planning: one by one first, then plan if still busy
        fired = self._fire_through(now, limit=self.plan_after + len(self._heap) // 8)
        while self._heap and self._heap[0][0] <= now:
            plan = self._plan(now, capacity)
            if plan is None:
                return fired + self._fire_through(now)
            fired += self._skip_window(plan.skip_to, sink)  # type: ignore[arg-type]
            fired += self._fire_through(now if plan.blocker is None else plan.blocker)
        return fired

    def _fire_through(self, until: datetime, limit: int | None = None) -> int:
        """The one-by-one path: fire in (due, sequence) order every timer due at or before `until`.

        With `limit`, stop after that many fires (the rest stays armed for the caller to handle).
        """
        fired = 0
        heap = self._heap
        while heap and heap[0][0] <= until and fired != limit:
            timer = heapq.heappop(heap)[2]
            if timer.cancelled:
                continue
            timer.action(timer.due)
            fired += 1
            if timer.period is not None and not timer.cancelled:
                timer.due += timer.period
                heapq.heappush(heap, (timer.due, next(self._sequence), timer))
        return fired

    # catch-up

    def _plan(self, now: datetime, capacity: int) -> _Plan | None:
        """Where this round may skip to, or None when nothing the cap drops can be skipped."""
        skippable, blocker = _split(self._heap, now)
        skip_to = _cap_horizon(skippable, now, capacity)
        if skip_to is None:
            return None
        if blocker is not None and blocker < skip_to:
            return _Plan(blocker, blocker)  # skip up to the other timer, fire it, then plan again
        return _Plan(skip_to, None)

    def _skip_window(self, skip_to: datetime, sink: Sink) -> int:
        """Apply at once every catch-up occurrence due before `skip_to` (only such timers are due there).

        Creation order: had they fired one by one, the re-arms would have drawn sequence numbers
        after every timer now in the heap, in the order of their last fire's instant and then of
        the fires at that instant. Ties at one instant only matter within one period and phase,
        where the fire order, once every timer has fired, keeps the order it had the first
        time: a timer first due later was armed earlier (it was in the heap before the skipped
        fires), so it fires first; timers first due together keep their sequence order.
        """
        advanced: list[tuple[datetime, datetime, int, Timer]] = []  # (last fire, -first due key, seq, timer)
        kept: list[Entry] = []
        skipped = entries = 0
        for entry in self._heap:
            due, sequence, timer = entry
            if timer.cancelled:
                continue
            if due >= skip_to or timer.catch_up is None or timer.period is None:
                kept.append(entry)
                continue
            count = -((due - skip_to) // timer.period)  # occurrences due in [due, skip_to)
            last = due + (count - 1) * timer.period
            timer.catch_up.apply(count, last)
            skipped += count
            entries += count * timer.catch_up.entries()
            advanced.append((last, due, sequence, timer))
            timer.due = last + timer.period
        advanced.sort(key=_rearm_order)
        kept.extend((timer.due, next(self._sequence), timer) for _, _, _, timer in advanced)
        heapq.heapify(kept)
        self._heap = kept
        sink.skip(entries)
        return skipped

    def pending(self) -> int:
        return sum(1 for _, _, timer in self._heap if not timer.cancelled)

    def clear(self) -> None:
        self._heap.clear()


def _rearm_order(item: tuple[datetime, datetime, int, Timer]) -> tuple[datetime, float, int]:
    last, first_due, sequence, _ = item
    return last, -first_due.timestamp(), sequence


def _split(heap: Iterable[Entry], now: datetime) -> tuple[list[Timer], datetime | None]:
    """The live catch-up timers due by `now`, and the earliest due of any other live timer."""
    skippable: list[Timer] = []
    blocker: datetime | None = None
    for due, _, timer in heap:
        if timer.cancelled or due > now:
            continue
        if timer.catch_up is not None and timer.period is not None:
            skippable.append(timer)
        elif blocker is None or due < blocker:
            blocker = due
    return skippable, blocker


def _cap_horizon(timers: list[Timer], now: datetime, capacity: int) -> datetime | None:
    """An instant S such that catch-up occurrences due in [S, now] add at least `capacity` entries.

    Everything written before S is then dropped by the cap, so occurrences before S may be
    skipped. S is later than the earliest due (or None: nothing to skip). Starting from the
    steady rate, S moves back until the count is reached.
    """
    if not timers:
        return None
    earliest = min(timer.due for timer in timers)
    rate = sum(timer.catch_up.entries() / timer.period.total_seconds() for timer in timers)  # type: ignore[union-attr]
    if rate <= 0:
        return None
    longest = max(timer.period for timer in timers)  # type: ignore[type-var]
    span = timedelta(seconds=capacity / rate) + longest
    while True:
        start = now - span
        if start <= earliest:
            return None
        if _entries_from(timers, start, now) >= capacity:
            return start
        span *= 2


def _entries_from(timers: list[Timer], start: datetime, now: datetime) -> int:
    """Outbox entries the timers' occurrences due in [start, now] add."""
    total = 0
    for timer in timers:
        period: timedelta = timer.period  # type: ignore[assignment]
        first = timer.due if timer.due >= start else timer.due - ((timer.due - start) // period) * period
        if first <= now:
            total += ((now - first) // period + 1) * timer.catch_up.entries()  # type: ignore[union-attr]
    return total
