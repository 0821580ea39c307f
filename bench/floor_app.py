"""The floor: a minimal Starlette app doing the same HTTP and JSON work as the mock's routes,
with no mock logic (no auth, validation, journal, clock or scheduler).

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
ERROR = {"error": {"type": "request", "code": "invalid_data", "message": "Validation failed"}}
JOB = {"id": "j1", "name": None, "timezone": "UTC", "status": "created", "format": "csv", "timespan": {}}


async def get_report(request: Request) -> Response:
    return JSONResponse({**REPORT, "id": request.path_params["report_id"]})


async def create_report(request: Request) -> Response:
    body = json.loads(await request.body())
    if not isinstance(body, dict) or body.get("send_at") not in ("09:00", "09:30"):
        return JSONResponse({**ERROR, "error": {**ERROR["error"], "details": [{"field": "send_at"}]}}, status_code=400)
    return JSONResponse({**REPORT, **body}, status_code=201, headers={"Location": "/v4/scheduled-reports/r1"})


async def list_reports(request: Request) -> Response:
    limit = int(request.query_params.get("limit", "20"))
    return JSONResponse({"object": "list", "url": "/v4/scheduled-reports", "data": [REPORT] * limit, "has_more": True})


async def get_job(request: Request) -> Response:
    job = {**JOB, "id": request.path_params["job_id"]}
    return JSONResponse({"job": job, "_links": {"self": {"href": "x"}, "files": {"href": "y"}}})


async def get_sendkit_report(request: Request) -> Response:
    return JSONResponse({"success": True, "data": {"id": request.path_params["report_id"], "status": "queued"}})


async def postageapp_call(request: Request) -> Response:
    body = json.loads(await request.body())
    return JSONResponse({"response": {"status": "ok", "uid": body.get("uid")}, "data": {"uid": body.get("uid")}})


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
