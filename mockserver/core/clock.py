"""The virtual clock: the only source of "now" for every vendor, timer and window.

In `frozen` mode time stands still until the control plane moves it; in `real` mode it
follows wall time plus an offset. Either way it only ever moves forward.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Literal

ClockMode = Literal["frozen", "real"]
CLOCK_MODES: tuple[ClockMode, ...] = ("frozen", "real")
DEFAULT_START = datetime(2026, 11, 23, 9, 0, 0, tzinfo=UTC)


def wall_now() -> datetime:
    return datetime.now(UTC)


class ClockMovedBackwards(ValueError):
    """A request to set the clock before its current time."""


class VirtualClock:
    """A forward-only clock, frozen or following wall time from a chosen start."""

    def __init__(
        self,
        start: datetime = DEFAULT_START,
        mode: ClockMode = "frozen",
        wall: Callable[[], datetime] = wall_now,
    ) -> None:
        self._wall = wall
        self._mode: ClockMode = mode
        self._frozen_at = start
        self._offset = start - wall()
        self._high_water = start

    @property
    def mode(self) -> ClockMode:
        return self._mode

    def now(self) -> datetime:
        current = self._frozen_at if self._mode == "frozen" else self._wall() + self._offset
        # Wall time can step back (NTP); the virtual clock never does.
        if current < self._high_water:
            return self._high_water
        self._high_water = current
        return current

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ClockMovedBackwards("advance_seconds must not be negative")
        return self._move_to(self.now() + timedelta(seconds=seconds))

    def set(self, instant: datetime) -> datetime:
        if instant < self.now():
            raise ClockMovedBackwards("the clock only moves forward")
        return self._move_to(instant)

    def set_mode(self, mode: ClockMode) -> None:
        current = self.now()
        self._mode = mode
        self._move_to(current)

    def _move_to(self, instant: datetime) -> datetime:
        self._frozen_at = instant
        self._offset = instant - self._wall()
        self._high_water = instant
        return instant
