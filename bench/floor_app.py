"""The floor: a minimal Starlette app doing the same HTTP and JSON work as the mock's routes
(the same answers' shape and size, `tests/test_bench_smoke.py` checks), with no mock logic (no
auth, validation, journal, clock or scheduler).

Served by uvicorn exactly as the mock is: `python floor_app.py PORT`.
"""

from __future__ import annotations

import json
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

REPORT = {
    "object": "scheduled_report",
    "id": "r1",
    "url": "/v4/scheduled-reports/r1",
    "report_name": "Daily Revenue",
    "send_at": "09:00",
    "included_range_days": 1,
    "status": "active",
    "environment": "production",
    "runs": 0,
    "destinations": [{"type": "target_integration", "id": "int-wh-01", "label": "Webhooks: Release alerts"}],
    "created_at": "2026-11-23T09:00:00Z",
    "updated_at": "2026-11-23T09:00:00Z",
}
LABEL = "Webhooks: Release alerts"
SLOT_PROBLEM = {"field": "send_at", "message": "Must be HH:MM on a 30-minute slot between 00:00 and 23:30"}
ERROR = {"error": {"type": "request", "code": "invalid_data", "message": "Validation failed"}}
JOB = {"id": "j1", "name": None, "timezone": "UTC", "status": "created", "format": "csv"}
TIMESPAN = {"from": "2026-11-22T00:00:00Z", "to": "2026-11-22T01:00:00Z"}
SENDKIT_REPORT = {
    "title": "Workspace Report",
    "reportType": "workspace",
    "status": "queued",
    "campaignId": None,
    "periodStart": "2026-10-24T09:00:00.000Z",
    "periodEnd": "2026-11-23T09:00:00.000Z",
    "sections": {"executiveSummary": True, "campaignPerformance": True, "mailboxHealth": True},
    "recipientIds": [],
    "content": None,
    "error": None,
    "createdAt": "2026-11-23T09:00:00.000Z",
    "updatedAt": "2026-11-23T09:00:00.000Z",
    "completedAt": None,
}
EVENT = {
    "status": "activated",
    "schedule": "every day",
    "frequency": "every day",
    "event_type": "repeatable",
    "scheduled_at": "2026-11-24T00:00:00+00:00",
    "metadata": {},
}


async def get_report(request: Request) -> Response:
    report_id = request.path_params["report_id"]
    return JSONResponse({**REPORT, "id": report_id, "url": f"/v4/scheduled-reports/{report_id}"})


async def create_report(request: Request) -> Response:
    body = json.loads(await request.body())
    if not isinstance(body, dict) or body.get("send_at") not in ("09:00", "09:30"):
        return JSONResponse({**ERROR, "error": {**ERROR["error"], "details": [SLOT_PROBLEM]}}, status_code=400)
    destinations = [{**item, "label": LABEL} for item in body.get("destinations", [])]
    created = {**REPORT, **body, "destinations": destinations}
    return JSONResponse(created, status_code=201, headers={"Location": "/v4/scheduled-reports/r1"})


async def list_reports(request: Request) -> Response:
    limit = int(request.query_params.get("limit", "20"))
    return JSONResponse({"object": "list", "url": "/v4/scheduled-reports", "data": [REPORT] * limit, "has_more": True})


async def get_job(request: Request) -> Response:
    job_id, base = request.path_params["job_id"], f"{request.url.scheme}://{request.url.netloc}"
    links = {
        "self": {"href": f"{base}/data/reports/calls/jobs/{job_id}"},
        "files": {"href": f"{base}/data/reports/calls/files/{job_id}"},
    }
    return JSONResponse({"job": {**JOB, "id": job_id, "timespan": TIMESPAN}, "_links": links})


async def get_sendkit_report(request: Request) -> Response:
    return JSONResponse({"success": True, "data": {"id": request.path_params["report_id"], **SENDKIT_REPORT}})


async def postageapp_call(request: Request) -> Response:
    body = json.loads(await request.body())
    uid = body.get("uid")
    return JSONResponse({"response": {"status": "ok", "uid": uid}, "data": {"uid": uid, **EVENT}})


app = Starlette(
    routes=[
        Route("/v4/scheduled-reports", list_reports, methods=["GET"]),
        Route("/v4/scheduled-reports", create_report, methods=["POST"]),
        Route("/v4/scheduled-reports/{report_id}", get_report, methods=["GET"]),
        Route("/data/reports/{type}/jobs/{job_id}", get_job, methods=["GET"]),
        Route("/v1/reports/{report_id}", get_sendkit_report, methods=["GET"]),
        Route("/v.1.0/{method}", postageapp_call, methods=["POST"]),
        Route("/_mock/health", lambda request: JSONResponse({"status": "ok"}), methods=["GET"]),
    ]
)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
