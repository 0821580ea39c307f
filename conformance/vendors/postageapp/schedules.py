"""Schedule strings (CONTRACTS.md 4.4), generated per form: ISO dates and date-times, `in N units`,
`N units from now` and `tomorrow`, five-field crontabs and `@` directives, and `every ...` phrases,
each with what it must mean (its instant, or the crontab it maps to). Invalid ones change exactly
one thing of a valid one; those a real endpoint may accept (weeks, other phrasings) are soft.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from hypothesis import strategies as st

UNITS = {
    "minute": ("minute", "minutes", "min", "mins"),
    "hour": ("hour", "hours", "hr", "hrs"),
    "day": ("day", "days"),
    "month": ("month", "months"),
}
EVERY_MAX = {"minute": 59, "hour": 23, "day": 31, "month": 12}
RELATIVE_MAX = {"minute": 200000, "hour": 20000, "day": 3000, "month": 120}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
DIRECTIVES = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
# minute, hour, day of month (valid ones stay within 1..28, so every month has them), month, day of week
FIELDS = ((0, 59), (0, 23), (1, 28), (1, 12), (0, 7))
OUT_OF_RANGE = ((60, 99), (24, 99), (32, 99), (13, 99), (8, 99))
SINGLE, REPEATABLE = "single", "repeatable"


@dataclass(frozen=True)
class Every:
    """What an `every ...` phrase fires on: `unit` minute/hour/day/month (every N), week, or at H:M."""

    unit: str
    n: int = 1
    hour: int = 0
    minute: int = 0
    weekday: int | None = None  # cron numbering, Sunday 0

    @property
    def period(self) -> timedelta:
        """The longest wait for the next fire."""
        spans = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}
        if self.unit in spans:
            return spans[self.unit] * self.n
        if self.unit == "month":
            return timedelta(days=31 * self.n)
        return timedelta(days=1 if self.unit == "at" and self.weekday is None else 7)

    def next_after(self, now: datetime) -> datetime:
        """The first fire strictly after `now` (crontab boundaries, UTC)."""
        return NEXT[self.unit](self, now.astimezone(UTC))


def add_months(moment: datetime, n: int) -> datetime:
    """Calendar months, clamped to the month's end (31 January + 1 month = 28 or 29 February)."""
    index = moment.month - 1 + n
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def _after_minute(spec: Every, now: datetime) -> datetime:
    moment = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    while moment.minute % spec.n:
        moment += timedelta(minutes=1)
    return moment


def _after_hour(spec: Every, now: datetime) -> datetime:
    moment = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    while moment.hour % spec.n:
        moment += timedelta(hours=1)
    return moment


def _after_day(spec: Every, now: datetime) -> datetime:
    moment = datetime.combine(now.date(), time(0), tzinfo=UTC) + timedelta(days=1)
    while (moment.day - 1) % spec.n:
        moment += timedelta(days=1)
    return moment


def _after_month(spec: Every, now: datetime) -> datetime:
    moment = add_months(datetime(now.year, now.month, 1, tzinfo=UTC), 1)
    while (moment.month - 1) % spec.n:
        moment = add_months(moment, 1)
    return moment


def _after_at(spec: Every, now: datetime) -> datetime:
    moment = datetime.combine(now.date(), time(spec.hour, spec.minute), tzinfo=UTC)
    while moment <= now or (spec.weekday is not None and (moment.weekday() + 1) % 7 != spec.weekday):
        moment += timedelta(days=1)
    return moment


NEXT: dict[str, Callable[[Every, datetime], datetime]] = {
    "minute": _after_minute,
    "hour": _after_hour,
    "day": _after_day,
    "month": _after_month,
    "at": _after_at,
}


@dataclass(frozen=True)
class Schedule:
    """A schedule string to send, its form, and what it must mean (`instant` for one-offs)."""

    text: object  # a string, or (for type errors) any JSON value
    form: str
    instant: datetime | None = None
    every: Every | None = None
    soft: bool = False  # invalid, but a real endpoint may accept it (CONTRACTS 4.13)

    @property
    def event_type(self) -> str:
        return REPEATABLE if self.form in ("crontab", "every") else SINGLE


# ---------------------------------------------------------------- noise that must not matter


@st.composite
def spelled(draw: st.DrawFn, text: str) -> str:
    """The same schedule in other cases, with runs of inner spaces and surrounding whitespace."""
    words = text.split(" ")
    if draw(st.booleans()):
        words = [word.upper() if draw(st.booleans()) else word for word in words]
    joined = words[0] + "".join(" " * draw(st.integers(1, 3)) + word for word in words[1:])
    return draw(st.sampled_from(["", " ", "\t", "\n "])) + joined + draw(st.sampled_from(["", " ", "\n"]))


# ---------------------------------------------------------------- one-off forms


FUTURE_DAYS = (2, 1500)  # one-off instants the checks create: 2 days to about 4 years ahead


def iso_dates(now: datetime, days: tuple[int, int] = FUTURE_DAYS) -> st.SearchStrategy[Schedule]:
    first, last = (now + timedelta(days=days[0])).date(), (now + timedelta(days=days[1])).date()
    return st.dates(first, last).map(
        lambda day: Schedule(day.isoformat(), "iso-date", datetime.combine(day, time(0), tzinfo=UTC))
    )


def offset_text(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@st.composite
def iso_datetimes(draw: st.DrawFn, now: datetime, days: tuple[int, int] = FUTURE_DAYS) -> Schedule:
    """`YYYY-MM-DD[ Tt]HH:MM[:SS][Z|z|+HH:MM|-HH:MM]`: no offset is UTC."""
    start = (now + timedelta(days=days[0])).replace(tzinfo=None, microsecond=0)
    end = (now + timedelta(days=days[1])).replace(tzinfo=None, microsecond=0)
    local = draw(st.datetimes(start, end)).replace(microsecond=0)
    seconds = draw(st.booleans())
    local = local if seconds else local.replace(second=0)
    zone = draw(st.sampled_from(["", "Z", "z", "offset"]))
    minutes = draw(st.integers(-48, 56)) * 15 if zone == "offset" else 0
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    text = local.strftime("%Y-%m-%d") + draw(st.sampled_from([" ", "T", "t"])) + clock
    text += offset_text(minutes) if zone == "offset" else zone
    instant = (local - timedelta(minutes=minutes)).replace(tzinfo=UTC)
    return Schedule(text, "iso-datetime", instant)


def past_one_offs(now: datetime) -> st.SearchStrategy[Schedule]:
    """ISO dates and date-times at least two days before now (back to 1970)."""
    back = (-(now - datetime(1970, 1, 2, tzinfo=UTC)).days, -2)
    return st.one_of(iso_dates(now, back), iso_datetimes(now, back))


def add_units(now: datetime, n: int, unit: str) -> datetime:
    """now + N units; months are calendar months (clamped); no fraction of a second."""
    start = now.replace(microsecond=0)
    if unit == "month":
        return add_months(start, n)
    return start + {"minute": timedelta(minutes=n), "hour": timedelta(hours=n), "day": timedelta(days=n)}[unit]


def _count(draw: st.DrawFn, n: int) -> str:
    return str(n) if n != 1 else draw(st.sampled_from(["1", "a", "an"]))


@st.composite
def relatives(draw: st.DrawFn, now: datetime) -> Schedule:
    """`in N units` and `N units from now`."""
    unit = draw(st.sampled_from(sorted(UNITS)))
    word = draw(st.sampled_from(UNITS[unit]))
    n = draw(st.one_of(st.integers(1, 30), st.integers(1, RELATIVE_MAX[unit])))
    count = _count(draw, n)
    if draw(st.booleans()):
        return Schedule(f"in {count} {word}", "relative", add_units(now, n, unit))
    return Schedule(f"{count} {word} from now", "expression", add_units(now, n, unit))


def tomorrow(now: datetime) -> Schedule:
    return Schedule("tomorrow", "expression", datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=UTC))


def one_offs(now: datetime) -> st.SearchStrategy[Schedule]:
    return st.one_of(iso_dates(now), iso_datetimes(now), relatives(now), st.just(tomorrow(now)))


# ---------------------------------------------------------------- crontabs


def _value(index: int, number: int, named: bool) -> str:
    names = MONTHS if index == 3 else DAYS if index == 4 else ()
    position = number - 1 if index == 3 else number
    return names[position] if named and position < len(names) else str(number)


def _item(draw: st.DrawFn, index: int) -> str:
    """`n`, `a-b` or `a-b/step` (a <= b), numbers or (months, days) names."""
    low, high = FIELDS[index]
    named = index >= 3 and draw(st.booleans())
    first = draw(st.integers(low, high))
    kind = draw(st.sampled_from(["value", "range", "stepped"]))
    if kind == "value":
        return _value(index, first, named)
    last = draw(st.integers(first, high))
    step = f"/{draw(st.integers(1, high))}" if kind == "stepped" else ""
    return f"{_value(index, first, named)}-{_value(index, last, named)}{step}"


def _field(draw: st.DrawFn, index: int, star_step: bool) -> str:
    shape = draw(st.sampled_from(["star", "star-step", "list"] if star_step else ["star", "list"]))
    if shape == "star":
        return "*"
    if shape == "star-step":
        return f"*/{draw(st.integers(1, FIELDS[index][1]))}"
    return ",".join(_item(draw, index) for _ in range(draw(st.integers(1, 3))))


@st.composite
def crontab_fields(draw: st.DrawFn) -> list[str]:
    """Five fields that fire within a year: days of month 1-28, and a `*/n` day of month only beside a
    `*` day of week (Vixie cron then requires both day fields, which could make it never fire)."""
    fields = [_field(draw, index, star_step=True) for index in range(4)]
    weekday = _field(draw, 4, star_step=False)
    return [*fields, "*" if fields[2].startswith("*/") else weekday]


def crontabs() -> st.SearchStrategy[Schedule]:
    spec = crontab_fields().map(lambda fields: Schedule(" ".join(fields), "crontab"))
    directive = st.sampled_from(DIRECTIVES).map(lambda text: Schedule(text, "crontab"))
    return st.one_of(spec, spec, directive)


# ---------------------------------------------------------------- every ...


@st.composite
def times(draw: st.DrawFn) -> tuple[str, int, int]:
    """`1am`, `1 am`, `1:30pm`, `13:00`, `noon`, `midnight` -> (text, hour, minute)."""
    kind = draw(st.sampled_from(["12h", "24h", "word"]))
    if kind == "word":
        return draw(st.sampled_from([("noon", 12, 0), ("midnight", 0, 0)]))
    minute = draw(st.sampled_from([0, 0, 15, 30, 45, draw(st.integers(0, 59))]))
    if kind == "24h":
        hour = draw(st.integers(0, 23))
        return f"{hour:02d}:{minute:02d}" if draw(st.booleans()) else f"{hour}:{minute:02d}", hour, minute
    hour12, half = draw(st.integers(1, 12)), draw(st.sampled_from(["am", "pm"]))
    shown = f"{hour12}" if minute == 0 and draw(st.booleans()) else f"{hour12}:{minute:02d}"
    return f"{shown}{draw(st.sampled_from(['', ' ']))}{half}", hour12 % 12 + (12 if half == "pm" else 0), minute


@st.composite
def everies(draw: st.DrawFn) -> Schedule:
    kind = draw(st.sampled_from(["unit", "unit", "week", "day-at", "weekday"]))
    if kind == "unit":
        unit = draw(st.sampled_from(sorted(UNITS)))
        n = draw(st.integers(1, EVERY_MAX[unit]))
        if n == 1 and draw(st.booleans()):
            return Schedule(f"every {unit}", "every", every=Every(unit))
        return Schedule(f"every {_count(draw, n)} {draw(st.sampled_from(UNITS[unit]))}", "every", every=Every(unit, n))
    if kind == "week":
        return Schedule("every week", "every", every=Every("at", weekday=0))
    text, hour, minute = draw(times())
    if kind == "day-at":
        return Schedule(f"every day at {text}", "every", every=Every("at", hour=hour, minute=minute))
    weekday = draw(st.integers(0, 6))
    if draw(st.booleans()):
        return Schedule(f"every {WEEKDAYS[weekday]}", "every", every=Every("at", weekday=weekday))
    return Schedule(f"every {WEEKDAYS[weekday]} at {text}", "every", every=Every("at", 1, hour, minute, weekday))


@st.composite
def clock_crontabs(draw: st.DrawFn) -> Schedule:
    """`M H * * *` and `M H * * D`: a fixed UTC time of day."""
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    weekday = draw(st.one_of(st.none(), st.integers(0, 6)))
    text = f"{minute} {hour} * * {'*' if weekday is None else weekday}"
    return Schedule(text, "crontab", every=Every("at", 1, hour, minute, weekday))


def repeatables() -> st.SearchStrategy[Schedule]:
    return st.one_of(crontabs(), everies())


def valid_schedules(now: datetime) -> st.SearchStrategy[Schedule]:
    """Any form, spelled any way that must not matter."""

    def respell(schedule: Schedule) -> st.SearchStrategy[Schedule]:
        assert isinstance(schedule.text, str)
        return spelled(schedule.text).map(lambda text: Schedule(text, schedule.form, schedule.instant, schedule.every))

    return st.one_of(one_offs(now), repeatables()).flatmap(respell)
