"""Repeating schedules: crontab specs, `@` directives and `every ...` phrases (CONTRACTS.md 4.4).

Everything repeatable ends up as a five-field crontab. This module owns the accepted
crontab grammar (checked here, so that what cronsim would also take, such as `L`, `W`,
`#`, `?` or six fields, is refused first) and asks cronsim for fire times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from cronsim import CronSim, CronSimError
from dateutil.relativedelta import relativedelta

HORIZON = relativedelta(years=8)  # a spec with no fire in this window is invalid

DIRECTIVES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")


def _field_pattern(names: tuple[str, ...] = ()) -> re.Pattern[str]:
    value = r"[0-9]+" + "".join(f"|{name}" for name in names)
    item = rf"(?:\*|(?:{value})(?:-(?:{value}))?)(?:/[0-9]+)?"
    return re.compile(rf"{item}(?:,{item})*")


# minute, hour, day of month, month, day of week: `*`, numbers, names, ranges, lists, steps only
_NAMES: tuple[tuple[str, ...], ...] = ((), (), (), MONTHS, DAYS)
_FIELDS = tuple(_field_pattern(names) for names in _NAMES)

# `a-b/step`; cronsim reads a one-value range with a step (`5-5/2`) as `5/2` (5 to the end)
_STEPPED_RANGE = re.compile(r"(?P<first>[0-9a-z]+)-(?P<last>[0-9a-z]+)/[0-9]+")

# `every ...` (N is digits or a/an; the caller normalised case and spaces)
_COUNT = r"(?P<n>[0-9]+|an?)"
_EVERY_UNIT = re.compile(rf"every(?: {_COUNT})? (?P<unit>minutes?|mins?|hours?|hrs?|days?|months?|week)")
_EVERY_AT = re.compile(r"every (?P<day>day|[a-z]+)(?: at (?P<time>.+))?")
_TIME_12H = re.compile(r"(?P<h>[0-9]{1,2})(?::(?P<m>[0-9]{2}))? ?(?P<half>am|pm)")
_TIME_24H = re.compile(r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})")

# unit -> (crontab for "every <unit>", template for "every N <units>", largest N)
_EVERY = {
    "minute": ("* * * * *", "*/{n} * * * *", 59),
    "hour": ("0 * * * *", "0 */{n} * * *", 23),
    "day": ("0 0 * * *", "0 0 */{n} * *", 31),
    "month": ("0 0 1 * *", "0 0 1 */{n} *", 12),
}
_UNIT_NAMES = {"min": "minute", "mins": "minute", "hr": "hour", "hrs": "hour"}


class InvalidSchedule(ValueError):
    """Not one of the schedule forms of CONTRACTS.md 4.4 (or no fire within 8 years)."""


@dataclass(frozen=True)
class CronSchedule:
    """A repeating schedule: fires at every minute its crontab matches (UTC)."""

    crontab: str
    event_type = "repeatable"

    def next_after(self, instant: datetime) -> datetime | None:
        """The first fire strictly after `instant`, or None when there is none for 50 years."""
        try:
            return next(CronSim(self.crontab, instant))
        except StopIteration:
            return None


def unit_name(unit: str) -> str:
    """`mins`, `minutes`, `hr`, `hours`, ... -> `minute`, `hour`, `day` or `month`."""
    return _UNIT_NAMES.get(unit, unit.rstrip("s"))


def parse_count(text: str | None) -> int:
    """N: digits, or `a`/`an` for 1 (None, when the phrase has no N, is 1 too)."""
    if text is None or text in ("a", "an"):
        return 1
    return int(text)


def crontab_schedule(text: str, now: datetime) -> CronSchedule:
    """A five-field crontab or `@` directive (normalised text), with a fire within 8 years."""
    fields = DIRECTIVES.get(text, text).split(" ")
    if len(fields) != len(_FIELDS) or not all(p.fullmatch(f) for p, f in zip(_FIELDS, fields, strict=True)):
        raise InvalidSchedule(text)
    crontab = " ".join(_one_value_ranges(field, names) for field, names in zip(fields, _NAMES, strict=True))
    schedule = CronSchedule(crontab)
    try:
        first = schedule.next_after(now)
    except (CronSimError, ValueError, OverflowError) as error:
        raise InvalidSchedule(text) from error
    if first is None or first > now + HORIZON:
        raise InvalidSchedule(text)
    return schedule


def _one_value_ranges(field: str, names: tuple[str, ...]) -> str:
    """`5-5/2` -> `5`: a range of one value stays one value whatever its step (cronsim would widen it)."""

    def number(text: str) -> int:
        if text not in names:
            return int(text)
        return names.index(text) + (1 if names is MONTHS else 0)

    def rewrite(item: str) -> str:
        found = _STEPPED_RANGE.fullmatch(item)
        if found and number(found.group("first")) == number(found.group("last")):
            return found.group("first")
        return item

    return ",".join(rewrite(item) for item in field.split(","))


def every_crontab(text: str) -> str:
    """The crontab an `every ...` phrase maps to (PA-EVERY-ALIGNED)."""
    found = _EVERY_UNIT.fullmatch(text)
    if found:
        return _every_unit(found.group("n"), found.group("unit"))
    found = _EVERY_AT.fullmatch(text)
    if found:
        return _every_day_at(found.group("day"), found.group("time"))
    raise InvalidSchedule(text)


def _every_unit(count: str | None, unit: str) -> str:
    if unit == "week":
        if count is not None:
            raise InvalidSchedule(unit)  # only "every week"; weeks are no unit of N
        return "0 0 * * 0"
    single, template, largest = _EVERY[unit_name(unit)]
    if count is None:
        return single
    n = parse_count(count)
    if not 1 <= n <= largest:
        raise InvalidSchedule(f"{n} out of range")
    return template.format(n=n)


def _every_day_at(day: str, time: str | None) -> str:
    if day == "day":
        if time is None:
            raise InvalidSchedule(day)  # plain "every day" is a unit phrase
        weekday = "*"
    elif day in WEEKDAYS or day in DAYS:
        weekday = str(WEEKDAYS.index(day) if day in WEEKDAYS else DAYS.index(day))
    else:
        raise InvalidSchedule(day)
    hour, minute = parse_time(time) if time is not None else (0, 0)
    return f"{minute} {hour} * * {weekday}"


def parse_time(text: str) -> tuple[int, int]:
    """`1am`, `1 am`, `1:30pm`, `13:00`, `noon`, `midnight` -> (hour, minute)."""
    if text in ("noon", "midnight"):
        return (12, 0) if text == "noon" else (0, 0)
    found = _TIME_12H.fullmatch(text)
    if found:
        hour, minute = int(found.group("h")), int(found.group("m") or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise InvalidSchedule(text)
        return hour % 12 + (12 if found.group("half") == "pm" else 0), minute
    found = _TIME_24H.fullmatch(text)
    if found and int(found.group("h")) <= 23 and int(found.group("m")) <= 59:
        return int(found.group("h")), int(found.group("m"))
    raise InvalidSchedule(text)
