"""Same seed and requests, same bytes: generated uids come from the vendor's seeded stream."""

from __future__ import annotations

import httpx

from mockserver import create_app
from mockserver.inprocess import client_for
from tests.postageapp.support import METADATA, OTHER_KEY, advance, call


def session(seed: int) -> list[bytes]:
    """A fixed script of requests; every response body in order."""
    with client_for(create_app(seed=seed)) as client:
        bodies = [
            call(client, "create_scheduled_event", schedule="every 5 mins", metadata=METADATA).content,
            call(
                client, "create_scheduled_events", OTHER_KEY, events=[{"schedule": "@hourly", "metadata": {}}]
            ).content,
            call(client, "send_message", arguments=METADATA["arguments"]).content,
        ]
        advance(client, 3600)
        bodies.append(call(client, "list_scheduled_events").content)
        bodies.append(client.get("/_mock/outbox").content)
        return bodies


def test_same_seed_same_bytes() -> None:
    assert session(3) == session(3)


def test_another_seed_other_uids() -> None:
    assert session(3)[0] != session(4)[0]


def test_reset_reseeds_the_uid_stream(client: httpx.Client) -> None:
    first = call(client, "create_scheduled_event", schedule="@daily", metadata={}).json()["data"]["uid"]
    assert client.post("/_mock/reset").status_code == 204
    again = call(client, "create_scheduled_event", schedule="@daily", metadata={}).json()["data"]["uid"]
    assert again == first


def test_failed_requests_do_not_draw_uids(client: httpx.Client) -> None:
    with client_for(create_app()) as other:
        expected = call(other, "create_scheduled_event", schedule="@daily", metadata={}).json()["data"]["uid"]
    call(client, "create_scheduled_event", schedule="never", metadata={})
    call(client, "send_message", arguments={})
    assert call(client, "create_scheduled_event", schedule="@daily", metadata={}).json()["data"]["uid"] == expected
