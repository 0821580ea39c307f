"""A job's answers and lifecycle: TD-TZ-PLACEMENT, TD-STATUS-ENUM, TD-CANCEL and TD-QUOTA-15.

Clock-dependent parts (the 5/20/5-second steps, the Retry-After count-down) run only against the
mock, with its clock frozen and `progression: time` for the length of the check.
"""

from __future__ import annotations

import math
from typing import Any

import httpx

from conformance.context import CheckContext, compact, json_body
from conformance.properties import run_property
from conformance.vendors.talkdesk.expect import (
    NOT_FOUND,
    NOT_IN_THIS_STATUS,
    RUNNING,
    STATUSES,
    Expected,
    control,
    expect_error,
    expect_fields,
    expect_status,
    finish,
    lifecycle,
    outbox,
    read_job,
    session,
    steady,
    steps,
    total_steps,
)
from conformance.vendors.talkdesk.rules import CHECKS
from conformance.vendors.talkdesk.session import JobRef, created_id, job_of, job_path
from conformance.vendors.talkdesk.spans import PLACEMENTS, UTC_PLACEMENTS, Draft, drafts


def skip_if_absent(context: CheckContext, response: httpx.Response, what: str) -> None:
    """CONTRACTS 2.13: list, cancel and file delete may not exist on a real endpoint."""
    if not context.target.is_mock and response.status_code in (404, 405):
        context.skip(f"{what} does not exist on this endpoint ({response.status_code})")


def marker_name(context: CheckContext, label: str) -> str | None:
    marker = session(context).knobs.get("fail_name_marker")
    return f"conformance-{label}{marker}" if marker else None


# ---------------------------------------------------------------- TD-TZ-PLACEMENT


@CHECKS.check(
    "TD-TZ-PLACEMENT",
    "timezone may come inside timespan or be null (UTC); the top-level one wins",
    writes=True,
    plan=(
        "POST /data/reports/calls/jobs  each placement (explicit + up to {n})",
        "GET .../jobs/{id}",
        "DELETE .../jobs/{id}  cancel",
    ),
)
def tz_placement(context: CheckContext) -> None:
    window = session(context).window
    explicit = [
        window.base(
            placement=placement,
            zone="UTC" if placement in UTC_PLACEMENTS else "Asia/Tokyo",
            other_zone="America/New_York",
        )
        for placement in PLACEMENTS
    ]
    run_property(context, drafts(window), lambda draft: _placed(context, draft), explicit=explicit)


def _placed(context: CheckContext, draft: Draft) -> None:
    talkdesk = session(context)
    response = talkdesk.create(draft.body())
    what = f"a job with {compact(draft.body())}"
    context.expect(response.is_success, f"{what} was refused", expected="2xx", response=response)
    job_id = created_id(response)
    if job_id is None:
        return
    expect_fields(context, job_of(json_body(response)), {"timezone": draft.zone}, f"{what}: the 202", response)
    reread = talkdesk.get(JobRef("calls", job_id, talkdesk.client))
    job = read_job(context, reread, what)
    if context.target.is_mock or "timezone" in job:  # a bare redirect of a done job shows nothing to compare
        expect_fields(context, job, {"timezone": draft.zone}, f"{what}: read back", reread)
    talkdesk.dispose(job_id)


# ---------------------------------------------------------------- TD-STATUS-ENUM


@CHECKS.check(
    "TD-STATUS-ENUM",
    "a new job is created (202); every status is one of the seven; mock: created -> processing -> uploading -> done",
    writes=True,
    plan=(
        "POST /data/reports/calls/jobs  a job: 202, Location, status created",
        "GET .../jobs/{id}, GET /data/reports/calls/jobs, DELETE .../jobs/{id}",
        "mock: POST /_mock/clock to each step, GET /_mock/outbox, DELETE .../files/{id}",
    ),
)
def status_enum(context: CheckContext) -> None:
    with steady(context):
        _first_statuses(context)
        if context.control is not None:
            _walk_lifecycle(context)


def _first_statuses(context: CheckContext) -> None:
    talkdesk = session(context)
    draft = talkdesk.window.base()
    response = talkdesk.create(draft.body())
    job = _accepted(context, response, draft)
    _in_enum(context, read_job(context, talkdesk.get(job), "GET the new job")["status"], "GET the new job")
    if talkdesk.lists:
        page = json_body(talkdesk.list_page(per_page=100))
        for item in page.get("_embedded", {}).get("jobs", []) if isinstance(page, dict) else []:
            _in_enum(context, item.get("status"), "a listed job")
    canceled = talkdesk.cancel(job)
    if canceled.is_success:
        _in_enum(context, read_job(context, talkdesk.get(job), "GET a canceled job")["status"], "GET a canceled job")


def _in_enum(context: CheckContext, status: Any, what: str) -> None:
    context.expect(status in STATUSES, f"{what}: status {status!r}", expected=" | ".join(STATUSES))


def _accepted(context: CheckContext, response: httpx.Response, draft: Draft) -> JobRef:
    """202 with Location and the job (flat or under `job`: soft), its status `created`, the name as sent."""
    context.expect_status(response, 202, "create with a valid body")
    context.expect_shape(response, "the 202 body", soft=True)
    job = job_of(json_body(response))
    job_id = created_id(response)
    assert job is not None and job_id is not None
    ref = JobRef("calls", job_id, session(context).client)
    location = response.headers.get("location", "")
    context.expect(
        location.endswith(job_path("calls", job_id)),
        f"Location is {location!r}",
        expected=f"...{job_path('calls', job_id)}",
        response=response,
    )
    expect_fields(
        context, job, {"status": "created", "name": draft.name, "format": draft.format}, "the 202 job", response
    )
    context.expect(
        job.get("timespan") == draft.timespan(),
        "the 202 does not echo timespan as sent",
        expected=compact(draft.timespan()),
        response=response,
        soft=True,
    )
    return ref


def checkpoints(durations: dict[str, float]) -> list[tuple[float, str]]:
    """(seconds after creation, status) pairs: each state's first and last whole second, then done."""
    points: list[tuple[float, str]] = []
    elapsed, state = 0.0, "created"
    for following in ("processing", "uploading", "done"):
        duration = durations[state]
        if duration > 0:
            points.append((elapsed, state))
        if duration >= 1:
            points.append((elapsed + duration - 1, state))
        elapsed += duration
        state = following
    return [*points, (elapsed, "done")]


def _walk_lifecycle(context: CheckContext) -> None:
    talkdesk, plane = session(context), control(context)
    draft = talkdesk.window.base()
    job = talkdesk.make(draft.body())
    name = marker_name(context, "status")
    failing = talkdesk.make(draft.replace(name=name).body()) if name else None
    elapsed = 0.0
    for at, wanted in checkpoints(steps(context)):
        plane.advance(at - elapsed)
        elapsed = at
        expect_status(context, job, wanted, f"{at:g} s after creation")
    if failing is not None:
        expect_status(context, failing, "failed", "a job named with the failure marker")
        context.expect(len(outbox(context, failing, "report_failed")) == 1, "report_failed entries", expected="one")
    rows = math.ceil((draft.end - draft.start).total_seconds() / float(talkdesk.knobs["row_interval_seconds"]))
    ready = [entry["payload"].get("rows") for entry in outbox(context, job, "report_ready")]
    context.expect(ready == [rows], f"report_ready entries carry rows {ready}", expected=str([rows]))
    talkdesk.delete_file(job)
    expect_status(context, job, "deleted", "after its file was deleted")


# ---------------------------------------------------------------- TD-CANCEL


@CHECKS.check(
    "TD-CANCEL",
    "only created, processing or uploading jobs can be canceled; else 403 0330012",
    writes=True,
    plan=(
        "POST /data/reports/calls/jobs; DELETE .../jobs/{id} twice; GET .../jobs/{id}",
        "mock: jobs canceled while processing and uploading; done, failed and deleted ones refused",
    ),
)
def cancel(context: CheckContext) -> None:
    with steady(context):
        _cancel_created(context)
        if context.control is not None:
            if int(session(context).knobs["quota_simultaneous"]) < len(BY_STATUS) + 1:
                context.skip(f"the mock's quota_simultaneous is below {len(BY_STATUS) + 1}: no room for the clock part")
            _cancel_by_status(context)


def _cancel_created(context: CheckContext) -> None:
    talkdesk = session(context)
    job = talkdesk.make(talkdesk.window.base().body())
    response = talkdesk.cancel(job)
    skip_if_absent(context, response, "cancel")
    context.expect_status(response, 200, "DELETE of a created job")
    context.expect_shape(response, "the cancel answer", soft=True)
    expect_fields(context, job_of(json_body(response)), {"status": "canceled"}, "the cancel answer", response)
    expect_status(context, job, "canceled", "GET after the cancel")
    expect_error(context, talkdesk.cancel(job), "a second cancel", NOT_IN_THIS_STATUS)
    expect_error(context, talkdesk.cancel(talkdesk.missing()), "cancel of an unknown job", NOT_FOUND)


BY_STATUS = ("processing", "uploading", "done", "deleted")


def _cancel_by_status(context: CheckContext) -> None:
    talkdesk, plane = session(context), control(context)
    durations = steps(context)
    body = talkdesk.window.base().body()
    jobs = {label: talkdesk.make(body) for label in BY_STATUS}
    name = marker_name(context, "cancel")
    failing = talkdesk.make({**body, "name": name}) if name else None
    plane.advance(durations["created"])
    for label, wait in (("processing", 0.0), ("uploading", durations["processing"])):
        plane.advance(wait)
        if durations[label] > 0:
            response = talkdesk.cancel(jobs[label])
            context.expect_status(response, 200, f"DELETE of a {label} job")
            expect_fields(
                context, job_of(json_body(response)), {"status": "canceled"}, f"canceling a {label} job", response
            )
    finish(context)
    for label in ("processing", "uploading"):
        if durations[label] > 0:
            expect_status(context, jobs[label], "canceled", f"a job canceled while {label}, later")
    talkdesk.delete_file(jobs["deleted"])
    refused = [jobs["done"], jobs["deleted"], *([failing] if failing else [])]
    for job in refused:
        what = f"DELETE of a {read_job(context, talkdesk.get(job), 'GET')['status']} job"
        expect_error(context, talkdesk.cancel(job), what, NOT_IN_THIS_STATUS)


# ---------------------------------------------------------------- TD-QUOTA-15

QUOTA = Expected(429, "0330029")
QUOTA_LIMIT = 15


@CHECKS.check(
    "TD-QUOTA-15",
    "at most 15 jobs created, processing or uploading per account; the 16th is 429 0330029 with Retry-After",
    writes=True,
    plan=(
        "POST /data/reports/calls/jobs  16 times (15 + 1), then cancels",
        "mock: POST /_mock/clock; a canceled slot and a finished job free the quota; invalid bodies are 400 first",
    ),
)
def quota(context: CheckContext) -> None:
    if context.control is not None:
        _quota_mock(context)
    else:
        _quota_real(context)


def _expect_quota(context: CheckContext, response: httpx.Response, what: str, retry_after: int | None) -> None:
    expect_error(context, response, what, QUOTA)
    header = response.headers.get("retry-after", "")
    wanted = "a whole number of seconds, at least 1" if retry_after is None else str(retry_after)
    ok = header.isdigit() and int(header) >= 1 and (retry_after is None or int(header) == retry_after)
    context.expect(ok, f"{what}: Retry-After is {header!r}", expected=wanted, response=response, soft=True)


def _quota_mock(context: CheckContext) -> None:
    talkdesk = session(context)
    limit = int(talkdesk.knobs["quota_simultaneous"])
    with lifecycle(context) as plane:
        body = talkdesk.window.base().body()
        jobs = [talkdesk.make(body) for _ in range(limit)]
        waited = 1.0 if total_steps(context) > 1 else 0.0
        plane.advance(waited)
        retry_after = max(1, math.ceil(total_steps(context) - waited))
        _expect_quota(context, talkdesk.create(body, retry=False), f"create number {limit + 1}", retry_after)
        invalid = talkdesk.create({**body, "format": "xml"})
        context.expect_status(invalid, 400, "an invalid body at the quota (validation comes first)")
        talkdesk.cancel(jobs[0])
        context.expect_status(talkdesk.create(body), 202, "a create after one job was canceled")
        _expect_quota(context, talkdesk.create(body, retry=False), "the next create", retry_after)
        if talkdesk.second is not None:
            context.expect_status(talkdesk.create(body, client=talkdesk.second), 202, "another account's create")
        plane.advance(retry_after)
        context.expect_status(talkdesk.create(body), 202, f"a create {retry_after} s later (the first jobs are done)")


def _quota_real(context: CheckContext) -> None:
    talkdesk = session(context)
    body = talkdesk.window.base().body()
    jobs: list[JobRef] = []
    for number in range(1, QUOTA_LIMIT + 2):
        response = talkdesk.create(body, retry=False)
        if response.status_code == 429:
            _expect_quota(context, response, f"create number {number}", None)
            context.expect(
                number == QUOTA_LIMIT + 1,
                f"the quota answered at create number {number}",
                expected=f"{QUOTA_LIMIT + 1} (unless the account runs other jobs)",
                soft=True,
            )
            return
        job_id = created_id(response)
        if job_id is None:
            context.fail(
                f"create number {number} answered {response.status_code}",
                expected="202 or, at 16, 429",
                response=response,
            )
        jobs.append(JobRef("calls", job_id, talkdesk.client))
    running = [job.id for job in jobs[:QUOTA_LIMIT] if read_job(context, talkdesk.get(job), "GET")["status"] in RUNNING]
    context.expect(len(running) < QUOTA_LIMIT, "a 16th job was accepted while 15 were running", expected="429 0330029")
