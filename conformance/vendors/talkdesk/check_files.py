"""Done jobs and their files: TD-TIMESPAN-SEMANTICS, TD-JOB-303, TD-FILE-30D, TD-ROW-LIMIT,
TD-FILE-DELETE and TD-SIGNED-URL. A job only gets done by clock time, so all but the first part of
TD-FILE-DELETE need the mock's control plane (its clock is frozen and moved for the check).
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import httpx

from conformance.context import CheckContext, json_body
from conformance.properties import run_property
from conformance.vendors.talkdesk.check_jobs import marker_name, skip_if_absent
from conformance.vendors.talkdesk.expect import (
    NOT_FOUND,
    NOT_IN_THIS_STATUS,
    RUNNING,
    Expected,
    download,
    expect_error,
    expect_status,
    finish,
    lifecycle,
    location_path,
    outbox,
    read_job,
    session,
    steady,
)
from conformance.vendors.talkdesk.rules import CHECKS
from conformance.vendors.talkdesk.session import JobRef, file_path
from conformance.vendors.talkdesk.spans import FORMATS, ZULU, Draft, Style, drafts, wall

CLOCK_PLAN = "POST /_mock/clock  to move the job along (frozen for the check, mode restored after)"
SIGNATURE = Expected(403, "0330016")
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "json_bulk": "application/x-ndjson"}
EXTENSIONS = {"csv": "csv", "json": "json", "json_bulk": "jsonl"}


# ---------------------------------------------------------------- TD-TIMESPAN-SEMANTICS


@CHECKS.check(
    "TD-TIMESPAN-SEMANTICS",
    "from is inclusive, to exclusive; offset-less values are wall times in timezone",
    writes=True,
    needs_control=True,
    plan=(
        "POST /data/reports/calls/jobs  json jobs over generated spans (explicit + up to {n})",
        CLOCK_PLAN,
        "GET .../files/{id} and its signed URL: one row per interval from `from`, none at or after `to`",
    ),
)
def timespan_semantics(context: CheckContext) -> None:
    window = session(context).window
    base = window.base()
    explicit = [
        base,
        base.replace(start=base.end),
        base.replace(zone="Asia/Kathmandu", from_style=Style("offset", -210), to_style=ZULU),
        base.replace(start=base.end - timedelta(minutes=90), zone="Australia/Lord_Howe", placement="inner"),
    ]
    with lifecycle(context):
        run_property(context, drafts(window), lambda draft: _rows(context, draft), explicit=explicit)


def _rows(context: CheckContext, draft: Draft) -> None:
    talkdesk = session(context)
    body = draft.replace(format="json").body()
    job = talkdesk.make(body)
    finish(context)
    response = download(context, job, f"the file of {body['timespan']} in {draft.zone}")
    context.expect_status(response, 200, "the signed file URL")
    document = json_body(response)
    entries = document.get("entries") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        context.fail("the json file has no entries list", expected='{"entries": [...]}', response=response)
    interval = timedelta(seconds=int(talkdesk.knobs["row_interval_seconds"]))
    count = max(0, math.ceil((draft.end - draft.start) / interval))
    wanted = [wall(draft.start + k * interval, draft.zone) for k in range(count)]
    got = [entry.get("start_at") if isinstance(entry, dict) else entry for entry in entries]
    context.expect(
        got == wanted,
        f"{body['timespan']} in {draft.zone}: {len(got)} rows starting {got[:2]}...{got[-1:]}",
        expected=f"{count} rows starting {wanted[:2]}...{wanted[-1:]}",
        response=response,
    )
    talkdesk.dispose(job.id)


# ---------------------------------------------------------------- TD-JOB-303


@CHECKS.check(
    "TD-JOB-303",
    "once done, the status GET is a 303 to the files URL and the files GET a 303 to the file",
    writes=True,
    needs_control=True,
    plan=(
        "POST /data/reports/calls/jobs",
        "GET .../jobs/{id}, GET .../files/{id}  while running and once done",
        CLOCK_PLAN,
    ),
)
def job_303(context: CheckContext) -> None:
    talkdesk = session(context)
    with lifecycle(context):
        job = talkdesk.make(talkdesk.window.base().body())
        for what, response in (("the status GET", talkdesk.get(job)), ("the files GET", talkdesk.get_file(job))):
            context.expect_status(response, 200, f"{what} of a running job")
            status = read_job(context, response, what)["status"]
            context.expect(
                status in RUNNING,
                f"{what} of a running job: status {status!r}",
                expected="a running status",
                response=response,
            )
        finish(context)
        response = talkdesk.get(job)
        target = location_path(context, response, "the status GET of a done job")
        context.expect(
            target == file_path(job.type, job.id),
            f"it redirects to {target!r}",
            expected=file_path(job.type, job.id),
            response=response,
        )
        context.expect(
            read_job(context, response, "the 303")["status"] == "done",
            "the 303 body is not the done job",
            expected="done",
            response=response,
        )
        files = talkdesk.get_file(job)
        location_path(context, files, "the files GET of a done job")
        context.expect(
            read_job(context, files, "the files 303")["status"] == "done",
            "the files 303 body",
            expected="done",
            response=files,
        )


# ---------------------------------------------------------------- TD-FILE-30D


@CHECKS.check(
    "TD-FILE-30D",
    "a done job's file is there for 30 days, then the job is deleted (404 0330013)",
    writes=True,
    needs_control=True,
    plan=(
        "POST /data/reports/calls/jobs  a job, a failing one and a canceled one",
        CLOCK_PLAN,
        "GET .../jobs/{id}, GET, DELETE .../files/{id}",
    ),
)
def file_30d(context: CheckContext) -> None:
    talkdesk = session(context)
    retention = float(talkdesk.knobs["file_retention_seconds"])
    with lifecycle(context) as plane:
        body = talkdesk.window.base().body()
        job, canceled = talkdesk.make(body), talkdesk.make(body)
        name = marker_name(context, "retention")
        failing = talkdesk.make({**body, "name": name}) if name else None
        talkdesk.cancel(canceled)
        finish(context)
        if retention >= 1:
            plane.advance(retention - 1)
            expect_status(context, job, "done", f"{retention - 1:.0f} s after it was done")
            response = download(context, job, "the file on its last second")
            context.expect_status(response, 200, "the file on its last second")
            plane.advance(1)
        else:
            plane.advance(retention)
        expect_status(context, job, "deleted", f"{retention:.0f} s after it was done")
        expect_error(context, talkdesk.get_file(job), "the files GET once retention passed", NOT_FOUND)
        expect_error(context, talkdesk.delete_file(job), "a file DELETE once retention passed", NOT_FOUND)
        expect_status(context, canceled, "canceled", "a canceled job after the retention time")
        if failing is not None:
            expect_status(context, failing, "failed", "a failed job after the retention time")


# ---------------------------------------------------------------- TD-ROW-LIMIT


@CHECKS.check(
    "TD-ROW-LIMIT",
    "more than 1,000,000 rows fails the job",
    writes=True,
    needs_control=True,
    plan=(
        "PUT /_mock/config  talkdesk.row_interval_seconds=1 for the check (restored after)",
        "POST /data/reports/calls/jobs  spans of row_limit and row_limit + 1 seconds",
        CLOCK_PLAN,
        "GET .../jobs/{id}, GET /_mock/outbox",
    ),
)
def row_limit(context: CheckContext) -> None:
    talkdesk = session(context)
    limit = int(talkdesk.knobs["row_limit"])
    patch: dict[str, Any] = {"row_interval_seconds": 1}
    if limit + 1 > talkdesk.window.max_span.total_seconds():
        limit = patch["row_limit"] = 1000
    with lifecycle(context, **patch):
        end = talkdesk.window.anchor
        jobs = {}
        for rows in (limit, limit + 1):
            draft = talkdesk.window.base(
                start=end - timedelta(seconds=rows), end=end, zone="UTC", from_style=ZULU, to_style=ZULU
            )
            jobs[rows] = talkdesk.make(draft.body())
        finish(context)
        expect_status(context, jobs[limit], "done", f"a job of {limit} rows")
        expect_status(context, jobs[limit + 1], "failed", f"a job of {limit + 1} rows")
        failed = [entry["payload"].get("rows") for entry in outbox(context, jobs[limit + 1], "report_failed")]
        context.expect(failed == [limit + 1], f"report_failed entries carry rows {failed}", expected=str([limit + 1]))


# ---------------------------------------------------------------- TD-FILE-DELETE


@CHECKS.check(
    "TD-FILE-DELETE",
    "only a done job's file can be deleted (204); else 403 0330012, or 404 0330013 once deleted",
    writes=True,
    plan=(
        "POST /data/reports/calls/jobs; DELETE .../jobs/{id}; DELETE .../files/{id}  (a canceled job)",
        "mock: DELETE .../files/{id} of running, done, deleted and failed jobs; GET .../jobs/{id}",
    ),
)
def file_delete(context: CheckContext) -> None:
    with steady(context):
        _canceled_file(context)
        if context.control is not None:
            _by_status(context)


def _canceled_file(context: CheckContext) -> None:
    talkdesk = session(context)
    job = talkdesk.make(talkdesk.window.base().body())
    if not talkdesk.cancel(job).is_success:
        context.skip("a job could not be canceled, so no job is known to be out of `done`")
    response = talkdesk.delete_file(job)
    skip_if_absent(context, response, "file delete")
    expect_error(context, response, "a canceled job's file DELETE", NOT_IN_THIS_STATUS)
    expect_error(context, talkdesk.delete_file(talkdesk.missing()), "an unknown job's file DELETE", NOT_FOUND)


def _by_status(context: CheckContext) -> None:
    talkdesk = session(context)
    body = talkdesk.window.base().body()
    running, done = talkdesk.make(body), talkdesk.make(body)
    expect_error(context, talkdesk.delete_file(running), "a created job's file DELETE", NOT_IN_THIS_STATUS)
    name = marker_name(context, "file")
    failing = talkdesk.make({**body, "name": name}) if name else None
    finish(context)
    response = talkdesk.delete_file(done)
    context.expect_status(response, 204, "a done job's file DELETE")
    context.expect(not response.content, "the 204 carries a body", expected="no body", response=response)
    expect_status(context, done, "deleted", "after its file was deleted")
    expect_error(context, talkdesk.get_file(done), "the files GET after the delete", NOT_FOUND)
    expect_error(context, talkdesk.delete_file(done), "a second file DELETE", NOT_FOUND)
    if failing is not None:
        expect_error(context, talkdesk.delete_file(failing), "a failed job's file DELETE", NOT_IN_THIS_STATUS)


# ---------------------------------------------------------------- TD-SIGNED-URL


@CHECKS.check(
    "TD-SIGNED-URL",
    "the signed file URL works without credentials for 300 s; tampered or expired: 403 0330016",
    writes=True,
    needs_control=True,
    plan=("POST /data/reports/calls/jobs  one job per format", CLOCK_PLAN, "GET .../files/{id}, then its signed URL"),
)
def signed_url(context: CheckContext) -> None:
    talkdesk = session(context)
    ttl = int(talkdesk.knobs["signed_url_ttl_seconds"])
    with lifecycle(context) as plane:
        jobs = {fmt: talkdesk.make(talkdesk.window.base(format=fmt).body()) for fmt in FORMATS}
        finish(context)
        for fmt, job in jobs.items():
            _expect_file(context, context.target.request("GET", _signed(context, job)), job, fmt)
        url = httpx.URL(_signed(context, jobs["csv"]))
        for what, tampered in _tampered(url):
            expect_error(context, context.target.request("GET", tampered), what, SIGNATURE)
        plane.advance(ttl - 1)
        context.expect_status(context.target.request("GET", str(url)), 200, f"the signed URL {ttl - 1} s later")
        plane.advance(1)
        expect_error(context, context.target.request("GET", str(url)), f"the signed URL {ttl} s later", SIGNATURE)
        fresh = _signed(context, jobs["json"])
        talkdesk.delete_file(jobs["json"])
        expect_error(context, context.target.request("GET", fresh), "the signed URL of a deleted file", NOT_FOUND)


def _signed(context: CheckContext, job: JobRef) -> str:
    return location_path(context, session(context).get_file(job), "the files GET of a done job")


def _tampered(url: httpx.URL) -> list[tuple[str, str]]:
    params = dict(url.params)
    signature, expires = params.get("signature", ""), params.get("expires", "0")
    flipped = signature[:-1] + ("0" if signature[-1:] != "0" else "1")
    path = url.raw_path.decode().split("?", 1)[0]
    variants = {
        "a changed signature": {**params, "signature": flipped},
        "a later expiry": {**params, "expires": str(int(expires) + 1) if expires.isdigit() else "1"},
        "no signature": {name: value for name, value in params.items() if name != "signature"},
    }
    return [(f"the signed URL with {what}", f"{path}?{httpx.QueryParams(query)}") for what, query in variants.items()]


def _expect_file(context: CheckContext, response: httpx.Response, job: JobRef, fmt: str) -> None:
    what = f"the {fmt} file"
    context.expect_status(response, 200, f"{what} at its signed URL, without credentials")
    media = response.headers.get("content-type", "").split(";", 1)[0].strip()
    context.expect(
        media == MEDIA_TYPES[fmt], f"{what}: Content-Type {media!r}", expected=MEDIA_TYPES[fmt], response=response
    )
    filename = f'filename="{job.type}-{job.id}.{EXTENSIONS[fmt]}"'
    disposition = response.headers.get("content-disposition", "")
    context.expect(
        disposition.startswith("attachment") and filename in disposition,
        f"{what}: Content-Disposition {disposition!r}",
        expected=f"attachment; {filename}",
        response=response,
    )
