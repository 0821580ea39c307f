"""Thin handlers, one per OpenAPI operationId: read the validated call, ask the backend, serialise."""

from __future__ import annotations

from starlette.responses import Response

from mockserver.core.responses import JSONResponse
from mockserver.core.vendor import Call, Handler

LIST_URL = "/v4/scheduled-reports"
DESTINATIONS_URL = "/v4/scheduled-reports/destinations"


def list_reports(call: Call) -> Response:
    page, has_more = call.backend.list(call.tenant, call.params["limit"], call.params["offset"])
    data = [report.to_json() for report in page]
    return JSONResponse({"object": "list", "url": LIST_URL, "data": data, "has_more": has_more})


def create_report(call: Call) -> Response:
    report = call.backend.create(call.tenant, call.body, call.now)
    return JSONResponse(report.to_json(), status_code=201, headers={"Location": report.url})


def list_destinations(call: Call) -> Response:
    data = call.backend.catalogue()
    return JSONResponse({"object": "list", "url": DESTINATIONS_URL, "data": data, "has_more": False})


def get_report(call: Call) -> Response:
    return JSONResponse(call.backend.get(call.tenant, call.params["report_id"]).to_json())


def update_report(call: Call) -> Response:
    report = call.backend.update(call.tenant, call.params["report_id"], call.body, call.now)
    return JSONResponse(report.to_json())


def delete_report(call: Call) -> Response:
    call.backend.delete(call.tenant, call.params["report_id"])
    return Response(status_code=204)


def send_test(call: Call) -> Response:
    report = call.backend.send_test(call.tenant, call.params["report_id"], call.now)
    return JSONResponse(report.ref(), status_code=202)


HANDLERS: dict[str, Handler] = {
    "listScheduledReports": list_reports,
    "createScheduledReport": create_report,
    "listScheduledReportDestinations": list_destinations,
    "getScheduledReport": get_report,
    "updateScheduledReport": update_report,
    "deleteScheduledReport": delete_report,
    "sendScheduledReportTest": send_test,
}
