"""SendKit assertions shared by the checks.

Rule checks assert what their rule decides: the status, and for a 400 the `details[].field`s it
names (read leniently, so that a broken envelope fails SK-ERROR-BODY and nothing else). The
envelope itself, `{error, message, code, details?}`, is `expect_envelope`, used by SK-ERROR-BODY.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

import httpx

from conformance.context import CheckContext, compact, json_body
from conformance.vendors.sendkit.session import SendKitSession, data_of

ERROR_NAMES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    429: "Too Many Requests",
}
ERROR_MESSAGES = {
    400: "The request contains invalid parameters or malformed data",
    401: "Invalid or missing API key",
    403: "You don't have permission to access this resource",
    404: "The requested resource was not found",
    405: "The requested method is not allowed for this resource",
    409: "A report recipient with this email already exists",
    413: "The request body is too large",
    429: "Rate limit exceeded, please retry later",
}


def session(context: CheckContext) -> SendKitSession:
    assert isinstance(context.session, SendKitSession)
    return context.session


def named_fields(response: httpx.Response) -> list[str]:
    """The distinct `details[].field`s of an answer, in order (lenient: whatever is readable)."""
    body = json_body(response)
    details = body.get("details") if isinstance(body, dict) else None
    if not isinstance(details, list):
        return []
    fields = [item.get("field") for item in details if isinstance(item, dict)]
    return list(dict.fromkeys(str(field) for field in fields if field is not None))


def expect_refused(
    context: CheckContext,
    response: httpx.Response,
    what: str,
    status: int,
    fields: tuple[str, ...] | None = None,
    *,
    soft: bool = False,
    alternative: int | None = None,
) -> bool:
    """`status` (or, as a warning, `alternative`); a 400 must name exactly `fields` in its details.

    Returns whether the target refused with the expected status."""
    wanted = f"{status}" + ("" if fields is None else f" naming {list(fields)}")
    if alternative is not None and response.status_code == alternative:
        context.expect(False, f"{what}: answered {alternative}", expected=wanted, response=response, soft=True)
        return False
    if not context.expect(
        response.status_code == status,
        f"{what}: status {response.status_code}",
        expected=wanted,
        response=response,
        soft=soft,
    ):
        return False
    if fields is not None:
        named = named_fields(response)
        context.expect(
            named == list(fields),
            f"{what}: details name {named or 'no field'}",
            expected=f"details naming exactly {list(fields)}",
            response=response,
            soft=soft,
        )
    return True


def envelope_problems(response: httpx.Response) -> list[str]:
    """What is wrong with an error body, as CONTRACTS 3.4 fixes it (message texts excepted)."""
    body = json_body(response)
    status = response.status_code
    if not isinstance(body, dict):
        return ["the body is not a JSON object"]
    problems = []
    name = ERROR_NAMES.get(status)
    if not isinstance(body.get("error"), str) or (name is not None and body["error"] != name):
        problems.append(f"error is {compact(body.get('error'))}, not {name!r}")
    if not isinstance(body.get("message"), str) or not body["message"]:
        problems.append("message is not a non-empty string")
    code = body.get("code")
    if not isinstance(code, int) or isinstance(code, bool) or code != status:
        problems.append(f"code is {compact(code)}, not the integer {status}")
    if status == 400:
        details = body.get("details")
        well_formed = isinstance(details, list) and bool(details) and all(_is_detail(item) for item in details)
        if not well_formed:
            problems.append("details is not a non-empty list of {field, message} strings")
    elif "details" in body:
        problems.append(f"a {status} carries details")
    extra = sorted(set(body) - {"error", "message", "code", "details"})
    if extra:
        problems.append(f"unexpected members {extra}")
    return problems


def _is_detail(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("field"), str) and isinstance(item.get("message"), str)


def expect_envelope(context: CheckContext, response: httpx.Response, what: str, status: int) -> None:
    """SK-ERROR-BODY: the status, the envelope (hard) and its message text (soft)."""
    context.expect_status(response, status, what)
    problems = envelope_problems(response)
    context.expect(
        not problems,
        f"{what}: not the SendKit error envelope ({'; '.join(problems)})",
        expected="{error, message, code}" + (" with details[{field, message}]" if status == 400 else ""),
        response=response,
    )
    body = json_body(response)
    message = ERROR_MESSAGES.get(status)
    if message is not None and isinstance(body, dict):
        context.expect(
            body.get("message") == message,
            f"{what}: message {compact(body.get('message'))}",
            expected=repr(message),
            response=response,
            soft=True,
        )
        context.expect(
            list(body)[:3] == ["error", "message", "code"],
            f"{what}: members in the order {list(body)}",
            expected="error, message, code[, details]",
            response=response,
            soft=True,
        )


def fetch(context: CheckContext, response: httpx.Response, what: str, *, soft: bool = False) -> dict[str, Any]:
    """The `data` object of a 200 `{success, data}` answer (an empty dict when it is not one)."""
    data = data_of(response)
    ok = response.status_code == 200 and isinstance(data, dict)
    context.expect(
        ok, f"{what}: answered {response.status_code}", expected="200 {success, data}", response=response, soft=soft
    )
    return data if ok and isinstance(data, dict) else {}


def expect_fields(
    context: CheckContext,
    found: Mapping[str, Any],
    expected: Mapping[str, Any],
    what: str,
    response: httpx.Response | None = None,
    *,
    soft: bool = False,
) -> None:
    """Each expected member has the expected value (and JSON type)."""
    for name, value in expected.items():
        got = found.get(name)
        same = got == value and type(got) is type(value)
        context.expect(same, f"{what}: {name} is {compact(got)}", expected=compact(value), response=response, soft=soft)


@contextlib.contextmanager
def frozen_clock(context: CheckContext) -> Iterator[None]:
    """Hold the mock's clock still for the block (nothing to do without a control plane)."""
    if context.control is None:
        yield
        return
    with context.control.frozen_clock():
        yield


@contextlib.contextmanager
def knobs(context: CheckContext, patch: Mapping[str, Any]) -> Iterator[None]:
    """Set some `sendkit.*` knobs for the block (mock only) and put them back."""
    if context.control is None:
        yield
        return
    with context.control.knobs("sendkit", patch):
        yield
