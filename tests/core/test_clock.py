"""The virtual clock: frozen or following an (injected) wall clock, and never going backwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mockserver.core.clock import DEFAULT_START, ClockMovedBackwards, VirtualClock

START = datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)
WALL_START = datetime(2030, 6, 1, 12, 0, 0, tzinfo=UTC)


class FakeWall:
    """A wall clock the test moves by hand (forward or back)."""

    def __init__(self, at: datetime = WALL_START) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def tick(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


def seconds_after(base: datetime, seconds: float) -> datetime:
    return base + timedelta(seconds=seconds)


def test_default_start_is_the_documented_instant():
    clock = VirtualClock()
    assert clock.now() == DEFAULT_START == datetime(2026, 11, 23, 9, 0, 0, tzinfo=UTC)
    assert clock.mode == "frozen"


def test_frozen_clock_stays_put_while_wall_time_passes():
    wall = FakeWall()
    clock = VirtualClock(START, "frozen", wall=wall)
    wall.tick(3600)
    assert clock.now() == START
    wall.tick(86400 * 30)
    assert clock.now() == START


def test_advance_moves_forward_and_returns_the_new_instant():
    clock = VirtualClock(START, "frozen", wall=FakeWall())
    assert clock.advance(90) == seconds_after(START, 90)
    assert clock.now() == seconds_after(START, 90)
    assert clock.advance(0) == seconds_after(START, 90)
    clock.advance(366 * 86400)
    assert clock.now() == seconds_after(START, 90 + 366 * 86400)


def test_advance_by_a_negative_amount_raises_and_keeps_time():
    clock = VirtualClock(START, "frozen", wall=FakeWall())
    with pytest.raises(ClockMovedBackwards):
        clock.advance(-1)
    assert clock.now() == START


def test_set_forward_and_to_the_same_instant_is_allowed():
    clock = VirtualClock(START, "frozen", wall=FakeWall())
    target = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert clock.set(target) == target
    assert clock.now() == target
    assert clock.set(target) == target


def test_set_into_the_past_raises_and_keeps_time():
    clock = VirtualClock(START, "frozen", wall=FakeWall())
    clock.advance(60)
    with pytest.raises(ClockMovedBackwards):
        clock.set(START)
    assert clock.now() == seconds_after(START, 60)


def test_real_mode_follows_the_wall_from_the_start_instant():
    wall = FakeWall()
    clock = VirtualClock(START, "real", wall=wall)
    assert clock.mode == "real"
    assert clock.now() == START
    wall.tick(5)
    assert clock.now() == seconds_after(START, 5)
    wall.tick(0.25)
    assert clock.now() == seconds_after(START, 5.25)


def test_real_mode_advance_adds_an_offset_and_keeps_following_the_wall():
    wall = FakeWall()
    clock = VirtualClock(START, "real", wall=wall)
    wall.tick(5)
    assert clock.advance(10) == seconds_after(START, 15)
    wall.tick(1)
    assert clock.now() == seconds_after(START, 16)


def test_real_mode_set_continues_from_the_set_instant():
    wall = FakeWall()
    clock = VirtualClock(START, "real", wall=wall)
    target = datetime(2027, 1, 1, tzinfo=UTC)
    clock.set(target)
    wall.tick(2)
    assert clock.now() == seconds_after(target, 2)
    with pytest.raises(ClockMovedBackwards):
        clock.set(target)


def test_switching_frozen_to_real_continues_from_the_current_instant():
    wall = FakeWall()
    clock = VirtualClock(START, "frozen", wall=wall)
    clock.advance(100)
    wall.tick(5000)  # wall time passing while frozen must not be caught up on
    clock.set_mode("real")
    assert clock.mode == "real"
    assert clock.now() == seconds_after(START, 100)
    wall.tick(7)
    assert clock.now() == seconds_after(START, 107)


def test_switching_real_to_frozen_stops_at_the_current_instant():
    wall = FakeWall()
    clock = VirtualClock(START, "real", wall=wall)
    wall.tick(30)
    clock.set_mode("frozen")
    assert clock.mode == "frozen"
    assert clock.now() == seconds_after(START, 30)
    wall.tick(600)
    assert clock.now() == seconds_after(START, 30)
    clock.set_mode("real")
    wall.tick(3)
    assert clock.now() == seconds_after(START, 33)


def test_real_clock_never_goes_backwards_when_wall_time_steps_back():
    wall = FakeWall()
    clock = VirtualClock(START, "real", wall=wall)
    wall.tick(60)
    assert clock.now() == seconds_after(START, 60)
    wall.tick(-45)  # NTP step back
    assert clock.now() == seconds_after(START, 60)
    wall.tick(20)  # still behind the high-water mark
    assert clock.now() == seconds_after(START, 60)
    wall.tick(40)  # past it again: follows the wall
    assert clock.now() == seconds_after(START, 75)


def test_readings_are_monotonic_across_an_erratic_wall():
    wall = FakeWall()
    clock = VirtualClock(START, "real", wall=wall)
    readings = []
    for step in (3, -10, 1, 1, -100, 50, 0, 200, -1):
        wall.tick(step)
        readings.append(clock.now())
    assert readings == sorted(readings)
    assert readings[-1] == seconds_after(START, 3 + -10 + 1 + 1 + -100 + 50 + 200)
