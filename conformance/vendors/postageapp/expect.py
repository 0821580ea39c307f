"""PostageApp assertions shared by the checks: the `{"response": {status, uid, message}, "data":
{"errors": [...]}}` envelope and the fields its errors name, successes, and the event object.

Soft against a non-mock target (CONTRACTS 0.7 and 4.13): an HTTP 200 carrying the error in its body,
`message` texts and the exact `data.errors` strings (the field each names stays hard), and whether
`schedule`, `frequency` or both appear outside create. The taken-uid body is hard everywhere.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import httpx

from conformance.context import CheckContext, compact, json_body
from conformance.vendors.postageapp.session import PostageSession
from mockserver.core.timefmt import parse_instant

SCHEDULED_AT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")
NAMED = re.compile(r"(events\[\d+\]: )?\[:[^\]]*\]")
NOT_FOUND_MESSAGE = "Can not find scheduled event from the given UID"
UNAUTHORIZED_MESSAGE = "Invalid or inactive account API key used."
SUMMARIES = {
    "create_scheduled_event": "Could not create scheduled event.",
    "create_scheduled_events": "Could not create scheduled events.",
    "get_scheduled_event": "Could not get scheduled event.",
    "update_scheduled_event": "Could not update scheduled event.",
    "list_scheduled_events": "Could not list scheduled events.",
    "delete_scheduled_event": "Could not delete scheduled event.",
}
UNSET: Any = object()


@dataclass(frozen=True)
class Expected:
    """An error answer: HTTP status, `response.status`, `message`, `data.errors` (None: none) and `uid`."""

    http: int
    status: str
    message: str | None = None
    errors: tuple[str, ...] | None = None
    uid: Any = UNSET
    exact: bool = False  # the texts are hard too (the taken-uid body the vendor page quotes)
    soft_status: bool = False  # `response.status` may differ on a real endpoint

    def text(self) -> str:
        named = "" if self.errors is None else f" with data.errors {list(self.errors)}"
        return f"{self.http} {self.status}{named}"

    def carrying(self, uid: Any) -> Expected:
        return replace(self, uid=uid)


def invalid(method: str, *errors: str, uid: Any = None) -> Expected:
    """A scheduled-event method's 400 listing `errors`."""
    return Expected(400, "bad_request", SUMMARIES[method], tuple(errors), uid)


def not_found(uid: Any) -> Expected:
    return Expected(404, "not_found", NOT_FOUND_MESSAGE, None, uid)


def session(context: CheckContext) -> PostageSession:
    assert isinstance(context.session, PostageSession)
    return context.session


def named(error: str) -> str:
    """The part of an error string that names the field: `[:uid]`, `events[1]: [:schedule]`."""
    found = NAMED.match(error)
    return found.group(0) if found else error


def carried(fields: Any) -> Any:
    """The uid a scheduled-event request carried (`arguments` wins), or None."""
    if not isinstance(fields, dict):
        return None
    uid = fields.get("uid")
    if isinstance(fields.get("arguments"), dict) and "uid" in fields["arguments"]:
        uid = fields["arguments"]["uid"]
    return uid if isinstance(uid, str) else None


def envelope_problems(body: Any) -> list[str]:
    inner = body.get("response") if isinstance(body, dict) else None
    if not isinstance(inner, dict):
        return ['the body is not {"response": {...}}']
    problems = [
        f"response.{name} is not a string" for name in ("status", "message") if not isinstance(inner.get(name), str)
    ]
    if "uid" not in inner or not (inner["uid"] is None or isinstance(inner["uid"], str)):
        problems.append("response.uid is missing or neither a string nor null")
    return problems


def expect_http(context: CheckContext, response: httpx.Response, status: int, what: str) -> None:
    """The HTTP status; a real endpoint may answer 200 whatever `response.status` says (a warning)."""
    if response.status_code == status:
        return
    soft = response.status_code == 200
    context.expect(False, f"{what}: HTTP {response.status_code}", expected=str(status), response=response, soft=soft)


def expect_error(context: CheckContext, response: httpx.Response, what: str, expected: Expected) -> None:
    """The answer is `expected` in the PostageApp envelope."""
    expect_http(context, response, expected.http, what)
    body = context.enveloped(response, what, "PostageApp envelope", envelope_problems, expected.text())
    if body is None:
        return
    inner = body["response"]
    context.expect(
        inner["status"] == expected.status,
        f"{what}: response.status {inner['status']!r}",
        expected=expected.text(),
        response=response,
        soft=expected.soft_status,
    )
    if expected.uid is not UNSET:
        context.expect(
            inner["uid"] == expected.uid,
            f"{what}: response.uid {compact(inner['uid'])}",
            expected=f"the uid the request carried, {compact(expected.uid)}",
            response=response,
        )
    if expected.message is not None:
        context.expect(
            inner["message"] == expected.message,
            f"{what}: response.message {inner['message']!r}",
            expected=repr(expected.message),
            response=response,
            soft=not expected.exact,
        )
    _expect_errors(context, response, what, expected, body.get("data"))


def _expect_errors(context: CheckContext, response: httpx.Response, what: str, expected: Expected, data: Any) -> None:
    errors = data.get("errors") if isinstance(data, dict) else None
    if expected.errors is None:
        context.expect(
            errors is None,
            f"{what}: data.errors on this error",
            expected="no data.errors",
            response=response,
            soft=True,
        )
        return
    well_formed = isinstance(errors, list) and all(isinstance(item, str) for item in errors)
    assert errors is None or isinstance(errors, list)
    if not context.expect(
        well_formed,
        f"{what}: data.errors is {compact(errors)}",
        expected=compact(list(expected.errors)),
        response=response,
    ):
        return
    assert isinstance(errors, list)
    context.expect(
        [named(item) for item in errors] == [named(item) for item in expected.errors],
        f"{what}: data.errors name {[named(item) for item in errors]}",
        expected=compact(list(expected.errors)),
        response=response,
    )
    context.expect(
        errors == list(expected.errors),
        f"{what}: data.errors {compact(errors)}",
        expected=compact(list(expected.errors)),
        response=response,
        soft=not expected.exact,
    )


def expect_ok(context: CheckContext, response: httpx.Response, what: str) -> dict[str, Any]:
    """HTTP 200 with `response.status: ok`; returns the body."""
    body = json_body(response)
    inner = body.get("response") if isinstance(body, dict) else None
    status = inner.get("status") if isinstance(inner, dict) else None
    context.expect(
        response.status_code == 200 and status == "ok",
        f"{what}: HTTP {response.status_code}, response.status {status!r}",
        expected="200 with response.status ok",
        response=response,
    )
    assert isinstance(body, dict)
    return body


def event_of(context: CheckContext, response: httpx.Response, what: str) -> dict[str, Any]:
    """The `data` event of a successful create, get or update."""
    data = expect_ok(context, response, what).get("data")
    context.expect(isinstance(data, dict), f"{what}: data is {compact(data)}", expected="the event", response=response)
    assert isinstance(data, dict)
    return data


def fetch(
    context: CheckContext, uid: str, what: str, *, key: str | None = None
) -> tuple[dict[str, Any], httpx.Response]:
    """get_scheduled_event; the event must be there."""
    response = session(context).get(uid, key=key)
    return event_of(context, response, what), response


def schedule_text(event: dict[str, Any]) -> Any:
    """The schedule string as stored: `frequency` (create) or `schedule` (get and list), whichever is there."""
    return event["frequency"] if "frequency" in event else event.get("schedule")


def scheduled_at(context: CheckContext, event: dict[str, Any], what: str, response: httpx.Response) -> datetime | None:
    """`scheduled_at` parsed; it must be null or `YYYY-MM-DDTHH:MM:SS+00:00`."""
    value = event.get("scheduled_at")
    ok = value is None or (isinstance(value, str) and SCHEDULED_AT.fullmatch(value) is not None)
    context.expect(
        ok, f"{what}: scheduled_at is {compact(value)}", expected="YYYY-MM-DDTHH:MM:SS+00:00 or null", response=response
    )
    return parse_instant(value) if isinstance(value, str) else None


def stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def now_of(context: CheckContext) -> datetime:
    """The target's now: the mock's clock, else this machine's (a real endpoint keeps real time)."""
    if context.control is not None:
        return context.control.now()
    return datetime.now(UTC).replace(microsecond=0)


@contextlib.contextmanager
def frozen_clock(context: CheckContext) -> Iterator[None]:
    """Hold the mock's clock still for the block (nothing to do without a control plane)."""
    if context.control is None:
        yield
        return
    with context.control.frozen_clock():
        yield


def outbox(context: CheckContext, uid: str, key: str | None = None) -> list[dict[str, Any]]:
    """The mock's `send_message` entries for one event (or message) uid of the project."""
    assert context.control is not None, "declared needs_control"
    tenant = key or session(context).key
    return context.control.outbox(vendor="postageapp", tenant=tenant, resource_id=uid, kind="send_message")
