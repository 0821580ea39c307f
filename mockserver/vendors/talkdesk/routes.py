"""Thin handlers, one per OpenAPI operationId, and the signed file download under /_mock."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from starlette.datastructures import URL
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mockserver.core.errors import MockError
from mockserver.core.responses import JSONResponse
from mockserver.core.vendor import Call, Handler
from mockserver.vendors.talkdesk import content
from mockserver.vendors.talkdesk.errors import render_error
from mockserver.vendors.talkdesk.oauth import TokenRequest

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def base_of(request: Request) -> str:
    """`{base}` of CONTRACTS.md 2.4: the scheme and host the client called."""
    scope = request.scope
    server = scope.get("server")
    return _base(scope.get("scheme", "http"), request.headers.get("host"), tuple(server) if server else None)


@lru_cache(maxsize=256)
def _base(scheme: str, host: str | None, server: tuple[str, int] | None) -> str:
    """Starlette's reading of the Host header (validated, else the server address), once per
    distinct header rather than once per request."""
    headers = [] if host is None else [(b"host", host.encode("latin-1"))]
    scope = {"scheme": scheme, "server": server, "path": "/", "query_string": b"", "headers": headers}
    url = URL(scope=scope)
    return f"{url.scheme}://{url.netloc}"


def request_token(call: Call) -> Response:
    token_request = TokenRequest(call.request.headers, call.raw, call.request.query_params)
    return JSONResponse(call.backend.issue_token(token_request, call.now), headers=NO_STORE)


def create_job(call: Call) -> Response:
    job = call.backend.create(call.tenant, call.params["type"], call.body, call.now)
    base = base_of(call.request)
    return JSONResponse(job.accepted_json(base), status_code=202, headers={"Location": job.self_url(base)})


def list_jobs(call: Call) -> Response:
    report_type, page, per_page = call.params["type"], call.params["page"], call.params["per_page"]
    jobs, total = call.backend.page(call.tenant, report_type, page, per_page)
    base = base_of(call.request)
    pages = math.ceil(total / per_page)
    return JSONResponse(
        {
            "total": total,
            "count": len(jobs),
            "page": page,
            "per_page": per_page,
            "total_pages": pages,
            "_embedded": {"jobs": [job.list_item(base) for job in jobs]},
            "_links": _page_links(f"{base}/data/reports/{report_type}/jobs", page, per_page, pages),
        }
    )


def _page_links(url: str, page: int, per_page: int, pages: int) -> dict[str, Any]:
    links = {"self": {"href": f"{url}?page={page}&per_page={per_page}"}}
    if page < pages:
        links["next"] = {"href": f"{url}?page={page + 1}&per_page={per_page}"}
    if page > 1:
        links["prev"] = {"href": f"{url}?page={page - 1}&per_page={per_page}"}
    return links


def get_job(call: Call) -> Response:
    job = call.backend.read(call.tenant, call.params["type"], call.params["id"], call.now)
    base = base_of(call.request)
    if job.status == "done":  # TD-JOB-303
        return JSONResponse(job.status_json(base), status_code=303, headers={"Location": job.files_url(base)})
    return JSONResponse(job.status_json(base))


def cancel_job(call: Call) -> Response:
    job = call.backend.cancel(call.tenant, call.params["type"], call.params["id"])
    return JSONResponse(job.status_json(base_of(call.request)))


def get_file(call: Call) -> Response:
    job = call.backend.read_file(call.tenant, call.params["type"], call.params["id"], call.now)
    base = base_of(call.request)
    if job.status == "done":
        location = call.backend.signed_url(job, base, call.now)
        return JSONResponse(job.status_json(base), status_code=303, headers={"Location": location})
    return JSONResponse(job.status_json(base))


def delete_file(call: Call) -> Response:
    call.backend.delete_file(call.tenant, call.params["type"], call.params["id"])
    return Response(status_code=204)


HANDLERS: dict[str, Handler] = {
    "requestAccessToken": request_token,
    "listReportJobs": list_jobs,
    "createReportJob": create_job,
    "getReportJob": get_job,
    "cancelReportJob": cancel_job,
    "getReportFile": get_file,
    "deleteReportFile": delete_file,
}


def file_routes(backend: Callable[[], Any]) -> list[BaseRoute]:
    """The signed download URL, served under /_mock: it stands in for the vendor's object storage."""

    async def download(request: Request) -> Response:
        live = backend()
        query = request.query_params
        try:
            job, data = live.download(
                request.path_params["job_id"], query.get("expires"), query.get("signature"), live.context.now()
            )
        except MockError as error:
            return render_error(error, request.url.path)
        filename = f"{job.type}-{job.id}.{content.EXTENSIONS[job.format]}"
        headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
        return Response(data, media_type=content.MEDIA_TYPES[job.format], headers=headers)

    return [Route("/files/talkdesk/{job_id}", download, methods=["GET"])]
