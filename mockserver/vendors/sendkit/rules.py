"""SendKit request rules a JSON Schema cannot say, as body rules merged with the schema's problems.

Patterns, enums and lengths stay in schemas/sendkit.openapi.yaml and are read from there;
here: duplicates (SK-CAMPAIGN-UNIQUE, SK-RECIPIENTS-KNOWN), real calendar dates and the
period order (SK-PERIOD-FORMAT, SK-PERIOD-ORDER), IANA zones (SK-RCPT-SCHEDULE). A value the
schema already refuses is not looked at again, so each field has one problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from mockserver.core.errors import FieldProblem
from mockserver.core.spec import ecma_regex, load_spec
from mockserver.vendors.sendkit.ids import to_millis
from mockserver.vendors.sendkit.schedule import is_zone_name

SPEC = load_spec("sendkit")
PERIOD_FORMAT = ecma_regex(SPEC.schema("PeriodInput")["pattern"])
OBJECT_ID = ecma_regex(SPEC.schema("ObjectId")["pattern"])
SECTION_NAMES: tuple[str, ...] = tuple(SPEC.schema("Sections")["properties"])
SECTION_DEFAULT: bool = SPEC.schema("SectionToggle")["default"]
PERIOD_FIELDS = ("periodStart", "periodEnd")
END_OF_DAY = time(23, 59, 59, 999000)


def parse_period(text: str, *, end: bool) -> datetime | None:
    """A period bound as a UTC instant in whole milliseconds, or None when it is no real date.

    A date-only start is 00:00:00.000 and a date-only end 23:59:59.999; a date-time without an
    offset is read as UTC.
    """
    try:
        if "T" not in text:
            return datetime.combine(date.fromisoformat(text), END_OF_DAY if end else time(0), tzinfo=UTC)
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return to_millis(value)
    except (ValueError, OverflowError):
        return None


def _sent_periods(body: Mapping[str, Any]) -> tuple[dict[str, datetime], list[FieldProblem]]:
    parsed: dict[str, datetime] = {}
    problems: list[FieldProblem] = []
    for name in PERIOD_FIELDS:
        text = body.get(name)
        if not isinstance(text, str) or not PERIOD_FORMAT.search(text):
            continue  # absent, or the schema's problem
        instant = parse_period(text, end=name == "periodEnd")
        if instant is None:
            problems.append(FieldProblem(name, "Must be a real calendar date and time", "SK-PERIOD-FORMAT"))
        else:
            parsed[name] = instant
    return parsed, problems


def period_problems(body: Mapping[str, Any]) -> list[FieldProblem]:
    """SK-PERIOD-FORMAT (calendar) and SK-PERIOD-ORDER when both bounds are sent."""
    parsed, problems = _sent_periods(body)
    if len(parsed) == 2 and parsed["periodStart"] > parsed["periodEnd"]:
        problems.append(FieldProblem("periodEnd", "Must not be before periodStart", "SK-PERIOD-ORDER"))
    return problems


def duplicate_items(items: Any, field: str, message: str, rule: str, *, well_formed: bool) -> list[FieldProblem]:
    """Every repeat of an earlier string item (only of 24-hex ones when `well_formed`)."""
    if not isinstance(items, list):
        return []
    seen: set[str] = set()
    problems = []
    for index, item in enumerate(items):
        if not isinstance(item, str) or (well_formed and not OBJECT_ID.search(item)):
            continue
        if item in seen:
            problems.append(FieldProblem(f"{field}[{index}]", message, rule))
        seen.add(item)
    return problems


def duplicate_campaigns(items: Any) -> list[FieldProblem]:
    return duplicate_items(items, "campaignIds", "Duplicate campaign id", "SK-CAMPAIGN-UNIQUE", well_formed=True)


def _campaign_problems(body: Mapping[str, Any]) -> list[FieldProblem]:
    return duplicate_campaigns(body.get("campaignIds")) if body.get("reportType") == "campaign" else []


def zone_problems(body: Mapping[str, Any]) -> list[FieldProblem]:
    schedule = body.get("schedule")
    zone = schedule.get("timezone") if isinstance(schedule, Mapping) else None
    if isinstance(zone, str) and not is_zone_name(zone):
        return [FieldProblem("schedule.timezone", "Must be an IANA time zone name", "SK-RCPT-SCHEDULE")]
    return []


def generate_rules(body: Any) -> list[FieldProblem]:
    if not isinstance(body, Mapping):
        return []
    recipients = duplicate_items(
        body.get("recipientIds"), "recipientIds", "Duplicate recipient id", "SK-RECIPIENTS-KNOWN", well_formed=False
    )
    return [*_campaign_problems(body), *period_problems(body), *recipients]


def recipient_rules(body: Any) -> list[FieldProblem]:
    if not isinstance(body, Mapping):
        return []
    return [*_campaign_problems(body), *zone_problems(body)]


def sections_of(sent: Mapping[str, Any] | None) -> dict[str, bool]:
    """The stored toggles: known keys as sent, missing ones true, unknown ones dropped."""
    sent = sent or {}
    return {name: bool(sent.get(name, SECTION_DEFAULT)) for name in SECTION_NAMES}
