"""Tenants: each key is its own world; another tenant's report does not exist."""

from __future__ import annotations

import httpx

from tests.conftest import KEY, OTHER_KEY, REPORTS, advance, auth, create_report, outbox, report_body


def test_another_tenants_report_is_404_on_every_route(client: httpx.Client) -> None:
    report = create_report(client, key=KEY)
    url = f"{REPORTS}/{report['id']}"
    assert client.get(url, headers=auth(OTHER_KEY)).status_code == 404
    assert client.put(url, json={"status": "draft"}, headers=auth(OTHER_KEY)).status_code == 404
    assert client.delete(url, headers=auth(OTHER_KEY)).status_code == 404
    assert client.post(f"{url}/send-test", headers=auth(OTHER_KEY)).status_code == 404
    assert client.get(REPORTS, headers=auth(OTHER_KEY)).json()["data"] == []
    owner_view = client.get(url, headers=auth(KEY)).json()
    assert owner_view["status"] == "active"


def test_sandbox_and_production_keys_are_different_tenants(client: httpx.Client) -> None:
    create_report(client, key="sk_project1")
    assert client.get(REPORTS, headers=auth("test_sk_project1")).json()["data"] == []
    assert len(client.get(REPORTS, headers=auth("sk_project1")).json()["data"]) == 1


def test_either_key_kind_may_create_either_environment(client: httpx.Client) -> None:
    for key in ("sk_p", "test_sk_p"):
        for environment in ("sandbox", "production"):
            response = client.post(REPORTS, json=report_body(environment=environment), headers=auth(key))
            assert response.status_code == 201


def test_a_new_well_formed_key_starts_an_empty_tenant(client: httpx.Client) -> None:
    create_report(client)
    response = client.get(REPORTS, headers=auth("sk_never_seen_before"))
    assert response.status_code == 200
    assert response.json() == {"object": "list", "url": REPORTS, "data": [], "has_more": False}


def test_outbox_entries_name_their_tenant(client: httpx.Client) -> None:
    mine, theirs = create_report(client, key=KEY), create_report(client, key=OTHER_KEY)
    advance(client, 86400)
    assert [entry["resource_id"] for entry in outbox(client, tenant=KEY)] == [mine["id"]]
    assert [entry["resource_id"] for entry in outbox(client, tenant=OTHER_KEY)] == [theirs["id"]]
