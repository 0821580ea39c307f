"""Deliberately broken variants of the Talkdesk mock, each breaking exactly one documented rule.

A mutant changes one fresh `create_app()` only: it swaps that app's Talkdesk entry (a handler, the
error renderer, the authenticator, the body rules, the content-type switch or the backend class)
and never patches a module, so nothing leaks into other apps or tests.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response

from mockserver.core.auth import bearer_credential
from mockserver.core.errors import FieldProblem, Forbidden, MockError, ValidationFailed
from mockserver.core.vendor import Call
from mockserver.vendors.talkdesk import content
from mockserver.vendors.talkdesk.errors import RuleFailed, envelope
from mockserver.vendors.talkdesk.jobs import Job
from mockserver.vendors.talkdesk.models import TalkdeskBackend
from mockserver.vendors.talkdesk.timespan import iana_zones
from tests.conformance import surgery
from tests.conformance.surgery import Mutant

VENDOR = "talkdesk"
vendor_app = functools.partial(surgery.vendor_app, vendor=VENDOR)
replace_vendor = functools.partial(surgery.replace_vendor, vendor=VENDOR)
wrap_handler = functools.partial(surgery.wrap_handler, vendor=VENDOR)
drop_problems = functools.partial(surgery.drop_problems, vendor=VENDOR)


def wrap_json(app: Starlette, operation: str, change: Callable[[Call, dict[str, Any]], None]) -> None:
    """Rewrite the JSON body a handler answers (status and headers kept)."""

    def answer(call: Call, original: Callable[[Call], Response]) -> Response:
        response = original(call)
        body = json.loads(bytes(response.body))
        change(call, body)
        headers = {name: value for name, value in response.headers.items() if name.lower() == "location"}
        return JSONResponse(body, status_code=response.status_code, headers=headers)

    wrap_handler(app, operation, answer)


def with_backend(backend: type[TalkdeskBackend], **changes: Any) -> Callable[[Starlette], None]:
    return lambda app: replace_vendor(app, make_backend=backend, **changes)


# ---------------------------------------------------------------- tokens and accounts


class _Then:
    """A vendor context whose clock stands at the epoch (nothing has expired yet)."""

    def __init__(self, context: Any) -> None:
        self._context = context

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)

    def now(self) -> datetime:
        return datetime(1970, 1, 1, tzinfo=UTC)


def _tokens_never_expire(app: Starlette) -> None:
    original = vendor_app(app).vendor.authenticate
    replace_vendor(app, authenticate=lambda headers, body, context, op: original(headers, body, _Then(context), op))


def _scope_ignored(app: Starlette) -> None:
    original = vendor_app(app).vendor.authenticate

    def authenticate(headers: Any, body: Any, context: Any, operation: Any) -> str:
        try:
            return str(original(headers, body, context, operation))
        except Forbidden:
            return str(context.tokens.live(bearer_credential(headers), context.now()).tenant)

    replace_vendor(app, authenticate=authenticate)


def _any_grant(app: Starlette) -> None:
    def token(call: Call, original: Callable[[Call], Response]) -> Response:
        form = dict(parse_qsl(call.raw.decode("utf-8", "replace")))
        if form.get("grant_type"):
            form["grant_type"] = "client_credentials"
        return original(dataclasses.replace(call, raw=urlencode(form).encode()))

    wrap_handler(app, "requestAccessToken", token)


def _other_accounts_visible(app: Starlette) -> None:
    def get(call: Call, original: Callable[[Call], Response]) -> Response:
        job = call.backend.jobs.get(call.params["id"])
        if job is not None and job.type == call.params["type"]:
            return original(dataclasses.replace(call, tenant=job.account))
        return original(call)

    wrap_handler(app, "getReportJob", get)


class AnyType(TalkdeskBackend):
    def _check_type(self, report_type: str) -> None:
        pass


# ---------------------------------------------------------------- the create body


def _text_plain_accepted(app: Starlette) -> None:
    replace_vendor(app, require_json_content_type=False)


def _missing_field_code(app: Starlette) -> None:
    original = vendor_app(app).vendor.render_error

    def render(error: MockError, path: str) -> Response:
        if isinstance(error, ValidationFailed) and error.problems[0].rule == "TD-TIMESPAN-REQUIRED":
            return JSONResponse(envelope("0330001", "A mandatory field is missing", error.problems), status_code=400)
        return original(error, path)

    replace_vendor(app, render_error=render)


DATE_ONLY = re.compile(r"\d{4}-\d\d-\d\d")


def _date_only(problem: FieldProblem, body: Any) -> bool:
    name = problem.field.rsplit(".", 1)[-1]
    span = body.get("timespan") if isinstance(body, dict) else None
    value = span.get(name) if isinstance(span, dict) else None
    return (
        problem.field in ("timespan.from", "timespan.to")
        and isinstance(value, str)
        and bool(DATE_ONLY.fullmatch(value))
    )


def _json_default(app: Starlette) -> None:
    def create(call: Call, original: Callable[[Call], Response]) -> Response:
        return original(dataclasses.replace(call, body={"format": "json", **call.body}))

    wrap_handler(app, "createReportJob", create)


def _name_257(problem: FieldProblem, body: Any) -> bool:
    return problem.field == "name" and len(str(body.get("name"))) == 257


class UnknownZonesAsUtc(TalkdeskBackend):
    def create(self, account: str, report_type: str, body: Any, now: datetime) -> Job:
        fixed = {**body, "timespan": dict(body["timespan"])}
        for holder in (fixed, fixed["timespan"]):
            if isinstance(holder.get("timezone"), str) and holder["timezone"] not in iana_zones():
                holder["timezone"] = "UTC"
        return super().create(account, report_type, fixed, now)


class ReversedSpansAccepted(TalkdeskBackend):
    def create(self, account: str, report_type: str, body: Any, now: datetime) -> Job:
        try:
            return super().create(account, report_type, body, now)
        except RuleFailed as error:
            if any(problem.rule != "TD-TO-AFTER-FROM" for problem in error.problems):
                raise
            span = body["timespan"]
            swapped = {**body, "timespan": {**span, "from": span["to"], "to": span["from"]}}
            return super().create(account, report_type, swapped, now)


class _ShiftedKnob:
    """A vendor context that reads one knob off by `shift` (the config itself is untouched)."""

    def __init__(self, context: Any, name: str, shift: float) -> None:
        self._context, self._name, self._shift = context, name, shift

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)

    def knob(self, name: str) -> Any:
        value = self._context.knob(name)
        return value + self._shift if name == self._name else value


class SpanOfThirtyTwoDays(TalkdeskBackend):
    def __init__(self, context: Any) -> None:
        super().__init__(_ShiftedKnob(context, "max_span_days", 1))  # type: ignore[arg-type]


class FutureWithinAnHour(TalkdeskBackend):
    def create(self, account: str, report_type: str, body: Any, now: datetime) -> Job:
        try:
            return super().create(account, report_type, body, now)
        except RuleFailed as error:
            if any(problem.rule != "TD-TO-FUTURE" for problem in error.problems):
                raise
            return super().create(account, report_type, body, now + timedelta(hours=1))


def _inner_zone_echoed_as_utc(app: Starlette) -> None:
    def change(call: Call, body: dict[str, Any]) -> None:
        if call.body.get("timezone") is None and isinstance(call.body["timespan"].get("timezone"), str):
            body["timezone"] = body["job"]["timezone"] = "UTC"

    wrap_json(app, "createReportJob", change)


# ---------------------------------------------------------------- lifecycle and files


class QuotaOfSixteen(TalkdeskBackend):
    def _check_quota(self, account: str, now: datetime) -> None:
        running = [job for job in self._account_jobs(account) if job.running]
        if len(running) > int(self.context.knob("quota_simultaneous")):
            super()._check_quota(account, now)


def _processing_shown_as_running(app: Starlette) -> None:
    def change(call: Call, body: dict[str, Any]) -> None:
        if body.get("job", {}).get("status") == "processing":
            body["job"]["status"] = "running"

    wrap_json(app, "getReportJob", change)


def _done_answers_200(app: Starlette) -> None:
    def get(call: Call, original: Callable[[Call], Response]) -> Response:
        response = original(call)
        if response.status_code != 303:
            return response
        return JSONResponse(json.loads(bytes(response.body)))

    wrap_handler(app, "getReportJob", get)


class RetentionIgnored(TalkdeskBackend):
    def _expire(self, job: Job, due: datetime) -> None:
        pass


class RowLimitOffByOne(TalkdeskBackend):
    def _fail_at(self, name: str | None, rows: int) -> str | None:
        return super()._fail_at(name, rows + 1)


class DoneJobsCancelable(TalkdeskBackend):
    def cancel(self, account: str, report_type: str, job_id: str) -> Job:
        job = self.get(account, report_type, job_id)
        if job.status == "done":
            job.status = "canceled"
            return job
        return super().cancel(account, report_type, job_id)


class RunningFilesDeletable(TalkdeskBackend):
    def delete_file(self, account: str, report_type: str, job_id: str) -> None:
        job = self.get(account, report_type, job_id)
        if job.running:
            self.progression.stop(job)
            job.status = "deleted"
            return
        super().delete_file(account, report_type, job_id)


class SignedUrlsNeverExpire(TalkdeskBackend):
    def download(self, job_id: str, expires: str | None, signature: str | None, now: datetime) -> tuple[Job, bytes]:
        return super().download(job_id, expires, signature, datetime(1970, 1, 1, tzinfo=UTC))


class RowAtTo(TalkdeskBackend):
    def file_bytes(self, job: Job) -> bytes:
        span = dataclasses.replace(job.span, end=job.span.end + timedelta(microseconds=1))
        return content.render(job.type, job.format, content.rows(self.context.digest, job.type, span, job.interval))


def _next_link_always(app: Starlette) -> None:
    def change(call: Call, body: dict[str, Any]) -> None:
        body["_links"]["next"] = {"href": body["_links"]["self"]["href"]}

    wrap_json(app, "listReportJobs", change)


MUTANTS = (
    Mutant("any-grant-type", "TD-OAUTH", "any grant_type is taken as client_credentials", _any_grant),
    Mutant("tokens-never-expire", "TD-AUTH-TOKEN", "an access token never expires", _tokens_never_expire),
    Mutant("scope-ignored", "TD-SCOPE", "a token without the needed scope is let in", _scope_ignored),
    Mutant("other-accounts-jobs-visible", "TD-TENANT", "GET finds other accounts' jobs", _other_accounts_visible),
    Mutant("any-report-type", "TD-TYPE-KNOWN", "any {type} is accepted", with_backend(AnyType)),
    Mutant("text-plain-accepted", "TD-BODY-STRUCT", "a text/plain body is parsed as JSON", _text_plain_accepted),
    Mutant(
        "missing-field-is-0330001", "TD-TIMESPAN-REQUIRED", "a missing from/to is code 0330001", _missing_field_code
    ),
    Mutant(
        "date-only-accepted",
        "TD-DATETIME-FORMAT",
        "a date without a time is read as midnight",
        lambda app: drop_problems(app, None, _date_only),
    ),
    Mutant("json-by-default", "TD-FORMAT-ENUM", "an omitted format is json, not csv", _json_default),
    Mutant(
        "accepts-257-char-name",
        "TD-NAME-LEN",
        "a 257-character name passes",
        lambda app: drop_problems(app, None, _name_257),
    ),
    Mutant(
        "unknown-zones-as-utc",
        "TD-TZ-IANA",
        "non-IANA zone names are taken as UTC",
        with_backend(UnknownZonesAsUtc, body_rules={}),
    ),
    Mutant(
        "reversed-span-accepted",
        "TD-TO-AFTER-FROM",
        "a to before from is swapped, not refused",
        with_backend(ReversedSpansAccepted),
    ),
    Mutant("span-of-32-days", "TD-SPAN-31D", "spans up to 32 days pass", with_backend(SpanOfThirtyTwoDays)),
    Mutant(
        "inner-zone-echoed-as-utc",
        "TD-TZ-PLACEMENT",
        "the 202 shows UTC for a zone sent in timespan",
        _inner_zone_echoed_as_utc,
    ),
    Mutant(
        "future-within-an-hour", "TD-TO-FUTURE", "a to up to an hour ahead passes", with_backend(FutureWithinAnHour)
    ),
    Mutant("row-at-to", "TD-TIMESPAN-SEMANTICS", "the file has a row starting at to", with_backend(RowAtTo)),
    Mutant("quota-of-16", "TD-QUOTA-15", "the 16th running job is accepted", with_backend(QuotaOfSixteen)),
    Mutant(
        "processing-shown-as-running",
        "TD-STATUS-ENUM",
        "the status GET says running while processing",
        _processing_shown_as_running,
    ),
    Mutant("done-job-answers-200", "TD-JOB-303", "a done job's status GET is 200, no redirect", _done_answers_200),
    Mutant("retention-ignored", "TD-FILE-30D", "done files are kept forever", with_backend(RetentionIgnored)),
    Mutant("row-limit-off-by-one", "TD-ROW-LIMIT", "exactly row_limit rows fails", with_backend(RowLimitOffByOne)),
    Mutant("done-jobs-cancelable", "TD-CANCEL", "a done job can be canceled", with_backend(DoneJobsCancelable)),
    Mutant(
        "running-files-deletable",
        "TD-FILE-DELETE",
        "a running job's file delete answers 204",
        with_backend(RunningFilesDeletable),
    ),
    Mutant(
        "signed-urls-never-expire", "TD-SIGNED-URL", "signed URLs work forever", with_backend(SignedUrlsNeverExpire)
    ),
    Mutant("next-link-on-every-page", "TD-LIST-PAGE", "_links.next is on the last page too", _next_link_always),
)
