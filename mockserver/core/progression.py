"""Status progression of asynchronous work (report jobs, generated reports), as data.

An item walks an ordered chain of in-progress states. How it moves is the vendor's
`progression` knob, moto's ManagedState modes:
- `time`: it spends `step_seconds[state]` clock seconds in each state;
- `polls`: every `polls_per_step` reads move it one step, before the read is answered;
- `immediate`: every step takes 0 s, so it is terminal by the next request.
What the next state is (done, failed, ...) is the item's own business: `step(at)`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from mockserver.core.scheduler import Timer
from mockserver.core.vendor import VendorContext

PROGRESSION_MODES = ("time", "polls", "immediate")


@dataclass
class Track:
    """Where one item is in its progression: its pending timer and reads in this state."""

    timer: Timer | None = None
    reads: int = 0
    finished: bool = False


class Steppable(Protocol):
    status: str
    track: Track

    def step(self, at: datetime) -> bool:
        """Move to the next state at `at`; True while the item is still in progress."""
        ...


@dataclass
class Progression:
    """Drives items through their steps from the vendor's knobs (read live)."""

    context: VendorContext
    mode_knob: str = "progression"
    seconds_knob: str = "step_seconds"
    polls_knob: str = "polls_per_step"

    @property
    def mode(self) -> str:
        return str(self.context.knob(self.mode_knob))

    def start(self, item: Steppable, now: datetime) -> None:
        """Begin moving `item` from its current (first) state."""
        if self.mode != "polls":
            self._arm(item, now)

    def read(self, item: Steppable, now: datetime) -> None:
        """A client read the item: in `polls` mode, count it and step when due."""
        if self.mode != "polls" or item.track.finished:
            return
        item.track.reads += 1
        if item.track.reads >= int(self.context.knob(self.polls_knob)):
            item.track.reads = 0
            item.track.finished = not item.step(now)

    def stop(self, item: Steppable) -> None:
        """Stop moving `item` (canceled, deleted): its pending step never happens."""
        if item.track.timer is not None:
            item.track.timer.cancel()
            item.track.timer = None
        item.track.finished = True

    def _arm(self, item: Steppable, now: datetime) -> None:
        seconds = 0.0 if self.mode == "immediate" else float(self.context.knob(self.seconds_knob)[item.status])
        due = now + timedelta(seconds=seconds)
        item.track.timer = self.context.at(due, functools.partial(self._fire, item))

    def _fire(self, item: Steppable, due: datetime) -> None:
        item.track.timer = None
        if item.step(due):
            self._arm(item, due)
        else:
            item.track.finished = True

    def due_in(self, item: Steppable, now: datetime) -> float | None:
        """Seconds until the item's pending step, or None when nothing is armed."""
        if item.track.timer is None:
            return None
        return (item.track.timer.due - now).total_seconds()
