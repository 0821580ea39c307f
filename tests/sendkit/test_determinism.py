"""Same seed and same requests give the same bytes; ids follow CONTRACTS.md 3.8."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx

from mockserver import create_app
from mockserver.inprocess import client_for
from tests.sendkit.support import FOLLOW_UP, KEY, OTHER_KEY, Q1, RECIPIENTS, REPORTS, auth, create_recipient, generate


def session(seed: int) -> list[bytes]:
    """A fixed script touching every route, a schedule and the outbox; every body in order."""
    with client_for(create_app(seed=seed)) as http:
        bodies: list[bytes] = []
        keep = bodies.append
        schedule = {"frequency": "daily", "timeOfDay": "06:30", "timezone": "Asia/Kolkata"}
        ana = http.post(RECIPIENTS, json={"name": "Ana", "email": "a@x.io", "schedule": schedule}, headers=auth())
        keep(ana.content)
        body = {"reportType": "campaign", "campaignIds": [Q1, FOLLOW_UP], "recipientIds": [ana.json()["data"]["_id"]]}
        keep(http.post(REPORTS, json=body, headers=auth()).content)
        keep(http.post(REPORTS, json={"reportType": "organizational"}, headers=auth(OTHER_KEY)).content)
        http.post("/_mock/clock", json={"advance_seconds": 3 * 86400})
        keep(http.get(REPORTS, headers=auth()).content)
        keep(http.patch(f"{RECIPIENTS}/{ana.json()['data']['_id']}", json={"active": False}, headers=auth()).content)
        keep(http.get(RECIPIENTS, headers=auth()).content)
        keep(http.get("/_mock/outbox").content)
        return bodies


def test_same_seed_same_bytes() -> None:
    assert session(5) == session(5)


def test_another_seed_other_ids_same_shape() -> None:
    first, second = session(5), session(6)
    assert first[0] != second[0]
    strip = re.compile(rb'"[0-9a-f]{24}"')
    assert strip.sub(b"ID", first[0]) == strip.sub(b"ID", second[0])


def test_ids_are_clock_seconds_then_a_counter_shared_by_reports_and_recipients(client: httpx.Client) -> None:
    ana = create_recipient(client)["_id"]
    first, second = (r["id"] for r in generate(client, reportType="campaign", campaignIds=[Q1, FOLLOW_UP]))
    client.post("/_mock/clock", json={"advance_seconds": 3661})
    later = generate(client)[0]["id"]
    stamp = f"{int(datetime(2026, 11, 23, 9, 0, tzinfo=UTC).timestamp()):08x}"
    assert ana[:8] == first[:8] == second[:8] == stamp
    assert later[:8] == f"{int(stamp, 16) + 3661:08x}"
    counters = [int(i[8:], 16) for i in (ana, first, second, later)]
    assert counters == list(range(counters[0], counters[0] + 4)) and counters[0] < 2**48
    assert sorted([later, second, ana, first]) == [ana, first, second, later]


def test_reset_and_a_new_seed_restart_the_counter(client: httpx.Client) -> None:
    [first] = generate(client)
    assert client.post("/_mock/reset").status_code == 204
    assert generate(client)[0]["id"] == first["id"]
    client.put("/_mock/config", json={"seed": 9})
    [reseeded] = generate(client)
    assert reseeded["id"][8:] != first["id"][8:] and int(reseeded["id"][8:], 16) != int(first["id"][8:], 16) + 1


def test_sendkit_traffic_does_not_shift_other_tenants_contents(client: httpx.Client) -> None:
    def content(noise: int) -> dict:
        with client_for(create_app()) as http:
            for _ in range(noise):
                generate(http, OTHER_KEY)
            [report] = generate(http, KEY, periodStart="2026-01-01", periodEnd="2026-02-01")
            http.post("/_mock/clock", json={"advance_seconds": 60})
            return http.get(f"{REPORTS}/{report['id']}", headers=auth()).json()["data"]["content"]

    assert content(0) == content(3)
