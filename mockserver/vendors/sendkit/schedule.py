"""Recipient schedules: when a schedule fires next and what period a fire covers.

Fire times are local wall times in the recipient's IANA zone (zoneinfo, backed by the
tzdata package so no system zone database is needed); a local time resolves with fold=0,
so a time skipped by a DST change fires at the same offset as before the change and a time
that occurs twice fires at its first occurrence. "Next" is always strictly after the
reference instant (CONTRACTS.md 0.3, 3.3, 3.6).
"""

from __future__ import annotations

import calendar
import functools
import importlib.resources
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

ONE_DAY = timedelta(days=1)
COVERED = {"daily": relativedelta(days=1), "weekly": relativedelta(days=7), "monthly": relativedelta(months=1)}


@functools.cache
def zone_names() -> frozenset[str]:
    """The IANA names the tzdata package ships: the same on every machine."""
    return frozenset(importlib.resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split())


def is_zone_name(name: str) -> bool:
    return name in zone_names()


def sunday_first(day: date) -> int:
    """0 = Sunday ... 6 = Saturday."""
    return (day.weekday() + 1) % 7


def _days(schedule: Mapping[str, Any], start: date) -> Iterator[date]:
    """The local dates the schedule fires on, from `start` onwards."""
    frequency = schedule["frequency"]
    if frequency == "daily":
        step, first = ONE_DAY, start
    elif frequency == "weekly":
        step, first = 7 * ONE_DAY, start + ((schedule["dayOfWeek"] - sunday_first(start)) % 7) * ONE_DAY
    else:
        yield from _month_days(int(schedule["dayOfMonth"]), start)
        return
    while True:
        yield first
        first += step


def _month_days(day_of_month: int, start: date) -> Iterator[date]:
    """`day_of_month` of each month from `start`'s; shorter months fire on their last day."""
    month = start.replace(day=1)
    while True:
        last = calendar.monthrange(month.year, month.month)[1]
        day = month.replace(day=min(day_of_month, last))
        if day >= start:
            yield day
        month += relativedelta(months=1)


def local_instant(day: date, time_of_day: str, zone: ZoneInfo) -> datetime:
    """`HH:MM` on `day` in `zone` (fold=0), as a UTC instant."""
    hours, minutes = (int(part) for part in time_of_day.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=zone).astimezone(UTC)


def next_fire(schedule: Mapping[str, Any], after: datetime) -> datetime:
    """The first fire of `schedule` strictly after `after`."""
    zone = ZoneInfo(schedule["timezone"])
    start = after.astimezone(zone).date() - ONE_DAY
    for day in _days(schedule, start):
        instant = local_instant(day, schedule["timeOfDay"], zone)
        if instant > after:
            return instant
    raise AssertionError("unreachable: schedules fire forever")


def covered_period(frequency: str, fire: datetime) -> tuple[datetime, datetime]:
    """`[fire - 1 day, 7 days or 1 calendar month, fire)` of a scheduled report."""
    return fire - COVERED[frequency], fire
