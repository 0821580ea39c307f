"""How a check ends other than by passing: a failure (with everything needed to act on it),
a skip (with its reason), a broken precondition, or a usage error of the whole run.
"""

from __future__ import annotations

from dataclasses import dataclass


class ConformanceFailure(AssertionError):
    """A documented rule was broken: which rule, what was sent (as curl), what was expected and what came back."""

    def __init__(
        self,
        rule: str,
        message: str,
        *,
        expected: str = "",
        actual: str = "",
        curl: str = "",
        seed: int | None = None,
    ) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule
        self.message = message
        self.expected = expected
        self.actual = actual
        self.curl = curl
        self.seed = seed
        self.replay = ""

    def details(self) -> str:
        """The multi-line explanation printed under a failed check."""
        lines = [f"{self.rule}: {self.message}"]
        for label, value in (
            ("expected", self.expected),
            ("actual", self.actual),
            ("request", self.curl),
            ("seed", "" if self.seed is None else str(self.seed)),
            ("replay", self.replay),
        ):
            if value:
                lines.append(f"  {label + ':':<9} {value}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.details()


@dataclass
class SoftMismatch:
    """A departure from the mock's behaviour that CONTRACTS.md allows a real endpoint: a warning."""

    rule: str
    message: str
    expected: str = ""
    actual: str = ""
    curl: str = ""

    def details(self) -> str:
        lines = [f"{self.rule} (warning): {self.message}"]
        for label, value in (("expected", self.expected), ("actual", self.actual), ("request", self.curl)):
            if value:
                lines.append(f"  {label + ':':<9} {value}")
        return "\n".join(lines)


class CheckSkipped(Exception):
    """The check cannot run against this target (no control plane, no second key, ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SetupError(Exception):
    """A precondition of a check failed (the target refused something the check needed, not the rule itself)."""


class UsageError(Exception):
    """The run cannot start: bad options, missing credentials, an unreachable target."""
