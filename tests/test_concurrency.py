"""Many clients at once, through a real server: limits hold, nothing is lost, nothing fires twice."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from mockserver import create_app
from mockserver.live import LiveServer
from tests.conftest import REPORTS, auth, report_body


@pytest.fixture
def server() -> Iterator[LiveServer]:
    with LiveServer(create_app()) as live:
        yield live


async def burst(count: int, send) -> list[httpx.Response]:  # type: ignore[no-untyped-def]
    limits = httpx.Limits(max_connections=count)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        return list(await asyncio.gather(*(send(client, n) for n in range(count))))


def test_fifty_simultaneous_send_tests_give_exactly_one_202(server: LiveServer) -> None:
    report = httpx.post(server.url + REPORTS, json=report_body(), headers=auth()).json()
    url = f"{server.url}{REPORTS}/{report['id']}/send-test"
    responses = asyncio.run(burst(50, lambda client, n: client.post(url, headers=auth())))
    assert sorted(response.status_code for response in responses) == [202] + [429] * 49
    outbox = httpx.get(server.url + "/_mock/outbox", params={"kind": "test"}).json()["data"]
    assert len(outbox) == 1


def test_thirty_simultaneous_talkdesk_jobs_give_exactly_fifteen(server: LiveServer) -> None:
    form = {"grant_type": "client_credentials"}
    token = httpx.post(server.url + "/oauth/token", data=form, auth=("acme", "secret")).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    job = {"timespan": {"from": "2026-11-22T00:00:00Z", "to": "2026-11-23T00:00:00Z"}}
    url = server.url + "/data/reports/calls/jobs"
    responses = asyncio.run(burst(30, lambda client, n: client.post(url, json=job, headers=bearer)))
    assert sorted(response.status_code for response in responses) == [202] * 15 + [429] * 15
    listed = httpx.get(url, params={"per_page": 100}, headers=bearer).json()
    assert listed["total"] == 15


def test_concurrent_creates_and_deletes_lose_and_duplicate_nothing(server: LiveServer) -> None:
    keep = [httpx.post(server.url + REPORTS, json=report_body(), headers=auth()).json()["id"] for _ in range(20)]

    async def mixed(client: httpx.AsyncClient, n: int) -> httpx.Response:
        if n % 2:
            return await client.delete(f"{server.url}{REPORTS}/{keep[n // 2]}", headers=auth())
        return await client.post(server.url + REPORTS, json=report_body(report_name=f"new-{n}"), headers=auth())

    responses = asyncio.run(burst(40, mixed))
    created = {response.json()["id"] for response in responses if response.status_code == 201}
    deleted = {keep[n // 2] for n, response in enumerate(responses) if n % 2 and response.status_code == 204}
    assert len(created) == 20 and len(deleted) == 20
    listed = httpx.get(server.url + REPORTS, params={"limit": 100}, headers=auth()).json()["data"]
    ids = [report["id"] for report in listed]
    assert len(ids) == len(set(ids)) == 20
    assert set(ids) == (set(keep) - deleted) | created


def test_clock_moves_during_requests_never_fire_a_timer_twice(server: LiveServer) -> None:
    reports = [httpx.post(server.url + REPORTS, json=report_body(), headers=auth()).json() for _ in range(5)]

    async def mixed(client: httpx.AsyncClient, n: int) -> httpx.Response:
        if n % 3 == 0:
            return await client.post(server.url + "/_mock/clock", json={"advance_seconds": 3600})
        return await client.get(f"{server.url}{REPORTS}/{reports[n % 5]['id']}", headers=auth())

    responses = asyncio.run(burst(144, mixed))  # 48 clock moves of an hour: two days
    assert all(response.status_code == 200 for response in responses)
    outbox = httpx.get(server.url + "/_mock/outbox", params={"kind": "scheduled"}).json()["data"]
    assert sorted((entry["resource_id"], entry["at"]) for entry in outbox) == sorted(
        (report["id"], day) for report in reports for day in ("2026-11-24T09:00:00Z", "2026-11-25T09:00:00Z")
    )
    runs = {httpx.get(f"{server.url}{REPORTS}/{r['id']}", headers=auth()).json()["runs"] for r in reports}
    assert runs == {2}
