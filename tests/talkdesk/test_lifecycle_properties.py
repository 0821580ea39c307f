"""Hypothesis properties of the job lifecycle, quota, token lifetime and file coverage
(CONTRACTS.md 2.1, 2.7, 2.8): each compares the mock with a small model of the contract."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver import create_app
from mockserver.inprocess import client_for
from tests.talkdesk.support import CALLS, RUNNING, advance, bearer, job_body, outbox, token

FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LONG_LIVED = {"token_ttl_seconds": 10**9}
STEPS = st.fixed_dictionaries({state: st.integers(0, 60) for state in RUNNING})


@contextmanager
def fresh_mock(**knobs: Any) -> Iterator[tuple[httpx.Client, str]]:
    with client_for(create_app(config={"talkdesk": {**LONG_LIVED, **knobs}})) as http:
        yield http, token(http)


def create(http: httpx.Client, access: str, **overrides: Any) -> httpx.Response:
    return http.post(CALLS, json=job_body(**overrides), headers=bearer(access))


def status(http: httpx.Client, access: str, job_id: str) -> str:
    return http.get(f"{CALLS}/{job_id}", headers=bearer(access)).json()["job"]["status"]


def expected_status(steps: dict[str, int], elapsed: float, fail_at: str | None = None) -> str:
    """Where a job created `elapsed` seconds ago is, in `time` mode."""
    spent = 0.0
    for state in RUNNING:
        spent += steps[state]
        if elapsed < spent:
            return state
        if state == fail_at:
            return "failed"
    return "done"


@FAST
@given(steps=STEPS, moves=st.lists(st.integers(0, 40), min_size=1, max_size=6))
def test_status_follows_the_clock(steps: dict[str, int], moves: list[int]) -> None:
    with fresh_mock(step_seconds=steps) as (http, access):
        job_id = create(http, access).json()["id"]
        elapsed = 0
        for seconds in moves:
            advance(http, seconds)
            elapsed += seconds
            assert status(http, access, job_id) == expected_status(steps, elapsed)
        entries = outbox(http)
        if elapsed >= sum(steps.values()):
            [entry] = entries
            done_at = NOW + timedelta(seconds=sum(steps.values()))
            assert (entry["kind"], entry["at"]) == ("report_ready", done_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
        else:
            assert entries == []


@FAST
@given(steps=STEPS, fail_at=st.sampled_from(RUNNING), elapsed=st.integers(0, 200))
def test_a_failure_rule_fails_the_job_when_it_leaves_its_step(
    steps: dict[str, int], fail_at: str, elapsed: int
) -> None:
    with fresh_mock(step_seconds=steps) as (http, access):
        http.post("/_mock/failures", json={"vendor": "talkdesk", "step": fail_at})
        job_id = create(http, access).json()["id"]
        advance(http, elapsed)
        expected = expected_status(steps, elapsed, fail_at)
        assert status(http, access, job_id) == expected
        assert [entry["kind"] for entry in outbox(http)] == (["report_failed"] if expected == "failed" else [])


@FAST
@given(per_step=st.integers(1, 4), reads=st.integers(0, 16), clock=st.integers(0, 100))
def test_polls_mode_moves_by_reads_only(per_step: int, reads: int, clock: int) -> None:
    with fresh_mock(progression="polls", polls_per_step=per_step) as (http, access):
        job_id = create(http, access).json()["id"]
        advance(http, clock)
        seen = [status(http, access, job_id) for _ in range(reads)]
    chain = ["created", "processing", "uploading", "done"]
    assert seen == [chain[min(3, (n + 1) // per_step)] for n in range(reads)]


Action = tuple[str, int]
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.just(0)),
        st.tuples(st.just("advance"), st.integers(0, 12)),
        st.tuples(st.just("cancel"), st.integers(0, 40)),
    ),
    min_size=1,
    max_size=40,
)


@FAST
@given(actions=ACTIONS, quota=st.integers(1, 15))
def test_quota_counts_running_jobs_only(actions: list[Action], quota: int) -> None:
    """Model: a job runs for 30 s from its creation unless canceled; creates beyond `quota` running are 429."""
    created: list[tuple[str, float]] = []  # (id, created at)
    canceled: set[str] = set()
    now = 0.0
    with fresh_mock(quota_simultaneous=quota) as (http, access):
        for kind, value in actions:
            running = [(job_id, at) for job_id, at in created if job_id not in canceled and now - at < 30]
            if kind == "advance":
                advance(http, value)
                now += value
            elif kind == "create":
                response = create(http, access)
                if len(running) < quota:
                    assert response.status_code == 202, response.text
                    created.append((response.json()["id"], now))
                else:
                    assert response.status_code == 429
                    first_leaves = min(at for _, at in running) + 30
                    assert int(response.headers["retry-after"]) == max(1, math.ceil(first_leaves - now))
            elif created:
                job_id = created[value % len(created)][0]
                response = http.delete(f"{CALLS}/{job_id}", headers=bearer(access))
                was_running = any(job_id == running_id for running_id, _ in running)
                assert response.status_code == (200 if was_running else 403)
                canceled.add(job_id)


@FAST
@given(ttl=st.integers(1, 5000), wait=st.integers(0, 6000))
def test_a_token_lives_exactly_its_ttl(ttl: int, wait: int) -> None:
    with client_for(create_app(config={"talkdesk": {"token_ttl_seconds": ttl}})) as http:
        access = token(http)
        advance(http, wait)
        assert http.get(CALLS, headers=bearer(access)).status_code == (200 if wait < ttl else 401)


@FAST
@given(retention=st.integers(0, 10**6), wait=st.integers(0, 2 * 10**6))
def test_a_done_file_is_kept_exactly_the_retention_time(retention: int, wait: int) -> None:
    with fresh_mock(file_retention_seconds=retention) as (http, access):
        job_id = create(http, access).json()["id"]
        advance(http, 30)
        advance(http, wait)
        assert status(http, access, job_id) == ("done" if wait < retention else "deleted")


ZONES = ["UTC", "Europe/Lisbon", "America/New_York", "Asia/Kolkata", "Australia/Sydney"]


@FAST
@given(
    zone=st.sampled_from(ZONES),
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 11, 20), timezones=st.just(UTC)),
    length=st.integers(0, 3 * 86400),
    interval=st.sampled_from([60, 600, 900, 3600, 5400, 86400]),
    report_type=st.sampled_from(["calls", "contacts", "user_status", "audit_logs"]),
)
def test_file_rows_cover_exactly_the_timespan(
    zone: str, start: datetime, length: int, interval: int, report_type: str
) -> None:
    start = start.replace(microsecond=0)
    end = start + timedelta(seconds=length)
    span = {"from": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "to": end.strftime("%Y-%m-%dT%H:%M:%SZ")}
    with fresh_mock(row_interval_seconds=interval) as (http, access):
        job = http.post(
            f"/data/reports/{report_type}/jobs", json=job_body(timezone=zone, timespan=span), headers=bearer(access)
        ).json()
        advance(http, 30)
        redirect = http.get(job["_links"]["files"]["href"], headers=bearer(access))
        document = json.loads(http.get(redirect.headers["location"]).content)
    local = ZoneInfo(zone)
    starts = [start + timedelta(seconds=k * interval) for k in range(math.ceil(length / interval))]
    assert all(moment < end for moment in starts)
    assert document["total"] == len(starts) == len(document["entries"])
    first_column = {"calls": "start_at", "contacts": "started_at", "user_status": "status_start_at"}
    column = first_column.get(report_type, "interval_start")
    assert [entry[column] for entry in document["entries"]] == [
        moment.astimezone(local).strftime("%Y-%m-%d %H:%M:%S") for moment in starts
    ]
