"""The schedule grammar: PA-SCHEDULE-FORMAT, PA-SCHEDULE-UTC, PA-SCHEDULE-FUTURE and PA-EVERY-ALIGNED.

Valid schedules are generated per form (ISO dates and date-times with any offset, `in N units`,
`N units from now`, `tomorrow`, crontabs and directives, `every ...`), spelled in any case and
spacing; invalid ones change exactly one thing. Against a real endpoint "now" is this machine's
clock, so instants derived from it are compared within a tolerance; against the mock the clock is
frozen and exact.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
from hypothesis import strategies as st

from conformance.context import CheckContext, compact
from conformance.properties import run_property
from conformance.vendors.postageapp.bad_schedules import documented_invalid, invalid_schedules
from conformance.vendors.postageapp.bodies import SCHEDULE_INVALID, SCHEDULE_PAST, Case, event
from conformance.vendors.postageapp.check_fields import refused_update, try_create
from conformance.vendors.postageapp.expect import (
    event_of,
    fetch,
    frozen_clock,
    now_of,
    outbox,
    scheduled_at,
    session,
    stamp,
)
from conformance.vendors.postageapp.rules import CHECKS
from conformance.vendors.postageapp.schedules import (
    SINGLE,
    Every,
    Schedule,
    clock_crontabs,
    everies,
    iso_dates,
    iso_datetimes,
    one_offs,
    past_one_offs,
    relatives,
    tomorrow,
    valid_schedules,
)
from mockserver.core.timefmt import iso_z

CREATE_PLAN = "POST /v.1.0/create_scheduled_event.json  one schedule per example (explicit + up to {n})"
DELETE_PLAN = "POST /v.1.0/delete_scheduled_event.json  each event created"
TOLERANCE = timedelta(minutes=5)  # this machine's clock against a real endpoint's


def documented_valid(now: datetime) -> list[Schedule]:
    """The examples of CONTRACTS.md 4.4, dated a month ahead."""
    day = (now + timedelta(days=30)).date().isoformat()
    one_off = [(day, "iso-date"), (f"{day} 14:30:00", "iso-datetime"), (f"{day}T14:30", "iso-datetime")]
    one_off += [(f"{day}T14:30:00Z", "iso-datetime"), (f"{day}T14:30:00+02:00", "iso-datetime")]
    one_off += [("in 5 minutes", "relative"), ("in 1 month", "relative"), ("5 days from now", "expression")]
    one_off += [("tomorrow", "expression")]
    repeating = ["0 * * * *", "*/15 9-17 * * 1-5", "@hourly", "0 12 1 jan,jul *", "0 0 * * 7", "@YEARLY"]
    repeating += ["every 3 hours", "every 5 mins", "every day at 1am", "every week", "every monday at 1:30pm"]
    repeating += ["every day at noon", "  Every   2   Days "]
    return [Schedule(text, form) for text, form in one_off] + [
        Schedule(text, "every" if text.strip().lower().startswith("every") else "crontab") for text in repeating
    ]


# ---------------------------------------------------------------- PA-SCHEDULE-FORMAT


@CHECKS.check(
    "PA-SCHEDULE-FORMAT",
    "schedule is one of the five forms of 4.4 (right event_type); else [:schedule] is invalid",
    writes=True,
    plan=(CREATE_PLAN, DELETE_PLAN, "POST /v.1.0/update_scheduled_event.json  new schedules on one event"),
)
def schedule_format(context: CheckContext) -> None:
    with frozen_clock(context):
        now = now_of(context)
        explicit = documented_valid(now) + documented_invalid(now)
        strategy = st.one_of(valid_schedules(now), invalid_schedules(now))
        run_property(context, strategy, lambda schedule: _try_schedule(context, schedule), explicit=explicit)
        _reschedule(context, now)


def _try_schedule(context: CheckContext, schedule: Schedule) -> None:
    fields = event(session(context).new_uid("format"), schedule.text)
    change = f"schedule={schedule.text!r}"
    if schedule.form == "invalid":
        try_create(context, Case(fields, (SCHEDULE_INVALID,), change, soft=schedule.soft))
        return

    def accepted(sent: dict[str, Any], created: dict[str, Any], response: httpx.Response) -> None:
        _expect_event_type(context, schedule.event_type, created, change, response)

    try_create(context, Case(fields, change=change), accepted)


def _expect_event_type(
    context: CheckContext, wanted: str, created: dict[str, Any], what: str, response: httpx.Response
) -> None:
    context.expect(
        created.get("event_type") == wanted,
        f"{what}: event_type {compact(created.get('event_type'))}",
        expected=wanted,
        response=response,
        soft=wanted == SINGLE,  # CONTRACTS 4.13: a real endpoint may type one-offs otherwise
    )


def _reschedule(context: CheckContext, now: datetime) -> None:
    """A new schedule is read as on create, and event_type follows it."""
    q = session(context)
    uid = q.make(event(q.new_uid("reschedule")))["uid"]
    day = (now + timedelta(days=20)).date().isoformat()
    for text, wanted in (("every 5 mins", "repeatable"), (f"{day}T10:00:00Z", SINGLE), ("30 6 * * 1-5", "repeatable")):
        response = q.update({"uid": uid, "schedule": text})
        _expect_event_type(
            context, wanted, event_of(context, response, f"update to {text!r}"), f"update to {text!r}", response
        )
    for text in ("every 60 minutes", "0 0 * * * *", "@reboot"):
        refused_update(context, uid, {"schedule": text}, (SCHEDULE_INVALID,))


# ---------------------------------------------------------------- PA-SCHEDULE-UTC


@CHECKS.check(
    "PA-SCHEDULE-UTC",
    "every schedule is read in UTC: scheduled_at is its instant, or its next time of day, in UTC",
    writes=True,
    plan=(CREATE_PLAN, DELETE_PLAN),
)
def schedule_utc(context: CheckContext) -> None:
    with frozen_clock(context):
        now = now_of(context)
        day = (now + timedelta(days=10)).date().isoformat()
        explicit = [
            Schedule(f"{day}T14:30:00+02:00", "iso-datetime", datetime.fromisoformat(f"{day}T12:30:00+00:00")),
            Schedule(f"{day} 14:30", "iso-datetime", datetime.fromisoformat(f"{day}T14:30:00+00:00")),
            Schedule(f"{day}T14:30-05:00", "iso-datetime", datetime.fromisoformat(f"{day}T19:30:00+00:00")),
            Schedule(day, "iso-date", datetime.fromisoformat(f"{day}T00:00:00+00:00")),
            tomorrow(now),
        ]
        times = st.one_of(iso_dates(now), iso_datetimes(now), relatives(now), clock_crontabs(), everies())
        times = times.filter(lambda s: s.instant is not None or (s.every is not None and s.every.unit == "at"))
        run_property(context, times, lambda schedule: _utc(context, schedule, now), explicit=explicit)


def _utc(context: CheckContext, schedule: Schedule, start: datetime) -> None:
    q = session(context)
    before = now_of(context)
    fields = event(q.new_uid("utc"), schedule.text)
    response = q.create(fields)
    after = now_of(context)
    what = f"schedule {schedule.text!r}"
    created = event_of(context, response, what)
    got = scheduled_at(context, created, what, response)
    if schedule.text == "tomorrow":
        _tomorrow(context, got, schedule, response)
    elif schedule.instant is not None:
        exact = context.target.is_mock or schedule.form.startswith("iso")
        instant = schedule.instant if exact or got is None else _nearest(schedule, got, before - start, after - start)
        context.expect(
            got == instant,
            f"{what}: scheduled_at {compact(created.get('scheduled_at'))}",
            expected=stamp(instant),
            response=response,
        )
    else:
        assert schedule.every is not None
        candidates = {schedule.every.next_after(before), schedule.every.next_after(after)}
        context.expect(
            got in candidates,
            f"{what}: scheduled_at {compact(created.get('scheduled_at'))}",
            expected=" or ".join(sorted(stamp(c) for c in candidates)),
            response=response,
        )
    q.discard_created(response, fields)


def _nearest(schedule: Schedule, got: datetime, earliest: timedelta, latest: timedelta) -> datetime:
    """A relative schedule read by a real endpoint: counted from its own now, which came `earliest` to
    `latest` after the now the schedule was drawn at (and within a tolerance of this machine's clock)."""
    assert schedule.instant is not None
    low, high = schedule.instant + earliest - TOLERANCE, schedule.instant + latest + TOLERANCE
    return got if low <= got <= high else schedule.instant + earliest


def _tomorrow(context: CheckContext, got: datetime | None, schedule: Schedule, response: httpx.Response) -> None:
    assert schedule.instant is not None
    what = "schedule 'tomorrow'"
    day_ok = got is not None and got.date() == schedule.instant.date()
    context.expect(
        day_ok, f"{what}: scheduled_at {got}", expected=f"on {schedule.instant.date()} (UTC)", response=response
    )
    context.expect(
        got == schedule.instant,
        f"{what}: scheduled_at {got}",
        expected=stamp(schedule.instant),
        response=response,
        soft=True,
    )


# ---------------------------------------------------------------- PA-SCHEDULE-FUTURE


@CHECKS.check(
    "PA-SCHEDULE-FUTURE",
    "a one-off schedule lies after now; else [:schedule] is in the past",
    writes=True,
    plan=(
        CREATE_PLAN,
        DELETE_PLAN,
        "POST /v.1.0/update_scheduled_event.json  (mock or --strict) a past schedule; resuming a fired one-off",
        "POST /_mock/clock  (mock only)",
    ),
)
def schedule_future(context: CheckContext) -> None:
    q = session(context)
    with frozen_clock(context):
        now = now_of(context)
        explicit = [
            Schedule(text, "iso-date") for text in ("2020-01-01", "1999-12-31 23:59:59", "1970-01-01T00:00:00Z")
        ]
        explicit += [Schedule((now - timedelta(days=3)).date().isoformat(), "iso-date")]
        if context.target.is_mock:  # the frozen clock: exactly now is not after now
            explicit += [
                Schedule(iso_z(now), "iso-datetime"),
                Schedule(iso_z(now - timedelta(seconds=1)), "iso-datetime"),
            ]
        strategy = st.one_of(
            past_one_offs(now), past_one_offs(now), one_offs(now).map(lambda s: Schedule(s.text, "future"))
        )
        run_property(context, strategy, lambda schedule: _past(context, schedule), explicit=explicit)
        if context.hard:  # CONTRACTS 4.13: a real endpoint may fire a past one-off at once instead
            uid = q.make(event(q.new_uid("future")))["uid"]
            refused_update(context, uid, {"schedule": "2020-01-01"}, (SCHEDULE_PAST,))
        if context.control is not None:
            _resume_completed(context, now)


def _past(context: CheckContext, schedule: Schedule) -> None:
    fields = event(session(context).new_uid("past"), schedule.text)
    if schedule.form == "future":
        try_create(context, Case(fields, change=f"schedule={schedule.text!r}"))
    else:
        # soft: CONTRACTS 4.13 lets a real endpoint accept a past one-off (and fire it at once)
        try_create(context, Case(fields, (SCHEDULE_PAST,), f"schedule={schedule.text!r}", soft=True))


def _resume_completed(context: CheckContext, now: datetime) -> None:
    """A one-off that fired cannot be resumed without a new schedule: its instant has passed."""
    assert context.control is not None
    q = session(context)
    uid = q.make(event(q.new_uid("resume"), "in 1 minute"))["uid"]
    context.control.advance(61)
    refused_update(context, uid, {"status": "active"}, (SCHEDULE_PAST,))


# ---------------------------------------------------------------- PA-EVERY-ALIGNED


@CHECKS.check(
    "PA-EVERY-ALIGNED",
    "every ... fires on its crontab's boundaries: scheduled_at after now, within one period, aligned",
    writes=True,
    plan=(
        CREATE_PLAN,
        DELETE_PLAN,
        "POST /_mock/clock, GET /_mock/outbox  (mock only) three fires at the boundaries, re-armed from its due time",
    ),
)
def every_aligned(context: CheckContext) -> None:
    with frozen_clock(context):
        explicit = [(Schedule("every 5 mins", "every", every=Every("minute", 5)), 150)]
        strategy = st.tuples(everies(), st.integers(1, 7200))
        run_property(context, strategy, lambda case: _aligned(context, *case), explicit=explicit)


def _aligned(context: CheckContext, schedule: Schedule, offset: int) -> None:
    assert schedule.every is not None
    q = session(context)
    if context.control is not None:  # off a boundary: "counted from now" and "aligned" differ
        context.control.advance(offset)
    before = now_of(context)
    fields = event(q.new_uid("every"), schedule.text)
    response = q.create(fields)
    after = now_of(context)
    what = f"{schedule.text!r} created at {iso_z(before)}"
    got = scheduled_at(context, event_of(context, response, what), what, response)
    period = schedule.every.period
    skew = timedelta(0) if context.target.is_mock else TOLERANCE
    within = got is not None and before - skew < got <= after + period + skew
    context.expect(
        within, f"{what}: scheduled_at {got}", expected=f"after now and at most {period} later", response=response
    )
    aligned = {schedule.every.next_after(before), schedule.every.next_after(after)}
    context.expect(
        got in aligned,
        f"{what}: scheduled_at {got}",
        expected=" or ".join(stamp(a) for a in sorted(aligned)),
        response=response,
        soft=True,
    )
    if context.control is not None and got is not None:
        _fires(context, fields["uid"], schedule, got)
    q.discard_created(response, fields)


def _fires(context: CheckContext, uid: str, schedule: Schedule, first: datetime) -> None:
    """Three fires at consecutive boundaries, each recorded at its due time; then re-armed at the fourth."""
    assert context.control is not None and schedule.every is not None
    fires = [first]
    while len(fires) < 4:
        fires.append(schedule.every.next_after(fires[-1]))
    context.control.advance((fires[2] - now_of(context)).total_seconds())
    got = [entry["at"] for entry in outbox(context, uid)]
    wanted = [iso_z(fire) for fire in fires[:3]]
    context.expect(got == wanted, f"{schedule.text!r} fired at {got}", expected=str(wanted))
    stored, response = fetch(context, uid, "after the fires")
    context.expect(
        stored.get("scheduled_at") == stamp(fires[3]),
        f"after three fires scheduled_at is {compact(stored.get('scheduled_at'))}",
        expected=stamp(fires[3]),
        response=response,
    )
