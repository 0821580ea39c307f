"""SK-RCPT-SCHEDULE: schedule fields are validated as CONTRACTS 3.3 says (on create and PATCH), stored
with their defaults and merged field by field (a rule-based state machine of creates, PATCHes and
reads), and, with the mock's control plane, fire as 3.6 says: at each `timeOfDay` in `timezone`,
every day, on `dayOfWeek` or on `dayOfMonth`, each fire generating the recipient's reports for the
period before it and delivering them when they complete.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from conformance.context import CheckContext, compact
from conformance.properties import run_machine, run_property
from conformance.vendors.sendkit.check_recipients import try_recipient
from conformance.vendors.sendkit.expect import expect_fields, expect_refused, fetch, frozen_clock, knobs, session
from conformance.vendors.sendkit.oracle import covered, fires_between, millis, next_fire, weekday_sunday_first
from conformance.vendors.sendkit.people import (
    SCHEDULE_FIELDS,
    SCHEDULE_MISSES,
    RecipientCase,
    base_recipient,
    recipient_bodies,
    schedule_changes,
    stored_recipient,
    stored_schedule,
    updated_recipient,
    valid_patches,
)
from conformance.vendors.sendkit.rules import CHECKS
from conformance.vendors.sendkit.session import PREFIX, REPORTS

STEPS = {
    "progression": "time",
    "step_seconds": {"queued": 5, "generating": 20},
    "fail_report_types": [],
    "fail_campaign_ids": [],
}
COMPLETION = timedelta(seconds=25)
HORIZON = timedelta(days=40)
MAX_RECIPIENTS = 3
NOT_SCHEDULES: tuple[Any, ...] = (None, [], "weekly")


def expected_next(context: CheckContext, schedule: dict[str, Any], active: bool = True) -> str | None:
    """`nextScheduledAt` at the mock's (frozen) now, or None while the recipient does not fire."""
    assert context.control is not None
    if not (active and schedule["enabled"]):
        return None
    return millis(next_fire(schedule, context.control.now()))


def expect_schedule(
    context: CheckContext, data: dict[str, Any], schedule: dict[str, Any], what: str, active: bool = True
) -> None:
    """The stored schedule (soft elsewhere: the defaults may differ); `nextScheduledAt` on the mock."""
    found = data.get("schedule") if isinstance(data.get("schedule"), dict) else {}
    assert isinstance(found, dict)
    expect_fields(context, found, schedule, f"{what}: schedule", soft=True)
    if context.control is not None:
        wanted = expected_next(context, schedule, active)
        context.expect(
            found.get("nextScheduledAt") == wanted,
            f"{what}: nextScheduledAt is {compact(found.get('nextScheduledAt'))}",
            expected=compact(wanted),
        )


def _stored(context: CheckContext, case: RecipientCase, body: dict[str, Any], data: dict[str, Any]) -> None:
    expect_schedule(context, data, stored_schedule(body.get("schedule")), f"the recipient created with {case.change}")


def _explicit() -> list[RecipientCase]:
    base = base_recipient()
    cases = [
        RecipientCase({**base, "schedule": {name: value}}, f"schedule.{name}", f"schedule.{name}={value!r}")
        for name in SCHEDULE_FIELDS
        for value in SCHEDULE_MISSES[name]
    ]
    cases += [RecipientCase({**base, "schedule": value}, "schedule", f"schedule={value!r}") for value in NOT_SCHEDULES]
    valid = [
        {},
        {"frequency": "monthly", "dayOfMonth": 31, "timezone": "America/New_York"},
        {"frequency": "monthly", "dayOfMonth": None},
        {"frequency": "daily", "timeOfDay": "23:59", "timezone": "Pacific/Chatham", "enabled": False},
        {"dayOfWeek": 0, "timeOfDay": "00:00"},
        {"dayOfWeek": 6.0, "dayOfMonth": 15},
    ]
    return (
        cases
        + [RecipientCase({**base, "schedule": value}, change=f"schedule={value!r}") for value in valid]
        + [RecipientCase(base, change="no schedule")]
    )


@st.composite
def schedule_cases(draw: st.DrawFn) -> RecipientCase:
    if draw(st.integers(0, 2)) == 0:
        body = draw(recipient_bodies(()))
        return RecipientCase(body, change=f"schedule={compact(body.get('schedule'))}")
    case: RecipientCase = draw(schedule_changes())
    return case


@CHECKS.check(
    "SK-RCPT-SCHEDULE",
    "schedule fields as in 3.3 (defaults, merges, nextScheduledAt); recipients fire as in 3.6",
    writes=True,
    plan=(
        "POST /v1/reports/recipients  schedules with one field broken, and valid ones (explicit + up to {n})",
        "POST, PATCH, GET /v1/reports/recipients[/{id}]  a state machine of creates, partial schedule PATCHes, reads",
        "PUT /_mock/config, POST /_mock/clock, GET /v1/reports, GET /_mock/outbox  40 days of fires (mock only)",
    ),
)
def recipient_schedule(context: CheckContext) -> None:
    with frozen_clock(context):
        run_property(
            context, schedule_cases(), lambda case: try_recipient(context, case, _stored), explicit=_explicit()
        )
        run_machine(context, lambda: ScheduleEdits(context), max_examples=max(2, context.settings.max_examples // 3))
        if context.control is not None:
            with knobs(context, STEPS):
                _fires(context)


# ---------------------------------------------------------------- the state machine


class ScheduleEdits(RuleBasedStateMachine):
    """Creates, valid partial PATCHes (schedules merge field by field), invalid schedule PATCHes, reads."""

    def __init__(self, context: CheckContext) -> None:
        super().__init__()
        self.context = context
        self.q = session(context)
        self.model: dict[str, dict[str, Any]] = {}

    def _pick(self, data: st.DataObject) -> str:
        return data.draw(st.sampled_from(sorted(self.model)), label="recipient")

    @initialize(data=st.data())
    def create_first(self, data: st.DataObject) -> None:
        self.create(data)

    @precondition(lambda self: len(self.model) < MAX_RECIPIENTS)
    @rule(data=st.data())
    def create(self, data: st.DataObject) -> None:
        body = data.draw(recipient_bodies(()), label="create")
        body["email"] = self.q.unique(body["email"])
        recipient = self.q.make_recipient(body)
        self.model[str(recipient["_id"])] = stored_recipient(body)

    @rule(data=st.data())
    def patch(self, data: st.DataObject) -> None:
        recipient_id = self._pick(data)
        patch = data.draw(valid_patches(), label="patch")
        self.model[recipient_id] = updated_recipient(self.model[recipient_id], patch)
        response = self.q.patch_recipient(recipient_id, patch)
        self.context.expect_status(response, 200, f"PATCH {compact(patch)}")
        self.read(recipient_id, f"after PATCH {compact(patch)}")

    @rule(data=st.data())
    def invalid_patch(self, data: st.DataObject) -> None:
        recipient_id = self._pick(data)
        case = data.draw(schedule_changes(), label="invalid schedule")
        patch = {"schedule": case.body["schedule"]}
        response = self.q.patch_recipient(recipient_id, patch)
        expect_refused(self.context, response, f"PATCH with {case.change}", 400, (str(case.field),))
        self.read(recipient_id, f"after the refused PATCH with {case.change}")

    @rule(data=st.data())
    def get(self, data: st.DataObject) -> None:
        self.read(self._pick(data), "GET")

    def read(self, recipient_id: str, what: str) -> None:
        model = self.model[recipient_id]
        found = fetch(self.context, self.q.get_recipient(recipient_id), what, soft=True)
        plain = {name: model[name] for name in ("name", "company", "role", "active")}
        expect_fields(self.context, found, plain, what, soft=True)
        expect_schedule(self.context, found, model["schedule"], what, bool(model["active"]))

    def teardown(self) -> None:
        for recipient_id in self.model:
            self.q.discard(recipient_id)


# ---------------------------------------------------------------- fires (mock only)


def _plans(context: CheckContext, now: datetime) -> list[tuple[dict[str, Any], int]]:
    """Recipients to create, with how many reports each fire makes."""
    campaigns = list(session(context).campaigns)[:2]
    soon = now + timedelta(hours=2)
    daily = {"frequency": "daily", "timeOfDay": soon.strftime("%H:%M"), "timezone": "UTC"}
    weekly = {
        "frequency": "weekly",
        "dayOfWeek": (weekday_sunday_first(now.date()) + 3) % 7,
        "timeOfDay": "07:30",
        "timezone": "Asia/Kolkata",
    }
    monthly = {"frequency": "monthly", "dayOfMonth": 31, "timeOfDay": "23:45", "timezone": "America/New_York"}
    plans: list[tuple[dict[str, Any], int]] = [({"schedule": daily}, 1), ({"schedule": weekly}, 1)]
    if campaigns:
        plans.append(({"schedule": monthly, "reportType": "campaign", "campaignIds": campaigns}, len(campaigns)))
    else:
        plans.append(({"schedule": monthly}, 1))
    plans.append(({"schedule": {**daily, "enabled": False}}, 0))
    plans.append(({"schedule": daily}, 0))  # made inactive below
    return plans


def _fires(context: CheckContext) -> None:
    assert context.control is not None
    q = session(context)
    start = context.control.now()
    made = []
    for number, (extra, per_fire) in enumerate(_plans(context, start)):
        recipient = q.make_recipient({"name": f"{PREFIX}fires-{number}", "email": q.email(), **extra})
        made.append((recipient, per_fire))
    inactive = str(made[-1][0]["_id"])
    response = q.patch_recipient(inactive, {"active": False})
    expect_schedule(
        context,
        fetch(context, response, "PATCH active=false"),
        stored_schedule(made[-1][0]["schedule"]),
        "an inactive recipient",
        active=False,
    )
    first = next_fire(made[0][0]["schedule"], start)
    context.control.advance((first - start).total_seconds() - 1)
    _expect_reports(context, made[:1], start, first - timedelta(seconds=1), "a second before the first fire")
    end = start + HORIZON
    context.control.advance((end - context.control.now()).total_seconds())
    _expect_reports(context, made, start, end, f"{HORIZON.days} days later")


def _expect_reports(
    context: CheckContext, made: list[tuple[dict[str, Any], int]], start: datetime, end: datetime, what: str
) -> None:
    q = session(context)
    reports = [item for item in _all_reports(context) if isinstance(item, dict)]
    for recipient, per_fire in made:
        schedule = recipient["schedule"]
        fires = fires_between(schedule, start, end) if per_fire else []
        mine = [item for item in reports if item.get("recipientIds") == [recipient["_id"]]]
        got = sorted(
            (str(item.get("createdAt")), str(item.get("periodStart")), str(item.get("periodEnd"))) for item in mine
        )
        wanted = sorted(
            (millis(fire), *covered(schedule["frequency"], fire)) for fire in fires for _ in range(per_fire)
        )
        context.expect(
            got == wanted,
            f"{what}: {recipient['name']} made reports (createdAt, period) {got[:3]}... ({len(got)})",
            expected=f"{wanted[:3]}... ({len(wanted)})",
        )
        done = [fire for fire in fires if fire + COMPLETION <= end]
        entries = context.control.outbox(vendor="sendkit", tenant=q.me.key, kind="scheduled") if context.control else []
        sent = sorted(entry["at"][:19] for entry in entries if entry.get("destination") == recipient["email"])
        expected_sent = sorted(millis(fire + COMPLETION)[:19] for fire in done for _ in range(per_fire))
        context.expect(
            sent == expected_sent,
            f"{what}: {recipient['name']} was sent {len(sent)} scheduled reports",
            expected=f"{len(expected_sent)} at fire + 25 s",
        )
        found = fetch(context, q.get_recipient(str(recipient["_id"])), f"{what}: GET {recipient['name']}")
        expect_fields(context, found, {"totalReportsSent": len(expected_sent)}, f"{what}: {recipient['name']}")


def _all_reports(context: CheckContext) -> list[Any]:
    q = session(context)
    items: list[Any] = []
    cursor: str | None = None
    for _ in range(50):
        page = q.query(REPORTS, {"limit": 100, **({"cursor": cursor} if cursor else {})}).json()
        items += page.get("data", [])
        pagination = page.get("pagination", {})
        cursor = pagination.get("nextCursor") if pagination.get("hasMore") else None
        if not cursor:
            break
    return items
