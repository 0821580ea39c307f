"""Daily deliveries on the virtual clock: timing, pausing, deleting, windows and contents."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta

import httpx

from mockserver import create_app
from mockserver.inprocess import client_for
from tests.conftest import REPORTS, advance, auth, create_report, outbox

DAY = 86400
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def iso(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def deliveries(client: httpx.Client, report_id: str, kind: str = "scheduled") -> list[dict]:
    return outbox(client, resource_id=report_id, kind=kind)


def test_active_report_delivers_once_a_day_for_ten_days(client: httpx.Client) -> None:
    report = create_report(client)
    assert advance(client, 10 * DAY)["fired"] == 10
    entries = deliveries(client, report["id"])
    assert [entry["at"] for entry in entries] == [iso(START + timedelta(days=n)) for n in range(1, 11)]
    assert [entry["payload"]["run"] for entry in entries] == list(range(1, 11))
    assert client.get(f"{REPORTS}/{report['id']}", headers=auth()).json()["runs"] == 10


def test_activation_at_the_slot_itself_first_delivers_the_next_day(client: httpx.Client) -> None:
    report = create_report(client, send_at="09:00")  # the clock is at 09:00:00 exactly
    advance(client, DAY - 1)
    assert deliveries(client, report["id"]) == []
    advance(client, 1)
    assert [entry["at"] for entry in deliveries(client, report["id"])] == ["2026-11-24T09:00:00Z"]


def test_later_slot_on_the_same_day_delivers_today(client: httpx.Client) -> None:
    report = create_report(client, send_at="17:30")
    advance(client, 9 * 3600)
    assert [entry["at"] for entry in deliveries(client, report["id"])] == ["2026-11-23T17:30:00Z"]


def test_draft_report_never_delivers(client: httpx.Client) -> None:
    report = create_report(client, status="draft")
    assert advance(client, 30 * DAY)["fired"] == 0
    assert deliveries(client, report["id"]) == []


def test_pausing_skips_days_and_resuming_restarts_at_the_next_slot(client: httpx.Client) -> None:
    report = create_report(client)
    advance(client, 3 * DAY)  # runs on 24, 25, 26
    client.put(f"{REPORTS}/{report['id']}", json={"status": "draft"}, headers=auth())
    advance(client, 4 * DAY + 3600)  # paused through 27..30; now 2026-11-30T10:00
    client.put(f"{REPORTS}/{report['id']}", json={"status": "active"}, headers=auth())
    advance(client, 2 * DAY)
    days = [entry["at"][:10] for entry in deliveries(client, report["id"])]
    assert days == ["2026-11-24", "2026-11-25", "2026-11-26", "2026-12-01", "2026-12-02"]
    assert [entry["payload"]["run"] for entry in deliveries(client, report["id"])] == [1, 2, 3, 4, 5]


def test_delete_stops_deliveries(client: httpx.Client) -> None:
    report = create_report(client)
    advance(client, 2 * DAY)
    assert client.delete(f"{REPORTS}/{report['id']}", headers=auth()).status_code == 204
    assert advance(client, 5 * DAY)["fired"] == 0
    assert len(deliveries(client, report["id"])) == 2


def test_changing_send_at_rearms_at_the_new_slot(client: httpx.Client) -> None:
    report = create_report(client, send_at="09:00")
    client.put(f"{REPORTS}/{report['id']}", json={"send_at": "06:30"}, headers=auth())
    advance(client, 2 * DAY)
    assert [entry["at"] for entry in deliveries(client, report["id"])] == [
        "2026-11-24T06:30:00Z",
        "2026-11-25T06:30:00Z",
    ]


def test_one_entry_per_destination_and_one_run_per_slot(client: httpx.Client) -> None:
    destinations = [
        {"type": "target_integration", "id": "int-wh-01"},
        {"type": "target_integration", "id": "int-slack-01"},
        {"type": "target_integration", "id": "int-email-01"},
    ]
    report = create_report(client, destinations=destinations)
    advance(client, DAY)
    entries = deliveries(client, report["id"])
    assert [entry["destination"] for entry in entries] == ["int-wh-01", "int-slack-01", "int-email-01"]
    assert {entry["payload"]["run"] for entry in entries} == {1}
    assert client.get(f"{REPORTS}/{report['id']}", headers=auth()).json()["runs"] == 1


def test_many_small_steps_equal_one_long_jump() -> None:
    def run(steps: list[int]) -> bytes:
        with client_for(create_app()) as client:
            create_report(client, send_at="00:30", included_range_days=7)
            create_report(client, send_at="23:30", environment="sandbox")
            for seconds in steps:
                advance(client, seconds)
            return client.get("/_mock/outbox").content

    assert run([7 * DAY]) == run([1800] * (7 * 48))


def expected_row(seed: int, environment: str, day: str) -> dict[str, object]:
    digest = hashlib.sha256("|".join([str(seed), "qonversion", environment, day]).encode()).digest()

    def u(k: int) -> int:
        return int.from_bytes(digest[4 * k : 4 * k + 4], "big")

    new_users = 100 + u(0) % 900
    trials = u(1) % (new_users // 2 + 1)
    conversions = u(2) % (trials + 1)
    revenue = conversions * (499 + u(3) % 9501)
    return {
        "date": day,
        "new_users": new_users,
        "trials_started": trials,
        "conversions": conversions,
        "revenue_cents": revenue,
    }


def test_payload_covers_the_closed_days_before_the_delivery(client: httpx.Client) -> None:
    report = create_report(client, included_range_days=3, environment="sandbox", report_name="Weekly-ish")
    advance(client, DAY)
    (entry,) = deliveries(client, report["id"])
    payload = entry["payload"]
    assert payload["period"] == {"from": "2026-11-21T00:00:00Z", "to": "2026-11-24T00:00:00Z"}
    assert payload["rows"] == [expected_row(0, "sandbox", day) for day in ("2026-11-21", "2026-11-22", "2026-11-23")]
    totals = {key: sum(row[key] for row in payload["rows"]) for key in payload["totals"]}
    assert payload["totals"] == totals
    assert payload["report_name"] == "Weekly-ish" and payload["test"] is False
    assert entry["tenant"] == "sk_test_tenant_a" and entry["vendor"] == "qonversion"


def test_seven_day_window_and_seed_changes_contents() -> None:
    with client_for(create_app(seed=42)) as client:
        report = create_report(client, included_range_days=7)
        advance(client, DAY)
        (entry,) = deliveries(client, report["id"])
    assert entry["payload"]["period"] == {"from": "2026-11-17T00:00:00Z", "to": "2026-11-24T00:00:00Z"}
    assert entry["payload"]["rows"][-1] == expected_row(42, "production", "2026-11-23")
    assert expected_row(42, "production", "2026-11-23") != expected_row(0, "production", "2026-11-23")


def test_delivery_delay_knob_shifts_the_delivery() -> None:
    with client_for(create_app({"qonversion": {"delivery_delay_seconds": 300}})) as client:
        report = create_report(client, send_at="23:30", included_range_days=1)
        advance(client, DAY)
        (entry,) = deliveries(client, report["id"])
    assert entry["at"] == "2026-11-23T23:35:00Z"
    assert entry["payload"]["period"]["to"] == "2026-11-23T00:00:00Z"


def test_deliveries_do_not_touch_updated_at(client: httpx.Client) -> None:
    report = create_report(client)
    advance(client, 3 * DAY)
    stored = client.get(f"{REPORTS}/{report['id']}", headers=auth()).json()
    assert stored["updated_at"] == report["updated_at"] and stored["runs"] == 3


def test_a_year_with_thousands_of_timers_costs_little() -> None:
    app = create_app()
    state = app.state.mock
    with client_for(app) as client:
        ids = [create_report(client, status="draft", send_at=f"{h % 24:02d}:30")["id"] for h in range(2000)]
        for report_id in ids[:20]:
            client.put(f"{REPORTS}/{report_id}", json={"status": "active"}, headers=auth())
        started = time.perf_counter()
        fired = advance(client, 366 * DAY)["fired"]
        elapsed = time.perf_counter() - started
    assert fired == 20 * 366
    assert len(state.outbox) == 20 * 366
    assert elapsed < 1.0, f"crossing a year took {elapsed:.3f}s"
