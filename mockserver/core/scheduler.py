"""Timers kept in a heap by due time; all time-driven behaviour goes through here.

`run_due(now)` fires every timer due at or before `now`, ordered by due time and then by
creation order. A fired timer may arm new ones; those fire in the same pass when due.
Cancelling is O(1): a cancelled timer stays in the heap and is skipped when popped.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

TimerAction = Callable[[datetime], None]


@dataclass(eq=False, slots=True)
class Timer:
    due: datetime
    action: TimerAction
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


class Scheduler:
    def __init__(self) -> None:
        # (due, sequence, timer): tuples compare in C, the sequence keeps creation order
        self._heap: list[tuple[datetime, int, Timer]] = []
        self._sequence = itertools.count()

    def at(self, due: datetime, action: TimerAction) -> Timer:
        """Arm `action(due)` to run once the clock reaches `due`."""
        timer = Timer(due, action)
        heapq.heappush(self._heap, (due, next(self._sequence), timer))
        return timer

    def run_due(self, now: datetime) -> int:
        """Fire every live timer due at or before `now`; return how many fired."""
        fired = 0
        heap = self._heap
        while heap and heap[0][0] <= now:
            timer = heapq.heappop(heap)[2]
            if timer.cancelled:
                continue
            timer.action(timer.due)
            fired += 1
        return fired

    def pending(self) -> int:
        return sum(1 for _, _, timer in self._heap if not timer.cancelled)

    def clear(self) -> None:
        self._heap.clear()
