"""Time zones and the timespan of a job (CONTRACTS.md 2.5: TD-TZ-IANA, TD-TZ-PLACEMENT,
TD-TIMESPAN-SEMANTICS, TD-TO-AFTER-FROM, TD-SPAN-31D, TD-TO-FUTURE).

Zone names and rules come from the `tzdata` package, not the host's zoneinfo, so the same
request resolves to the same instants (and the same file bytes) on every machine.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from mockserver.core.errors import FieldProblem
from mockserver.vendors.talkdesk.errors import RULES, RuleFailed

DEFAULT_ZONE = "UTC"
FUTURE_TOLERANCE = timedelta(seconds=300)
TZ_FIELDS = (("timezone",), ("timespan", "timezone"))


@functools.cache
def iana_zones() -> frozenset[str]:
    """Every zone name of the tz database, as the `tzdata` package lists them (case-sensitive)."""
    return frozenset(importlib.resources.files("tzdata").joinpath("zones").read_text("utf-8").split())


@functools.cache
def zone(name: str) -> ZoneInfo:
    """The rules of an IANA zone, read from the `tzdata` package."""
    resource = importlib.resources.files("tzdata.zoneinfo").joinpath(*name.split("/"))
    with resource.open("rb") as data:
        return ZoneInfo.from_file(data, key=name)


def _get(body: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(body, Mapping):
            return None
        body = body.get(part)
    return body


def timezone_problems(body: Any) -> list[FieldProblem]:
    """TD-TZ-IANA on every time zone field sent as a string (the schema checks their type)."""
    return [
        FieldProblem(".".join(path), "must be a valid IANA timezone", "TD-TZ-IANA")
        for path in TZ_FIELDS
        if isinstance(value := _get(body, path), str) and value not in iana_zones()
    ]


def resolved_zone(body: Mapping[str, Any]) -> str:
    """TD-TZ-PLACEMENT: the top-level `timezone`, else `timespan.timezone`, else UTC."""
    for path in TZ_FIELDS:
        value = _get(body, path)
        if value is not None:
            return str(value)
    return DEFAULT_ZONE


def to_instant(text: str, zone_name: str) -> datetime:
    """An absolute instant (UTC) for a schema-valid date-time; offset-less means wall time in the zone."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(zone_name), fold=0)
    return value.astimezone(UTC)


@dataclass(frozen=True)
class Span:
    start: datetime  # inclusive, UTC
    end: datetime  # exclusive, UTC
    zone: str


def resolve_span(timespan: Mapping[str, str], zone_name: str, now: datetime, max_days: float) -> Span:
    """The instants of a timespan, or `RuleFailed` naming every broken timespan rule."""
    instants: dict[str, datetime] = {}
    problems: list[FieldProblem] = []
    for name in ("from", "to"):
        try:
            instants[name] = _representable(to_instant(timespan[name], zone_name), zone_name)
        except (OverflowError, ValueError):
            problems.append(FieldProblem(f"timespan.{name}", "is out of the supported range", "TD-DATETIME-FORMAT"))
    if problems:
        raise RuleFailed(problems, RULES["TD-DATETIME-FORMAT"][1])
    span = Span(instants["from"], instants["to"], zone_name)
    problems = _span_problems(span, now, max_days)
    if problems:
        raise RuleFailed(problems, _message(problems[0], max_days))
    return span


def _representable(instant: datetime, zone_name: str) -> datetime:
    instant.astimezone(zone(zone_name))  # file rows render in the zone: near year 1 this can overflow
    return instant


def _span_problems(span: Span, now: datetime, max_days: float) -> list[FieldProblem]:
    problems = []
    if span.end < span.start:
        problems.append(FieldProblem("timespan.to", "to must not be before from", "TD-TO-AFTER-FROM"))
    elif span.end - span.start > timedelta(days=max_days):
        description = f"difference between to and from is greater than {_days(max_days)} days"
        problems.append(FieldProblem("timespan", description, "TD-SPAN-31D"))
    if span.end - now > FUTURE_TOLERANCE and not any(p.field == "timespan.to" for p in problems):
        problems.append(FieldProblem("timespan.to", "to must not be in the future", "TD-TO-FUTURE"))
    return problems


def _days(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _message(problem: FieldProblem, max_days: float) -> str:
    if problem.rule == "TD-SPAN-31D":
        return f"The timespan cannot be longer than {_days(max_days)} days"
    return RULES[problem.rule][1]
