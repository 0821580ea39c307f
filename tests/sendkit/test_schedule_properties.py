"""Hypothesis properties of recipient schedules across DST changes (SK-RCPT-SCHEDULE).

The oracle works on local calendar days with zoneinfo directly (fold=0), independently of
the mock's day iteration: the fire is the earliest matching local day's `timeOfDay`
strictly after the reference, and it sits at that wall time unless the time does not exist.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.vendors.sendkit.schedule import next_fire, zone_names
from tests.sendkit.support import RECIPIENTS, advance, auth, fresh_mock, outbox

FAST = settings(max_examples=60, deadline=None)
DST_ZONES = [
    "America/New_York", "Europe/London", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe",
    "America/Santiago", "America/Havana", "Asia/Tehran", "Pacific/Chatham", "America/St_Johns", "UTC",
]  # fmt: skip
ZONES = st.one_of(st.sampled_from(DST_ZONES), st.sampled_from(sorted(zone_names())))
# wall times that DST changes skip or repeat somewhere, and any other
TIMES = st.one_of(
    st.sampled_from(["00:00", "00:30", "01:00", "01:30", "02:00", "02:30", "02:59", "03:00", "03:30", "23:30"]),
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59)),
)
INSTANTS = st.datetimes(datetime(2026, 1, 1), datetime(2031, 12, 31), timezones=st.just(UTC))


def transitions(zone_name: str) -> tuple[datetime, ...]:
    """UTC midnights of the days (2026 to 2031) on which the zone's offset changes."""
    zone, day, found = ZoneInfo(zone_name), datetime(2026, 1, 1, tzinfo=UTC), []
    while day.year < 2032:
        if day.astimezone(zone).utcoffset() != (day + timedelta(days=1)).astimezone(zone).utcoffset():
            found.append(day)
        day += timedelta(days=1)
    return tuple(found)


TRANSITIONS = {name: transitions(name) for name in DST_ZONES}


@st.composite
def near_dst(draw: st.DrawFn, zone: str) -> datetime:
    """An instant within two days of one of the zone's offset changes (any instant if it has none)."""
    if not TRANSITIONS.get(zone):
        return draw(INSTANTS)
    change = draw(st.sampled_from(TRANSITIONS[zone]))
    return change + timedelta(minutes=draw(st.integers(-2 * 1440, 3 * 1440)))


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], datetime]:
    """A schedule and a reference instant, half of the time close to a DST change of its zone."""
    schedule = draw(schedules())
    after = draw(st.one_of(INSTANTS, near_dst(schedule["timezone"])))
    return schedule, after


@st.composite
def schedules(draw: st.DrawFn, zones: st.SearchStrategy[str] = ZONES) -> dict[str, Any]:
    frequency = draw(st.sampled_from(["daily", "weekly", "monthly"]))
    return {
        "enabled": True,
        "frequency": frequency,
        "dayOfWeek": draw(st.integers(0, 6)),
        "dayOfMonth": draw(st.integers(1, 31)) if frequency == "monthly" else None,
        "timeOfDay": draw(TIMES),
        "timezone": draw(zones),
    }


def matches(schedule: dict[str, Any], day: date) -> bool:
    if schedule["frequency"] == "daily":
        return True
    if schedule["frequency"] == "weekly":
        return day.isoweekday() % 7 == schedule["dayOfWeek"]
    return day.day == min(schedule["dayOfMonth"], calendar.monthrange(day.year, day.month)[1])


def wall(schedule: dict[str, Any], day: date) -> datetime:
    hours, minutes = map(int, schedule["timeOfDay"].split(":"))
    return datetime.combine(day, time(hours, minutes))


def candidate(schedule: dict[str, Any], day: date) -> datetime:
    return wall(schedule, day).replace(tzinfo=ZoneInfo(schedule["timezone"])).astimezone(UTC)


def local_days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


@FAST
@given(schedule=schedules(), after=INSTANTS)
def test_next_fire_is_the_earliest_matching_local_time_strictly_after(
    schedule: dict[str, Any], after: datetime
) -> None:
    fire = next_fire(schedule, after)
    zone = ZoneInfo(schedule["timezone"])
    assert fire > after and fire.tzinfo is UTC
    days = local_days(
        after.astimezone(zone).date() - timedelta(days=2), fire.astimezone(zone).date() + timedelta(days=2)
    )
    candidates = [candidate(schedule, day) for day in days if matches(schedule, day)]
    assert fire in candidates
    assert not [c for c in candidates if after < c < fire]


@FAST
@given(case=cases())
def test_fire_sits_at_the_wall_time_or_at_the_fold_0_reading_of_a_skipped_one(
    case: tuple[dict[str, Any], datetime],
) -> None:
    schedule, after = case
    zone = ZoneInfo(schedule["timezone"])
    fire = next_fire(schedule, after)
    local = fire.astimezone(zone)
    day = next(d for d in (local.date(), local.date() - timedelta(days=1)) if candidate(schedule, d) == fire)
    intended = wall(schedule, day)
    first = intended.replace(tzinfo=zone).astimezone(UTC)
    second = intended.replace(tzinfo=zone, fold=1).astimezone(UTC)
    exists = first.astimezone(zone).replace(tzinfo=None) == intended
    if exists:
        assert local.replace(tzinfo=None) == intended
        assert fire == min(first, second)  # a repeated wall time fires at its first occurrence
    else:  # skipped by a DST change: the offset from before the change applies (fold=0)
        assert fire == first and local.replace(tzinfo=None) != intended


@FAST
@given(schedule=schedules(st.sampled_from(DST_ZONES)), data=st.data(), count=st.integers(2, 30))
def test_successive_fires_walk_one_period_of_local_days(
    schedule: dict[str, Any], data: st.DataObject, count: int
) -> None:
    """Re-arming from each due time never skips or repeats a local day, across DST changes."""
    after = data.draw(near_dst(schedule["timezone"]), label="after")
    zone = ZoneInfo(schedule["timezone"])
    fired = [next_fire(schedule, after)]
    for _ in range(count - 1):
        fired.append(next_fire(schedule, fired[-1]))
    days = [next(d for d in (f.astimezone(zone).date(), f.astimezone(zone).date() - timedelta(days=1))
                 if candidate(schedule, d) == f) for f in fired]  # fmt: skip
    for earlier, later in zip(days, days[1:], strict=False):
        if schedule["frequency"] == "daily":
            assert later - earlier == timedelta(days=1)
        elif schedule["frequency"] == "weekly":
            assert later - earlier == timedelta(days=7)
        else:
            assert (later.year * 12 + later.month) - (earlier.year * 12 + earlier.month) == 1
    gaps = {(b - a).total_seconds() / 3600 for a, b in zip(fired, fired[1:], strict=False)}
    if schedule["frequency"] == "daily":
        assert gaps <= {23.0, 23.5, 24.0, 24.5, 25.0}


@settings(max_examples=25, deadline=None)
@given(schedule=schedules(st.sampled_from(DST_ZONES)), days=st.integers(1, 120))
def test_over_http_every_occurrence_is_delivered_at_its_due_time(schedule: dict[str, Any], days: int) -> None:
    body = {"name": "Ana", "email": "ana@example.com", "schedule": schedule}
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    expected: list[datetime] = []
    fire = next_fire(schedule, start)
    while fire + timedelta(seconds=25) <= start + timedelta(days=days):
        expected.append(fire)
        fire = next_fire(schedule, fire)
    with fresh_mock() as http:
        created = http.post(RECIPIENTS, json=body, headers=auth()).json()["data"]
        advance(http, days * 86400)
        got = http.get(f"{RECIPIENTS}/{created['_id']}", headers=auth()).json()["data"]
        entries = outbox(http, kind="scheduled")
    assert [entry["at"] for entry in entries] == [
        (f + timedelta(seconds=25)).strftime("%Y-%m-%dT%H:%M:%SZ") for f in expected
    ]
    assert got["totalReportsSent"] == len(expected)
    pending = next_fire(schedule, expected[-1]) if expected else next_fire(schedule, start)
    assert got["schedule"]["nextScheduledAt"] in (
        pending.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        next_fire(schedule, pending).strftime("%Y-%m-%dT%H:%M:%S.000Z"),  # fired, not yet delivered
    )
