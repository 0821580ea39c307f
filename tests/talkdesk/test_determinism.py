"""Same seed and same requests give the same bytes; Talkdesk ids come from their own stream (CONTRACTS 0.4)."""

from __future__ import annotations

import httpx

from mockserver import create_app
from mockserver.inprocess import client_for
from tests.conftest import create_report
from tests.talkdesk.support import OTHER_ACCOUNT, advance, bearer, create, job_body, token, token_response


def session(seed: int) -> list[bytes]:
    """A fixed script: tokens, jobs of two accounts, a failure, the clock, files, outbox; every body in order."""
    with client_for(create_app(seed=seed)) as http:
        bodies: list[bytes] = []

        def keep(response: httpx.Response) -> httpx.Response:
            bodies.append(response.content)
            return response

        access = keep(token_response(http)).json()["access_token"]
        other = keep(token_response(http, OTHER_ACCOUNT)).json()["access_token"]
        jobs = [
            keep(http.post("/data/reports/calls/jobs", json=job_body(format=fmt), headers=bearer(access))).json()
            for fmt in ("csv", "json", "json_bulk")
        ]
        keep(http.post("/data/reports/contacts/jobs", json=job_body(name="x __fail__"), headers=bearer(other)))
        advance(http, 30)
        for job in jobs:
            redirect = keep(http.get(job["_links"]["files"]["href"], headers=bearer(access)))
            keep(http.get(redirect.headers["location"]))
        keep(http.get("/_mock/outbox", params={"vendor": "talkdesk"}))
        return bodies


def test_same_seed_same_bytes() -> None:
    assert session(11) == session(11)


def test_another_seed_other_tokens_ids_and_files() -> None:
    first, second = session(11), session(12)
    assert first[0] != second[0]  # the token
    assert first[2] != second[2]  # a job id
    assert first[-2] != second[-2]  # a file


def test_reset_reseeds_the_stream(client: httpx.Client) -> None:
    first = token(client)
    job = create(client, first)["id"]
    client.post("/_mock/reset")
    assert token(client) == first
    assert create(client, first)["id"] == job


def test_talkdesk_traffic_does_not_shift_other_vendors_ids() -> None:
    with client_for(create_app()) as quiet, client_for(create_app()) as busy:
        access = token(busy)
        for _ in range(3):
            create(busy, access)
        assert create_report(quiet)["id"] == create_report(busy)["id"]


def test_the_dashboard_lists_jobs_per_account(client: httpx.Client, access: str) -> None:
    job = create(client, access, name="Shown on the dashboard")
    page = client.get("/_mock/ui").text
    assert job["id"] in page and "Shown on the dashboard" in page and "acme-account" in page
