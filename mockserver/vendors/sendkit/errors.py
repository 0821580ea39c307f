"""The SendKit error envelope `{error, message, code, details?}` (CONTRACTS.md 3.4, SK-ERROR-BODY).

One table maps every core error to its status; the status decides `error` and `message`.
`details` appears on 400 only. A malformed report or recipient id (rule SK-NOT-FOUND in the
spec) is answered like an unknown one: 404.
"""

from __future__ import annotations

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

UNEXPECTED = "An unexpected error occurred"
NOT_FOUND_RULE = "SK-NOT-FOUND"
INJECTED_RETRY_AFTER = "60"

# status -> (error, message)
BY_STATUS: dict[int, tuple[str, str]] = {
    400: ("Bad Request", "The request contains invalid parameters or malformed data"),
    401: ("Unauthorized", "Invalid or missing API key"),
    403: ("Forbidden", "You don't have permission to access this resource"),
    404: ("Not Found", "The requested resource was not found"),
    405: ("Method Not Allowed", "The requested method is not allowed for this resource"),
    409: ("Conflict", "A report recipient with this email already exists"),
    413: ("Payload Too Large", "The request body is too large"),
    429: ("Too Many Requests", "Rate limit exceeded, please retry later"),
    500: ("Internal Server Error", UNEXPECTED),
    503: ("Service Unavailable", UNEXPECTED),
}

STATUS_OF: dict[type[MockError], int] = {
    ValidationFailed: 400,
    RelationNotFound: 400,
    MalformedBody: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    RouteNotFound: 404,
    MethodNotAllowed: 405,
    Conflict: 409,
    BodyTooLarge: 413,
    RateLimited: 429,
}


def envelope(status: int, problems: list[FieldProblem] | None = None) -> dict[str, Any]:
    error, message = BY_STATUS.get(status) or (_phrase(status), UNEXPECTED)
    body: dict[str, Any] = {"error": error, "message": message, "code": status}
    if status == 400:
        body["details"] = [{"field": problem.field, "message": problem.message} for problem in problems or []]
    return body


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _problems(error: MockError) -> list[FieldProblem]:
    if isinstance(error, ValidationFailed | RelationNotFound):
        return error.problems
    if isinstance(error, MalformedBody):
        return [FieldProblem("body", error.message)]
    return []


def _status(error: MockError) -> int:
    if isinstance(error, InjectedFault):
        return error.status
    if isinstance(error, ValidationFailed) and any(p.rule == NOT_FOUND_RULE for p in error.problems):
        return 404
    return next((STATUS_OF[kind] for kind in type(error).__mro__ if kind in STATUS_OF), 500)


def render_error(error: MockError, path: str = "") -> JSONResponse:
    status = _status(error)
    response = JSONResponse(envelope(status, _problems(error)), status_code=status)
    if isinstance(error, MethodNotAllowed):
        response.headers["Allow"] = ", ".join(error.allowed)
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after)
    elif status == 429:
        response.headers["Retry-After"] = INJECTED_RETRY_AFTER
    return response
