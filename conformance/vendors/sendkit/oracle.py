"""What CONTRACTS.md 3 says the answers must be, computed independently of the mock's code: period
bounds as stored (3.3), schedule fire times and covered periods (3.3, 3.6), and report content (3.7).
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

PERIOD = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:T([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9])(?:\.([0-9]{1,9}))?)?"
    r"(Z|([+-])([01][0-9]|2[0-3]):([0-5][0-9]))?)?"
)
END_OF_DAY = time(23, 59, 59, 999000)
DAY = timedelta(days=1)
SECTIONS = ("executiveSummary", "campaignPerformance", "mailboxHealth")


def millis(instant: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SS.sssZ` (SendKit's timestamp form)."""
    utc = instant.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def period_bound(text: str, *, end: bool) -> datetime | None:
    """A `periodStart`/`periodEnd` as stored: a UTC instant in whole milliseconds, or None when invalid.

    A date-only start is 00:00:00.000 and a date-only end 23:59:59.999; a date-time without an
    offset is UTC; fractions are cut to milliseconds.
    """
    found = PERIOD.fullmatch(text)
    if found is None:
        return None
    year, month, day, hour, minute, second, fraction, zone, sign, zone_h, zone_m = found.groups()
    try:
        on = date(int(year), int(month), int(day))
        if hour is None:
            return datetime.combine(on, END_OF_DAY if end else time(0), tzinfo=UTC)
        offset = timedelta(0) if zone in (None, "Z") else timedelta(hours=int(zone_h), minutes=int(zone_m))
        tz = timezone(-offset if sign == "-" else offset)
        micro = int((fraction or "").ljust(3, "0")[:3]) * 1000
        local = datetime.combine(on, time(int(hour), int(minute), int(second or 0), micro), tzinfo=tz)
        return local.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


# ---------------------------------------------------------------- schedules


def weekday_sunday_first(day: date) -> int:
    return (day.weekday() + 1) % 7


def fires_on(schedule: Mapping[str, Any], day: date) -> bool:
    frequency = schedule["frequency"]
    if frequency == "daily":
        return True
    if frequency == "weekly":
        return weekday_sunday_first(day) == int(schedule["dayOfWeek"])
    last = calendar.monthrange(day.year, day.month)[1]
    return day.day == min(int(schedule["dayOfMonth"]), last)


def next_fire(schedule: Mapping[str, Any], after: datetime) -> datetime:
    """The first `timeOfDay` in `timezone` (fold=0) on a firing day, strictly after `after`."""
    zone = ZoneInfo(str(schedule["timezone"]))
    hours, minutes = (int(part) for part in str(schedule["timeOfDay"]).split(":"))
    day = after.astimezone(zone).date() - DAY
    for _ in range(400):
        if fires_on(schedule, day):
            instant = datetime.combine(day, time(hours, minutes), tzinfo=zone).astimezone(UTC)
            if instant > after:
                return instant
        day += DAY
    raise AssertionError("a schedule fires at least once a month")


def fires_between(schedule: Mapping[str, Any], start: datetime, end: datetime) -> list[datetime]:
    """Every fire in `(start, end]`."""
    fires: list[datetime] = []
    current = next_fire(schedule, start)
    while current <= end:
        fires.append(current)
        current = next_fire(schedule, current)
    return fires


def month_before(instant: datetime) -> datetime:
    year, month = (instant.year, instant.month - 1) if instant.month > 1 else (instant.year - 1, 12)
    return instant.replace(year=year, month=month, day=min(instant.day, calendar.monthrange(year, month)[1]))


def covered(frequency: str, fire: datetime) -> tuple[str, str]:
    """The period of a scheduled report: one day, seven days or one calendar month up to the fire."""
    if frequency == "monthly":
        start = month_before(fire)
    else:
        start = fire - (DAY if frequency == "daily" else 7 * DAY)
    return millis(start), millis(fire)


# ---------------------------------------------------------------- content


def workspace_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def _words(seed: int, parts: Sequence[str]) -> list[int]:
    digest = hashlib.sha256("|".join([str(seed), *parts]).encode()).digest()
    return [int.from_bytes(digest[4 * k : 4 * k + 4], "big") for k in range(8)]


def counts(seed: int, parts: Sequence[str]) -> dict[str, int]:
    u = _words(seed, ["sendkit", *parts])
    sent = 500 + u[0] % 9500
    opened = u[1] % (sent + 1)
    return {"emailsSent": sent, "opened": opened, "replied": u[2] % (opened + 1), "bounced": u[3] % (sent // 20 + 1)}


def mailboxes(seed: int, parts: Sequence[str]) -> dict[str, int]:
    u = _words(seed, ["sendkit", *parts, "mailboxes"])
    total = 1 + u[0] % 10
    warning = u[1] % (total + 1)
    critical = u[2] % (total - warning + 1)
    return {"mailboxes": total, "healthy": total - warning - critical, "warning": warning, "critical": critical}


def content(
    seed: int, subject: str, period: tuple[str, str], sections: Mapping[str, bool], campaigns: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    """The `content` of a completed report: only its enabled sections."""
    found: dict[str, Any] = {}
    if sections.get("executiveSummary"):
        found["executiveSummary"] = counts(seed, [subject, *period])
    if sections.get("campaignPerformance"):
        found["campaignPerformance"] = [
            {"campaignId": campaign, "name": name, **counts(seed, [campaign, *period])} for campaign, name in campaigns
        ]
    if sections.get("mailboxHealth"):
        found["mailboxHealth"] = mailboxes(seed, [subject, *period])
    return found
