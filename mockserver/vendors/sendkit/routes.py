"""Thin handlers, one per OpenAPI operationId: read the validated call, ask the backend, serialise."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from starlette.responses import Response

from mockserver.core.responses import JSONResponse
from mockserver.core.vendor import Call, Handler


class Listed(Protocol):
    id: str

    def to_json(self) -> dict[str, Any]: ...


def page(items: Sequence[Listed], limit: int, cursor: str | None) -> dict[str, Any]:
    """`{success, data, pagination}` of items ordered newest first; a cursor works by position."""
    after = [item for item in items if item.id < cursor] if cursor else list(items)
    chunk = after[:limit]
    has_more = len(after) > limit
    pagination = {"limit": limit, "total": len(items), "hasMore": has_more, "nextCursor": None}
    if has_more:
        pagination["nextCursor"] = chunk[-1].id
    return {"success": True, "data": [item.to_json() for item in chunk], "pagination": pagination}


def ok(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse({"success": True, "data": data}, status_code=status)


def generate_report(call: Call) -> Response:
    reports = call.backend.reports.generate(call.tenant, call.body, call.now)
    count = len(reports)
    message = f"{count} report{'' if count == 1 else 's'} queued for generation"
    return ok({"reports": [report.summary() for report in reports], "message": message}, 201)


def list_reports(call: Call) -> Response:
    reports = call.backend.reports.list(call.tenant)
    return JSONResponse(page(reports, call.params["limit"], call.params["cursor"]))


def get_report(call: Call) -> Response:
    return ok(call.backend.reports.get(call.tenant, call.params["reportId"], call.now).to_json())


def create_recipient(call: Call) -> Response:
    return ok(call.backend.recipients.create(call.tenant, call.body, call.now).to_json(), 201)


def list_recipients(call: Call) -> Response:
    recipients = call.backend.recipients.list(call.tenant, call.params["search"])
    return JSONResponse(page(recipients, call.params["limit"], call.params["cursor"]))


def get_recipient(call: Call) -> Response:
    return ok(call.backend.recipients.get(call.tenant, call.params["recipientId"]).to_json())


def update_recipient(call: Call) -> Response:
    recipient = call.backend.recipients.update(call.tenant, call.params["recipientId"], call.body, call.now)
    return ok(recipient.to_json())


def delete_recipient(call: Call) -> Response:
    call.backend.recipients.delete(call.tenant, call.params["recipientId"])
    return ok({"_id": call.params["recipientId"], "deleted": True})


HANDLERS: dict[str, Handler] = {
    "generateReport": generate_report,
    "listReports": list_reports,
    "getReport": get_report,
    "createReportRecipient": create_recipient,
    "listReportRecipients": list_recipients,
    "getReportRecipient": get_recipient,
    "updateReportRecipient": update_recipient,
    "deleteReportRecipient": delete_recipient,
}
