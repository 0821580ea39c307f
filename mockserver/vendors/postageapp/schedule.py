"""The schedule grammar (CONTRACTS.md 4.4): one string becomes a one-off instant or a crontab.

`parse_schedule` reads every documented form, always in UTC, and raises nothing but
`InvalidSchedule`, whatever text it is given. A schedule answers one question,
`next_after(instant)`; a one-off one has no fire after its instant, which is how it ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, timezone

from dateutil.relativedelta import relativedelta

from mockserver.core.timefmt import whole_seconds
from mockserver.vendors.postageapp.cron import (
    CronSchedule,
    InvalidSchedule,
    crontab_schedule,
    every_crontab,
    parse_count,
    unit_name,
)

__all__ = ["CronSchedule", "InvalidSchedule", "OneOffSchedule", "Schedule", "parse_schedule"]

_SPACES = re.compile(r"\s+")
_UNIT = r"(?P<unit>minutes?|mins?|hours?|hrs?|days?|months?)"
_RELATIVE = re.compile(rf"in (?P<n>[0-9]+|an?) {_UNIT}")
_FROM_NOW = re.compile(rf"(?P<n>[0-9]+|an?) {_UNIT} from now")
_ISO = re.compile(
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{2})-(?P<d>[0-9]{2})"
    r"(?:[t ](?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:\.[0-9]+)?)?"
    r"(?:(?P<z>z)|(?P<sign>[+-])(?P<oh>[0-9]{2}):?(?P<om>[0-9]{2}))?)?"
)
_STEPS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}


@dataclass(frozen=True)
class OneOffSchedule:
    """A single fire at `instant` (ISO dates and times, `in N units`, `... from now`, `tomorrow`)."""

    instant: datetime
    event_type = "single"

    def next_after(self, instant: datetime) -> datetime | None:
        return self.instant if self.instant > instant else None


Schedule = OneOffSchedule | CronSchedule


def normalise(text: str) -> str:
    """Case, surrounding whitespace and runs of inner whitespace do not matter."""
    return _SPACES.sub(" ", text.strip()).lower()


def parse_schedule(text: str, now: datetime) -> Schedule:
    """The schedule `text` names, read at `now`; `InvalidSchedule` when it is none of the forms.

    A one-off schedule in the past is still returned: `next_after(now)` tells (PA-SCHEDULE-FUTURE).
    """
    phrase = normalise(text)
    try:
        if phrase.startswith("every "):
            return crontab_schedule(every_crontab(phrase), now)
        if phrase == "tomorrow":
            return OneOffSchedule(datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=UTC))
        found = _RELATIVE.fullmatch(phrase) or _FROM_NOW.fullmatch(phrase)
        if found:
            return OneOffSchedule(_relative(parse_count(found.group("n")), found.group("unit"), now))
        found = _ISO.fullmatch(phrase)
        if found:
            return OneOffSchedule(_iso_instant(found))
    except (ValueError, OverflowError) as error:  # out-of-range dates, offsets and huge N
        raise InvalidSchedule(text) from error
    return crontab_schedule(phrase, now)


def _relative(n: int, unit: str, now: datetime) -> datetime:
    """now + N units; months are calendar months clamped to the month's end; no fraction of a second."""
    start = whole_seconds(now)
    if n < 1:
        raise InvalidSchedule(f"{n} {unit}")
    name = unit_name(unit)
    if name == "month":
        return start + relativedelta(months=n)
    return start + n * _STEPS[name]


def _iso_instant(found: re.Match[str]) -> datetime:
    parts = found.groupdict()
    zone = UTC
    if parts["sign"]:
        offset = timedelta(hours=int(parts["oh"]), minutes=int(parts["om"]))
        zone = timezone(-offset if parts["sign"] == "-" else offset)
    value = datetime(
        int(parts["y"]),
        int(parts["mo"]),
        int(parts["d"]),
        int(parts["h"] or 0),
        int(parts["mi"] or 0),
        int(parts["s"] or 0),
        tzinfo=zone,
    )
    return value.astimezone(UTC)
