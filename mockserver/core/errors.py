"""The error vocabulary shared by every vendor.

The core and the vendor backends raise these; each vendor's renderer alone decides the
status, envelope and headers they become, so no handler builds an error body by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """One field-scoped problem: where (`field`), what (`message`) and which rule."""

    field: str
    message: str
    rule: str = ""


class MockError(Exception):
    """Base of every error a vendor route can answer with.

    `headers` are added to the rendered response (a rate limiter's `X-RateLimit-*`, say).
    """

    def __init__(self, message: str = "", headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = dict(headers or {})


class RouteNotFound(MockError):
    pass


class MethodNotAllowed(MockError):
    def __init__(self, allowed: Iterable[str]) -> None:
        super().__init__("Method not allowed")
        self.allowed = tuple(allowed)


class BodyTooLarge(MockError):
    pass


class Unauthorized(MockError):
    pass


class Forbidden(MockError):
    pass


class MalformedBody(MockError):
    """The body is missing, not JSON, not UTF-8, not an object, or of a non-JSON type."""

    def __init__(self, message: str, reason: str = "json") -> None:
        super().__init__(message)
        self.reason = reason


class ValidationFailed(MockError):
    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("Validation failed")
        self.problems = problems


class NotFound(MockError):
    pass


class Conflict(MockError):
    pass


class RelationNotFound(MockError):
    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("Related resource not found")
        self.problems = problems


class RateLimited(MockError):
    def __init__(self, message: str, retry_after: int, headers: dict[str, str] | None = None) -> None:
        super().__init__(message, headers)
        self.retry_after = retry_after


class InjectedFault(MockError):
    """A fault rule asked for this status."""

    def __init__(self, status: int) -> None:
        super().__init__("Injected fault")
        self.status = status
