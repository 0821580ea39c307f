"""The scheduler: due order, creation order, same-pass chains, cancellation and its cost at scale."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from mockserver.core.scheduler import Scheduler

T0 = datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)
ONE_DAY = timedelta(days=1)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def recorder(log: list, name: str):
    def action(due: datetime) -> None:
        log.append((name, due))

    return action


def test_fires_in_due_order_then_creation_order():
    scheduler = Scheduler()
    log: list = []
    scheduler.at(at(30), recorder(log, "late"))
    scheduler.at(at(10), recorder(log, "tie-first"))
    scheduler.at(at(10), recorder(log, "tie-second"))
    scheduler.at(at(0), recorder(log, "early"))
    scheduler.at(at(10), recorder(log, "tie-third"))
    assert scheduler.run_due(at(30)) == 5
    assert [name for name, _ in log] == ["early", "tie-first", "tie-second", "tie-third", "late"]


def test_action_receives_its_due_time_not_now():
    scheduler = Scheduler()
    log: list = []
    scheduler.at(at(5), recorder(log, "a"))
    scheduler.run_due(at(86400))
    assert log == [("a", at(5))]


def test_timers_not_yet_due_stay_armed_until_their_time():
    scheduler = Scheduler()
    log: list = []
    scheduler.at(at(10), recorder(log, "soon"))
    scheduler.at(at(100), recorder(log, "later"))
    assert scheduler.run_due(at(9)) == 0
    assert log == []
    assert scheduler.run_due(at(10)) == 1  # due exactly now fires
    assert scheduler.pending() == 1
    assert scheduler.run_due(at(99)) == 0
    assert scheduler.run_due(at(100)) == 1
    assert [name for name, _ in log] == ["soon", "later"]
    assert scheduler.pending() == 0


def test_timer_armed_by_a_firing_timer_fires_in_the_same_pass_when_due():
    scheduler = Scheduler()
    log: list = []

    def first(due: datetime) -> None:
        log.append(("first", due))
        scheduler.at(due, recorder(log, "zero-delay"))
        scheduler.at(due + timedelta(seconds=60), recorder(log, "one-minute"))
        scheduler.at(due + timedelta(hours=2), recorder(log, "two-hours"))

    scheduler.at(at(0), first)
    scheduler.at(at(30), recorder(log, "other"))
    assert scheduler.run_due(at(3600)) == 4
    assert log == [("first", at(0)), ("zero-delay", at(0)), ("other", at(30)), ("one-minute", at(60))]
    assert scheduler.pending() == 1


def test_repeating_timer_fires_every_missed_occurrence_at_its_own_due_time():
    scheduler = Scheduler()
    dues: list[datetime] = []

    def daily(due: datetime) -> None:
        dues.append(due)
        scheduler.at(due + ONE_DAY, daily)

    scheduler.at(at(9 * 3600), daily)
    assert scheduler.run_due(at(9 * 3600) + 3 * ONE_DAY + timedelta(seconds=1)) == 4
    assert dues == [at(9 * 3600) + n * ONE_DAY for n in range(4)]


def test_cancelled_timer_is_skipped_and_not_counted():
    scheduler = Scheduler()
    log: list = []
    keep = scheduler.at(at(1), recorder(log, "keep"))
    drop = scheduler.at(at(2), recorder(log, "drop"))
    drop.cancel()
    assert scheduler.pending() == 1
    assert scheduler.run_due(at(10)) == 1
    assert [name for name, _ in log] == ["keep"]
    assert not keep.cancelled


def test_a_firing_timer_can_cancel_a_later_one_in_the_same_pass():
    scheduler = Scheduler()
    log: list = []
    victim = scheduler.at(at(20), recorder(log, "victim"))

    def killer(due: datetime) -> None:
        log.append(("killer", due))
        victim.cancel()

    scheduler.at(at(10), killer)
    assert scheduler.run_due(at(30)) == 1
    assert [name for name, _ in log] == ["killer"]


def test_clear_drops_every_timer():
    scheduler = Scheduler()
    log: list = []
    for n in range(5):
        scheduler.at(at(n), recorder(log, str(n)))
    scheduler.clear()
    assert scheduler.pending() == 0
    assert scheduler.run_due(at(100)) == 0
    assert log == []


def test_5000_daily_timers_over_366_days_in_one_pass():
    scheduler = Scheduler()
    fired_per_timer = [0] * 5000

    def make(index: int):
        def action(due: datetime) -> None:
            fired_per_timer[index] += 1
            scheduler.at(due + ONE_DAY, action)

        return action

    for index in range(5000):
        scheduler.at(at(index * 17), make(index))  # spread over the first day
    fired = scheduler.run_due(T0 + 366 * ONE_DAY - timedelta(seconds=1))
    assert fired == 5000 * 366
    assert set(fired_per_timer) == {366}
    assert scheduler.pending() == 5000


def test_arming_and_firing_10000_one_shots_across_a_year_is_cheap():
    scheduler = Scheduler()
    fired: list[datetime] = []
    year_seconds = 366 * 86400
    started = time.perf_counter()
    for index in range(10_000):
        # a scattered (not sorted) spread across the year, crossing into 2027
        offset = (index * 7919) % 10_000 * (year_seconds // 10_000)
        scheduler.at(at(offset), fired.append)
    count = scheduler.run_due(datetime(2027, 1, 2, tzinfo=UTC))
    elapsed = time.perf_counter() - started
    assert count == 10_000
    assert fired == sorted(fired)
    assert fired[-1].year == 2027
    assert elapsed < 0.5, f"10,000 one-shot timers took {elapsed:.3f}s"


def test_a_cancelled_timer_lets_go_of_what_its_action_holds():
    """A resource whose timer's action points back at it is freed by reference counting once
    the timer is cancelled and the resource dropped: no cyclic collection needed."""
    import gc
    import weakref

    class Resource:
        timer = None

    scheduler = Scheduler()
    resource = Resource()
    resource.timer = scheduler.every(at(10), ONE_DAY, lambda due, held=resource: None)
    alive = weakref.ref(resource)
    gc.disable()
    try:
        resource.timer.cancel()
        del resource
        assert alive() is None
    finally:
        gc.enable()
    assert scheduler.run_due(at(10 + 86400 * 3)) == 0
