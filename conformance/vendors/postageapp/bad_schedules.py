"""Invalid schedule strings (PA-SCHEDULE-FORMAT), each a valid one with exactly one thing changed:
a sixth or a missing crontab field, a value out of its range, an `L`/`W`/`#`/`?`, a spec that never
fires, an N out of its range, an unknown unit or time, an impossible date, 256 characters, or a value
that is not a string. Weeks and unknown words are soft: a real endpoint may read other phrasings.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import strategies as st

from conformance.strategies import NOT_A_STRING
from conformance.vendors.postageapp.schedules import (
    EVERY_MAX,
    OUT_OF_RANGE,
    UNITS,
    Schedule,
    crontab_fields,
    valid_schedules,
)

TOKENS = ((2, "L"), (2, "15W"), (2, "LW"), (4, "5L"), (4, "5#2"), (2, "?"), (4, "?"))
NEVER = ("30 2", "31 2", "31 4,6,9,11", "31 apr")
BAD_DIRECTIVES = ("@reboot", "@every 5m", "@hourly *", "@weekdays", "@")
BAD_TIMES = ("25:00", "13pm", "0am", "12:60", "24:30", "noonish", "1:5pm")
BAD_DATES = ("2027-13-01", "2027-02-30", "2027-04-31", "2027-00-10", "2027-12-32")
BAD_CLOCKS = ("25:00", "12:60", "24:30", "9:5")
KNOWN_WORDS = frozenset({"tomorrow"})


def _bad(text: object, form: str = "invalid", soft: bool = False) -> Schedule:
    return Schedule(text, form, soft=soft)


@st.composite
def bad_crontabs(draw: st.DrawFn) -> Schedule:
    fields = draw(crontab_fields())
    kind = draw(st.sampled_from(["sixth", "fourth", "range", "token", "never", "zero-step", "directive"]))
    if kind == "sixth":
        return _bad(" ".join([*fields, draw(st.sampled_from(["0", "*", "2027"]))]))
    if kind == "fourth":
        del fields[draw(st.integers(0, 4))]
        return _bad(" ".join(fields))
    if kind == "range":
        index = draw(st.integers(0, 4))
        low, high = OUT_OF_RANGE[index]
        fields[index] = str(draw(st.one_of(st.integers(low, high), st.just(0) if index in (2, 3) else st.nothing())))
        return _bad(" ".join(fields))
    if kind == "token":
        index, token = draw(st.sampled_from(TOKENS))
        fields[index] = token
        return _bad(" ".join(fields))
    if kind == "never":
        return _bad(" ".join([*fields[:2], draw(st.sampled_from(NEVER)), "*"]))
    if kind == "zero-step":
        fields[draw(st.integers(0, 4))] = "*/0"
        return _bad(" ".join(fields))
    return _bad(draw(st.sampled_from(BAD_DIRECTIVES)))


@st.composite
def bad_everies(draw: st.DrawFn) -> Schedule:
    kind = draw(st.sampled_from(["n", "n", "weeks", "unit", "time", "weekday"]))
    if kind == "n":
        unit = draw(st.sampled_from(sorted(EVERY_MAX)))
        n = draw(st.one_of(st.just(0), st.integers(EVERY_MAX[unit] + 1, EVERY_MAX[unit] + 3), st.integers(100, 9999)))
        return _bad(f"every {n} {draw(st.sampled_from(UNITS[unit]))}")
    if kind == "weeks":
        return _bad(f"every {draw(st.integers(1, 9))} weeks", soft=True)
    if kind == "unit":
        unknown = draw(st.sampled_from(["fortnights", "seconds", "years"]))
        return _bad(f"every {draw(st.integers(1, 9))} {unknown}", soft=True)
    if kind == "time":
        return _bad(f"every day at {draw(st.sampled_from(BAD_TIMES))}")
    return _bad(f"every {draw(st.sampled_from(['funday', 'mondays', 'weekday']))} at noon", soft=True)


@st.composite
def bad_one_offs(draw: st.DrawFn, now: datetime) -> Schedule:
    kind = draw(st.sampled_from(["zero", "weeks", "unit", "date", "clock", "shape"]))
    unit = draw(st.sampled_from(sorted(UNITS)))
    if kind == "zero":
        return _bad(draw(st.sampled_from([f"in 0 {UNITS[unit][1]}", f"0 {UNITS[unit][1]} from now"])))
    if kind == "weeks":
        return _bad(draw(st.sampled_from(["in 2 weeks", "3 weeks from now", "in a week"])), soft=True)
    if kind == "unit":
        return _bad(f"in {draw(st.integers(1, 9))} {draw(st.sampled_from(['parsecs', 'moons', 'secs']))}", soft=True)
    future = (now + timedelta(days=40)).strftime("%Y-%m-%d")
    if kind == "date":
        return _bad(draw(st.sampled_from(BAD_DATES)))
    if kind == "clock":
        return _bad(f"{future} {draw(st.sampled_from(BAD_CLOCKS))}")
    return _bad(draw(st.sampled_from([future.replace("-", "/"), future[:-3] + "-1", f"{future}X10:00", future[2:]])))


def too_long(now: datetime) -> st.SearchStrategy[Schedule]:
    """A valid schedule padded with whitespace to 256 characters or more."""

    def pad(schedule: Schedule, extra: int) -> Schedule:
        assert isinstance(schedule.text, str)
        return _bad(schedule.text + " " * (256 - len(schedule.text) + extra))

    return st.builds(pad, valid_schedules(now), st.integers(0, 20))


def words() -> st.SearchStrategy[Schedule]:
    """Words that are none of the forms (soft: a real endpoint may read phrasings the contract does not)."""
    return (
        st.from_regex(r"\A[a-z]{3,10}\Z").filter(lambda word: word not in KNOWN_WORDS).map(lambda w: _bad(w, soft=True))
    )


def invalid_schedules(now: datetime) -> st.SearchStrategy[Schedule]:
    return st.one_of(
        bad_crontabs(),
        bad_everies(),
        bad_one_offs(now),
        too_long(now),
        NOT_A_STRING.map(_bad),
        words(),
    )


def documented_invalid(now: datetime) -> list[Schedule]:
    """The refusals CONTRACTS.md 4.4 names, always sent."""
    texts = ["0 0 * * * *", "0 0 L * *", "0 0 15W * *", "0 0 * * 5#2", "0 0 ? * *", "@reboot", "0 0 30 2 *"]
    texts += ["every 60 minutes", "every 0 hours", "every 24 hours", "every 32 days", "every 13 months", "60 * * * *"]
    texts += ["0 0 * mon *", "in 0 minutes", "2027-02-30", "0 * * * *" + " " * 247]
    return [_bad(text) for text in texts] + [_bad(None), _bad(5)]
