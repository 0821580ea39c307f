"""The schedule grammar (CONTRACTS.md 4.4): every form, what is refused, and that nothing raises."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver import create_app
from mockserver.inprocess import client_for
from mockserver.vendors.postageapp.schedule import CronSchedule, InvalidSchedule, OneOffSchedule, parse_schedule
from tests.postageapp.support import START, call, create, errors_of, set_clock

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 11, 23, 9, 2, 30, tzinfo=UTC)  # a Monday


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# ---------------------------------------------------------------- one-off forms


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2026-12-01", "2026-12-01T00:00:00"),
        ("2026-12-01 14:30:00", "2026-12-01T14:30:00"),
        ("2026-12-01 14:30", "2026-12-01T14:30:00"),
        ("2026-12-01T14:30", "2026-12-01T14:30:00"),
        ("2026-12-01T14:30:00Z", "2026-12-01T14:30:00"),
        ("2026-12-01t14:30:00z", "2026-12-01T14:30:00"),
        ("2026-12-01T14:30:00.999Z", "2026-12-01T14:30:00"),
        ("2026-12-01T14:30:00+02:00", "2026-12-01T12:30:00"),
        ("2026-12-01T14:30-05:00", "2026-12-01T19:30:00"),
        ("2026-12-01T14:30:00+0530", "2026-12-01T09:00:00"),
        ("in 5 minutes", "2026-11-23T09:07:30"),
        ("in 1 minute", "2026-11-23T09:03:30"),
        ("in 5 mins", "2026-11-23T09:07:30"),
        ("in 1 min", "2026-11-23T09:03:30"),
        ("in 2 hours", "2026-11-23T11:02:30"),
        ("in 2 hrs", "2026-11-23T11:02:30"),
        ("in an hour", "2026-11-23T10:02:30"),
        ("in 1 hr", "2026-11-23T10:02:30"),
        ("in 3 days", "2026-11-26T09:02:30"),
        ("in a day", "2026-11-24T09:02:30"),
        ("in 1 month", "2026-12-23T09:02:30"),
        ("in 14 months", "2028-01-23T09:02:30"),
        ("5 days from now", "2026-11-28T09:02:30"),
        ("a month from now", "2026-12-23T09:02:30"),
        ("90 minutes from now", "2026-11-23T10:32:30"),
        ("tomorrow", "2026-11-24T00:00:00"),
        ("  In   5   MINUTES ", "2026-11-23T09:07:30"),
        ("TOMORROW", "2026-11-24T00:00:00"),
        ("\tin\n5 minutes", "2026-11-23T09:07:30"),
    ],
)
def test_one_off_forms_are_single_instants_in_utc(text: str, instant: str) -> None:
    schedule = parse_schedule(text, NOW)
    assert schedule == OneOffSchedule(at(instant))
    assert schedule.event_type == "single"


@pytest.mark.parametrize(
    ("now", "text", "instant"),
    [
        ("2027-01-31T10:00:00", "in 1 month", "2027-02-28T10:00:00"),
        ("2027-01-31T10:00:00", "in 13 months", "2028-02-29T10:00:00"),
        ("2026-03-31T00:00:00", "in 1 month", "2026-04-30T00:00:00"),
        ("2026-12-31T23:59:59", "tomorrow", "2027-01-01T00:00:00"),
    ],
)
def test_months_are_calendar_months_clamped_to_the_months_end(now: str, text: str, instant: str) -> None:
    assert parse_schedule(text, at(now)) == OneOffSchedule(at(instant))


def test_fractions_of_a_second_are_dropped_from_relative_schedules() -> None:
    assert parse_schedule("in 1 minute", NOW.replace(microsecond=750000)) == OneOffSchedule(at("2026-11-23T09:03:30"))


def test_a_one_off_in_the_past_parses_but_has_no_fire() -> None:
    assert parse_schedule("2026-11-23", NOW).next_after(NOW) is None
    assert parse_schedule("2026-11-23T09:02:30Z", NOW).next_after(NOW) is None  # not after now
    assert parse_schedule("2026-11-23T09:02:31Z", NOW).next_after(NOW) == at("2026-11-23T09:02:31")


# ---------------------------------------------------------------- crontab and directives


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("0 * * * *", "2026-11-23T10:00:00"),
        ("0 0 * * *", "2026-11-24T00:00:00"),
        ("*/15 9-17 * * 1-5", "2026-11-23T09:15:00"),
        ("30 8 * * 1,3,5", "2026-11-25T08:30:00"),
        ("0 12 1 jan,jul *", "2027-01-01T12:00:00"),
        ("0 0 * * sun", "2026-11-29T00:00:00"),
        ("0 0 * * 7", "2026-11-29T00:00:00"),
        ("0 0 * * MON-FRI", "2026-11-24T00:00:00"),
        ("0 0 1 jan-jun/2 *", "2027-01-01T00:00:00"),
        ("0 0 * * sun-mon", "2026-11-29T00:00:00"),
        ("5/20 * * * *", "2026-11-23T09:05:00"),
        ("0 0 29 2 *", "2028-02-29T00:00:00"),
        ("0 0 13 * 5", "2026-11-27T00:00:00"),  # either day field: a Friday or the 13th
        ("0 0 */2 * 5", "2026-11-27T00:00:00"),  # `*/2` counts as unrestricted: an odd day AND a Friday
        ("0 0 29 2 */7", "2032-02-29T00:00:00"),  # a Sunday 29 February
        ("@yearly", "2027-01-01T00:00:00"),
        ("@annually", "2027-01-01T00:00:00"),
        ("@monthly", "2026-12-01T00:00:00"),
        ("@weekly", "2026-11-29T00:00:00"),
        ("@daily", "2026-11-24T00:00:00"),
        ("@midnight", "2026-11-24T00:00:00"),
        ("@hourly", "2026-11-23T10:00:00"),
        (" @HOURLY ", "2026-11-23T10:00:00"),
        ("0   0 *  * *", "2026-11-24T00:00:00"),
    ],
)
def test_crontab_specs_are_repeatable(text: str, first: str) -> None:
    schedule = parse_schedule(text, NOW)
    assert isinstance(schedule, CronSchedule)
    assert schedule.event_type == "repeatable"
    assert schedule.next_after(NOW) == at(first)


@pytest.mark.parametrize(
    "text",
    [
        "0 0 * * * *",  # six fields
        "0 0 * *",
        "0 0 L * *",
        "0 0 LW * *",
        "0 0 15W * *",
        "0 0 * * 5L",
        "0 0 * * 5#2",
        "0 0 ? * *",
        "0 0 * * ?",
        "@reboot",
        "@every 5m",
        "@hourly *",
        "60 * * * *",
        "* 24 * * *",
        "0 0 0 * *",
        "0 0 32 * *",
        "0 0 * 13 *",
        "0 0 * 0 *",
        "0 0 * * 8",
        "5-1 * * * *",
        "*/0 * * * *",
        "0 0 * mon *",
        "0 0 * * jan",
        "0 0 30 2 *",  # never: no 30 February
        "0 0 31 4,6,9,11 *",
        "0 0 * * mon-sun",  # no wrap-around ranges
        "0 0 1 dec-feb *",
        "-1 * * * *",
        "*/-5 * * * *",
        "1,,2 * * * *",
        "0 0 * * ５",  # a full-width digit is no digit here
    ],
)
def test_crontab_forms_the_contract_forbids_are_invalid(text: str) -> None:
    with pytest.raises(InvalidSchedule):
        parse_schedule(text, NOW)


def test_a_spec_with_no_fire_within_8_years_is_invalid() -> None:
    assert parse_schedule("0 0 29 2 */7", NOW).next_after(NOW) == at("2032-02-29T00:00:00")
    with pytest.raises(InvalidSchedule):  # after 2032 the next Sunday 29 February is in 2060
        parse_schedule("0 0 29 2 */7", at("2032-03-01T00:00:00"))


# ---------------------------------------------------------------- repeating expressions


@pytest.mark.parametrize(
    ("text", "crontab"),
    [
        ("every minute", "* * * * *"),
        ("every 5 minutes", "*/5 * * * *"),
        ("every 5 mins", "*/5 * * * *"),
        ("every 1 min", "*/1 * * * *"),
        ("every 59 minutes", "*/59 * * * *"),
        ("every hour", "0 * * * *"),
        ("every 3 hours", "0 */3 * * *"),
        ("every 2 hrs", "0 */2 * * *"),
        ("every an hour", "0 */1 * * *"),
        ("every 23 hours", "0 */23 * * *"),
        ("every day", "0 0 * * *"),
        ("every 2 days", "0 0 */2 * *"),
        ("every 31 days", "0 0 */31 * *"),
        ("every week", "0 0 * * 0"),
        ("every month", "0 0 1 * *"),
        ("every 3 months", "0 0 1 */3 *"),
        ("every 12 months", "0 0 1 */12 *"),
        ("every day at 1am", "0 1 * * *"),
        ("every day at 1 am", "0 1 * * *"),
        ("every day at 1:30pm", "30 13 * * *"),
        ("every day at 1:30 PM", "30 13 * * *"),
        ("every day at 13:00", "0 13 * * *"),
        ("every day at 07:05", "5 7 * * *"),
        ("every day at noon", "0 12 * * *"),
        ("every day at midnight", "0 0 * * *"),
        ("every day at 12am", "0 0 * * *"),
        ("every day at 12pm", "0 12 * * *"),
        ("every monday at 9am", "0 9 * * 1"),
        ("every fri at 5:45pm", "45 17 * * 5"),
        ("every sunday", "0 0 * * 0"),
        ("every saturday", "0 0 * * 6"),
        ("  Every   5   MINS  ", "*/5 * * * *"),
    ],
)
def test_every_expressions_map_to_the_contracts_crontab(text: str, crontab: str) -> None:
    assert parse_schedule(text, NOW) == CronSchedule(crontab)


@pytest.mark.parametrize(
    "text",
    [
        "every 0 minutes",
        "every 60 minutes",
        "every 0 hours",
        "every 24 hours",
        "every 32 days",
        "every 13 months",
        "every 2 weeks",
        "every 1 week",
        "every",
        "every 5",
        "every 5 seconds",
        "every day at",
        "every day at 13am",
        "every day at 0am",
        "every day at 24:00",
        "every day at 1:60pm",
        "every day at 9",
        "every noon",
        "every funday",
        "every monday at",
        "every 2 mondays",
        "every day at 1am and 2am",
    ],
)
def test_every_expressions_out_of_range_or_unknown_are_invalid(text: str) -> None:
    with pytest.raises(InvalidSchedule):
        parse_schedule(text, NOW)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "yesterday",
        "now",
        "next week",
        "in 0 minutes",
        "in -5 minutes",
        "in 5 seconds",
        "in 5 weeks",
        "in five minutes",
        "5 days ago",
        "0 days from now",
        "2026-13-01",
        "2026-02-30",
        "2026-12-01T25:00",
        "2026-12-01T14:30:00+24:00",
        "2026-12-01T14",
        "26-12-01",
        "2026/12/01",
        "2026-12-01T14:30:00 UTC",
        "in 99999999999999999999 days",
        "in 99999999 months",
        "9999-12-31T23:59:59-01:00",
        "0001-01-01T00:00:00+01:00",
        "in ５ minutes",
    ],
)
def test_other_text_is_invalid(text: str) -> None:
    with pytest.raises(InvalidSchedule):
        parse_schedule(text, NOW)


# ---------------------------------------------------------------- never raises


TOKENS = st.sampled_from(
    ["every", "in", "at", "from", "now", "tomorrow", "day", "days", "min", "mins", "hrs", "month", "week", "am", "pm"]
    + ["monday", "sun", "jan", "noon", "midnight", "@hourly", "@reboot", "*", "*/", "-", ",", "/", ":", "L", "W", "#"]
    + ["?", "0", "1", "5", "7", "12", "29", "31", "60", "2026-12-01", "T14:30", "Z", "+02:00", "99999999999999", " "]
)
GRAMMAR_NOISE = st.lists(TOKENS, max_size=8).map(" ".join) | st.lists(TOKENS, max_size=10).map("".join)


@FAST
@given(text=st.text(max_size=40) | GRAMMAR_NOISE, offset=st.integers(0, 200 * 365 * 86400))
def test_the_parser_raises_nothing_but_invalid_schedule(text: str, offset: int) -> None:
    now = datetime.fromtimestamp(START.timestamp() + offset, UTC)
    try:
        schedule = parse_schedule(text, now)
    except InvalidSchedule:
        return
    following = schedule.next_after(now)
    assert following is None or following > now


SCHEDULE_ERRORS = {"[:schedule] is invalid", "[:schedule] is in the past", "[:schedule] can't be blank"}


@FAST
@given(text=st.text(max_size=40) | GRAMMAR_NOISE)
def test_any_schedule_text_gets_200_or_a_clean_bad_request(text: str) -> None:
    with client_for(create_app()) as client:
        response = call(client, "create_scheduled_event", uid="u", schedule=text, metadata={})
        assert response.status_code in (200, 400), response.text
        if response.status_code == 400:
            assert set(errors_of(response)) <= SCHEDULE_ERRORS
            assert len(errors_of(response)) == 1


# ---------------------------------------------------------------- over HTTP


def test_schedule_is_at_most_255_characters(client: httpx.Client) -> None:
    assert create(client, "ok", "every 5 mins".ljust(255))["schedule"] == "every 5 mins".ljust(255)
    response = call(client, "create_scheduled_event", uid="long", schedule="every 5 mins".ljust(256), metadata={})
    assert errors_of(response) == ["[:schedule] is invalid"]


def test_the_schedule_string_is_kept_exactly_as_sent(client: httpx.Client) -> None:
    data = create(client, "kept", "  Every  5  MINS ")
    assert (data["schedule"], data["frequency"]) == ("  Every  5  MINS ", "  Every  5  MINS ")
    assert data["scheduled_at"] == "2026-11-23T09:05:00+00:00"


def test_past_one_offs_are_refused_at_and_before_now(client: httpx.Client) -> None:
    set_clock(client, "2026-11-23T09:00:00Z")
    for text in ("2026-11-23", "2026-11-23T09:00:00", "2026-11-23T10:00:00+01:00", "2020-02-29 23:59"):
        response = call(client, "create_scheduled_event", uid="p", schedule=text, metadata={})
        assert errors_of(response) == ["[:schedule] is in the past"], text
    assert create(client, "p", "2026-11-23T09:00:01Z")["scheduled_at"] == "2026-11-23T09:00:01+00:00"
