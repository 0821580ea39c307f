"""The Talkdesk backend: tokens, report jobs per account, their progression, quota and files.

Pure Python, no HTTP: it takes validated input, raises core errors (and the vendor's own),
and arms timers on the shared scheduler (CONTRACTS.md 2.1 to 2.10).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from mockserver.core.errors import NotFound, RateLimited
from mockserver.core.progression import Progression
from mockserver.core.spec import load_spec
from mockserver.core.tenants import Tenants
from mockserver.core.timefmt import iso_z
from mockserver.core.vendor import VendorContext
from mockserver.vendors.talkdesk import content
from mockserver.vendors.talkdesk.errors import RETRY_AFTER_UNKNOWN, NotInThisStatus, SignatureRejected
from mockserver.vendors.talkdesk.jobs import DEFAULT_FAIL_STEP, RUNNING, Job, fail_step
from mockserver.vendors.talkdesk.oauth import TokenRequest, grant
from mockserver.vendors.talkdesk.timespan import resolve_span, resolved_zone

DEFAULT_FORMAT = load_spec("talkdesk").schema("ReportFormat")["default"]
HEX = "0123456789abcdef"
TOKEN_LENGTH = 40
FILE_GONE = "The report file is not available"


class TalkdeskBackend:
    def __init__(self, context: VendorContext) -> None:
        self.context = context
        self.progression = Progression(context)
        self.accounts: Tenants[dict[str, Job]] = Tenants(dict)
        self.jobs: dict[str, Job] = {}  # every job by id, for the signed file URL (which names no account)

    # tokens (TD-OAUTH)

    def issue_token(self, request: TokenRequest, now: datetime) -> dict[str, Any]:
        account, scopes = grant(request, self.context.knob("clients"))
        ttl = int(self.context.knob("token_ttl_seconds"))
        value = self.context.ids.token(TOKEN_LENGTH, HEX)
        while value in self.context.tokens:
            value = self.context.ids.token(TOKEN_LENGTH, HEX)
        self.context.tokens.issue(value, account, scopes, now + timedelta(seconds=ttl), now)
        return {"access_token": value, "token_type": "Bearer", "expires_in": ttl, "scope": " ".join(scopes)}

    # jobs

    def create(self, account: str, report_type: str, body: Mapping[str, Any], now: datetime) -> Job:
        self._check_type(report_type)
        span = resolve_span(body["timespan"], resolved_zone(body), now, float(self.context.knob("max_span_days")))
        self._check_quota(account, now)
        interval = int(self.context.knob("row_interval_seconds"))
        rows = content.row_count(span, interval)
        job = Job(
            id=self._new_id(),
            account=account,
            type=report_type,
            name=body.get("name"),
            format=body.get("format", DEFAULT_FORMAT),
            timespan={"from": body["timespan"]["from"], "to": body["timespan"]["to"]},
            span=span,
            interval=interval,
            rows=rows,
            fail_at=self._fail_at(body.get("name"), rows),
            on_step=self._on_step,
        )
        self.accounts[account][job.id] = job
        self.jobs[job.id] = job
        self.progression.start(job, now)
        return job

    def page(self, account: str, report_type: str, page: int, per_page: int) -> tuple[list[Job], int]:
        self._check_type(report_type)
        jobs = [job for job in self._account_jobs(account) if job.type == report_type]
        start = (page - 1) * per_page
        return jobs[start : start + per_page], len(jobs)

    def read(self, account: str, report_type: str, job_id: str, now: datetime) -> Job:
        """A status or files GET: in `polls` mode it moves the job before the answer."""
        job = self.get(account, report_type, job_id)
        if job.running and job.track.timer is None:
            self.progression.read(job, now)
        return job

    def read_file(self, account: str, report_type: str, job_id: str, now: datetime) -> Job:
        """A files GET: a running or done job; a failed, canceled or deleted one has no file."""
        job = self.read(account, report_type, job_id, now)
        if not job.running and job.status != "done":
            raise NotFound(FILE_GONE)
        return job

    def get(self, account: str, report_type: str, job_id: str) -> Job:
        self._check_type(report_type)
        jobs = self.accounts.peek(account)
        job = jobs.get(job_id) if jobs else None
        if job is None or job.type != report_type:
            raise NotFound("The report job was not found")
        return job

    def cancel(self, account: str, report_type: str, job_id: str) -> Job:
        job = self.get(account, report_type, job_id)
        if not job.running:
            raise NotInThisStatus(f"A {job.status} job cannot be canceled")
        self.progression.stop(job)
        job.status = "canceled"
        return job

    def delete_file(self, account: str, report_type: str, job_id: str) -> None:
        job = self.get(account, report_type, job_id)
        if job.status == "deleted":
            raise NotFound(FILE_GONE)
        if job.status != "done":
            raise NotInThisStatus(f"The file of a {job.status} job cannot be deleted")
        job.status = "deleted"

    # files (TD-SIGNED-URL)

    def signed_url(self, job: Job, base: str, now: datetime) -> str:
        expires = math.floor(now.timestamp()) + int(self.context.knob("signed_url_ttl_seconds"))
        return f"{base}/_mock/files/talkdesk/{job.id}?expires={expires}&signature={self._signature(job.id, expires)}"

    def download(self, job_id: str, expires: str | None, signature: str | None, now: datetime) -> tuple[Job, bytes]:
        seconds = _unix_seconds(expires)
        if signature is None or seconds is None:
            raise SignatureRejected("The download URL is not valid")
        if not hmac.compare_digest(signature.encode(), self._signature(job_id, seconds).encode()):
            raise SignatureRejected("The download URL is not valid")
        if now.timestamp() >= seconds:
            raise SignatureRejected("The download URL has expired")
        job = self.jobs.get(job_id)
        if job is None or job.status != "done":
            raise NotFound(FILE_GONE)
        return job, self.file_bytes(job)

    def file_bytes(self, job: Job) -> bytes:
        entries = content.rows(self.context.digest, job.type, job.span, job.interval)
        return content.render(job.type, job.format, entries)

    def _signature(self, job_id: str, expires: int) -> str:
        text = f"{self.context.seed}|{self.context.name}|{job_id}|{expires}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    # rules

    def _check_type(self, report_type: str) -> None:
        if report_type not in self.context.knob("report_types"):
            raise NotFound(f"Unknown report type: {report_type}")

    def _account_jobs(self, account: str) -> list[Job]:
        jobs = self.accounts.peek(account)
        return list(jobs.values()) if jobs else []

    def _check_quota(self, account: str, now: datetime) -> None:
        running = [job for job in self._account_jobs(account) if job.running]
        if len(running) >= int(self.context.knob("quota_simultaneous")):
            message = f"The account already has {len(running)} reports executing or enqueued"
            raise RateLimited(message, self._retry_after(running, now))

    def _retry_after(self, running: list[Job], now: datetime) -> int:
        """Whole seconds (at least 1) until the first running job is due to leave the running states."""
        leaving = [self._leaves_running_at(job) for job in running if job.track.timer is not None]
        if not leaving:
            return RETRY_AFTER_UNKNOWN
        return max(1, math.ceil((min(leaving) - now).total_seconds()))

    def _leaves_running_at(self, job: Job) -> datetime:
        assert job.track.timer is not None
        steps = self.context.knob("step_seconds")
        immediate = self.progression.mode == "immediate"
        at, status = job.track.timer.due, job.next_status()
        while status in RUNNING:
            at += timedelta(seconds=0 if immediate else float(steps[status]))
            status = job.next_status(status)
        return at

    def _fail_at(self, name: str | None, rows: int) -> str | None:
        marker = self.context.knob("fail_name_marker")
        rule = self.context.take_failure(name)
        return fail_step(
            [
                DEFAULT_FAIL_STEP if marker and name is not None and marker in name else None,
                DEFAULT_FAIL_STEP if rows > int(self.context.knob("row_limit")) else None,
                (rule.step or DEFAULT_FAIL_STEP) if rule is not None else None,
            ]
        )

    def _new_id(self) -> str:
        job_id = self.context.ids.uuid4()
        while job_id in self.jobs:
            job_id = self.context.ids.uuid4()
        return job_id

    # lifecycle

    def _on_step(self, job: Job, at: datetime) -> None:
        if job.status == "done":
            self._deliver(job, "report_ready", at)
            retention = timedelta(seconds=float(self.context.knob("file_retention_seconds")))
            self.context.at(at + retention, functools.partial(self._expire, job))
        elif job.status == "failed":
            self._deliver(job, "report_failed", at)

    def _expire(self, job: Job, due: datetime) -> None:
        """TD-FILE-30D: a done job's file is gone after the retention time."""
        if job.status == "done":
            job.status = "deleted"

    def _deliver(self, job: Job, kind: str, at: datetime) -> None:
        self.context.outbox.add(
            vendor=self.context.name,
            tenant=job.account,
            kind=kind,
            resource_id=job.id,
            destination=None,
            at=at,
            payload={"type": job.type, "job": job.to_json(), "rows": job.rows},
        )


def _unix_seconds(text: str | None) -> int | None:
    """`expires` of a signed URL: 1 to 20 ASCII digits, else None."""
    if text is None or not 0 < len(text) <= 20 or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def describe(backend: TalkdeskBackend) -> dict[str, list[dict[str, Any]]]:
    """Jobs per account, for the dashboard."""
    return {
        account: [
            {
                "id": job.id,
                "type": job.type,
                "name": job.name,
                "status": job.status,
                "format": job.format,
                "rows": job.rows,
                "next_step": iso_z(job.track.timer.due) if job.track.timer else None,
            }
            for job in jobs.values()
        ]
        for account, jobs in backend.accounts.items()
    }
