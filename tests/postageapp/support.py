"""Shared helpers for the PostageApp tests: requests in the vendor's shape and the outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

KEY = "__PROJECT_API__KEY__"
OTHER_KEY = "other-project-key"
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NOT_FOUND = "Can not find scheduled event from the given UID"
CREATE_FAILED = "Could not create scheduled event."
UPDATE_FAILED = "Could not update scheduled event."
BATCH_FAILED = "Could not create scheduled events."
TAKEN = "[:uid, :project id] is already taken"
METADATA: dict[str, Any] = {
    "arguments": {
        "recipients": "ops@example.com",
        "headers": {"subject": "Example Scheduled Email"},
        "content": {"text/plain": "This email was sent automatically."},
    }
}
MESSAGE: dict[str, Any] = {"recipients": ["ops@example.com"], "template": "welcome"}


def url(method: str) -> str:
    """The `/v.1.0/<method>.json` form, the one the response-shape check of `client` sees."""
    return f"/v.1.0/{method}.json"


def call(client: httpx.Client, method: str, key: str | None = KEY, **fields: Any) -> httpx.Response:
    body = fields if key is None else {"api_key": key, **fields}
    return client.post(url(method), json=body)


def create(client: httpx.Client, uid: str, schedule: str, key: str = KEY, **fields: Any) -> dict[str, Any]:
    fields.setdefault("metadata", METADATA)
    response = call(client, "create_scheduled_event", key, uid=uid, schedule=schedule, **fields)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def get(client: httpx.Client, uid: str, key: str = KEY) -> dict[str, Any]:
    response = call(client, "get_scheduled_event", key, uid=uid)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def update(client: httpx.Client, uid: str, key: str = KEY, **fields: Any) -> httpx.Response:
    return call(client, "update_scheduled_event", key, uid=uid, **fields)


def advance(client: httpx.Client, seconds: float) -> int:
    response = client.post("/_mock/clock", json={"advance_seconds": seconds})
    assert response.status_code == 200, response.text
    return int(response.json()["fired"])


def set_clock(client: httpx.Client, instant: str) -> None:
    response = client.post("/_mock/clock", json={"set": instant})
    assert response.status_code == 200, response.text


def configure(client: httpx.Client, **knobs: Any) -> None:
    response = client.put("/_mock/config", json={"postageapp": knobs})
    assert response.status_code == 200, response.text


def messages(client: httpx.Client, **filters: str) -> list[dict[str, Any]]:
    response = client.get("/_mock/outbox", params={"vendor": "postageapp", **filters})
    assert response.status_code == 200, response.text
    return response.json()["data"]


def fire_times(client: httpx.Client, uid: str) -> list[str]:
    return [entry["at"] for entry in messages(client, resource_id=uid)]


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    """The `response` object of an error answer with this HTTP status."""
    assert response.status_code == status, response.text
    return response.json()["response"]


def errors_of(response: httpx.Response, message: str = CREATE_FAILED) -> list[str]:
    """`data.errors` of a scheduled-event 400 whose summary is `message`."""
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["response"]["status"] == "bad_request"
    assert body["response"]["message"] == message
    return body["data"]["errors"]
