"""Recipient schedules on the virtual clock: fire times in the recipient's zone, DST included,
long advances, re-arming, disabling, and what a fire delivers (CONTRACTS.md 3.3, 3.6, 3.7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from mockserver.vendors.sendkit.schedule import covered_period, next_fire
from tests.sendkit.support import (
    FOLLOW_UP,
    Q1,
    RECIPIENTS,
    REPORTS,
    advance,
    auth,
    create_recipient,
    get_report,
    outbox,
)

DAY = 86400
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday


def schedule(**fields: Any) -> dict[str, Any]:
    return {
        "frequency": "weekly",
        "dayOfWeek": 1,
        "dayOfMonth": None,
        "timeOfDay": "09:00",
        "timezone": "UTC",
        **fields,
    }


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def fires(fields: dict[str, Any], after: str, count: int) -> list[str]:
    """`count` successive fire times, each re-armed from the previous one."""
    found, instant = [], utc(after)
    for _ in range(count):
        instant = next_fire(schedule(**fields), instant)
        found.append(instant.strftime("%Y-%m-%dT%H:%MZ"))
    return found


def get(client: httpx.Client, recipient: dict) -> dict[str, Any]:
    return client.get(f"{RECIPIENTS}/{recipient['_id']}", headers=auth()).json()["data"]


@pytest.mark.parametrize(
    ("fields", "after", "expected"),
    [
        # the contract's example: Monday 09:00 New York (EST) from Monday 09:00Z is the same day
        ({"timezone": "America/New_York"}, "2026-11-23T09:00Z", ["2026-11-23T14:00Z", "2026-11-30T14:00Z"]),
        # strictly after: at the fire time itself, the next one is a week later
        ({}, "2026-11-23T09:00Z", ["2026-11-30T09:00Z"]),
        ({"dayOfWeek": 0}, "2026-11-23T09:00Z", ["2026-11-29T09:00Z", "2026-12-06T09:00Z"]),
        # spring forward (2027-03-14): 09:00 EST then 09:00 EDT
        (
            {"frequency": "daily", "timezone": "America/New_York"},
            "2027-03-12T15:00Z",
            ["2027-03-13T14:00Z", "2027-03-14T13:00Z", "2027-03-15T13:00Z"],
        ),
        # 02:30 does not exist on 2027-03-14 in New York: fold=0 keeps the old offset (03:30 EDT)
        (
            {"frequency": "daily", "timeOfDay": "02:30", "timezone": "America/New_York"},
            "2027-03-13T08:00Z",
            ["2027-03-14T07:30Z", "2027-03-15T06:30Z"],
        ),
        # 01:30 happens twice on 2027-11-07: it fires once, at the first (EDT) occurrence
        (
            {"frequency": "daily", "timeOfDay": "01:30", "timezone": "America/New_York"},
            "2027-11-06T06:00Z",
            ["2027-11-07T05:30Z", "2027-11-08T06:30Z"],
        ),
        # southern hemisphere: Sydney leaves DST on 2027-04-04
        (
            {"dayOfWeek": 0, "timeOfDay": "08:00", "timezone": "Australia/Sydney"},
            "2027-03-26T00:00Z",
            ["2027-03-27T21:00Z", "2027-04-03T22:00Z"],
        ),
        # Lord Howe moves by 30 minutes
        (
            {"frequency": "daily", "timeOfDay": "12:00", "timezone": "Australia/Lord_Howe"},
            "2027-04-02T12:00Z",
            ["2027-04-03T01:00Z", "2027-04-04T01:30Z"],
        ),
        # monthly on the 31st: short months fire on their last day
        (
            {"frequency": "monthly", "dayOfMonth": 31, "timezone": "Europe/Lisbon"},
            "2026-11-23T09:00Z",
            ["2026-11-30T09:00Z", "2026-12-31T09:00Z", "2027-01-31T09:00Z", "2027-02-28T09:00Z", "2027-03-31T08:00Z"],
        ),
        ({"frequency": "monthly", "dayOfMonth": 29}, "2028-01-30T00:00Z", ["2028-02-29T09:00Z", "2028-03-29T09:00Z"]),
        # a zone ahead of UTC: its local date is already tomorrow
        (
            {"frequency": "daily", "timeOfDay": "08:00", "timezone": "Pacific/Kiritimati"},
            "2026-11-23T17:59Z",
            ["2026-11-23T18:00Z"],
        ),
    ],
)
def test_next_fire_examples(fields: dict[str, Any], after: str, expected: list[str]) -> None:
    assert fires(fields, after, len(expected)) == expected


def test_covered_periods() -> None:
    fire = utc("2027-03-31T08:00Z")
    assert covered_period("daily", fire) == (utc("2027-03-30T08:00Z"), fire)
    assert covered_period("weekly", fire) == (utc("2027-03-24T08:00Z"), fire)
    assert covered_period("monthly", fire) == (utc("2027-02-28T08:00Z"), fire)


def test_weekly_fire_creates_a_report_per_campaign_and_delivers_it(client: httpx.Client) -> None:
    ana = create_recipient(
        client,
        reportType="campaign",
        campaignIds=[Q1, FOLLOW_UP],
        schedule={"dayOfWeek": 1, "timeOfDay": "09:00", "timezone": "America/New_York"},
    )
    assert ana["schedule"]["nextScheduledAt"] == "2026-11-23T14:00:00.000Z"
    advance(client, 5 * 3600 - 1)
    assert client.get(REPORTS, headers=auth()).json()["data"] == []
    advance(client, 1)
    reports = client.get(REPORTS, headers=auth()).json()["data"]
    assert [(r["title"], r["campaignId"], r["status"]) for r in reports] == [
        ("Follow-up Campaign Report", FOLLOW_UP, "queued"),
        ("Q1 Outreach Report", Q1, "queued"),
    ]
    first = reports[1]
    assert (first["periodStart"], first["periodEnd"]) == ("2026-11-16T14:00:00.000Z", "2026-11-23T14:00:00.000Z")
    assert first["recipientIds"] == [ana["_id"]] and first["createdAt"] == "2026-11-23T14:00:00.000Z"
    assert all(value for value in first["sections"].values())
    assert get(client, ana)["schedule"]["nextScheduledAt"] == "2026-11-30T14:00:00.000Z"
    advance(client, 25)
    entries = outbox(client, kind="scheduled")
    assert [(e["destination"], e["resource_id"], e["at"]) for e in entries] == [
        ("ana@example.com", first["id"], "2026-11-23T14:00:25Z"),
        ("ana@example.com", reports[0]["id"], "2026-11-23T14:00:25Z"),
    ]
    assert entries[0]["payload"] == {
        "recipientId": ana["_id"],
        "reportId": first["id"],
        "title": "Q1 Outreach Report",
        "content": get_report(client, first["id"])["content"],
    }
    assert outbox(client, kind="report_email") == []
    assert get(client, ana)["totalReportsSent"] == 2


def test_a_long_advance_fires_every_occurrence_at_its_due_time(client: httpx.Client) -> None:
    ana = create_recipient(client, schedule={"frequency": "daily", "timeOfDay": "09:00", "timezone": "Europe/Berlin"})
    advance(client, 400 * DAY)
    entries = outbox(client, kind="scheduled")
    expected = fires({"frequency": "daily", "timezone": "Europe/Berlin"}, "2026-11-23T09:00Z", 400)
    assert [e["at"] for e in entries] == [f"{fire[:-1]}:25Z" for fire in expected]
    assert {fire[11:16] for fire in expected} == {"08:00", "07:00"}  # CET and CEST
    assert get(client, ana)["totalReportsSent"] == 400
    reports = client.get(REPORTS, params={"limit": 100}, headers=auth()).json()
    assert reports["pagination"]["total"] == 400
    assert [r["periodEnd"][:16] + "Z" for r in reversed(reports["data"])] == expected[300:]


def test_monthly_recipient_covers_one_calendar_month(client: httpx.Client) -> None:
    create_recipient(client, schedule={"frequency": "monthly", "dayOfMonth": 31, "timeOfDay": "00:00"})
    advance(client, 100 * DAY)
    periods = [(r["periodStart"], r["periodEnd"]) for r in reversed(client.get(REPORTS, headers=auth()).json()["data"])]
    assert periods == [
        ("2026-10-30T00:00:00.000Z", "2026-11-30T00:00:00.000Z"),
        ("2026-11-30T00:00:00.000Z", "2026-12-31T00:00:00.000Z"),
        ("2026-12-31T00:00:00.000Z", "2027-01-31T00:00:00.000Z"),
        ("2027-01-28T00:00:00.000Z", "2027-02-28T00:00:00.000Z"),
    ]


def test_disabled_and_inactive_recipients_do_not_fire(client: httpx.Client) -> None:
    off = create_recipient(client)  # no schedule: disabled
    paused = create_recipient(client, email="p@example.com", schedule={"frequency": "daily"})
    url = f"{RECIPIENTS}/{paused['_id']}"
    assert paused["schedule"]["nextScheduledAt"] == "2026-11-24T09:00:00.000Z"
    inactive = client.patch(url, json={"active": False}, headers=auth()).json()["data"]
    assert inactive["schedule"]["nextScheduledAt"] is None and inactive["schedule"]["enabled"] is True
    assert advance(client, 3 * DAY) == 0
    assert get(client, off)["schedule"]["nextScheduledAt"] is None
    resumed = client.patch(url, json={"active": True}, headers=auth()).json()["data"]
    assert resumed["schedule"]["nextScheduledAt"] == "2026-11-27T09:00:00.000Z"
    disabled = client.patch(url, json={"schedule": {"enabled": False}}, headers=auth()).json()["data"]
    assert disabled["schedule"]["nextScheduledAt"] is None
    assert advance(client, 3 * DAY) == 0
    enabled = client.patch(url, json={"schedule": {"enabled": True, "timeOfDay": "10:15"}}, headers=auth()).json()
    assert enabled["data"]["schedule"]["nextScheduledAt"] == "2026-11-29T10:15:00.000Z"
    advance(client, DAY)
    assert [e["at"] for e in outbox(client, kind="scheduled")] == ["2026-11-29T10:15:25Z"]


def test_changing_the_schedule_rearms_from_now(client: httpx.Client) -> None:
    ana = create_recipient(client, schedule={"frequency": "weekly", "dayOfWeek": 5})
    url = f"{RECIPIENTS}/{ana['_id']}"
    advance(client, DAY)  # Tuesday 09:00
    moved = client.patch(url, json={"schedule": {"frequency": "daily", "timezone": "Asia/Tokyo"}}, headers=auth())
    assert moved.json()["data"]["schedule"]["nextScheduledAt"] == "2026-11-25T00:00:00.000Z"
    advance(client, 2 * DAY)
    assert [e["at"] for e in outbox(client, kind="scheduled")] == ["2026-11-25T00:00:25Z", "2026-11-26T00:00:25Z"]


def test_a_scheduled_report_that_fails_sends_nothing_to_the_recipient(client: httpx.Client) -> None:
    client.put("/_mock/config", json={"sendkit": {"fail_report_types": ["workspace"]}})
    ana = create_recipient(client, schedule={"frequency": "daily"})
    advance(client, DAY + 25)
    assert [e["kind"] for e in outbox(client)] == ["report_failed"]
    assert get(client, ana)["totalReportsSent"] == 0


def test_next_fire_is_strictly_after_even_a_millisecond_before() -> None:
    after = utc("2026-11-23T08:59:59.999Z")
    assert next_fire(schedule(), after) == START
    assert next_fire(schedule(), START) == START + timedelta(days=7)
