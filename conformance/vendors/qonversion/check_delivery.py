"""Send-test and scheduled deliveries: QON-SEND-TEST-202, QON-SEND-TEST-RATE, QON-DAILY-DELIVERY,
QON-RANGE-WINDOW and QON-RUNS-COUNT. Clock-dependent parts move the mock's clock and read its
outbox; without a control plane they are reported as "needs control plane".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import httpx

from conformance.context import CheckContext, compact, json_body
from conformance.control import ControlPlane
from conformance.vendors.qonversion.expect import (
    Expected,
    expect_error,
    fetch,
    frozen_clock,
    require_catalogue,
    session,
)
from conformance.vendors.qonversion.rules import CHECKS
from conformance.vendors.qonversion.strategies import base_body, destination, next_occurrence, slot_at_or_before
from mockserver.core.timefmt import iso_z

DAY = timedelta(days=1)
METRICS = ("new_users", "trials_started", "conversions", "revenue_cents")
RATE_LIMITED = Expected(
    429, "request", "rate_limit_exceeded", None, "Send-test is limited to one call per minute per report"
)
OUTBOX_PLAN = "GET /_mock/outbox?resource_id=...  the deliveries made"
CLOCK_PLAN = "POST /_mock/clock  to move the clock (frozen for the check, mode restored after)"


def _control(context: CheckContext) -> ControlPlane:
    assert context.control is not None, "declared needs_control"
    return context.control


def _deliveries(context: CheckContext, report_id: str, kind: str) -> list[dict[str, Any]]:
    q = session(context)
    return _control(context).outbox(vendor="qonversion", tenant=q.key, resource_id=report_id, kind=kind)


def _two_destinations(catalogue: list[dict[str, str]]) -> list[dict[str, str]]:
    return [destination(entry) for entry in catalogue[:2]]


def _advance_to(context: CheckContext, instant: datetime) -> datetime:
    control = _control(context)
    return control.advance(max(0.0, (instant - control.now()).total_seconds()))


@CHECKS.check(
    "QON-SEND-TEST-202",
    "send-test answers 202 for draft and active reports and delivers one test entry per destination",
    writes=True,
    plan=(
        "POST /v4/scheduled-reports  an active and a draft report",
        "POST /v4/scheduled-reports/{id}/send-test",
        OUTBOX_PLAN,
    ),
)
def send_test_202(context: CheckContext) -> None:
    catalogue = require_catalogue(context)
    q = session(context)
    with frozen_clock(context):
        for status in ("active", "draft"):
            destinations = _two_destinations(catalogue)
            report = q.make(base_body(catalogue, status=status, destinations=destinations))
            response = q.send_test(report["id"])
            if status == "draft" and response.status_code != 202:
                context.expect(
                    False,
                    f"send-test on a draft report answered {response.status_code}",
                    expected="202",
                    response=response,
                    soft=True,
                )
                continue
            context.expect_status(response, 202, f"send-test on a {status} report")
            reference = {key: report[key] for key in ("object", "id", "url")}
            context.expect(
                json_body(response) == reference,
                "the 202 body",
                expected=compact(reference),
                response=response,
                soft=True,
            )
            if context.control is not None:
                _expect_test_entries(context, report, destinations)


def _expect_test_entries(context: CheckContext, report: dict[str, Any], destinations: list[dict[str, str]]) -> None:
    delay = float(session(context).knobs["test_delivery_delay_seconds"])
    if delay:
        _control(context).advance(delay)
    entries = _deliveries(context, report["id"], "test")
    got = [(entry["destination"], entry["payload"].get("test"), entry["payload"].get("run")) for entry in entries]
    wanted = [(item["id"], True, None) for item in destinations]
    context.expect(got == wanted, f"test deliveries (destination, test, run) are {got}", expected=str(wanted))


@CHECKS.check(
    "QON-SEND-TEST-RATE",
    "one send-test per report per 60 s; 429 with Retry-After",
    writes=True,
    plan=(
        "POST /v4/scheduled-reports  two reports",
        "POST /v4/scheduled-reports/{id}/send-test  twice at once (never retried), once on the other report",
        CLOCK_PLAN,
    ),
)
def send_test_rate(context: CheckContext) -> None:
    catalogue = require_catalogue(context)
    q = session(context)
    with frozen_clock(context):
        first, other = (q.make(base_body(catalogue, status="draft"))["id"] for _ in range(2))
        opened = q.send_test(first, retry=False)
        context.expect(opened.is_success, "the first send-test was refused", expected="2xx", response=opened)
        _expect_refused(context, q.send_test(first, retry=False), "a second send-test at once")
        accepted = q.send_test(other, retry=False)
        context.expect(
            accepted.is_success, "another report's first send-test was refused", expected="2xx", response=accepted
        )
        window = float(q.knobs["send_test_window_seconds"])
        if context.control is not None and window >= 2:
            context.control.advance(window - 1)
            _expect_refused(context, q.send_test(first, retry=False), f"a send-test {window - 1:g} s after the first")
            context.control.advance(1)
            again = q.send_test(first, retry=False)
            context.expect(
                again.is_success,
                f"a send-test {window:g} s after the first was refused",
                expected="2xx",
                response=again,
            )


def _expect_refused(context: CheckContext, response: httpx.Response, what: str) -> None:
    context.expect_status(response, 429, what)
    value = response.headers.get("retry-after", "")
    valid = value.isdigit() and 1 <= int(value) <= 60
    context.expect(
        valid, f"{what}: Retry-After is {value or 'missing'}", expected="an integer from 1 to 60", response=response
    )
    context.expect(value == "60", f"{what}: Retry-After is {value}", expected="60", response=response, soft=True)
    expect_error(context, response, what, RATE_LIMITED, soft_code=True)


@CHECKS.check(
    "QON-DAILY-DELIVERY",
    "an active report delivers once a day at send_at to every destination; a draft never does",
    writes=True,
    needs_control=True,
    plan=("POST /v4/scheduled-reports  active and draft reports", "PUT  one of them to draft", CLOCK_PLAN, OUTBOX_PLAN),
)
def daily_delivery(context: CheckContext) -> None:
    catalogue = require_catalogue(context)
    q = session(context)
    delay = timedelta(seconds=float(q.knobs["delivery_delay_seconds"]))
    with frozen_clock(context):
        now = _control(context).now()
        destinations = _two_destinations(catalogue)
        send_at = slot_at_or_before(now + timedelta(hours=2))
        active = q.make(base_body(catalogue, send_at=send_at, destinations=destinations))["id"]
        draft = q.make(base_body(catalogue, send_at=send_at, status="draft", destinations=destinations))["id"]
        current = slot_at_or_before(now)
        late = q.make(base_body(catalogue, send_at=current, destinations=destinations[:1]))["id"]
        due = next_occurrence(send_at, now) + delay
        _advance_to(context, due - timedelta(seconds=1))
        _expect_batches(context, active, [], destinations, "before its first slot")
        _advance_to(context, due + DAY)
        _expect_batches(context, active, [due, due + DAY], destinations, "over two days")
        _expect_batches(context, draft, [], destinations, "a draft report")
        _expect_batches(
            context, late, [next_occurrence(current, now) + delay], destinations[:1], "created at or after its slot"
        )
        q.put(active, {"status": "draft"})
        _advance_to(context, due + 2 * DAY)
        _expect_batches(context, active, [due, due + DAY], destinations, "after it was set to draft")


def _expect_batches(
    context: CheckContext, report_id: str, times: list[datetime], destinations: list[dict[str, str]], what: str
) -> None:
    got = [(entry["at"], entry["destination"]) for entry in _deliveries(context, report_id, "scheduled")]
    wanted = [(iso_z(at), item["id"]) for at in times for item in destinations]
    context.expect(got == wanted, f"{what}: deliveries (at, destination) are {got}", expected=str(wanted))


@CHECKS.check(
    "QON-RANGE-WINDOW",
    "a delivery covers the n UTC days before its date",
    writes=True,
    needs_control=True,
    plan=("POST /v4/scheduled-reports  one report per included_range_days", CLOCK_PLAN, OUTBOX_PLAN),
)
def range_window(context: CheckContext) -> None:
    catalogue = require_catalogue(context)
    q = session(context)
    delay = timedelta(seconds=float(q.knobs["delivery_delay_seconds"]))
    with frozen_clock(context):
        now = _control(context).now()
        send_at = slot_at_or_before(now + timedelta(hours=5))
        reports = {
            days: q.make(base_body(catalogue, send_at=send_at, included_range_days=days))["id"] for days in (1, 3, 7)
        }
        due = next_occurrence(send_at, now) + delay
        _advance_to(context, due)
        for days, report_id in reports.items():
            entries = _deliveries(context, report_id, "scheduled")
            context.expect(
                bool(entries), f"no delivery of the {days}-day report at {iso_z(due)}", expected="one delivery"
            )
            _expect_period(context, entries[0]["payload"], (due - delay).date(), days, "a scheduled delivery")
        q.send_test(reports[3])
        test_delay = float(q.knobs["test_delivery_delay_seconds"])
        sent_on = _control(context).now().date()
        if test_delay:
            _control(context).advance(test_delay)
        tests = _deliveries(context, reports[3], "test")
        context.expect(bool(tests), "no test delivery after send-test", expected="one test delivery")
        _expect_period(context, tests[0]["payload"], sent_on, 3, "a test delivery")


def _expect_period(context: CheckContext, payload: dict[str, Any], day: date, days: int, what: str) -> None:
    start = day - timedelta(days=days)
    period = {"from": f"{start.isoformat()}T00:00:00Z", "to": f"{day.isoformat()}T00:00:00Z"}
    context.expect(
        payload.get("period") == period, f"{what} of {days} day(s) covers {payload.get('period')}", expected=str(period)
    )
    found = payload.get("rows")
    rows: list[dict[str, Any]] = [row for row in found if isinstance(row, dict)] if isinstance(found, list) else []
    dates = [row.get("date") for row in rows]
    wanted = [(start + timedelta(days=offset)).isoformat() for offset in range(days)]
    context.expect(dates == wanted, f"{what}: rows are dated {dates}", expected=str(wanted))
    totals = {metric: sum(_number(row.get(metric)) for row in rows) for metric in METRICS}
    context.expect(
        payload.get("totals") == totals, f"{what}: totals {payload.get('totals')}", expected=f"the sums {totals}"
    )


def _number(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


@CHECKS.check(
    "QON-RUNS-COUNT",
    "runs += 1 per scheduled delivery, one per slot; test sends do not count",
    writes=True,
    needs_control=True,
    plan=(
        "POST /v4/scheduled-reports  one report",
        CLOCK_PLAN,
        "POST /v4/scheduled-reports/{id}/send-test",
        OUTBOX_PLAN,
    ),
)
def runs_count(context: CheckContext) -> None:
    catalogue = require_catalogue(context)
    q = session(context)
    delay = timedelta(seconds=float(q.knobs["delivery_delay_seconds"]))
    with frozen_clock(context):
        now = _control(context).now()
        send_at = slot_at_or_before(now + timedelta(hours=3))
        report_id = q.make(base_body(catalogue, send_at=send_at, destinations=_two_destinations(catalogue)))["id"]
        due = next_occurrence(send_at, now) + delay
        _advance_to(context, due + 2 * DAY)
        _expect_runs(context, report_id, 3, "after three daily slots")
        runs = sorted(
            {(entry["at"], entry["payload"].get("run")) for entry in _deliveries(context, report_id, "scheduled")}
        )
        wanted = [(iso_z(due + n * DAY), n + 1) for n in range(3)]
        context.expect(runs == wanted, f"deliveries carry (at, run) {runs}", expected=str(wanted))
        q.send_test(report_id)
        _expect_runs(context, report_id, 3, "after a send-test")


def _expect_runs(context: CheckContext, report_id: str, runs: int, what: str) -> None:
    report, response = fetch(context, report_id, what)
    context.expect(
        report.get("runs") == runs, f"{what}: runs is {report.get('runs')}", expected=str(runs), response=response
    )
