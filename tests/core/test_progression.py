"""Progression: items walk their states by clock time, by reads, or at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mockserver.core.progression import Progression, Track
from mockserver.core.scheduler import Scheduler, Timer, TimerAction

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CHAIN = ["created", "processing", "uploading", "done"]


class FakeContext:
    def __init__(self, **knobs: Any) -> None:
        self.knobs = {"progression": "time", "step_seconds": {"created": 5, "processing": 20, "uploading": 5}}
        self.knobs["polls_per_step"] = 1
        self.knobs.update(knobs)
        self.scheduler = Scheduler()

    def knob(self, name: str) -> Any:
        return self.knobs[name]

    def at(self, due: datetime, action: TimerAction) -> Timer:
        return self.scheduler.at(due, action)


@dataclass
class Job:
    status: str = "created"
    track: Track = field(default_factory=Track)
    history: list[tuple[str, datetime]] = field(default_factory=list)

    def step(self, at: datetime) -> bool:
        self.status = CHAIN[CHAIN.index(self.status) + 1]
        self.history.append((self.status, at))
        return self.status != "done"


def test_time_mode_spends_each_steps_seconds() -> None:
    context = FakeContext()
    job = Job()
    Progression(context).start(job, T0)  # type: ignore[arg-type]
    context.scheduler.run_due(T0 + timedelta(seconds=4))
    assert job.status == "created"
    context.scheduler.run_due(T0 + timedelta(hours=1))
    assert job.history == [
        ("processing", T0 + timedelta(seconds=5)),
        ("uploading", T0 + timedelta(seconds=25)),
        ("done", T0 + timedelta(seconds=30)),
    ]
    assert job.track.finished and job.track.timer is None


def test_polls_mode_moves_one_step_per_n_reads_and_ignores_the_clock() -> None:
    context = FakeContext(progression="polls", polls_per_step=2)
    progression = Progression(context)  # type: ignore[arg-type]
    job = Job()
    progression.start(job, T0)
    context.scheduler.run_due(T0 + timedelta(days=1))
    assert job.status == "created"
    statuses = []
    for _ in range(7):
        progression.read(job, T0)
        statuses.append(job.status)
    assert statuses == ["created", "processing", "processing", "uploading", "uploading", "done", "done"]


def test_immediate_mode_is_terminal_at_the_first_pass() -> None:
    context = FakeContext(progression="immediate")
    job = Job()
    Progression(context).start(job, T0)  # type: ignore[arg-type]
    assert job.status == "created"  # nothing moves until the scheduler runs
    context.scheduler.run_due(T0)
    assert [status for status, _ in job.history] == ["processing", "uploading", "done"]


def test_stop_cancels_the_pending_step_and_due_in_reports_it() -> None:
    context = FakeContext()
    progression = Progression(context)  # type: ignore[arg-type]
    job = Job()
    progression.start(job, T0)
    assert progression.due_in(job, T0 + timedelta(seconds=2)) == 3
    progression.stop(job)
    assert progression.due_in(job, T0) is None
    context.scheduler.run_due(T0 + timedelta(days=1))
    assert job.status == "created"


@pytest.mark.parametrize("mode", ["time", "immediate"])
def test_knobs_are_read_live(mode: str) -> None:
    context = FakeContext()
    progression = Progression(context)  # type: ignore[arg-type]
    context.knobs["progression"] = mode
    context.knobs["step_seconds"] = {"created": 1, "processing": 1, "uploading": 1}
    job = Job()
    progression.start(job, T0)
    context.scheduler.run_due(T0 + timedelta(seconds=3))
    assert job.status == "done"
