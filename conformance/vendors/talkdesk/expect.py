"""Talkdesk assertions shared by the checks: the page's error envelope and the fields it names, the
OAuth error shape, a job read back, and the mock-only helpers that move a job along its lifecycle.

Error `code` strings and `description` texts are soft (a warning against a real endpoint); the
status, the envelope's shape and the field names it gives are hard.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from conformance.context import CheckContext, compact, json_body
from conformance.control import ControlPlane
from conformance.failures import SetupError
from conformance.vendors.talkdesk.session import JobRef, TalkdeskSession, job_of

STATUSES = ("created", "processing", "uploading", "done", "failed", "canceled", "deleted")
RUNNING = STATUSES[:3]
DESCRIPTIONS = {
    "0330001": "Bad request",
    "0330002": "Bad request",
    "0330003": "Bad request",
    "0330004": "Bad request",
    "0330005": "Bad request",
    "0330006": "Bad request",
    "0330010": "Unauthorized",
    "0330011": "Forbidden",
    "0330012": "Inputs misconfiguration",
    "0330013": "Not found",
    "0330016": "Forbidden",
    "0330029": "Too many requests",
}


@dataclass(frozen=True)
class Expected:
    """An error answer: status, `code`, and the `fields[].name`s (empty: `fields` is `[]`)."""

    status: int
    code: str
    fields: tuple[str, ...] = ()
    alternative: int | None = None  # another status a real endpoint may give (a warning)

    def text(self) -> str:
        named = f" naming {', '.join(self.fields)}" if self.fields else " with fields []"
        return f"{self.status} {self.code}{named}"


NOT_FOUND = Expected(404, "0330013")
NOT_IN_THIS_STATUS = Expected(403, "0330012")
UNAUTHORIZED = Expected(401, "0330010")
FORBIDDEN = Expected(403, "0330011")


def session(context: CheckContext) -> TalkdeskSession:
    assert isinstance(context.session, TalkdeskSession)
    return context.session


def control(context: CheckContext) -> ControlPlane:
    assert context.control is not None, "declared needs_control"
    return context.control


def envelope_problems(body: Any) -> list[str]:
    """What is wrong with the page's error envelope `{code, description, message, fields}`."""
    if not isinstance(body, dict):
        return ["the body is not a JSON object"]
    problems = [f"{name} is not a string" for name in ("code", "description") if not isinstance(body.get(name), str)]
    if "message" in body and not isinstance(body["message"], str):
        problems.append("message is not a string")
    fields = body.get("fields")
    if not isinstance(fields, list) or not all(_is_field(item) for item in fields):
        problems.append("fields is not a list of {name, description}")
    return problems


def _is_field(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("description"), str)


def expect_error(context: CheckContext, response: httpx.Response, what: str, expected: Expected) -> None:
    """The answer is `expected` in the page's envelope; code and description are soft."""
    if expected.alternative is not None and response.status_code == expected.alternative:
        context.expect(
            False, f"{what}: status {response.status_code}", expected=expected.text(), response=response, soft=True
        )
    else:
        context.expect(
            response.status_code == expected.status,
            f"{what}: status {response.status_code}",
            expected=expected.text(),
            response=response,
        )
    body = context.enveloped(response, what, "error envelope", envelope_problems, expected.text())
    if body is None:
        return
    named = list(dict.fromkeys(item["name"] for item in body["fields"]))
    context.expect(
        named == list(expected.fields),
        f"{what}: fields name {named or 'nothing'}",
        expected=expected.text(),
        response=response,
    )
    context.expect(
        body["code"] == expected.code,
        f"{what}: code {body['code']!r}",
        expected=expected.text(),
        response=response,
        soft=True,
    )
    context.expect(
        body["description"] == DESCRIPTIONS.get(expected.code, body["description"]),
        f"{what}: description {body['description']!r}",
        expected=repr(DESCRIPTIONS.get(expected.code)),
        response=response,
        soft=True,
    )


def expect_oauth_error(
    context: CheckContext, response: httpx.Response, what: str, status: int, error: str, *, challenge: bool = False
) -> None:
    """`{"error", "error_description"}` with the OAuth `error` code (and `WWW-Authenticate: Basic` on a 401)."""
    expected = f"{status} {error}"
    context.expect(
        response.status_code == status, f"{what}: status {response.status_code}", expected=expected, response=response
    )
    body = json_body(response)
    shaped = isinstance(body, dict) and isinstance(body.get("error"), str)
    context.expect(shaped, f"{what}: not an OAuth error body", expected=expected, response=response)
    context.expect(body["error"] == error, f"{what}: error {body['error']!r}", expected=expected, response=response)
    context.expect(
        isinstance(body.get("error_description"), str),
        f"{what}: error_description is not a string",
        expected=expected,
        response=response,
        soft=True,
    )
    if challenge:
        header = response.headers.get("www-authenticate", "")
        context.expect(
            header.split(" ", 1)[0].lower() == "basic",
            f"{what}: WWW-Authenticate is {header!r}",
            expected="Basic",
            response=response,
        )


# ---------------------------------------------------------------- jobs


def read_job(context: CheckContext, response: httpx.Response, what: str) -> dict[str, Any]:
    """The job of a status answer: 200, or 303 once done (elsewhere any 3xx with Location will do, and
    one without the job in its body reads as `done`, with a warning: CONTRACTS 2.13)."""
    job = job_of(json_body(response))
    redirect = response.status_code == 303 if context.target.is_mock else response.is_redirect
    if (response.status_code == 200 or redirect) and job is not None and isinstance(job.get("status"), str):
        return job
    if not context.target.is_mock and response.is_redirect:
        context.expect(
            False, f"{what}: a bare {response.status_code}", expected="303 with the job", response=response, soft=True
        )
        return {"status": "done"}
    context.fail(
        f"{what}: answered {response.status_code}", expected="200 (or 303 once done) with the job", response=response
    )


def status(context: CheckContext, job: JobRef, what: str) -> str:
    return str(read_job(context, session(context).get(job), what)["status"])


def expect_status(context: CheckContext, job: JobRef, wanted: str, what: str) -> httpx.Response:
    response = session(context).get(job)
    got = read_job(context, response, what)["status"]
    context.expect(got == wanted, f"{what}: status {got!r}", expected=repr(wanted), response=response)
    return response


def expect_fields(context: CheckContext, job: Any, wanted: dict[str, Any], what: str, response: httpx.Response) -> None:
    """The job shows each wanted field (hard); used for echoes the contract fixes everywhere."""
    got = {name: job.get(name) for name in wanted} if isinstance(job, dict) else job
    context.expect(got == wanted, f"{what}: {compact(got)}", expected=compact(wanted), response=response)


# ---------------------------------------------------------------- the mock's lifecycle


def steps(context: CheckContext) -> dict[str, float]:
    return {name: float(value) for name, value in session(context).knobs["step_seconds"].items()}


def total_steps(context: CheckContext) -> float:
    return sum(steps(context).values())


@contextlib.contextmanager
def lifecycle(context: CheckContext, **knobs: Any) -> Iterator[ControlPlane]:
    """Freeze the mock's clock and let jobs move by clock time (`progression: time`) for the block."""
    plane = control(context)
    with plane.frozen_clock(), plane.knobs("talkdesk", {"progression": "time", **knobs}):
        yield plane


@contextlib.contextmanager
def steady(context: CheckContext) -> Iterator[None]:
    """Against the mock, jobs stay where the check puts them (as `lifecycle`); elsewhere nothing changes."""
    if context.control is None:
        yield
        return
    with lifecycle(context):
        yield


def finish(context: CheckContext) -> None:
    """Move the clock past every step: jobs created so far are done (or failed)."""
    control(context).advance(math.ceil(total_steps(context)))


def location_path(context: CheckContext, response: httpx.Response, what: str) -> str:
    """The redirect target relative to the target's base URL (it must be on the same host)."""
    location = str(response.headers.get("location", ""))
    base = context.target.base_url
    context.expect(
        response.status_code == 303 and bool(location),
        f"{what}: answered {response.status_code} (Location {location!r})",
        expected="303 with a Location",
        response=response,
    )
    if not location.startswith(base + "/"):
        raise SetupError(f"{what}: the Location {location!r} is not on {base}")
    return location[len(base) :]


def download(context: CheckContext, job: JobRef, what: str) -> httpx.Response:
    """Follow a done job's files 303 to its signed URL (without credentials) and GET it."""
    redirect = session(context).get_file(job)
    return context.target.request("GET", location_path(context, redirect, what))


def outbox(context: CheckContext, job: JobRef, kind: str) -> list[dict[str, Any]]:
    return control(context).outbox(vendor="talkdesk", tenant=job.client.id, resource_id=job.id, kind=kind)
