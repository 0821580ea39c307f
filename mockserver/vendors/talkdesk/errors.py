"""Talkdesk's two error shapes, chosen by path (CONTRACTS.md 2.3 and 2.6).

Everything on `/oauth/token` answers `{"error", "error_description"}`; everything else the
page's envelope `{code, description, message, fields[{name, description}]}`, whose code and
message follow from the rule id of the first field problem.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    RouteNotFound,
    Unauthorized,
    ValidationFailed,
)
from mockserver.core.responses import JSONResponse

TOKEN_PATH = "/oauth/token"
RETRY_AFTER_UNKNOWN = 60  # polls mode and injected 429s: no clock time to count down

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
    "0330014": "Method not allowed",
    "0330015": "Payload too large",
    "0330016": "Forbidden",
    "0330029": "Too many requests",
    "0330030": "Unable to audit operation",
    "0330099": "Internal server error",
}

# rule id -> (code, message) of a 400 whose first field problem carries that rule
RULES: dict[str, tuple[str, str]] = {
    "TD-BODY-STRUCT": ("0330001", "The request does not have a valid structure"),
    "TD-TIMESPAN-REQUIRED": ("0330002", "A mandatory field is missing"),
    "TD-DATETIME-FORMAT": ("0330003", "The date-time is not properly formatted"),
    "TD-FORMAT-ENUM": ("0330003", "Invalid report format"),
    "TD-NAME-LEN": ("0330003", "The report name must have 1 to 256 characters"),
    "TD-LIST-PAGE": ("0330003", "Invalid pagination parameters"),
    "TD-TO-AFTER-FROM": ("0330004", "The timespan end date cannot be prior to its start date"),
    "TD-TO-FUTURE": ("0330004", "The timespan end date cannot be in the future"),
    "TD-SPAN-31D": ("0330005", "The timespan cannot be longer than 31 days"),
    "TD-TZ-IANA": ("0330006", "Only timezones that follow the IANA standard are allowed"),
}


class RuleFailed(ValidationFailed):
    """A domain rule on validated input (the timespan's order, length, end), with its own message."""

    def __init__(self, problems: list[FieldProblem], message: str) -> None:
        super().__init__(problems)
        self.message = message


class NotInThisStatus(MockError):
    """Cancel or file delete in a status that does not allow it (403 `0330012`)."""


class SignatureRejected(MockError):
    """A signed file URL with a bad signature, or past its expiry (403 `0330016`)."""


class OAuthError(MockError):
    """An error of the token endpoint: its status, OAuth `error` code and description."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error


# error class -> (status, code, message); None keeps the error's own message
_BY_CLASS: dict[type[MockError], tuple[int, str, str | None]] = {
    MalformedBody: (400, "0330001", None),
    Unauthorized: (401, "0330010", "Invalid or expired access token"),
    Forbidden: (403, "0330011", "The access token lacks the required scope"),
    NotInThisStatus: (403, "0330012", None),
    SignatureRejected: (403, "0330016", None),
    NotFound: (404, "0330013", None),
    RouteNotFound: (404, "0330013", "Resource not found"),
    MethodNotAllowed: (405, "0330014", "Method not allowed"),
    BodyTooLarge: (413, "0330015", "Request body is too large"),
    RateLimited: (429, "0330029", None),
}

_INJECTED_CODES = {400: "0330001", 401: "0330010", 403: "0330011", 404: "0330013", 405: "0330014"}
_INJECTED_CODES |= {413: "0330015", 429: "0330029", 503: "0330030"}


def envelope(code: str, message: str, problems: Sequence[FieldProblem] = ()) -> dict[str, Any]:
    fields = [{"name": problem.field, "description": problem.message} for problem in problems]
    return {"code": code, "description": DESCRIPTIONS[code], "message": message, "fields": fields}


def render_error(error: MockError, path: str = "") -> JSONResponse:
    """The response for any error on a Talkdesk path, in the shape that path uses."""
    if path == TOKEN_PATH or path.startswith(TOKEN_PATH + "/"):
        return _oauth_response(error)
    if isinstance(error, InjectedFault):
        return _injected(error.status)
    if isinstance(error, ValidationFailed):
        return _validation(error)
    status, code, message = _BY_CLASS[type(error)]
    response = JSONResponse(envelope(code, message or error.message), status_code=status)
    if isinstance(error, Unauthorized):
        response.headers["WWW-Authenticate"] = "Bearer"
    if isinstance(error, MethodNotAllowed):
        response.headers["Allow"] = ", ".join(error.allowed)
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _validation(error: ValidationFailed) -> JSONResponse:
    rule = error.problems[0].rule if error.problems else ""
    code, message = RULES.get(rule, ("0330001", "The request does not have a valid structure"))
    if isinstance(error, RuleFailed):
        message = error.message
    return JSONResponse(envelope(code, message, error.problems), status_code=400)


def _injected(status: int) -> JSONResponse:
    code = _INJECTED_CODES.get(status, "0330099" if status >= 500 else "0330001")
    response = JSONResponse(envelope(code, DESCRIPTIONS[code]), status_code=status)
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    if status == 429:
        response.headers["Retry-After"] = str(RETRY_AFTER_UNKNOWN)
    return response


def _oauth_response(error: MockError) -> JSONResponse:
    status, code, description = _oauth_parts(error)
    response = JSONResponse({"error": code, "error_description": description}, status_code=status)
    if isinstance(error, MethodNotAllowed):
        response.headers["Allow"] = ", ".join(error.allowed)
    if status == 401:
        response.headers["WWW-Authenticate"] = "Basic"
    return response


def _oauth_parts(error: MockError) -> tuple[int, str, str]:
    if isinstance(error, OAuthError):
        return error.status, error.error, error.message
    if isinstance(error, MethodNotAllowed):
        return 405, "invalid_request", "The token endpoint only accepts POST"
    if isinstance(error, BodyTooLarge):
        return 413, "invalid_request", "Request body is too large"
    if isinstance(error, RouteNotFound):
        return 404, "invalid_request", "Unknown path"
    if isinstance(error, InjectedFault):
        return error.status, _oauth_injected_code(error.status), "Injected fault"
    return 400, "invalid_request", error.message or "Invalid request"


def _oauth_injected_code(status: int) -> str:
    if status == 401:
        return "invalid_client"
    if status == 503:
        return "temporarily_unavailable"
    return "server_error" if status >= 500 else "invalid_request"
