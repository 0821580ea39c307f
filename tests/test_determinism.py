"""Same seed and same requests give the same bytes; ids per vendor stream; content by digest."""

from __future__ import annotations

import httpx

from mockserver import create_app
from mockserver.inprocess import client_for
from tests.conftest import KEY, OTHER_KEY, REPORTS, advance, auth, report_body


def session(seed: int) -> list[bytes]:
    """A fixed script of requests; every response body in order."""
    with client_for(create_app(seed=seed)) as client:
        bodies: list[bytes] = []

        def keep(response: httpx.Response) -> None:
            bodies.append(response.content)

        for key, send_at in ((KEY, "09:30"), (OTHER_KEY, "10:00"), (KEY, "23:30")):
            keep(client.post(REPORTS, json=report_body(send_at=send_at, included_range_days=3), headers=auth(key)))
        first = client.get(REPORTS, headers=auth(KEY)).json()["data"][0]["id"]
        keep(client.post(f"{REPORTS}/{first}/send-test", headers=auth(KEY)))
        keep(client.put(f"{REPORTS}/{first}", json={"report_name": "Renamed"}, headers=auth(KEY)))
        advance(client, 3 * 86400)
        keep(client.get(REPORTS, headers=auth(KEY)))
        keep(client.get("/_mock/outbox"))
        return bodies


def test_same_seed_same_bytes() -> None:
    assert session(7) == session(7)


def test_another_seed_other_ids_and_contents() -> None:
    assert session(7)[0] != session(8)[0]
    assert session(7)[-1] != session(8)[-1]


def test_reset_reseeds_the_id_stream(client: httpx.Client) -> None:
    first = client.post(REPORTS, json=report_body(), headers=auth()).json()["id"]
    assert client.post("/_mock/reset").status_code == 204
    assert client.post(REPORTS, json=report_body(), headers=auth()).json()["id"] == first


def test_contents_do_not_depend_on_request_order() -> None:
    def rows(extra_reports: int) -> list[dict]:
        with client_for(create_app()) as client:
            for _ in range(extra_reports):
                client.post(REPORTS, json=report_body(environment="sandbox"), headers=auth(OTHER_KEY))
            report = client.post(REPORTS, json=report_body(included_range_days=7), headers=auth()).json()
            advance(client, 86400)
            entries = client.get("/_mock/outbox", params={"resource_id": report["id"]}).json()["data"]
            return entries[0]["payload"]["rows"]

    assert rows(0) == rows(5)
