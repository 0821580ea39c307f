"""The dashboard lists every vendor's resources per tenant."""

from __future__ import annotations

import httpx


def test_every_vendor_has_a_resource_view(client: httpx.Client) -> None:
    client.post(
        "/v1/reports/recipients",
        json={"name": "Ana Costa", "email": "ana@example.com"},
        headers={"X-Api-Key": "sk_dashboard"},
    )
    client.post(
        "/v.1.0/create_scheduled_event.json",
        json={"api_key": "project-key", "uid": "digest", "schedule": "every day", "metadata": {}},
    )
    token = client.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=("acme", "s")).json()
    job = {"name": "calls", "timespan": {"from": "2026-11-22T00:00:00Z", "to": "2026-11-23T00:00:00Z"}}
    client.post("/data/reports/calls/jobs", json=job, headers={"Authorization": f"Bearer {token['access_token']}"})
    text = client.get("/_mock/ui").text
    assert "no resource view for this vendor" not in text
    for shown in ("Ana Costa &lt;ana@example.com&gt;", "<code>project-key</code>", "<td>digest</td>", "<td>calls</td>"):
        assert shown in text
