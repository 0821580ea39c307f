"""Deliberately broken variants of the Qonversion mock, each breaking exactly one documented rule.

A mutant changes one fresh `create_app()` only: it swaps that app's vendor entry (handlers,
error renderer, authenticator, backend factory or the validation step of its dispatcher) and
never patches a module, so nothing leaks into other apps or tests.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response

from mockserver.core.errors import Forbidden, MethodNotAllowed, MockError, Unauthorized
from mockserver.core.timefmt import whole_seconds
from mockserver.core.vendor import Call
from mockserver.vendors.qonversion.errors import envelope
from mockserver.vendors.qonversion.models import QonversionBackend, Report
from tests.conformance import surgery
from tests.conformance.surgery import Mutant

VENDOR = "qonversion"
vendor_app = functools.partial(surgery.vendor_app, vendor=VENDOR)
replace_vendor = functools.partial(surgery.replace_vendor, vendor=VENDOR)
wrap_handler = functools.partial(surgery.wrap_handler, vendor=VENDOR)
wrap_renderer = functools.partial(surgery.wrap_renderer, vendor=VENDOR)
drop_problems = functools.partial(surgery.drop_problems, vendor=VENDOR)


def with_backend(app: Starlette, backend: type[QonversionBackend]) -> None:
    replace_vendor(app, make_backend=backend)


# ---------------------------------------------------------------- the mutants


def _off_slot(app: Starlette) -> None:
    quarter = re.compile(r"\d\d:(15|45)")
    drop_problems(
        app,
        "createScheduledReport",
        lambda p, body: (
            p.field == "send_at" and isinstance(body.get("send_at"), str) and bool(quarter.fullmatch(body["send_at"]))
        ),
    )


def _name_256(app: Starlette) -> None:
    drop_problems(app, None, lambda p, body: p.field == "report_name" and len(str(body.get("report_name"))) == 256)


def _id_format_unchecked(app: Starlette) -> None:
    drop_problems(app, None, lambda p, body: p.field == "report_id")


def _status(operation: str, status: int) -> Callable[[Starlette], None]:
    def apply(app: Starlette) -> None:
        def answer(call: Call, original: Callable[[Call], Response]) -> Response:
            response = original(call)
            if response.status_code == 204:
                return JSONResponse({}, status_code=status)
            response.status_code = status
            return response

        wrap_handler(app, operation, answer)

    return apply


def _no_retry_after(app: Starlette) -> None:
    def render(error: MockError, path: str, original: Callable[..., Response]) -> Response:
        response = original(error, path)
        if "retry-after" in response.headers:
            del response.headers["retry-after"]
        return response

    wrap_renderer(app, render)


def _flat_401(app: Starlette) -> None:
    def render(error: MockError, path: str, original: Callable[..., Response]) -> Response:
        if isinstance(error, Unauthorized):
            return JSONResponse({"error": "control_unauthorized", "message": "Authorization required"}, status_code=401)
        return original(error, path)

    wrap_renderer(app, render)


def _405_as_404(app: Starlette) -> None:
    def render(error: MockError, path: str, original: Callable[..., Response]) -> Response:
        if isinstance(error, MethodNotAllowed):
            return JSONResponse(envelope("request", "invalid_request", "Unknown API path"), status_code=404)
        return original(error, path)

    wrap_renderer(app, render)


def _forbidden_ignored(app: Starlette) -> None:
    original = vendor_app(app).vendor.authenticate

    def authenticate(headers: Any, body: Any, context: Any, operation: Any) -> str:
        try:
            return original(headers, body, context, operation)
        except Forbidden:
            return headers["authorization"].split(" ", 1)[1]

    replace_vendor(app, authenticate=authenticate)


def _text_plain_accepted(app: Starlette) -> None:
    replace_vendor(app, require_json_content_type=False)


PUT_DEFAULTS = {
    "report_name": "Untitled",
    "send_at": "00:00",
    "included_range_days": 1,
    "status": "draft",
    "environment": "production",
}


def _put_resets(app: Starlette) -> None:
    def update(call: Call, original: Callable[[Call], Response]) -> Response:
        return original(dataclasses.replace(call, body={**PUT_DEFAULTS, **call.body}))

    wrap_handler(app, "updateScheduledReport", update)


def _list(reverse: bool, has_more: bool | None) -> Callable[[Starlette], None]:
    def apply(app: Starlette) -> None:
        def listing(call: Call, original: Callable[[Call], Response]) -> Response:
            reports = list(call.backend.tenants[call.tenant].values())
            reports = reports[::-1] if reverse else reports
            start, size = call.params["offset"], call.params["limit"]
            page = [report.to_json() for report in reports[start : start + size]]
            more = start + len(page) < len(reports) if has_more is None else has_more
            return JSONResponse({"object": "list", "url": "/v4/scheduled-reports", "data": page, "has_more": more})

        wrap_handler(app, "listScheduledReports", listing)

    return apply


def _get_any_tenant(app: Starlette) -> None:
    def get(call: Call, original: Callable[[Call], Response]) -> Response:
        for _, reports in call.backend.tenants.items():
            if call.params["report_id"] in reports:
                return JSONResponse(reports[call.params["report_id"]].to_json())
        return original(call)

    wrap_handler(app, "getScheduledReport", get)


class RunsNotCounted(QonversionBackend):
    def _deliver(self, tenant: str, report: Report, delay: timedelta, due: datetime) -> None:
        report.runs -= 1  # the parent adds it back: runs never moves
        super()._deliver(tenant, report, delay, due)


class DraftsDeliver(QonversionBackend):
    def _rearm(self, tenant: str, report: Report, now: datetime) -> None:
        self._arm(tenant, report, now)

    def create(self, tenant: str, body: Any, now: datetime) -> Report:
        report = super().create(tenant, body, now)
        self._arm(tenant, report, now)
        return report


class UnknownDestinationsAccepted(QonversionBackend):
    def resolve_destinations(self, items: list[Any]) -> list[dict[str, str]]:
        known = {entry["id"] for entry in self.context.knob("destinations")}
        return [
            super(UnknownDestinationsAccepted, self).resolve_destinations([item])[0]
            if item["id"] in known
            else {"type": item["type"], "id": item["id"], "label": item.get("label", item["id"])}
            for item in items
        ]


class UpdatedAtAlwaysMoves(QonversionBackend):
    def update(self, tenant: str, report_id: str, body: Any, now: datetime) -> Report:
        report = super().update(tenant, report_id, body, now)
        report.updated_at = whole_seconds(now)
        return report


class RangeWindowShifted(QonversionBackend):
    def _fan_out(self, tenant: str, report: Report, kind: str, day: date, due: datetime, run: int | None) -> None:
        super()._fan_out(tenant, report, kind, day - timedelta(days=1), due, run)


def _backend(backend: type[QonversionBackend]) -> Callable[[Starlette], None]:
    return lambda app: with_backend(app, backend)


MUTANTS = (
    Mutant("accepts-off-slot-send-at", "QON-SEND-AT-SLOT", "create accepts send_at on :15 and :45", _off_slot),
    Mutant("accepts-256-char-name", "QON-NAME-LEN", "a 256-character report_name passes", _name_256),
    Mutant(
        "create-answers-200",
        "QON-CREATE-201",
        "create answers 200 instead of 201",
        _status("createScheduledReport", 200),
    ),
    Mutant("forgets-retry-after", "QON-SEND-TEST-RATE", "the send-test 429 has no Retry-After", _no_retry_after),
    Mutant("flat-401-envelope", "QON-AUTH-BEARER", "401 body is {error: <code>} instead of the v4 envelope", _flat_401),
    Mutant("put-resets-omitted-fields", "QON-PUT-PARTIAL", "PUT resets omitted fields to defaults", _put_resets),
    Mutant("list-newest-first", "QON-LIST-ORDER", "the list is newest first", _list(reverse=True, has_more=None)),
    Mutant(
        "has-more-always-false", "QON-LIST-PAGING", "has_more is always false", _list(reverse=False, has_more=False)
    ),
    Mutant("runs-not-counted", "QON-RUNS-COUNT", "deliveries do not increment runs", _backend(RunsNotCounted)),
    Mutant("delete-answers-200", "QON-DELETE-204", "delete answers 200 {}", _status("deleteScheduledReport", 200)),
    Mutant(
        "drafts-deliver",
        "QON-DAILY-DELIVERY",
        "draft reports are delivered too (pause ignored)",
        _backend(DraftsDeliver),
    ),
    Mutant("get-ignores-tenant", "QON-TENANT-KEY", "GET finds other tenants' reports", _get_any_tenant),
    Mutant(
        "unknown-destination-accepted",
        "QON-DEST-KNOWN",
        "unknown destination ids are stored",
        _backend(UnknownDestinationsAccepted),
    ),
    Mutant("updated-at-always-moves", "QON-UPDATED-AT", "every PUT moves updated_at", _backend(UpdatedAtAlwaysMoves)),
    Mutant(
        "range-window-shifted", "QON-RANGE-WINDOW", "the covered period ends a day early", _backend(RangeWindowShifted)
    ),
    Mutant(
        "send-test-answers-200", "QON-SEND-TEST-202", "send-test answers 200", _status("sendScheduledReportTest", 200)
    ),
    Mutant("forbidden-keys-let-in", "QON-AUTH-FORBIDDEN", "forbidden keys are let in", _forbidden_ignored),
    Mutant("id-format-unchecked", "QON-ID-FORMAT", "a malformed report id is a 404", _id_format_unchecked),
    Mutant("text-plain-accepted", "QON-BODY-JSON", "a text/plain body is parsed as JSON", _text_plain_accepted),
    Mutant("405-as-404", "QON-ROUTE", "a wrong method is answered 404 without Allow", _405_as_404),
)
