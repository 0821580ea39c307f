"""The PostageApp error envelope: `{"response": {status, uid, message}, "data"?: {"errors": [...]}}`.

One table maps every core error to its HTTP status, `response.status` and message
(CONTRACTS.md 4.6). `send_message` answers put `uid` first, every other method `status`
first, as the vendor's examples show.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

from mockserver.core.errors import (
    BodyTooLarge,
    Conflict,
    FieldProblem,
    Forbidden,
    InjectedFault,
    MalformedBody,
    MethodNotAllowed,
    MockError,
    NotFound,
    RateLimited,
    RelationNotFound,
    RouteNotFound,
    Unauthorized,
    ValidationFailed,
)
from mockserver.core.responses import JSONResponse

NOT_FOUND_MESSAGE = "Can not find scheduled event from the given UID"
UNAUTHORIZED_MESSAGE = "Invalid or inactive account API key used."
INTERNAL_MESSAGE = "Internal server error"
_METHOD = re.compile(r"/v\.1\.[01]/(?P<name>.*?)(?:\.json)?")

# error class -> (HTTP status, response.status, message); None keeps the error's own message
_BY_CLASS: dict[type[MockError], tuple[int, str, str | None]] = {
    MethodNotAllowed: (405, "call_error", "Only POST requests are supported"),
    BodyTooLarge: (413, "bad_request", "Request body is too large"),
    Unauthorized: (401, "unauthorized", UNAUTHORIZED_MESSAGE),
    Forbidden: (401, "unauthorized", UNAUTHORIZED_MESSAGE),
    NotFound: (404, "not_found", NOT_FOUND_MESSAGE),
    ValidationFailed: (400, "bad_request", None),
    Conflict: (400, "bad_request", None),
    RelationNotFound: (400, "bad_request", None),
    RateLimited: (429, "fail", None),
}

# MalformedBody.reason -> (HTTP status, response.status, message)
_BY_REASON: dict[str, tuple[int, str, str]] = {
    "json": (406, "invalid_json", "The posted content is not valid JSON."),
    "empty": (406, "invalid_json", "The posted content is not valid JSON."),
    "content_type": (406, "invalid_json", "The posted content is not valid JSON."),
    "utf8": (406, "invalid_utf8", "The posted content contains an invalid UTF-8 character."),
    "not_object": (400, "bad_request", "Request body must be a JSON object"),
}

# injected HTTP status -> (response.status, message); other statuses are `fail`
_BY_STATUS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Bad request"),
    401: ("unauthorized", UNAUTHORIZED_MESSAGE),
    404: ("not_found", NOT_FOUND_MESSAGE),
    406: ("invalid_json", "The posted content is not valid JSON."),
    413: ("bad_request", "Request body is too large"),
}


class PostageError(MockError):
    """An answer in the vendor's envelope that the core has no class for (validation, unknown uid)."""

    def __init__(
        self, http_status: int, status: str, message: str, uid: str | None = None, errors: list[str] | None = None
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.status = status
        self.uid = uid
        self.errors = errors


class EventNotFound(NotFound):
    """PA-EVENT-NOT-FOUND: no event with this uid in the project."""

    def __init__(self, uid: str | None) -> None:
        super().__init__(NOT_FOUND_MESSAGE)
        self.uid = uid


class ProjectUnauthorized(Unauthorized):
    """PA-AUTH-KEY failed; keeps the uid the request carried for the envelope."""

    def __init__(self, uid: str | None) -> None:
        super().__init__(UNAUTHORIZED_MESSAGE)
        self.uid = uid


def method_name(path: str) -> str:
    """`/v.1.1/send_message.json` -> `send_message`; what follows the version otherwise."""
    found = _METHOD.fullmatch(path)
    return found.group("name") if found else path


def envelope(
    path: str, status: str, uid: str | None, message: str | None = None, errors: list[str] | None = None
) -> dict[str, Any]:
    """The `response` (and `data.errors`) object, keys in the vendor's order for this method."""
    if method_name(path) == "send_message":
        response: dict[str, Any] = {"uid": uid, "status": status}
    else:
        response = {"status": status, "uid": uid}
    if message is not None:
        response["message"] = message
    body: dict[str, Any] = {"response": response}
    if errors:
        body["data"] = {"errors": errors}
    return body


def render_error(error: MockError, path: str = "") -> JSONResponse:
    if isinstance(error, PostageError):
        body = envelope(path, error.status, error.uid, error.message, error.errors)
        return JSONResponse(body, status_code=error.http_status)
    if isinstance(error, InjectedFault):
        return _injected(error.status, path)
    http_status, status, message = _classify(error, path)
    response = JSONResponse(envelope(path, status, getattr(error, "uid", None), message), status_code=http_status)
    if isinstance(error, MethodNotAllowed):
        response.headers["Allow"] = ", ".join(error.allowed)
    return response


def _classify(error: MockError, path: str) -> tuple[int, str, str]:
    if isinstance(error, MalformedBody):
        return _BY_REASON.get(error.reason, _BY_REASON["json"])
    if isinstance(error, RouteNotFound):
        return 404, "call_error", f"Unknown API method: {method_name(path)}"
    rows = (row for kind, row in _BY_CLASS.items() if isinstance(error, kind))
    http_status, status, message = next(rows, (400, "bad_request", None))
    return http_status, status, message or _first_problem(error) or error.message or "Bad request"


def _first_problem(error: MockError) -> str | None:
    problems: list[FieldProblem] = getattr(error, "problems", [])
    return problems[0].message if problems else None


def _injected(status: int, path: str) -> JSONResponse:
    if status >= 500:
        kind, message = "fail", INTERNAL_MESSAGE
    else:
        kind, message = _BY_STATUS.get(status, ("fail", _phrase(status)))
    return JSONResponse(envelope(path, kind, None, message), status_code=status)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return INTERNAL_MESSAGE
