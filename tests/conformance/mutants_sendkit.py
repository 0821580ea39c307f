"""Deliberately broken variants of the SendKit mock, each breaking exactly one documented rule.

As for Qonversion (`mutants.py`), a mutant changes one fresh `create_app()` only: it swaps that
app's SendKit entry (handlers, error renderer, authenticator, backend factory or the validation
step of its dispatcher) and never patches a module, so nothing leaks into other apps or tests.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response

from mockserver.core.errors import FieldProblem, MockError, RateLimited, ValidationFailed
from mockserver.core.vendor import Call, VendorContext
from mockserver.vendors.sendkit.backend import SendKitBackend
from mockserver.vendors.sendkit.models import Recipient
from mockserver.vendors.sendkit.recipients import RecipientDesk
from mockserver.vendors.sendkit.reports import ReportDesk, ReportOrder, Workspace
from mockserver.vendors.sendkit.rules import parse_period
from mockserver.vendors.sendkit.schedule import next_fire
from tests.conformance import surgery
from tests.conformance.surgery import Mutant

VENDOR = "sendkit"
vendor_app = functools.partial(surgery.vendor_app, vendor=VENDOR)
replace_vendor = functools.partial(surgery.replace_vendor, vendor=VENDOR)
wrap_handler = functools.partial(surgery.wrap_handler, vendor=VENDOR)
wrap_renderer = functools.partial(surgery.wrap_renderer, vendor=VENDOR)
drop_problems = functools.partial(surgery.drop_problems, vendor=VENDOR)
HEX24 = re.compile(r"[0-9a-f]{24}")
OFFSET = re.compile(r"T(\d\d:\d\d(?::\d\d(?:\.\d+)?)?)[+-]\d\d:\d\d$")


# ---------------------------------------------------------------- per-app surgery


def with_backend(app: Starlette, backend: Callable[[VendorContext], SendKitBackend]) -> None:
    replace_vendor(app, make_backend=backend)


def with_body(call: Call, body: Any) -> Call:
    return dataclasses.replace(call, body=body)


# ---------------------------------------------------------------- access and errors


def _bearer_wins(app: Starlette) -> None:
    original = vendor_app(app).vendor.authenticate

    def authenticate(headers: Headers, body: Any, context: Any, operation: Any) -> str:
        if "authorization" in headers and "x-api-key" in headers:
            headers = Headers(raw=[(name, value) for name, value in headers.raw if name.lower() != b"x-api-key"])
        return original(headers, body, context, operation)

    replace_vendor(app, authenticate=authenticate)


def _no_workspace_needed(app: Starlette) -> None:
    original = vendor_app(app).vendor.authenticate

    def authenticate(headers: Headers, body: Any, context: Any, operation: Any) -> str:
        try:
            return original(headers, body, context, operation)
        except ValidationFailed:
            return f"{headers.get('x-api-key')}:default"

    replace_vendor(app, authenticate=authenticate)


def _recipient_get_any_workspace(app: Starlette) -> None:
    def get(call: Call, original: Callable[[Call], Response]) -> Response:
        for _, workspace in call.backend.workspaces.items():
            recipient = workspace.recipients.get(call.params["recipientId"])
            if recipient is not None:
                return JSONResponse({"success": True, "data": recipient.to_json()})
        return original(call)

    wrap_handler(app, "getReportRecipient", get)


def _code_as_string(app: Starlette) -> None:
    def render(error: MockError, path: str, original: Callable[..., Response]) -> Response:
        response = original(error, path)
        body = dict(json.loads(response.body))
        body["code"] = str(body["code"])
        return JSONResponse(
            body,
            status_code=response.status_code,
            headers={k: v for k, v in response.headers.items() if k.lower() in ("allow", "retry-after")},
        )

    wrap_renderer(app, render)


def _malformed_id_400(app: Starlette) -> None:
    def render(error: MockError, path: str, original: Callable[..., Response]) -> Response:
        if isinstance(error, ValidationFailed) and any(p.rule == "SK-NOT-FOUND" for p in error.problems):
            return original(ValidationFailed([FieldProblem("id", "Malformed id")]), path)
        return original(error, path)

    wrap_renderer(app, render)


def _forgets_retry_after(app: Starlette) -> None:
    def render(error: MockError, path: str, original: Callable[..., Response]) -> Response:
        response = original(error, path)
        if isinstance(error, RateLimited):
            del response.headers["retry-after"]
        return response

    wrap_renderer(app, render)


# ---------------------------------------------------------------- generate


def _missing_type_is_workspace(app: Starlette) -> None:
    drop_problems(app, "generateReport", lambda p, body: p.field == "reportType" and "reportType" not in body)

    def generate(call: Call, original: Callable[[Call], Response]) -> Response:
        return original(with_body(call, {"reportType": "workspace", **call.body}))

    wrap_handler(app, "generateReport", generate)


def _empty_campaigns_accepted(app: Starlette) -> None:
    drop_problems(app, "generateReport", lambda p, body: p.field == "campaignIds" and body.get("campaignIds") == [])


def _eleven_accepted(app: Starlette) -> None:
    def ignored(problem: FieldProblem, body: Any) -> bool:
        ids = body.get("campaignIds")
        return problem.field == "campaignIds" and isinstance(ids, list) and len(ids) > 10

    drop_problems(app, "generateReport", ignored)


def _upper_case_ids(app: Starlette) -> None:
    def ignored(problem: FieldProblem, body: Any) -> bool:
        found = re.fullmatch(r"campaignIds\[(\d+)\]", problem.field)
        ids = body.get("campaignIds")
        item = ids[int(found.group(1))] if found and isinstance(ids, list) else None
        return isinstance(item, str) and HEX24.fullmatch(item.lower()) is not None and item != item.lower()

    drop_problems(app, "generateReport", ignored)


def _duplicates_accepted(app: Starlette) -> None:
    drop_problems(app, "generateReport", lambda p, body: p.rule == "SK-CAMPAIGN-UNIQUE")


class LenientDesk(ReportDesk):
    def unknown_campaigns(self, campaign_ids: Any) -> list[FieldProblem]:
        return []


class StrictIgnored(SendKitBackend):
    def __init__(self, context: VendorContext) -> None:
        super().__init__(context)
        self.reports = LenientDesk(context, self.reports.ids, self.workspaces)
        self.recipients.reports = self.reports


def _answer_reversed(app: Starlette) -> None:
    def generate(call: Call, original: Callable[[Call], Response]) -> Response:
        response = original(call)
        if response.status_code != 201:
            return response
        body = json.loads(response.body)
        body["data"]["reports"].reverse()
        return JSONResponse(body, status_code=201)

    wrap_handler(app, "generateReport", generate)


def _as_utc(text: Any) -> datetime | None:
    """A date-time bound with its offset dropped (the wall time read as UTC)."""
    found = OFFSET.search(text) if isinstance(text, str) else None
    if found is None:
        return None
    instant = datetime.fromisoformat(text[: found.start()] + "T" + found.group(1)).replace(tzinfo=UTC)
    return instant.replace(microsecond=instant.microsecond // 1000 * 1000)


def _offsets_ignored(app: Starlette) -> None:
    def generate(call: Call, original: Callable[[Call], Response]) -> Response:
        response = original(call)
        if response.status_code != 201:
            return response
        start, end = _as_utc(call.body.get("periodStart")), _as_utc(call.body.get("periodEnd"))
        for summary in json.loads(response.body)["data"]["reports"]:
            report = call.backend.workspaces[call.tenant].reports[summary["id"]]
            report.period_start = start or report.period_start
            report.period_end = end or report.period_end
        return response

    wrap_handler(app, "generateReport", generate)


def _reversed_periods_swapped(app: Starlette) -> None:
    drop_problems(app, "generateReport", lambda p, body: p.rule == "SK-PERIOD-ORDER")

    def generate(call: Call, original: Callable[[Call], Response]) -> Response:
        start, end = call.body.get("periodStart"), call.body.get("periodEnd")
        if isinstance(start, str) and isinstance(end, str):
            first, last = parse_period(start, end=False), parse_period(end, end=True)
            if first is not None and last is not None and first > last:
                return original(with_body(call, {**call.body, "periodStart": end, "periodEnd": start}))
        return original(call)

    wrap_handler(app, "generateReport", generate)


def _sections_default_off(app: Starlette) -> None:
    def generate(call: Call, original: Callable[[Call], Response]) -> Response:
        sent = call.body.get("sections") or {}
        toggles = {name: sent.get(name, False) for name in ("executiveSummary", "campaignPerformance", "mailboxHealth")}
        return original(with_body(call, {**call.body, "sections": toggles}))

    wrap_handler(app, "generateReport", generate)


def _unknown_recipients_dropped(app: Starlette) -> None:
    def generate(call: Call, original: Callable[[Call], Response]) -> Response:
        workspace: Workspace = call.backend.workspaces[call.tenant]
        ids = call.body.get("recipientIds", [])
        kept = list(dict.fromkeys(item for item in ids if item in workspace.recipients))
        return original(with_body(call, {**call.body, "recipientIds": kept}))

    drop_problems(
        app, "generateReport", lambda p, body: p.rule == "SK-RECIPIENTS-KNOWN" and p.message == "Duplicate recipient id"
    )
    wrap_handler(app, "generateReport", generate)


class NeverFailingDesk(ReportDesk):
    def _fail_at(self, order: ReportOrder, title: str) -> str | None:
        return None


class FailuresIgnored(SendKitBackend):
    def __init__(self, context: VendorContext) -> None:
        super().__init__(context)
        self.reports = NeverFailingDesk(context, self.reports.ids, self.workspaces)
        self.recipients.reports = self.reports


def _generate_200(app: Starlette) -> None:
    def generate(call: Call, original: Callable[[Call], Response]) -> Response:
        response = original(call)
        response.status_code = 200 if response.status_code == 201 else response.status_code
        return response

    wrap_handler(app, "generateReport", generate)


# ---------------------------------------------------------------- recipients and lists


def _blank_names(app: Starlette) -> None:
    drop_problems(
        app,
        None,
        lambda p, body: (
            p.field == "name" and isinstance(body.get("name"), str) and body["name"] != "" and not body["name"].strip()
        ),
    )


class EmailUnchecked(RecipientDesk):
    def update(self, tenant: str, recipient_id: str, body: Any, now: datetime) -> Recipient:
        recipient = self.get(tenant, recipient_id)
        if "email" in body:
            recipient.email = str(body["email"]).lower()
        return super().update(tenant, recipient_id, {k: v for k, v in body.items() if k != "email"}, now)


class PatchSkipsEmails(SendKitBackend):
    def __init__(self, context: VendorContext) -> None:
        super().__init__(context)
        self.recipients = EmailUnchecked(context, self.recipients.ids, self.workspaces, self.reports)


def _organizational_recipients(app: Starlette) -> None:
    drop_problems(app, None, lambda p, body: p.field == "reportType" and body.get("reportType") == "organizational")


class UtcDesk(RecipientDesk):
    def _arm(self, tenant: str, recipient: Recipient, after: datetime) -> None:
        self._disarm(recipient)
        if recipient.fires:
            recipient.next_at = next_fire({**recipient.schedule, "timezone": "UTC"}, after)
            recipient.timer = self.context.at(recipient.next_at, lambda due: self._fire(tenant, recipient, due))


class UtcSchedules(SendKitBackend):
    def __init__(self, context: VendorContext) -> None:
        super().__init__(context)
        self.recipients = UtcDesk(context, self.recipients.ids, self.workspaces, self.reports)


def _has_more_false(app: Starlette) -> None:
    def listing(call: Call, original: Callable[[Call], Response]) -> Response:
        response = original(call)
        body = json.loads(response.body)
        body["pagination"].update({"hasMore": False, "nextCursor": None})
        return JSONResponse(body)

    wrap_handler(app, "listReportRecipients", listing)
    wrap_handler(app, "listReports", listing)


def _backend(backend: Callable[[VendorContext], SendKitBackend]) -> Callable[[Starlette], None]:
    return lambda app: with_backend(app, backend)


MUTANTS = (
    Mutant("bearer-wins", "SK-AUTH-KEY", "Authorization: Bearer wins over X-Api-Key", _bearer_wins),
    Mutant(
        "platform-key-needs-no-workspace",
        "SK-WORKSPACE-HEADER",
        "a platform key without X-Workspace-Id is let in",
        _no_workspace_needed,
    ),
    Mutant(
        "recipient-get-ignores-workspace",
        "SK-TENANT",
        "GET finds other workspaces' recipients",
        _recipient_get_any_workspace,
    ),
    Mutant(
        "missing-report-type-is-workspace",
        "SK-REPORT-TYPE",
        "a body without reportType makes a workspace report",
        _missing_type_is_workspace,
    ),
    Mutant(
        "empty-campaign-list-accepted",
        "SK-CAMPAIGN-REQUIRED",
        "campaignIds [] is accepted (no report)",
        _empty_campaigns_accepted,
    ),
    Mutant("accepts-11-campaign-ids", "SK-CAMPAIGN-MAX-10", "more than 10 campaign ids pass", _eleven_accepted),
    Mutant("upper-case-campaign-ids", "SK-CAMPAIGN-FORMAT", "upper-case hex campaign ids pass", _upper_case_ids),
    Mutant("duplicate-campaigns-accepted", "SK-CAMPAIGN-UNIQUE", "a repeated campaign id passes", _duplicates_accepted),
    Mutant("strict-campaigns-ignored", "SK-CAMPAIGN-KNOWN", "strict_campaigns has no effect", _backend(StrictIgnored)),
    Mutant(
        "answer-in-reverse",
        "SK-CAMPAIGN-ONE-REPORT",
        "the answer lists the reports in reverse input order",
        _answer_reversed,
    ),
    Mutant(
        "offsets-ignored",
        "SK-PERIOD-FORMAT",
        "a period bound's offset is dropped, not converted to UTC",
        _offsets_ignored,
    ),
    Mutant(
        "reversed-periods-swapped",
        "SK-PERIOD-ORDER",
        "a start after the end is swapped, not refused",
        _reversed_periods_swapped,
    ),
    Mutant("sections-default-off", "SK-SECTIONS", "missing section toggles default to false", _sections_default_off),
    Mutant(
        "unknown-recipients-dropped",
        "SK-RECIPIENTS-KNOWN",
        "unknown and repeated recipient ids are dropped, not refused",
        _unknown_recipients_dropped,
    ),
    Mutant(
        "failures-ignored",
        "SK-QUEUED",
        "no report ever fails (fail_report_types is ignored)",
        _backend(FailuresIgnored),
    ),
    Mutant("generate-answers-200", "SK-GENERATE-BODY", "generate answers 200 instead of 201", _generate_200),
    Mutant("error-code-as-string", "SK-ERROR-BODY", 'error bodies carry code "400", a string', _code_as_string),
    Mutant("malformed-id-is-400", "SK-NOT-FOUND", "a malformed report or recipient id is a 400", _malformed_id_400),
    Mutant("blank-names-accepted", "SK-RCPT-REQUIRED", "a whitespace-only name passes", _blank_names),
    Mutant(
        "patch-skips-email-check",
        "SK-RCPT-EMAIL-UNIQUE",
        "PATCH may take another recipient's email",
        _backend(PatchSkipsEmails),
    ),
    Mutant(
        "organizational-recipients", "SK-RCPT-TYPE", "a recipient may be organizational", _organizational_recipients
    ),
    Mutant(
        "schedules-in-utc", "SK-RCPT-SCHEDULE", "schedules fire in UTC, whatever their timezone", _backend(UtcSchedules)
    ),
    Mutant("has-more-always-false", "SK-LIST-LIMIT", "pagination.hasMore is always false", _has_more_false),
    Mutant("forgets-retry-after", "SK-RATE-LIMIT", "the 429 has no Retry-After", _forgets_retry_after),
)
