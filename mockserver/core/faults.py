"""Fault rules: injected statuses, delays and dropped connections for matching requests.

Rules match on vendor, method and a path regex; `times` bounds how often a rule fires and
`probability` draws from a generator seeded with "<seed>:faults", so a fault pattern
repeats exactly under the same seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class FaultRuleError(ValueError):
    """A fault rule document that cannot be used."""


@dataclass
class FaultRule:
    id: str
    vendor: str | None
    method: str | None
    path: str | None
    status: int | None
    delay_ms: int
    drop_connection: bool
    times: int | None
    probability: float
    matched: int = 0

    def matches(self, vendor: str | None, method: str, path: str) -> bool:
        if self.times is not None and self.matched >= self.times:
            return False
        if self.vendor is not None and self.vendor != vendor:
            return False
        if self.method is not None and self.method != method:
            return False
        return self.path is None or re.search(self.path, path) is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "vendor": self.vendor,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "delay_ms": self.delay_ms,
            "drop_connection": self.drop_connection,
            "times": self.times,
            "probability": self.probability,
            "matched": self.matched,
        }


def _optional(document: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = document.get(key)
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool) and kind is not bool):
        raise FaultRuleError(f"{key} has the wrong type")
    return value


def parse_rule(rule_id: str, document: Mapping[str, Any], vendors: list[str]) -> FaultRule:
    """Build a rule from its JSON form, refusing what could never match or act."""
    vendor = _optional(document, "vendor", str)
    if vendor is not None and vendor not in vendors:
        raise FaultRuleError(f"unknown vendor: {vendor}")
    method = _optional(document, "method", str)
    path = _optional(document, "path", str)
    if path is not None:
        try:
            re.compile(path)
        except re.error as error:
            raise FaultRuleError(f"path is not a valid regex: {error}") from error
    status = _optional(document, "status", int)
    if status is not None and not 400 <= status <= 599:
        raise FaultRuleError("status must be from 400 to 599")
    delay_ms = _optional(document, "delay_ms", int) or 0
    if not 0 <= delay_ms <= 60000:
        raise FaultRuleError("delay_ms must be from 0 to 60000")
    drop = bool(_optional(document, "drop_connection", bool))
    times = _optional(document, "times", int)
    if times is not None and times < 1:
        raise FaultRuleError("times must be 1 or more")
    probability = _optional(document, "probability", (int, float))
    probability = 1.0 if probability is None else float(probability)
    if not 0.0 <= probability <= 1.0:
        raise FaultRuleError("probability must be from 0 to 1")
    if status is None and not drop and delay_ms == 0:
        raise FaultRuleError("a rule needs a status, a delay_ms or drop_connection")
    method = method.upper() if method else None
    return FaultRule(rule_id, vendor, method, path, status, delay_ms, drop, times, probability)


class Faults:
    def __init__(self, seed: int) -> None:
        self._rules: list[FaultRule] = []
        self._random = random.Random(f"{seed}:faults")
        self._count = 0

    def add(self, document: Mapping[str, Any], vendors: list[str]) -> FaultRule:
        rule = parse_rule(f"fault_{self._count + 1}", document, vendors)
        self._count += 1
        self._rules.append(rule)
        return rule

    def reseed(self, seed: int) -> None:
        self._random = random.Random(f"{seed}:faults")

    def rules(self) -> list[FaultRule]:
        return list(self._rules)

    def pick(self, vendor: str | None, method: str, path: str) -> FaultRule | None:
        """The first rule that matches and wins its draw; it counts one use."""
        for rule in self._rules:
            if not rule.matches(vendor, method, path):
                continue
            if rule.probability < 1.0 and self._random.random() >= rule.probability:
                continue
            rule.matched += 1
            return rule
        return None

    def clear(self) -> None:
        self._rules.clear()
