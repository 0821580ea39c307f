"""Projects: each api_key is its own world; another project's event does not exist (PA-PROJECT-SCOPE)."""

from __future__ import annotations

import httpx
import pytest

from tests.postageapp.support import KEY, OTHER_KEY, advance, call, create, error_of, get, messages


@pytest.mark.parametrize(
    ("method", "fields"),
    [
        ("get_scheduled_event", {}),
        ("update_scheduled_event", {"status": "suspend"}),
        ("delete_scheduled_event", {}),
    ],
)
def test_another_projects_event_is_404(client: httpx.Client, method: str, fields: dict) -> None:
    create(client, "digest", "@hourly")
    assert error_of(call(client, method, OTHER_KEY, uid="digest", **fields), 404)["status"] == "not_found"
    assert get(client, "digest")["status"] == "activated"


def test_lists_uids_and_outboxes_are_per_project(client: httpx.Client) -> None:
    create(client, "digest", "@hourly")
    create(client, "digest", "@daily", key=OTHER_KEY)
    assert call(client, "list_scheduled_events", "third").json()["data"]["scheduled_events"] == []
    mine = call(client, "list_scheduled_events").json()["data"]["scheduled_events"]
    assert [event["schedule"] for event in mine] == ["@hourly"]
    advance(client, 86400)
    assert len(messages(client, tenant=KEY)) == 24
    assert [entry["at"] for entry in messages(client, tenant=OTHER_KEY)] == ["2026-11-24T00:00:00Z"]


def test_message_uids_are_per_project(client: httpx.Client) -> None:
    arguments = {"recipients": "a@example.com", "template": "t"}
    assert call(client, "send_message", uid="m", arguments=arguments).status_code == 200
    assert call(client, "send_message", OTHER_KEY, uid="m", arguments=arguments).status_code == 200
    assert call(client, "send_message", uid="m", arguments=arguments).status_code == 400
