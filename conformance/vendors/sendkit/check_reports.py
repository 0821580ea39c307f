"""Generated reports: SK-CAMPAIGN-ONE-REPORT, SK-GENERATE-BODY and SK-QUEUED (the lifecycle, which
moves the mock's clock and reads its outbox; without a control plane it is "needs control plane").
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from hypothesis import strategies as st

from conformance.context import CheckContext, compact, json_body
from conformance.properties import run_property
from conformance.vendors.sendkit.bodies import Body, World, campaign_lists, valid_bodies
from conformance.vendors.sendkit.check_generate import world
from conformance.vendors.sendkit.expect import expect_fields, fetch, frozen_clock, knobs, session
from conformance.vendors.sendkit.oracle import SECTIONS, content, workspace_id
from conformance.vendors.sendkit.rules import CHECKS
from conformance.vendors.sendkit.session import PREFIX, data_of, generated

OBJECT_ID = re.compile(r"[0-9a-f]{24}")
TITLES = {"workspace": "Workspace Report", "organizational": "Organizational Report"}
STEPS = {"progression": "time", "step_seconds": {"queued": 5, "generating": 20}}
FAILED = "Report generation failed"


# ---------------------------------------------------------------- SK-CAMPAIGN-ONE-REPORT


@CHECKS.check(
    "SK-CAMPAIGN-ONE-REPORT",
    "a campaign report is one report per campaign id, in input order",
    writes=True,
    plan=(
        "POST /v1/reports  campaign bodies of 1 to 10 ids (explicit + up to {n}; one body of 2 ids on a real endpoint)",
        "GET /v1/reports/{id}  each report, for its campaignId",
    ),
)
def one_report_per_campaign(context: CheckContext) -> None:
    w = world(context)
    if not w.has_campaigns:
        context.skip("needs campaign ids: set SENDKIT_CAMPAIGN_IDS to campaigns of the workspace")
    first = list(w.campaigns[:2]) or list(w.campaigns)
    explicit = [first, first[::-1]] if len(first) == 2 else [first]
    if not context.target.is_mock:
        if session(context).may_generate(len(first)):
            _one_per_campaign(context, first)
        return
    run_property(context, campaign_lists(w, 10), lambda ids: _one_per_campaign(context, ids), explicit=explicit)


def _title(context: CheckContext, campaign: str) -> str | None:
    name = session(context).campaigns.get(campaign)
    if name is not None:
        return f"{name} Report"
    return f"Campaign {campaign[-6:]} Report" if context.target.is_mock else None


def _one_per_campaign(context: CheckContext, ids: list[str]) -> None:
    q = session(context)
    response = q.generate({"reportType": "campaign", "campaignIds": ids})
    context.expect(response.is_success, f"{len(ids)} campaign ids were refused", expected="2xx", response=response)
    summaries = generated(response)
    context.expect(
        len(summaries) == len(ids),
        f"{len(ids)} campaign ids made {len(summaries)} reports",
        expected=f"{len(ids)} reports, one per campaign",
        response=response,
    )
    for index, (campaign, summary) in enumerate(zip(ids, summaries, strict=True)):
        title = _title(context, campaign)
        got = summary.get("title")
        context.expect(
            got == title if title else isinstance(got, str) and got.endswith(" Report"),
            f"report {index} is titled {compact(got)}",
            expected=repr(title or "<campaign name> Report"),
            response=response,
            soft=title is None,
        )
        stored = fetch(context, q.get_report(str(summary.get("id"))), f"GET of report {index}", soft=True)
        expect_fields(context, stored, {"campaignId": campaign, "reportType": "campaign"}, f"report {index}", soft=True)


# ---------------------------------------------------------------- SK-GENERATE-BODY


@CHECKS.check(
    "SK-GENERATE-BODY",
    "generate answers {success, data: {reports[{id, title, reportType, status}], message}}",
    writes=True,
    plan=("POST /v1/reports  valid bodies (1 explicit on a real endpoint; explicit + up to {n} on the mock)",),
)
def generate_body(context: CheckContext) -> None:
    w = world(context)
    explicit: list[Body] = [{"reportType": "workspace"}, {"reportType": "organizational", "periodEnd": "2026-01-31"}]
    if w.has_campaigns:
        explicit.append({"reportType": "campaign", "campaignIds": list(w.campaigns[:3]) or [w.campaigns[0]]})
    if not context.target.is_mock:
        if session(context).may_generate():
            _generate_once(context, explicit[0])
        return
    run_property(context, valid_bodies(w), lambda body: _generate_once(context, body), explicit=explicit)


def _generate_once(context: CheckContext, body: Body) -> None:
    q = session(context)
    response = q.generate(body)
    if response.is_success and response.status_code != 201:
        context.expect(False, f"generate answered {response.status_code}", expected="201", response=response, soft=True)
    else:
        context.expect_status(response, 201, "generate with a valid body")
    context.expect_shape(response, "the generate answer", soft=True)
    answer = json_body(response)
    data = answer.get("data") if isinstance(answer, dict) else None
    context.expect(
        isinstance(answer, dict) and answer.get("success") is True and isinstance(data, dict),
        "the answer is not {success: true, data: {...}}",
        expected="{success: true, data: {reports, message}}",
        response=response,
    )
    assert isinstance(data, dict)
    reports = data.get("reports")
    context.expect(
        isinstance(reports, list) and bool(reports) and all(_summary_ok(item, body) for item in reports),
        f"data.reports is {compact(reports)}",
        expected=f"[{{id: 24 hex, title, reportType: {body['reportType']!r}, status: 'queued'}}, ...]",
        response=response,
    )
    _expect_message(context, response, data, len(reports) if isinstance(reports, list) else 0)
    for item in reports if isinstance(reports, list) else []:
        context.expect(
            set(item) == {"id", "title", "reportType", "status"},
            f"a summary has {sorted(item)}",
            response=response,
            soft=True,
        )
        if body["reportType"] in TITLES:
            wanted = TITLES[body["reportType"]]
            context.expect(
                item["title"] == wanted, f"title {item['title']!r}", expected=repr(wanted), response=response, soft=True
            )


def _summary_ok(item: Any, body: Body) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("id"), str)
        and OBJECT_ID.fullmatch(item["id"]) is not None
        and isinstance(item.get("title"), str)
        and item.get("reportType") == body["reportType"]
        and item.get("status") == "queued"
    )


def _expect_message(context: CheckContext, response: httpx.Response, data: dict[str, Any], count: int) -> None:
    wanted = f"{count} report{'' if count == 1 else 's'} queued for generation"
    context.expect(
        data.get("message") == wanted,
        f"data.message is {compact(data.get('message'))}",
        expected=repr(wanted),
        response=response,
        soft=count == 1,
    )


# ---------------------------------------------------------------- SK-QUEUED


@CHECKS.check(
    "SK-QUEUED",
    "new reports start queued, then generating, then completed (or failed), in the background",
    writes=True,
    needs_control=True,
    plan=(
        "PUT /_mock/config  progression time, 5 s + 20 s, fail_report_types (restored after)",
        "POST /v1/reports/recipients, POST /v1/reports  a report for one recipient, and one that fails",
        "POST /_mock/clock  4, 1, 19 and 1 seconds; GET /v1/reports/{id} after each",
        "GET /_mock/outbox  the webhook and the email",
    ),
)
def queued(context: CheckContext) -> None:
    q = session(context)
    assert context.control is not None
    with frozen_clock(context), knobs(context, {**STEPS, "fail_report_types": [], "fail_campaign_ids": []}):
        recipient = q.make_recipient({"name": f"{PREFIX}lifecycle", "email": q.email()})
        body = {
            "reportType": "workspace",
            "recipientIds": [recipient["_id"]],
            "periodStart": "2026-01-01",
            "periodEnd": "2026-01-31",
            "sections": {"executiveSummary": True, "campaignPerformance": True, "mailboxHealth": False},
        }
        (summary,) = q.make_reports(body)[:1]
        report_id = str(summary.get("id"))
        created = _expect_step(context, report_id, "queued", "right after generate")
        for seconds, status in ((4, "queued"), (1, "generating"), (19, "generating"), (1, "completed")):
            context.control.advance(seconds)
            report = _expect_step(context, report_id, status, f"{seconds} s later")
        _expect_completed(context, report, created, recipient)
    with frozen_clock(context), knobs(context, {**STEPS, "fail_report_types": ["organizational"]}):
        (summary,) = q.make_reports({"reportType": "organizational"})[:1]
        context.control.advance(25)
        failed = _expect_step(context, str(summary.get("id")), "failed", "25 s after generate (failing type)")
        expect_fields(context, failed, {"error": FAILED, "content": None}, "a failed report")
        _expect_outbox(context, str(summary.get("id")), "report_failed", "report.failed")


def _expect_step(context: CheckContext, report_id: str, status: str, what: str) -> dict[str, Any]:
    response = session(context).get_report(report_id)
    report = fetch(context, response, f"GET {what}")
    context.expect(
        report.get("status") == status,
        f"{what}: status {compact(report.get('status'))}",
        expected=status,
        response=response,
    )
    done = status in ("completed", "failed")
    context.expect(
        (report.get("completedAt") is not None) is done,
        f"{what}: completedAt is {compact(report.get('completedAt'))}",
        expected="a timestamp" if done else "null",
        response=response,
    )
    return report


def _expect_completed(
    context: CheckContext, report: dict[str, Any], created: dict[str, Any], recipient: dict[str, Any]
) -> None:
    q = session(context)
    expected_content = content(
        q.seed,
        workspace_id(q.me.key),
        (str(report.get("periodStart")), str(report.get("periodEnd"))),
        {name: name != "mailboxHealth" for name in SECTIONS},
        [(campaign, name or "") for campaign, name in q.campaigns.items()],
    )
    expect_fields(context, report, {"content": expected_content, "error": None}, "the completed report")
    context.expect(
        report.get("completedAt") == report.get("updatedAt")
        and str(report.get("completedAt")) > str(created.get("createdAt")),
        f"completedAt {report.get('completedAt')}, updatedAt {report.get('updatedAt')}, "
        f"createdAt {created.get('createdAt')}",
        expected="completedAt = updatedAt, 25 s after createdAt",
    )
    report_id = str(report.get("id"))
    _expect_outbox(context, report_id, "report_ready", "report.completed", report)
    emails = _deliveries(context, report_id, "report_email")
    payload = {
        "recipientId": recipient["_id"],
        "reportId": report_id,
        "title": report.get("title"),
        "content": report.get("content"),
    }
    context.expect(
        [(entry["destination"], entry["payload"]) for entry in emails] == [(recipient["email"], payload)],
        f"report_email deliveries {compact(emails)}",
        expected=compact([recipient["email"], payload]),
    )
    after = fetch(context, q.get_recipient(str(recipient["_id"])), "GET of the recipient")
    expect_fields(context, after, {"totalReportsSent": 1}, "the recipient after one email")


def _deliveries(context: CheckContext, report_id: str, kind: str) -> list[dict[str, Any]]:
    assert context.control is not None
    return context.control.outbox(vendor="sendkit", tenant=session(context).me.key, resource_id=report_id, kind=kind)


def _expect_outbox(context: CheckContext, report_id: str, kind: str, event: str, data: Any = None) -> None:
    entries = _deliveries(context, report_id, kind)
    got = [(entry["destination"], entry["payload"].get("event")) for entry in entries]
    context.expect(
        got == [("webhook", event)],
        f"{kind} deliveries (destination, event) are {got}",
        expected=str([("webhook", event)]),
    )
    if data is not None and entries:
        context.expect(
            entries[0]["payload"].get("data") == data,
            f"the {event} webhook carries {compact(entries[0]['payload'].get('data'))}",
            expected=compact(data),
        )


__all__ = ["World", "data_of", "st"]
