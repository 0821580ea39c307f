"""Bulk catch-up of repeating timers: the same observable result as firing every occurrence.

Two levels. The scheduler alone, with a real capped `Outbox`, tie-heavy random repeating
timers, one-off chains and repeating timers without catch-up interleaved; and Qonversion
over HTTP, with reports, send-tests, PUTs and config changes between random clock moves.
Each compares the catch-up path (one big move, or many small moves) with the reference
one-by-one path (`scheduler.catch_up = False`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver import create_app
from mockserver.core.outbox import Outbox
from mockserver.core.scheduler import CatchUp, Scheduler, Timer
from mockserver.inprocess import client_for

T0 = datetime(2026, 1, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- the scheduler alone -------------------------------------------------------------


@dataclass
class World:
    """A scheduler, an outbox and what the timers remember; `steps` are replayed on it."""

    catch_up: bool
    cap: int
    scheduler: Scheduler = field(default_factory=Scheduler)
    runs: dict[int, int] = field(default_factory=dict)
    last: dict[int, datetime] = field(default_factory=dict)
    timers: dict[int, Timer] = field(default_factory=dict)
    seen: dict[int, int] = field(default_factory=dict)
    now: datetime = T0
    fired: int = 0

    def __post_init__(self) -> None:
        self.outbox = Outbox(self.cap)
        self.scheduler.catch_up = self.catch_up
        self.scheduler.plan_after = 0  # plan at once, even for a short pass

    def write(self, name: int, kind: str, due: datetime, extra: dict[str, Any]) -> None:
        self.outbox.add(
            vendor="v", tenant="t", kind=kind, resource_id=str(name), destination=None, at=due, payload=extra
        )

    def repeating(self, name: int, first: int, period: int, entries: int, bulk: bool) -> None:
        self.runs[name] = 0

        def action(due: datetime) -> None:
            self.runs[name] += 1
            self.last[name] = due
            for index in range(entries):
                self.write(name, "scheduled", due, {"run": self.runs[name], "index": index})

        def apply(count: int, last: datetime) -> None:
            self.runs[name] += count
            self.last[name] = last

        catch_up = CatchUp(apply, lambda: entries) if bulk else None
        due = self.now + first * HOUR
        self.timers[name] = self.scheduler.every(due, period * HOUR, action, catch_up)

    def one_off(self, name: int, delay: int, chain: list[int]) -> None:
        def action(due: datetime) -> None:
            self.seen[name] = sum(self.runs.values())  # what the repeating timers had done by then
            self.write(name, "one-off", due, {"chain": len(chain), "runs": self.seen[name]})
            if chain:
                self.scheduler.at(due + chain[0] * HOUR, self._one_off_action(name, chain[1:]))

        self.scheduler.at(self.now + delay * HOUR, action)

    def _one_off_action(self, name: int, chain: list[int]) -> Any:
        def action(due: datetime) -> None:
            self.write(name, "chained", due, {"chain": len(chain)})
            if chain:
                self.scheduler.at(due + chain[0] * HOUR, self._one_off_action(name, chain[1:]))

        return action

    def move(self, hours: int, pieces: int) -> None:
        for index in range(pieces):
            step = hours // pieces + (1 if index < hours % pieces else 0)
            self.now += step * HOUR
            self.fired += self.scheduler.run_due(self.now, self.outbox)

    def observed(self) -> dict[str, Any]:
        return {
            "outbox": [entry.to_json() for entry in self.outbox],
            "runs": self.runs,
            "seen": self.seen,
            "last": self.last,
            "next": {name: (timer.due, timer.cancelled) for name, timer in self.timers.items()},
            "fired": self.fired,
            "pending": self.scheduler.pending(),
        }


hours = st.one_of(st.sampled_from([0, 6, 12, 18, 24, 30, 48, 72]), st.integers(0, 200))  # aligned: many ties
repeating_step = st.tuples(
    st.just("repeating"),
    hours,  # first due, hours from now
    st.sampled_from([1, 3, 6, 6, 12, 24, 24, 24]),  # period, hours
    st.integers(0, 3),  # entries per occurrence
    st.booleans(),  # with catch-up
)
one_off_step = st.tuples(st.just("one_off"), hours, st.lists(st.sampled_from([0, 1, 6, 12, 24]), max_size=3))
move_step = st.tuples(st.just("move"), st.one_of(st.sampled_from([1, 6, 24, 25, 48]), st.integers(0, 400)))
cancel_step = st.tuples(st.just("cancel"), st.integers(0, 30))
# same period and phase, first due k periods apart: the later ones were armed before the earlier re-armed
cohort_step = st.tuples(
    st.just("cohort"), st.integers(0, 23), st.sampled_from([6, 24]), st.lists(st.integers(0, 3), min_size=2, max_size=4)
)
steps_strategy = st.lists(
    st.one_of(repeating_step, repeating_step, cohort_step, one_off_step, move_step, cancel_step),
    min_size=2,
    max_size=30,
)


def replay(steps: list[tuple], catch_up: bool, cap: int, pieces: int) -> dict[str, Any]:
    world = World(catch_up, cap)
    for number, step in enumerate(steps):
        if step[0] == "repeating":
            world.repeating(number, *step[1:])
        elif step[0] == "cohort":
            for index, periods in enumerate(step[3]):
                world.repeating(1000 * number + index, step[1] + periods * step[2], step[2], 1, True)
        elif step[0] == "one_off":
            world.one_off(number, step[1], step[2])
        elif step[0] == "cancel" and world.timers:
            list(world.timers.values())[step[1] % len(world.timers)].cancel()
        elif step[0] == "move":
            world.move(step[1], pieces if step[1] >= pieces else 1)
    world.move(24 * 40, 1)  # a long final move over everything still armed
    return world.observed()


@SETTINGS
@given(steps=steps_strategy, cap=st.integers(1, 60), pieces=st.integers(2, 7))
def test_scheduler_catch_up_matches_one_by_one(steps: list[tuple], cap: int, pieces: int) -> None:
    reference = replay(steps, catch_up=False, cap=cap, pieces=1)
    assert replay(steps, catch_up=True, cap=cap, pieces=1) == reference
    assert replay(steps, catch_up=True, cap=cap, pieces=pieces) == reference


def test_a_timer_first_due_later_fires_first_in_its_cohort() -> None:
    """B (armed before A's first fire re-armed A) goes before A at every later tie, skipped or not."""
    outcomes = []
    for catch_up in (False, True):
        world = World(catch_up, cap=2)
        world.repeating(0, 1, 24, 1, True)  # A: 01:00 daily from day 0
        world.repeating(1, 25, 24, 1, True)  # B: 01:00 daily from day 1
        world.move(24 * 10, 1)
        outcomes.append(world.observed())
    assert outcomes[0] == outcomes[1]
    assert [entry["resource_id"] for entry in outcomes[1]["outbox"]] == ["1", "0"]


def test_a_timer_starting_late_in_the_pass_is_counted_as_such() -> None:
    """The skip point moves back until the occurrences after it really fill the cap."""
    outcomes = []
    for catch_up in (False, True):
        world = World(catch_up, cap=20)
        world.repeating(0, 0, 24, 1, True)  # A: daily from now
        world.repeating(1, 98, 1, 5, True)  # B: hourly, five entries, only for the last two hours
        world.move(100, 1)
        outcomes.append(world.observed())
    assert outcomes[0] == outcomes[1]
    assert [entry["resource_id"] for entry in outcomes[1]["outbox"]].count("0") == 5


def test_catch_up_skips_what_the_cap_drops() -> None:
    """One year of 200 daily timers runs only the tail; ids and counts still add up."""
    world = World(catch_up=True, cap=50)
    calls = 0

    for name in range(200):
        world.repeating(name, name % 24, 24, 1, True)
    for timer in world.timers.values():
        inner = timer.action

        def counting(due: datetime, inner: Any = inner) -> None:
            nonlocal calls
            calls += 1
            inner(due)

        timer.action = counting
    world.move(365 * 24, 1)
    assert world.fired == sum(world.runs.values()) == 200 * 365 + sum(1 for name in range(200) if name % 24 == 0)
    assert len(world.outbox) == 50
    assert calls < 200 * 3  # the tail only, not 73,000 actions
    assert list(world.outbox)[-1].id == f"dlv_{world.fired:08d}"


# --- Qonversion over HTTP ------------------------------------------------------------

SLOTS = ["09:00", "09:30", "10:00", "23:30", "00:00"]
DESTINATIONS = [
    {"type": "target_integration", "id": "int-wh-01"},
    {"type": "target_integration", "id": "int-slack-01"},
    {"type": "target_integration", "id": "int-email-01"},
]
KEYS = ["sk_alpha", "sk_beta"]


def report_body(slot: str, destinations: int, active: bool) -> dict[str, Any]:
    return {
        "report_name": f"Report {slot}",
        "send_at": slot,
        "included_range_days": 3,
        "status": "active" if active else "draft",
        "environment": "production",
        "destinations": DESTINATIONS[:destinations],
    }


create_op = st.tuples(
    st.just("create"), st.sampled_from(SLOTS), st.integers(1, 3), st.booleans(), st.sampled_from(KEYS)
)
put_op = st.tuples(st.just("put"), st.integers(0, 20), st.sampled_from(SLOTS), st.booleans(), st.integers(1, 3))
test_op = st.tuples(st.just("test"), st.integers(0, 20))
delete_op = st.tuples(st.just("delete"), st.integers(0, 20))
delay_op = st.tuples(
    st.just("delay"), st.sampled_from([0, 1800, 3600]), st.sampled_from([0, 600, 86400 * 3, 86400 * 9])
)
http_move_op = st.tuples(
    st.just("move"), st.one_of(st.sampled_from([1800, 3600, 43200, 86400]), st.integers(0, 86400 * 12))
)
ops_strategy = st.lists(
    st.one_of(
        create_op, create_op, create_op, put_op, test_op, test_op, delete_op, delay_op, http_move_op, http_move_op
    ),
    min_size=6,
    max_size=24,
)


class Session:
    """One app driven by the ops; `catch_up` picks the scheduler path, `pieces` splits each move."""

    def __init__(self, catch_up: bool, cap: int, pieces: int) -> None:
        self.app = create_app()
        self.app.state.mock.scheduler.catch_up = catch_up
        self.app.state.mock.scheduler.plan_after = 0  # plan at once, even for a short pass
        self.pieces = pieces
        self.client = client_for(self.app)
        self.reports: list[tuple[str, str]] = []  # (key, id)
        self.config({"outbox_max_entries": cap})

    def config(self, patch: dict[str, Any]) -> None:
        assert self.client.put("/_mock/config", json=patch).status_code == 200

    def call(self, method: str, path: str, key: str, body: Any = None) -> httpx.Response:
        return self.client.request(method, path, json=body, headers={"Authorization": f"Bearer {key}"})

    def apply(self, op: tuple) -> None:
        kind = op[0]
        if kind == "create":
            response = self.call("POST", "/v4/scheduled-reports", op[4], report_body(op[1], op[2], op[3]))
            assert response.status_code == 201, response.text
            self.reports.append((op[4], response.json()["id"]))
        elif kind == "move":
            self.move(op[1])
        elif kind == "delay":
            self.config({"qonversion": {"delivery_delay_seconds": op[1], "test_delivery_delay_seconds": op[2]}})
        elif self.reports:
            key, report_id = self.reports[op[1] % len(self.reports)]
            path = f"/v4/scheduled-reports/{report_id}"
            if kind == "put":
                self.call("PUT", path, key, {"send_at": op[2], "status": "active" if op[3] else "draft"})
                self.call("PUT", path, key, {"destinations": DESTINATIONS[: op[4]]})
            elif kind == "test":
                self.call("POST", f"{path}/send-test", key)
            elif kind == "delete":
                self.call("DELETE", path, key)

    def move(self, seconds: int) -> None:
        pieces = self.pieces if seconds >= self.pieces else 1
        for index in range(pieces):
            step = seconds // pieces + (1 if index < seconds % pieces else 0)
            assert self.client.post("/_mock/clock", json={"advance_seconds": step}).status_code == 200

    def observed(self) -> str:
        lists = [self.call("GET", "/v4/scheduled-reports?limit=100", key).json() for key in KEYS]
        gets = [self.call("GET", f"/v4/scheduled-reports/{rid}", key).json() for key, rid in self.reports]
        outbox = self.client.get("/_mock/outbox").json()
        board = self.app.state.mock.vendors["qonversion"].describe(self.app.state.mock.backends["qonversion"])
        return json.dumps({"lists": lists, "gets": gets, "outbox": outbox, "board": board}, sort_keys=True)


def run_session(ops: list[tuple], catch_up: bool, cap: int, pieces: int, final_days: int) -> str:
    session = Session(catch_up, cap, pieces)
    try:
        for op in [("delay", 0, 86400 * 4 + 1800), *ops]:  # send-tests land inside later windows
            session.apply(op)
        session.move(final_days * 86400)
        return session.observed()
    finally:
        session.client.close()


@SETTINGS
@given(
    ops=ops_strategy,
    cap=st.integers(1, 40),
    pieces=st.integers(2, 5),
    final_days=st.integers(3, 60),
)
def test_qonversion_clock_moves_match_one_by_one(ops: list[tuple], cap: int, pieces: int, final_days: int) -> None:
    reference = run_session(ops, catch_up=False, cap=cap, pieces=1, final_days=final_days)
    assert run_session(ops, catch_up=True, cap=cap, pieces=1, final_days=final_days) == reference
    assert run_session(ops, catch_up=True, cap=cap, pieces=pieces, final_days=final_days) == reference


def test_qonversion_year_keeps_runs_and_the_last_deliveries() -> None:
    """365 daily runs of two reports: runs, ids and the kept tail as if each had been delivered."""
    outcomes = []
    for catch_up in (False, True):
        session = Session(catch_up, cap=5, pieces=1)
        session.apply(("create", "09:30", 2, True, "sk_alpha"))
        session.apply(("create", "09:30", 1, True, "sk_beta"))
        session.move(365 * 86400)
        outcomes.append(session.observed())
        session.client.close()
    assert outcomes[0] == outcomes[1]
    observed = json.loads(outcomes[1])
    assert [report["runs"] for report in observed["gets"]] == [365, 365]
    assert [entry["id"] for entry in observed["outbox"]["data"]] == [f"dlv_{n:08d}" for n in range(1091, 1096)]


def test_qonversion_report_first_due_a_day_later_goes_first_at_every_tie() -> None:
    """B (09:30 + 30 min delay, created at 09:45) is due tomorrow 10:00, when A (10:00) has been re-armed."""
    outcomes = []
    for catch_up in (False, True):
        session = Session(catch_up, cap=2, pieces=1)
        session.apply(("create", "10:00", 1, True, "sk_alpha"))  # A: today 10:00
        session.apply(("move", 2700))
        session.apply(("delay", 1800, 0))
        session.apply(("create", "09:30", 1, True, "sk_beta"))  # B: tomorrow 10:00
        session.move(30 * 86400)
        outcomes.append(session.observed())
        session.client.close()
    assert outcomes[0] == outcomes[1]
    assert [entry["tenant"] for entry in json.loads(outcomes[1])["outbox"]["data"]] == ["sk_beta", "sk_alpha"]
