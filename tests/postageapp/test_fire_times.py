"""Fire times over a simulated month equal a brute-force, minute-by-minute matcher's.

The oracle here is written from CONTRACTS.md 4.4 alone (no cron library): each crontab
field expands to a set of values, a minute fires when all fields match, and when both day
fields are restricted (neither starts with `*`) either may match. `every ...` phrases go
through the contract's table to a crontab first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mockserver import create_app
from mockserver.inprocess import client_for
from tests.postageapp.support import START, advance, call, fire_times

MONTH = timedelta(days=31)
MINUTE = timedelta(minutes=1)
HORIZON_DAYS = 8 * 365  # a spec with no fire in the next 8 years is refused
RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- the oracle


def _number(text: str, field: int) -> int:
    if field == 3 and text in MONTH_NAMES:
        return MONTH_NAMES.index(text) + 1
    if field == 4 and text in DAY_NAMES:
        return DAY_NAMES.index(text)
    return int(text)


def expand(text: str, field: int) -> set[int]:
    """The values a crontab field allows: `*`, `a`, `a-b`, each with an optional `/step`; lists."""
    low, high = RANGES[field]
    values: set[int] = set()
    for item in text.split(","):
        base, _, step = item.partition("/")
        if base == "*":
            first, last = low, high
        elif "-" in base:
            first, last = (_number(part, field) for part in base.split("-"))
        else:
            first = _number(base, field)
            last = high if step else first
        values.update(range(first, last + 1, int(step) if step else 1))
    return values


def day_matcher(crontab: str) -> Callable[[date], bool]:
    minute, hour, dom, month, dow = crontab.split()
    days, months, weekdays = expand(dom, 2), expand(month, 3), expand(dow, 4)
    if 7 in weekdays:
        weekdays.add(0)
    both_restricted = not dom.startswith("*") and not dow.startswith("*")

    def matches(day: date) -> bool:
        if day.month not in months:
            return False
        on_day, on_weekday = day.day in days, (day.weekday() + 1) % 7 in weekdays
        return on_day or on_weekday if both_restricted else on_day and on_weekday

    return matches


def brute_force_fires(crontab: str, start: datetime, end: datetime) -> list[datetime]:
    """Every minute in (start, end] the crontab matches, found by trying each minute in turn."""
    minutes, hours = expand(crontab.split()[0], 0), expand(crontab.split()[1], 1)
    on_day = day_matcher(crontab)
    fires = []
    instant = start.replace(second=0, microsecond=0) + MINUTE
    while instant <= end:
        if instant.minute in minutes and instant.hour in hours and on_day(instant.date()):
            fires.append(instant)
        instant += MINUTE
    return fires


def fires_within_horizon(crontab: str, start: datetime) -> bool:
    on_day = day_matcher(crontab)
    return any(on_day(start.date() + timedelta(days=n)) for n in range(1, HORIZON_DAYS))


EVERY_TABLE = {  # CONTRACTS.md 4.4: expression -> crontab
    "minutes": "*/{n} * * * *",
    "hours": "0 */{n} * * *",
    "days": "0 0 */{n} * *",
    "months": "0 0 1 */{n} *",
}


# ---------------------------------------------------------------- generated expressions


def _value(field: int) -> st.SearchStrategy[str]:
    low, high = RANGES[field]
    numbers = st.integers(low, high).map(str)
    if field == 3:
        return numbers | st.sampled_from(MONTH_NAMES)
    if field == 4:
        return numbers | st.sampled_from(DAY_NAMES)
    return numbers


@st.composite
def _item(draw: st.DrawFn, field: int) -> str:
    low, high = RANGES[field]
    kind = draw(st.sampled_from(["star", "star_step", "value", "range", "range_step", "value_step"]))
    step = f"/{draw(st.integers(1, high - low + 2))}"
    if kind.startswith("star"):
        return "*" + (step if kind == "star_step" else "")
    first = draw(_value(field))
    if kind == "value":
        return first
    if kind == "value_step":
        return first + step
    last = draw(_value(field).filter(lambda v: _number(v, field) >= _number(first, field)))
    return f"{first}-{last}" + (step if kind == "range_step" else "")


def _field(field: int) -> st.SearchStrategy[str]:
    return st.lists(_item(field), min_size=1, max_size=3).map(",".join)


# minutes: a few values, or a step of 10 or more, so a month holds at most a few thousand fires
_MINUTES = st.lists(st.integers(0, 59).map(str), min_size=1, max_size=3).map(",".join) | st.integers(10, 59).map(
    "*/{}".format
)
CRONTABS = st.tuples(_MINUTES, _field(1), _field(2), _field(3), _field(4)).map(" ".join)
OFFSETS = st.integers(0, 4 * 366 * 86400)  # where the month starts, up to four years on


@st.composite
def every_phrases(draw: st.DrawFn) -> tuple[str, str]:
    """An `every ...` phrase and the crontab the contract's table maps it to."""
    kind = draw(st.sampled_from(["minutes", "hours", "days", "months", "day_at", "weekday_at", "weekday"]))
    if kind in EVERY_TABLE:
        largest = {"minutes": 59, "hours": 23, "days": 31, "months": 12}[kind]
        n = draw(st.integers(10 if kind == "minutes" else 1, largest))
        unit = draw(st.sampled_from({"minutes": ["minutes", "mins"], "hours": ["hours", "hrs"]}.get(kind, [kind])))
        return f"every {n} {unit}", EVERY_TABLE[kind].format(n=n)
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    twelve = f"{hour % 12 or 12}:{minute:02d}{'am' if hour < 12 else 'pm'}"
    time_text = draw(st.sampled_from([f"{hour}:{minute:02d}", twelve]))
    if kind == "day_at":
        return f"every day at {time_text}", f"{minute} {hour} * * *"
    weekday = draw(st.integers(0, 6))
    name = draw(st.sampled_from([DAY_NAMES[weekday], WEEKDAYS[weekday]]))
    if kind == "weekday":
        return f"every {name}", f"0 0 * * {weekday}"
    return f"every {name} at {time_text}", f"{minute} {hour} * * {weekday}"


WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]


# ---------------------------------------------------------------- the properties


def _mock_month(schedule: str, offset: int) -> tuple[int, dict, list[str]]:
    """Create the event `offset` seconds after the start, run a month; (status, answer, fire times)."""
    with client_for(create_app({"outbox_max_entries": 100000})) as client:
        advance(client, offset)
        response = call(client, "create_scheduled_event", uid="e", schedule=schedule, metadata={})
        if response.status_code != 200:
            return response.status_code, response.json(), []
        advance(client, MONTH.total_seconds())
        return 200, response.json(), fire_times(client, "e")


def _check_month(schedule: str, crontab: str, offset: int) -> None:
    start = START + timedelta(seconds=offset)
    status, answer, fired = _mock_month(schedule, offset)
    if status != 200:
        assert answer["data"]["errors"] == ["[:schedule] is invalid"]
        assert not fires_within_horizon(crontab, start), f"{schedule!r} was refused but fires within 8 years"
        return
    expected = brute_force_fires(crontab, start, start + MONTH)
    assert fired == [instant.strftime("%Y-%m-%dT%H:%M:%SZ") for instant in expected]
    if expected:
        assert answer["data"]["scheduled_at"] == expected[0].strftime("%Y-%m-%dT%H:%M:%S+00:00")


@SETTINGS
@given(crontab=CRONTABS, offset=OFFSETS)
@example(crontab="0 0 30,31 2 *", offset=0)  # never: refused
@example(crontab="0 0 13 * 5", offset=0)  # both day fields restricted: either matches
@example(crontab="0 0 */2 * 5", offset=0)  # `*/2` is unrestricted: both must match
@example(crontab="15 12 * feb 7", offset=60 * 86400)  # 7 is Sunday
def test_crontab_fires_match_a_brute_force_matcher(crontab: str, offset: int) -> None:
    _check_month(crontab, crontab, offset)


@SETTINGS
@given(phrase=every_phrases(), offset=OFFSETS)
def test_every_phrase_fires_match_the_contracts_crontab(phrase: tuple[str, str], offset: int) -> None:
    _check_month(phrase[0], phrase[1], offset)


def test_the_oracle_has_teeth() -> None:
    """The matcher itself: a known month of a known spec."""
    start = datetime(2026, 11, 23, 9, 2, 30, tzinfo=UTC)
    fires = brute_force_fires("0 0 13 * 5", start, start + MONTH)  # Fridays, and Sunday the 13th
    assert [fire.day for fire in fires] == [27, 4, 11, 13, 18]
    five_minutes = brute_force_fires("*/5 * * * *", start, start + timedelta(minutes=10))
    assert five_minutes == [start.replace(minute=5, second=0), start.replace(minute=10, second=0)]
    assert not fires_within_horizon("0 0 30 2 *", start)
