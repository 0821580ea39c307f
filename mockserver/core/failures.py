"""Failure rules: make the next job (or jobs whose name matches) fail, for any vendor.

Set through `POST /_mock/failures` or a vendor knob; a vendor asks `take(...)` when it
creates an item and, on a match, fails it when it leaves the given step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any


class FailureRuleError(ValueError):
    """A failure rule document that cannot be used."""


@dataclass
class FailureRule:
    id: str
    vendor: str
    name_contains: str | None
    step: str | None
    times: int | None
    used: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _optional_text(document: Mapping[str, Any], key: str) -> str | None:
    value = document.get(key)
    if value is not None and not isinstance(value, str):
        raise FailureRuleError(f"{key} must be a string")
    return value


class Failures:
    def __init__(self) -> None:
        self._rules: list[FailureRule] = []
        self._count = 0

    def add(self, document: Mapping[str, Any], vendors: list[str]) -> FailureRule:
        vendor = document.get("vendor")
        if vendor not in vendors:
            raise FailureRuleError(f"vendor must be one of: {', '.join(vendors)}")
        times = document.get("times", 1)
        if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
            raise FailureRuleError("times must be a whole number of 1 or more, or null for always")
        self._count += 1
        rule = FailureRule(
            f"failure_{self._count}",
            vendor,
            _optional_text(document, "name_contains"),
            _optional_text(document, "step"),
            times,
        )
        self._rules.append(rule)
        return rule

    def take(self, vendor: str, name: str | None) -> FailureRule | None:
        """The first live rule for this vendor that matches `name`; it counts one use."""
        for rule in self._rules:
            if rule.vendor != vendor or (rule.times is not None and rule.used >= rule.times):
                continue
            if rule.name_contains is not None and (name is None or rule.name_contains not in name):
                continue
            rule.used += 1
            return rule
        return None

    def rules(self) -> list[FailureRule]:
        return list(self._rules)

    def clear(self) -> None:
        self._rules.clear()
