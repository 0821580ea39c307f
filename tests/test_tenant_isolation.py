"""Tenant isolation across all four vendors, as a property over random tenants and operations.

Whatever mix of creates, lists, reads and rate-limited calls tenants make, each one sees,
changes and counts exactly its own resources, and another tenant's id is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver import create_app
from tests.conftest import report_body, shape_checked_client

TENANTS = 3


@dataclass(frozen=True)
class VendorOps:
    """How to create one resource, list a tenant's resources and read one by id, for one vendor."""

    create: Callable[[httpx.Client, int, int], str]
    list_ids: Callable[[httpx.Client, int], list[str]]
    read: Callable[[httpx.Client, int, str], int]


def qonversion_headers(tenant: int) -> dict[str, str]:
    return {"Authorization": f"Bearer sk_tenant_{tenant}"}


def talkdesk_headers(client: httpx.Client, tenant: int) -> dict[str, str]:
    form = {"grant_type": "client_credentials"}
    token = client.post("/oauth/token", data=form, auth=(f"account-{tenant}", "secret")).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def sendkit_headers(tenant: int) -> dict[str, str]:
    return {"X-Api-Key": f"sk_workspace_{tenant}"}


def postageapp_call(client: httpx.Client, method: str, tenant: int, **fields: object) -> httpx.Response:
    return client.post(f"/v.1.0/{method}.json", json={"api_key": f"project-{tenant}", **fields})


TIMESPAN = {"from": "2026-11-22T00:00:00Z", "to": "2026-11-22T01:00:00Z"}

OPS = {
    "qonversion": VendorOps(
        create=lambda c, t, n: c.post(
            "/v4/scheduled-reports", json=report_body(), headers=qonversion_headers(t)
        ).json()["id"],
        list_ids=lambda c, t: [
            r["id"] for r in c.get("/v4/scheduled-reports?limit=100", headers=qonversion_headers(t)).json()["data"]
        ],
        read=lambda c, t, i: c.get(f"/v4/scheduled-reports/{i}", headers=qonversion_headers(t)).status_code,
    ),
    "talkdesk": VendorOps(
        create=lambda c, t, n: c.post(
            "/data/reports/calls/jobs", json={"timespan": TIMESPAN}, headers=talkdesk_headers(c, t)
        ).json()["id"],
        list_ids=lambda c, t: [
            j["id"]
            for j in c.get("/data/reports/calls/jobs?per_page=100", headers=talkdesk_headers(c, t)).json()["_embedded"][
                "jobs"
            ]
        ],
        read=lambda c, t, i: c.get(f"/data/reports/calls/jobs/{i}", headers=talkdesk_headers(c, t)).status_code,
    ),
    "sendkit": VendorOps(
        create=lambda c, t, n: c.post(
            "/v1/reports/recipients", json={"name": "R", "email": f"r{n}@example.com"}, headers=sendkit_headers(t)
        ).json()["data"]["_id"],
        list_ids=lambda c, t: [
            r["_id"] for r in c.get("/v1/reports/recipients?limit=100", headers=sendkit_headers(t)).json()["data"]
        ],
        read=lambda c, t, i: c.get(f"/v1/reports/recipients/{i}", headers=sendkit_headers(t)).status_code,
    ),
    "postageapp": VendorOps(
        create=lambda c, t, n: postageapp_call(
            c, "create_scheduled_event", t, uid=f"event-{n}", schedule="every day", metadata={}
        ).json()["data"]["uid"],
        list_ids=lambda c, t: [
            e["uid"] for e in postageapp_call(c, "list_scheduled_events", t).json()["data"]["scheduled_events"]
        ],
        read=lambda c, t, i: postageapp_call(c, "get_scheduled_event", t, uid=i).status_code,
    ),
}


def list_total(client: httpx.Client, vendor: str, tenant: int) -> int | None:
    """The `total` a vendor's list reports, where it reports one."""
    if vendor == "talkdesk":
        return int(client.get("/data/reports/calls/jobs", headers=talkdesk_headers(client, tenant)).json()["total"])
    if vendor == "sendkit":
        listing = client.get("/v1/reports/recipients?limit=1", headers=sendkit_headers(tenant)).json()
        return int(listing["pagination"]["total"])
    return None


creations = st.lists(st.tuples(st.sampled_from(sorted(OPS)), st.integers(0, TENANTS - 1)), max_size=24)


@settings(max_examples=25, deadline=None)
@given(creations=creations)
def test_each_tenant_sees_exactly_its_own_resources(creations: list[tuple[str, int]]) -> None:
    owned: dict[tuple[str, int], list[str]] = {}
    with shape_checked_client(create_app()) as client:
        for number, (vendor, tenant) in enumerate(creations):
            owned.setdefault((vendor, tenant), []).append(OPS[vendor].create(client, tenant, number))
        for vendor, ops in OPS.items():
            for tenant in range(TENANTS):
                mine = owned.get((vendor, tenant), [])
                assert sorted(ops.list_ids(client, tenant)) == sorted(mine)
                assert list_total(client, vendor, tenant) in (None, len(mine))
                for (other_vendor, other), ids in owned.items():
                    if other_vendor == vendor and other != tenant:
                        assert all(ops.read(client, tenant, resource) == 404 for resource in ids)


def test_postageapp_uids_are_per_project() -> None:
    """The same uid in two projects is two events; neither project can read the other's."""
    with shape_checked_client(create_app()) as client:
        for tenant in (0, 1):
            created = postageapp_call(
                client, "create_scheduled_event", tenant, uid="same", schedule="@daily", metadata={}
            )
            assert created.status_code == 200
        postageapp_call(client, "delete_scheduled_event", 0, uid="same")
        assert postageapp_call(client, "get_scheduled_event", 0, uid="same").status_code == 404
        assert postageapp_call(client, "get_scheduled_event", 1, uid="same").status_code == 200


def test_rate_limit_windows_are_per_key() -> None:
    with shape_checked_client(create_app({"sendkit": {"rate_limit_per_minute": 2}})) as client:
        for _ in range(2):
            assert client.get("/v1/reports", headers=sendkit_headers(0)).status_code == 200
        assert client.get("/v1/reports", headers=sendkit_headers(0)).status_code == 429
        assert client.get("/v1/reports", headers=sendkit_headers(1)).status_code == 200


def test_quota_counts_per_account() -> None:
    job = {"timespan": TIMESPAN}
    with shape_checked_client(create_app()) as client:
        first = talkdesk_headers(client, 0)
        statuses = [client.post("/data/reports/calls/jobs", json=job, headers=first).status_code for _ in range(16)]
        assert statuses.count(202) == 15 and statuses[-1] == 429
        assert client.post("/data/reports/calls/jobs", json=job, headers=talkdesk_headers(client, 1)).status_code == 202
