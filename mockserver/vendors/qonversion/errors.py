"""The Qonversion v4 error envelope: `{"error": {type, code, message, details?}}`.

One table maps every core error to its status, type, code and message (CONTRACTS.md 1.4).
"""

from __future__ import annotations

from typing import Any

from mockserver.core.errors import (
    BodyTooLarge,
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

RETRY_AFTER_SECONDS = 60

# error class -> (status, type, code, message); None keeps the error's own message
_BY_CLASS: dict[type[MockError], tuple[int, str, str, str | None]] = {
    ValidationFailed: (400, "request", "invalid_data", "Validation failed"),
    MalformedBody: (400, "request", "invalid_data", None),
    Unauthorized: (401, "request", "control_unauthorized", "Authorization required"),
    Forbidden: (403, "request", "control_forbidden", "Access to this project is forbidden for this key"),
    NotFound: (404, "resource", "not_found", "Requested resource not found"),
    RouteNotFound: (404, "request", "invalid_request", "Unknown API path"),
    MethodNotAllowed: (405, "request", "invalid_request", "Method not allowed"),
    BodyTooLarge: (413, "request", "invalid_request", "Request body is too large"),
    RelationNotFound: (422, "logical", "relation_not_found", "Related resource not found"),
    RateLimited: (429, "request", "rate_limit_exceeded", None),
}

# injected status -> (type, code, message)
_BY_STATUS: dict[int, tuple[str, str, str]] = {
    400: ("request", "invalid_data", "Validation failed"),
    401: ("request", "control_unauthorized", "Authorization required"),
    403: ("request", "control_forbidden", "Access to this project is forbidden for this key"),
    404: ("resource", "not_found", "Requested resource not found"),
    429: ("request", "rate_limit_exceeded", "Too many requests"),
}


def _details(problems: list[FieldProblem]) -> list[dict[str, str]]:
    return [{"field": problem.field, "message": problem.message} for problem in problems]


def envelope(kind: str, code: str, message: str, problems: list[FieldProblem] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"type": kind, "code": code, "message": message}
    if problems:
        error["details"] = _details(problems)
    return {"error": error}


def render_error(error: MockError, path: str = "") -> JSONResponse:
    if isinstance(error, InjectedFault):
        return _injected(error.status)
    status, kind, code, message = _BY_CLASS[type(error)]
    problems = error.problems if isinstance(error, ValidationFailed | RelationNotFound) else None
    response = JSONResponse(envelope(kind, code, message or error.message, problems), status_code=status)
    if isinstance(error, MethodNotAllowed):
        response.headers["Allow"] = ", ".join(error.allowed)
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _injected(status: int) -> JSONResponse:
    kind, code, message = _BY_STATUS.get(status, ("internal", "unknown_error", "Internal server error"))
    response = JSONResponse(envelope(kind, code, message), status_code=status)
    if status == 429:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
