"""Send-test: 202, asynchronous test deliveries, and the one-call-per-minute window."""

from __future__ import annotations

import asyncio

import httpx

from mockserver import create_app
from mockserver.inprocess import client_for
from tests.conftest import KEY, REPORTS, advance, auth, create_report, outbox


def send_test(client: httpx.Client, report_id: str, key: str = KEY) -> httpx.Response:
    return client.post(f"{REPORTS}/{report_id}/send-test", headers=auth(key))


def test_send_test_delivers_a_test_entry_per_destination_without_counting_a_run(client: httpx.Client) -> None:
    report = create_report(
        client,
        destinations=[
            {"type": "target_integration", "id": "int-wh-01"},
            {"type": "target_integration", "id": "int-email-01"},
        ],
    )
    response = send_test(client, report["id"])
    assert response.status_code == 202
    assert response.json() == {"object": "scheduled_report", "id": report["id"], "url": report["url"]}
    entries = outbox(client, kind="test")
    assert [entry["destination"] for entry in entries] == ["int-wh-01", "int-email-01"]
    assert all(entry["at"] == "2026-11-23T09:00:00Z" for entry in entries)
    payload = entries[0]["payload"]
    assert payload["test"] is True and payload["run"] is None
    assert payload["period"] == {"from": "2026-11-22T00:00:00Z", "to": "2026-11-23T00:00:00Z"}
    stored = client.get(f"{REPORTS}/{report['id']}", headers=auth()).json()
    assert stored["runs"] == 0 and stored["updated_at"] == report["updated_at"]


def test_send_test_works_on_draft_reports_and_ignores_any_body(client: httpx.Client) -> None:
    report = create_report(client, status="draft")
    response = client.post(
        f"{REPORTS}/{report['id']}/send-test", content=b"not json", headers={**auth(), "Content-Type": "text/plain"}
    )
    assert response.status_code == 202
    assert len(outbox(client, kind="test")) == 1


def test_second_call_within_the_window_is_429_with_retry_after_60(client: httpx.Client) -> None:
    report = create_report(client)
    assert send_test(client, report["id"]).status_code == 202
    advance(client, 59)
    refused = send_test(client, report["id"])
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert refused.json()["error"]["code"] == "rate_limit_exceeded"
    advance(client, 1)
    assert send_test(client, report["id"]).status_code == 202
    assert len(outbox(client, kind="test")) == 2


def test_a_refused_call_does_not_extend_the_window(client: httpx.Client) -> None:
    report = create_report(client)
    send_test(client, report["id"])
    advance(client, 30)
    assert send_test(client, report["id"]).status_code == 429
    advance(client, 30)
    assert send_test(client, report["id"]).status_code == 202


def test_the_window_is_per_report(client: httpx.Client) -> None:
    first, second = create_report(client), create_report(client)
    assert send_test(client, first["id"]).status_code == 202
    assert send_test(client, second["id"]).status_code == 202


def test_order_is_auth_then_existence_then_window(client: httpx.Client) -> None:
    report = create_report(client)
    send_test(client, report["id"])
    assert client.post(f"{REPORTS}/{report['id']}/send-test").status_code == 401
    assert send_test(client, "unknown1").status_code == 404
    assert send_test(client, report["id"]).status_code == 429


def test_exactly_one_of_many_concurrent_calls_succeeds() -> None:
    app = create_app()
    with client_for(app) as client:
        report = create_report(client)

    async def burst() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as http:
            calls = [http.post(f"{REPORTS}/{report['id']}/send-test", headers=auth()) for _ in range(20)]
            return [response.status_code for response in await asyncio.gather(*calls)]

    statuses = asyncio.run(burst())
    assert sorted(statuses) == [202] + [429] * 19


def test_test_delivery_delay_and_delete_before_it_fires() -> None:
    with client_for(create_app({"qonversion": {"test_delivery_delay_seconds": 120}})) as client:
        kept, dropped = create_report(client), create_report(client)
        send_test(client, kept["id"])
        send_test(client, dropped["id"])
        assert outbox(client, kind="test") == []
        client.delete(f"{REPORTS}/{dropped['id']}", headers=auth())
        advance(client, 120)
        entries = outbox(client, kind="test")
    assert [(entry["resource_id"], entry["at"]) for entry in entries] == [(kept["id"], "2026-11-23T09:02:00Z")]


def test_window_knob(client: httpx.Client) -> None:
    client.put("/_mock/config", json={"qonversion": {"send_test_window_seconds": 10}})
    report = create_report(client)
    send_test(client, report["id"])
    advance(client, 10)
    assert send_test(client, report["id"]).status_code == 202


def test_a_delayed_test_delivery_covers_the_days_before_the_call() -> None:
    with client_for(create_app({"qonversion": {"test_delivery_delay_seconds": 86400}})) as client:
        report = create_report(client, included_range_days=1)
        send_test(client, report["id"])
        advance(client, 86400)
        (entry,) = outbox(client, kind="test")
    assert entry["at"] == "2026-11-24T09:00:00Z"
    assert entry["payload"]["period"] == {"from": "2026-11-22T00:00:00Z", "to": "2026-11-23T00:00:00Z"}
