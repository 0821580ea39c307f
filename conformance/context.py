"""What a check function gets: the target, the vendor session, the run's settings, and the
assertion helpers that turn a mismatch into a `ConformanceFailure` or, for a behaviour a real
endpoint may differ on, into a warning.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

import httpx

from conformance.failures import CheckSkipped, ConformanceFailure, SoftMismatch
from conformance.registry import Check
from conformance.shapes import ResponseShapes
from conformance.target import Target

if TYPE_CHECKING:
    from conformance.control import ControlPlane

MAX_BODY_CHARS = 600
MAX_WARNINGS = 5  # per check; the rest are counted


@dataclass(frozen=True)
class RunSettings:
    """The knobs of one run; the same seed and settings replay the same examples."""

    seed: int = 0
    max_examples: int = 25
    strict: bool = False
    read_only: bool = False
    stateful_steps: int = 8


def describe(response: httpx.Response | None) -> str:
    """`"<status> <reason> [Retry-After: n] <body excerpt>"`."""
    if response is None:
        return "no response"
    text = response.text
    if len(text) > MAX_BODY_CHARS:
        text = text[:MAX_BODY_CHARS] + "...(truncated)"
    headers = "".join(
        f" [{name}: {response.headers[name]}]"
        for name in ("location", "retry-after", "allow")
        if name in response.headers
    )
    return f"{response.status_code} {response.reason_phrase}{headers} {text}".rstrip()


def json_body(response: httpx.Response) -> Any:
    """The parsed JSON body, or None when there is none or it is not JSON."""
    if not response.content:
        return None
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        return None


class CheckContext:
    """Everything one check run sees. `hard` is False only for soft items against a non-mock target."""

    def __init__(
        self,
        check: Check,
        settings: RunSettings,
        target: Target,
        session: Any,
        control: ControlPlane | None,
        shapes: ResponseShapes | None = None,
    ) -> None:
        self.check = check
        self.settings = settings
        self.target = target
        self.session = session
        self.control = control
        self.shapes = shapes
        self.warnings: list[SoftMismatch] = []
        self.more_warnings = 0
        self.first_failure: ConformanceFailure | None = None

    @property
    def rule(self) -> str:
        return self.check.rule

    @property
    def hard(self) -> bool:
        """Soft items are hard against the mock (it has a control plane) and with `--strict`."""
        return self.target.is_mock or self.settings.strict

    @property
    def may_write(self) -> bool:
        return not self.settings.read_only

    @property
    def seed(self) -> int:
        return self.settings.seed

    def curl(self, response: httpx.Response | None) -> str:
        """The curl of the request behind `response`, else of the last request this run sent."""
        if response is not None:
            return self.target.curl(response.request)
        return self.target.curl(self.target.exchanges[-1].request) if self.target.exchanges else ""

    def fail(
        self, message: str, *, expected: str = "", actual: str = "", response: httpx.Response | None = None
    ) -> NoReturn:
        """Raise the failure of this check's rule (the first one is kept for the report)."""
        if not actual and response is not None:
            actual = describe(response)
        failure = ConformanceFailure(
            self.rule, message, expected=expected, actual=actual, curl=self.curl(response), seed=self.seed
        )
        if self.first_failure is None:
            self.first_failure = failure
        raise failure

    def expect(
        self,
        condition: bool,
        message: str,
        *,
        expected: str = "",
        actual: str = "",
        response: httpx.Response | None = None,
        soft: bool = False,
    ) -> bool:
        """Pass, fail, or (soft and not `hard`) record a warning; returns `condition`."""
        if condition:
            return True
        soft = soft or self.check.soft
        if soft and not self.hard:
            if len(self.warnings) >= MAX_WARNINGS:
                self.more_warnings += 1
                return False
            actual = actual or describe(response)
            self.warnings.append(SoftMismatch(self.rule, message, expected, actual, self.curl(response)))
            return False
        self.fail(message, expected=expected, actual=actual, response=response)

    def enveloped(
        self,
        response: httpx.Response,
        what: str,
        envelope: str,
        problems_of: Callable[[Any], list[str]],
        expected: str,
    ) -> Any:
        """The JSON body when `problems_of` finds nothing wrong with it (`envelope` names the
        shape in the failure); else the failure or warning, and None."""
        body = json_body(response)
        problems = problems_of(body)
        message = f"{what}: not the {envelope} ({'; '.join(problems)})"
        return body if self.expect(not problems, message, expected=expected, response=response) else None

    def expect_status(self, response: httpx.Response, status: int | set[int], what: str, *, soft: bool = False) -> bool:
        wanted = {status} if isinstance(status, int) else status
        expected = " or ".join(str(code) for code in sorted(wanted))
        return self.expect(
            response.status_code in wanted,
            f"{what}: status {response.status_code}",
            expected=expected,
            response=response,
            soft=soft,
        )

    def expect_shape(self, response: httpx.Response, what: str, *, soft: bool = False) -> bool:
        """The body matches the OpenAPI response schema documented for its status."""
        if self.shapes is None:
            return True
        request = response.request
        problems = self.shapes.problems(request.method, request.url.path, response.status_code, json_body(response))
        return self.expect(
            not problems,
            f"{what}: the body does not match the documented schema ({'; '.join(problems)})",
            expected="the OpenAPI response schema",
            response=response,
            soft=soft,
        )

    def skip(self, reason: str) -> NoReturn:
        raise CheckSkipped(reason)


def compact(value: Any) -> str:
    """A short JSON rendering for messages."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 200 else text[:200] + "..."
