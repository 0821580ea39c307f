"""Each field rule of CONTRACTS.md 4.5 and 4.12, by example: the vendor's exact error strings."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.postageapp.support import (
    BATCH_FAILED,
    KEY,
    METADATA,
    OTHER_KEY,
    TAKEN,
    UPDATE_FAILED,
    call,
    configure,
    create,
    error_of,
    errors_of,
    update,
)

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def create_errors(client: httpx.Client, **fields: Any) -> list[str]:
    return errors_of(call(client, "create_scheduled_event", **fields))


# ---------------------------------------------------------------- create_scheduled_event


@pytest.mark.parametrize("uid", [5, "", "x" * 256, None, ["a"], {"a": 1}, True])
def test_uid_format_rejects(client: httpx.Client, uid: Any) -> None:
    assert create_errors(client, uid=uid, schedule="@daily", metadata={}) == ["[:uid] is invalid"]


@pytest.mark.parametrize("uid", ["a", "x" * 255, "😀" * 255, " spaced uid ", "ünïcode/with@symbols"])
def test_uid_format_accepts_1_to_255_code_points(client: httpx.Client, uid: str) -> None:
    assert create(client, uid, "@daily")["uid"] == uid


def test_uid_default_is_a_generated_uuid4(client: httpx.Client) -> None:
    first = call(client, "create_scheduled_event", schedule="@daily", metadata={}).json()
    second = call(client, "create_scheduled_event", schedule="@daily", metadata={}).json()
    assert UUID4.fullmatch(first["data"]["uid"]) and UUID4.fullmatch(second["data"]["uid"])
    assert first["response"]["uid"] == first["data"]["uid"] != second["data"]["uid"]


def test_uid_unique_per_project(client: httpx.Client) -> None:
    create(client, "digest", "@daily")
    assert create_errors(client, uid="digest", schedule="@hourly", metadata={}) == [TAKEN]
    assert create(client, "digest", "@daily", key=OTHER_KEY)["uid"] == "digest"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"metadata": {}}, ["[:schedule] can't be blank"]),
        ({"schedule": "", "metadata": {}}, ["[:schedule] can't be blank"]),
        ({"schedule": " \t ", "metadata": {}}, ["[:schedule] can't be blank"]),
        ({"schedule": None, "metadata": {}}, ["[:schedule] is invalid"]),
        ({"schedule": 5, "metadata": {}}, ["[:schedule] is invalid"]),
        ({"schedule": ["@daily"], "metadata": {}}, ["[:schedule] is invalid"]),
        ({"schedule": "every 5 mins"}, ["[:metadata] can't be blank"]),
        ({"schedule": "every 5 mins", "metadata": None}, ["[:metadata] is invalid"]),
        ({"schedule": "every 5 mins", "metadata": []}, ["[:metadata] is invalid"]),
        ({"schedule": "every 5 mins", "metadata": "x"}, ["[:metadata] is invalid"]),
        ({"schedule": "every 5 mins", "metadata": {"arguments": "x"}}, ["[:metadata] is invalid"]),
        ({"schedule": "every 5 mins", "metadata": {"arguments": None}}, ["[:metadata] is invalid"]),
    ],
)
def test_schedule_required_and_metadata_object(client: httpx.Client, fields: dict, errors: list[str]) -> None:
    assert create_errors(client, uid="e", **fields) == errors


def test_every_problem_is_listed_in_field_order(client: httpx.Client) -> None:
    create(client, "taken", "@daily")
    assert create_errors(client, uid="taken", schedule="2019-01-01", metadata=3) == [
        TAKEN,
        "[:schedule] is in the past",
        "[:metadata] is invalid",
    ]
    assert create_errors(client) == ["[:schedule] can't be blank", "[:metadata] can't be blank"]


def test_create_response_shape_and_key_order(client: httpx.Client) -> None:
    body = call(client, "create_scheduled_event", uid="d", schedule="every 5 mins", metadata=METADATA).json()
    assert list(body) == ["response", "data"]
    assert body["response"] == {"status": "ok", "uid": "d"}
    assert list(body["data"]) == ["uid", "status", "schedule", "frequency", "event_type", "scheduled_at", "metadata"]


# ---------------------------------------------------------------- get, update, delete


@pytest.mark.parametrize(
    ("method", "message"),
    [
        ("get_scheduled_event", "Could not get scheduled event."),
        ("update_scheduled_event", UPDATE_FAILED),
        ("delete_scheduled_event", "Could not delete scheduled event."),
    ],
)
def test_uid_is_required_on_get_update_and_delete(client: httpx.Client, method: str, message: str) -> None:
    assert errors_of(call(client, method), message) == ["[:uid] can't be blank"]
    assert errors_of(call(client, method, uid=7), message) == ["[:uid] is invalid"]
    assert errors_of(call(client, method, uid=""), message) == ["[:uid] is invalid"]


@pytest.mark.parametrize("method", ["get_scheduled_event", "update_scheduled_event", "delete_scheduled_event"])
def test_event_not_found_for_an_unknown_uid(client: httpx.Client, method: str) -> None:
    response = call(client, method, uid="nope")
    assert response.json() == {
        "response": {"status": "not_found", "uid": "nope", "message": "Can not find scheduled event from the given UID"}
    }
    assert response.status_code == 404


def test_update_checks_the_uid_then_finds_the_event_then_checks_the_rest(client: httpx.Client) -> None:
    bad = {"schedule": "never", "status": "paused"}
    assert errors_of(call(client, "update_scheduled_event", **bad), UPDATE_FAILED) == [
        "[:uid] can't be blank",
        "[:schedule] is invalid",
        "[:status] is not included in the list",
    ]
    assert error_of(update(client, "nope", **bad), 404)["status"] == "not_found"
    create(client, "e", "@daily")
    assert errors_of(update(client, "e", **bad), UPDATE_FAILED) == [
        "[:schedule] is invalid",
        "[:status] is not included in the list",
    ]


@pytest.mark.parametrize("status", ["Active", "paused", "completed", "", None, 1, ["active"]])
def test_update_status_rejects(client: httpx.Client, status: Any) -> None:
    create(client, "e", "@daily")
    assert errors_of(update(client, "e", status=status), UPDATE_FAILED) == ["[:status] is not included in the list"]


@pytest.mark.parametrize(
    ("status", "stored"), [("active", "activated"), ("activated", "activated"), ("suspend", "suspend")]
)
def test_update_status_accepts(client: httpx.Client, status: str, stored: str) -> None:
    create(client, "e", "@daily")
    assert update(client, "e", status=status).json()["data"]["status"] == stored


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"schedule": None}, ["[:schedule] is invalid"]),
        ({"schedule": ""}, ["[:schedule] can't be blank"]),
        ({"schedule": "2020-01-01"}, ["[:schedule] is in the past"]),
        ({"schedule": "2020-01-01", "status": "suspend"}, ["[:schedule] is in the past"]),
        ({"metadata": None}, ["[:metadata] is invalid"]),
        ({"metadata": {"arguments": []}}, ["[:metadata] is invalid"]),
    ],
)
def test_update_validates_present_fields_as_on_create(client: httpx.Client, fields: dict, errors: list[str]) -> None:
    create(client, "e", "@daily")
    assert errors_of(update(client, "e", **fields), UPDATE_FAILED) == errors


def test_update_with_only_the_uid_changes_nothing(client: httpx.Client) -> None:
    before = create(client, "e", "every 5 mins")
    assert update(client, "e").json()["data"] == before


# ---------------------------------------------------------------- list_scheduled_events


LIST_FAILED = "Could not list scheduled events."


@pytest.mark.parametrize("value", [0, -1, 1.5, "1", True, None, [1]])
@pytest.mark.parametrize("name", ["page", "per_page"])
def test_list_paging_rejects(client: httpx.Client, name: str, value: Any) -> None:
    assert errors_of(call(client, "list_scheduled_events", **{name: value}), LIST_FAILED) == [f"[:{name}] is invalid"]


def _uids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [event["uid"] for event in response.json()["data"]["scheduled_events"]]


def test_list_per_page_defaults_to_250_and_is_clamped_to_250(client: httpx.Client) -> None:
    for batch in range(3):
        events = [{"uid": f"e{batch * 100 + n:03d}", "schedule": "@daily", "metadata": {}} for n in range(100)]
        assert call(client, "create_scheduled_events", events=events).status_code == 200
    assert len(_uids(call(client, "list_scheduled_events"))) == 250
    assert _uids(call(client, "list_scheduled_events", per_page=1000)) == [f"e{n:03d}" for n in range(250)]
    assert _uids(call(client, "list_scheduled_events", page=2, per_page=1000)) == [f"e{n:03d}" for n in range(250, 300)]
    assert _uids(call(client, "list_scheduled_events", page=2.0, per_page=100.0))[0] == "e100"
    assert _uids(call(client, "list_scheduled_events", page=10**12)) == []


def test_list_max_per_page_knob_clamps(client: httpx.Client) -> None:
    configure(client, list_max_per_page=2)
    for uid in "abc":
        create(client, uid, "@daily")
    assert _uids(call(client, "list_scheduled_events")) == ["a", "b"]
    assert _uids(call(client, "list_scheduled_events", page=2, per_page=50)) == ["c"]


def test_list_is_in_creation_order_and_fields_may_come_in_arguments(client: httpx.Client) -> None:
    for uid in ("z", "a", "m"):
        create(client, uid, "@daily")
    call(client, "delete_scheduled_event", uid="z")
    create(client, "z", "@daily")
    assert _uids(call(client, "list_scheduled_events")) == ["a", "m", "z"]
    body = {"api_key": KEY, "page": 1, "per_page": 1, "arguments": {"page": 3}}
    assert _uids(client.post("/v.1.0/list_scheduled_events.json", json=body)) == ["z"]


# ---------------------------------------------------------------- create_scheduled_events


def _batch(client: httpx.Client, **fields: Any) -> httpx.Response:
    return call(client, "create_scheduled_events", **fields)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({}, ["[:events] can't be blank"]),
        ({"events": []}, ["[:events] can't be blank"]),
        ({"events": None}, ["[:events] is invalid"]),
        ({"events": {"uid": "a"}}, ["[:events] is invalid"]),
        ({"events": "a"}, ["[:events] is invalid"]),
        (
            {"events": [5, {"schedule": "@daily"}]},
            ["events[0]: [:event] is invalid", "events[1]: [:metadata] can't be blank"],
        ),
    ],
)
def test_batch_shape(client: httpx.Client, fields: dict, errors: list[str]) -> None:
    assert errors_of(_batch(client, **fields), BATCH_FAILED) == errors


def test_batch_is_all_or_nothing_with_every_problem_prefixed(client: httpx.Client) -> None:
    create(client, "old", "@daily")
    events = [
        {"uid": "new", "schedule": "@daily", "metadata": {}},
        {"uid": "old", "schedule": "@daily", "metadata": {}},
        {"uid": "new", "schedule": "2001-01-01", "metadata": None},
        {"schedule": "every 99 minutes", "metadata": {}},
    ]
    assert errors_of(_batch(client, events=events), BATCH_FAILED) == [
        f"events[1]: {TAKEN}",
        f"events[2]: {TAKEN}",
        "events[2]: [:schedule] is in the past",
        "events[2]: [:metadata] is invalid",
        "events[3]: [:schedule] is invalid",
    ]
    assert _uids(call(client, "list_scheduled_events")) == ["old"]


def test_batch_creates_in_order_with_generated_uids(client: httpx.Client) -> None:
    events = [{"schedule": "@hourly", "metadata": {}}, {"uid": "b", "schedule": "tomorrow", "metadata": METADATA}]
    results = _batch(client, events=events).json()["response"]["message"]
    assert UUID4.fullmatch(results[0]["uid"])
    assert results[1] == {
        "uid": "b",
        "status": "activated",
        "schedule": "tomorrow",
        "frequency": "tomorrow",
        "event_type": "single",
        "scheduled_at": "2026-11-24T00:00:00+00:00",
    }
    assert _uids(call(client, "list_scheduled_events")) == [results[0]["uid"], "b"]


def test_batch_max_events(client: httpx.Client) -> None:
    events = [{"schedule": "@daily", "metadata": {}}] * 101
    assert errors_of(_batch(client, events=events), BATCH_FAILED) == ["[:events] is too long (maximum is 100 events)"]
    assert _batch(client, events=events[:100]).status_code == 200
    configure(client, batch_max_events=2)
    assert errors_of(_batch(client, events=events[:3]), BATCH_FAILED) == ["[:events] is too long (maximum is 2 events)"]


# ---------------------------------------------------------------- send_message


def send_error(client: httpx.Client, **fields: Any) -> str:
    body = error_of(call(client, "send_message", **fields), 400)
    assert body["status"] == "bad_request"
    return str(body["message"])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"template": "t"}, "Recipients are missing"),
        ({"recipients": "", "template": "t"}, "Recipients are missing"),
        ({"recipients": "  ", "template": "t"}, "Recipients are missing"),
        ({"recipients": [], "template": "t"}, "Recipients are missing"),
        ({"recipients": {}, "template": "t"}, "Recipients are missing"),
        ({"recipients": "nobody", "template": "t"}, "Recipients are invalid"),
        ({"recipients": "a@example.com,,b@example.com", "template": "t"}, "Recipients are invalid"),
        ({"recipients": ["a@example.com", "nobody"], "template": "t"}, "Recipients are invalid"),
        ({"recipients": [5], "template": "t"}, "Recipients are invalid"),
        ({"recipients": {"nobody": {}}, "template": "t"}, "Recipients are invalid"),
        ({"recipients": None, "template": "t"}, "Recipients are invalid"),
        ({"recipients": 5, "template": "t"}, "Recipients are invalid"),
        ({"recipients": "a@example.com"}, "Message content or template is missing"),
        ({"recipients": "a@example.com", "template": ""}, "Message template must be a non-empty string"),
        ({"recipients": "a@example.com", "content": "Hi"}, "Message content must be an object"),
        ({"recipients": "a@example.com", "template": "t", "headers": "x"}, "Headers must be an object"),
        ({"recipients": "a@example.com", "template": "t", "variables": []}, "Variables must be an object"),
        ({"recipients": "a@example.com", "template": "t", "attachments": 1}, "Attachments must be an object"),
        (
            {"recipients": "a@example.com", "template": "t", "recipient_override": 1},
            "Recipient override must be a string",
        ),
        ({}, "Recipients are missing"),
    ],
)
def test_send_message_names_its_first_problem(client: httpx.Client, arguments: dict, message: str) -> None:
    assert send_error(client, uid="m", arguments=arguments) == message


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Arguments are missing"),
        ({"arguments": "x"}, "Arguments must be an object"),
        ({"arguments": None}, "Arguments must be an object"),
        ({"uid": "", "arguments": {}}, "Uid must be a string of 1 to 255 characters"),
        (
            {"uid": 5, "arguments": {"recipients": "a@b", "template": "t"}},
            "Uid must be a string of 1 to 255 characters",
        ),
    ],
)
def test_send_message_shape(client: httpx.Client, fields: dict, message: str) -> None:
    assert send_error(client, **fields) == message


@pytest.mark.parametrize("content", [{"content": {}}, {"template": "t"}, {"content": {"text/html": "<b>x</b>"}}])
def test_send_message_needs_content_or_template(client: httpx.Client, content: dict) -> None:
    assert call(client, "send_message", arguments={"recipients": "a@example.com", **content}).status_code == 200


def test_send_message_uid_unique_per_project_and_default_uuid(client: httpx.Client) -> None:
    arguments = {"recipients": "a@example.com", "template": "t"}
    generated = call(client, "send_message", arguments={**arguments, "uid": "ignored-here"}).json()["response"]["uid"]
    assert UUID4.fullmatch(generated)
    assert call(client, "send_message", uid="m", arguments=arguments).status_code == 200
    assert send_error(client, uid="m", arguments=arguments) == "Uid m already exists. Assuming message duplication."
    assert send_error(client, uid=generated, arguments=arguments).startswith(f"Uid {generated} already exists")
    assert call(client, "send_message", OTHER_KEY, uid="m", arguments=arguments).status_code == 200
