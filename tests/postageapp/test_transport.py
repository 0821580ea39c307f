"""Transport, check order, auth and the error envelope (CONTRACTS.md 4.1, 4.6, 4.12)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.vendors.postageapp import _METHOD_PATH, canonical_path
from tests.postageapp.support import CREATE_FAILED, KEY, METADATA, NOT_FOUND, call, create, error_of, get, url

BAD_JSON = "The posted content is not valid JSON."
BAD_UTF8 = "The posted content contains an invalid UTF-8 character."
UNAUTHORIZED = "Invalid or inactive account API key used."
EVENT_METHODS = [
    "create_scheduled_event",
    "create_scheduled_events",
    "get_scheduled_event",
    "update_scheduled_event",
    "list_scheduled_events",
    "delete_scheduled_event",
]
METHODS = [*EVENT_METHODS, "send_message"]


# ---------------------------------------------------------------- paths


@pytest.mark.parametrize(
    "path",
    [
        "/v.1.0/get_scheduled_event.json",
        "/v.1.0/get_scheduled_event",
        "/v.1.1/get_scheduled_event",
        "/v.1.1/get_scheduled_event.json",
    ],
)
def test_both_versions_with_or_without_json_reach_the_same_method(client: httpx.Client, path: str) -> None:
    create(client, "digest", "@daily")
    response = client.post(path, json={"api_key": KEY, "uid": "digest"})
    assert response.status_code == 200
    assert response.json()["data"]["uid"] == "digest"


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/v.1.1/create_scheduled_report", "create_scheduled_report"),
        ("/v.1.0/create_scheduled_report.json", "create_scheduled_report"),
        ("/v.1.0/GET_SCHEDULED_EVENT.json", "GET_SCHEDULED_EVENT"),
        ("/v.1.1/send_message.json/extra", "send_message.json/extra"),
        ("/v.1.0/send_message.json.json", "send_message.json"),
    ],
)
def test_method_known_unknown_method_is_404_call_error_naming_it(client: httpx.Client, path: str, name: str) -> None:
    response = client.post(path, json={"api_key": KEY})
    assert error_of(response, 404) == {"status": "call_error", "uid": None, "message": f"Unknown API method: {name}"}


@pytest.mark.parametrize("http_method", ["GET", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("method", METHODS)
def test_post_only_other_http_methods_are_405_with_allow(client: httpx.Client, http_method: str, method: str) -> None:
    response = client.request(http_method, f"/v.1.1/{method}", json={"api_key": KEY})
    assert error_of(response, 405)["status"] == "call_error"
    assert error_of(response, 405)["message"] == "Only POST requests are supported"
    assert response.headers["Allow"] == "POST"


def test_route_is_checked_before_the_method(client: httpx.Client) -> None:
    assert error_of(client.get("/v.1.0/nope.json"), 404)["message"] == "Unknown API method: nope"


# ---------------------------------------------------------------- body, in check order


@pytest.mark.parametrize(
    ("content", "status", "message"),
    [
        (b"", "invalid_json", BAD_JSON),
        (b"   ", "invalid_json", BAD_JSON),
        (b"{", "invalid_json", BAD_JSON),
        (b"{'api_key': 'x'}", "invalid_json", BAD_JSON),
        (b'{"api_key": NaN}', "invalid_json", BAD_JSON),
        (b"\xff\xfe{}", "invalid_utf8", BAD_UTF8),
        (b'{"api_key": "\\udc00"}', "invalid_utf8", BAD_UTF8),
    ],
)
@pytest.mark.parametrize("method", ["list_scheduled_events", "send_message"])
def test_json_malformed_bodies_are_406(client: httpx.Client, method: str, content: bytes, status: str, message: str):
    body = error_of(client.post(url(method), content=content), 406)
    assert body == {"status": status, "uid": None, "message": message}


@pytest.mark.parametrize("content", [b"[]", b'"api_key"', b"1", b"null", b"true", b'[{"api_key": "k"}]'])
def test_body_object_json_that_is_not_an_object_is_400_before_auth(client: httpx.Client, content: bytes) -> None:
    body = error_of(client.post(url("get_scheduled_event"), content=content), 400)
    assert body == {"status": "bad_request", "uid": None, "message": "Request body must be a JSON object"}


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_the_body_is_json_whatever_the_content_type(client: httpx.Client, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    body = b'{"api_key": "%s", "uid": "u", "schedule": "@daily", "metadata": {}}' % KEY.encode()
    response = client.post(url("create_scheduled_event"), content=body, headers=headers)
    assert response.status_code == 200, response.text


def test_body_over_max_body_bytes_is_413_before_json_and_auth(client: httpx.Client) -> None:
    assert client.put("/_mock/config", json={"max_body_bytes": 64}).status_code == 200
    response = client.post(url("send_message"), content=b"{" * 65)
    assert error_of(response, 413) == {"uid": None, "status": "bad_request", "message": "Request body is too large"}
    assert call(client, "list_scheduled_events").status_code == 200  # 64 bytes or fewer still pass


def test_check_order_json_then_object_then_auth_then_fields(client: httpx.Client) -> None:
    assert error_of(client.post(url("create_scheduled_event"), content=b"{"), 406)["status"] == "invalid_json"
    assert error_of(client.post(url("create_scheduled_event"), content=b"[]"), 400)["status"] == "bad_request"
    bad_fields = {"uid": 5, "schedule": "nonsense"}
    assert error_of(call(client, "create_scheduled_event", None, **bad_fields), 401)["status"] == "unauthorized"
    assert error_of(call(client, "create_scheduled_event", **bad_fields), 400)["message"] == CREATE_FAILED


# ---------------------------------------------------------------- auth


@pytest.mark.parametrize("api_key", [None, "", 5, True, ["k"], {"k": 1}])
@pytest.mark.parametrize("method", METHODS)
def test_auth_key_missing_empty_or_not_a_string_is_401(client: httpx.Client, method: str, api_key: Any) -> None:
    body = {} if api_key is None else {"api_key": api_key}
    assert error_of(client.post(url(method), json=body), 401)["message"] == UNAUTHORIZED


def test_auth_key_must_be_top_level_not_in_arguments(client: httpx.Client) -> None:
    response = client.post(url("list_scheduled_events"), json={"arguments": {"api_key": KEY}})
    assert error_of(response, 401)["status"] == "unauthorized"


def test_keys_knob_accepts_only_the_listed_keys(client: httpx.Client) -> None:
    assert client.put("/_mock/config", json={"postageapp": {"keys": ["project-a"]}}).status_code == 200
    assert error_of(call(client, "list_scheduled_events", "project-b"), 401)["status"] == "unauthorized"
    assert call(client, "list_scheduled_events", "project-a").status_code == 200


def test_any_non_empty_key_is_a_project_when_no_keys_are_configured(client: httpx.Client) -> None:
    for key in ("x", " ", "ключ", "a" * 500):
        assert call(client, "list_scheduled_events", key).status_code == 200


@pytest.mark.parametrize(
    ("method", "body", "uid"),
    [
        ("get_scheduled_event", {"uid": "top"}, "top"),
        ("get_scheduled_event", {"uid": "top", "arguments": {"uid": "inner"}}, "inner"),
        ("get_scheduled_event", {"uid": 5}, None),
        ("list_scheduled_events", {}, None),
        ("send_message", {"uid": "m-1", "arguments": {"uid": "inner"}}, "m-1"),
    ],
)
def test_error_envelope_echoes_the_uid_the_request_carried(client: httpx.Client, method: str, body: dict, uid: Any):
    assert error_of(client.post(url(method), json=body), 401)["uid"] == uid


def test_error_key_order_is_the_vendors(client: httpx.Client) -> None:
    assert list(error_of(client.post(url("send_message"), json={}), 401)) == ["uid", "status", "message"]
    assert list(error_of(client.post(url("get_scheduled_event"), json={}), 401)) == ["status", "uid", "message"]
    missing = call(client, "get_scheduled_event", uid="nope")
    assert missing.json() == {"response": {"status": "not_found", "uid": "nope", "message": NOT_FOUND}}


# ---------------------------------------------------------------- fields at top level or in `arguments`


def test_arguments_fields_win_over_top_level_ones(client: httpx.Client) -> None:
    body = {
        "api_key": KEY,
        "uid": "top",
        "schedule": 17,  # invalid at top level, but `arguments` replaces it
        "arguments": {"uid": "inner", "schedule": "@hourly", "metadata": METADATA},
    }
    response = client.post(url("create_scheduled_event"), json=body)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["uid"] == "inner"
    assert response.json()["data"]["schedule"] == "@hourly"


def test_fields_missing_from_arguments_come_from_the_top_level(client: httpx.Client) -> None:
    body = {"api_key": KEY, "uid": "mixed", "arguments": {"schedule": "@daily"}, "metadata": METADATA}
    assert client.post(url("create_scheduled_event"), json=body).status_code == 200
    assert get(client, "mixed")["schedule"] == "@daily"


@pytest.mark.parametrize("arguments", ["x", 5, None, ["uid"], True])
def test_an_arguments_value_that_is_no_object_brings_no_fields(client: httpx.Client, arguments: Any) -> None:
    body = {"api_key": KEY, "uid": "plain", "schedule": "@daily", "metadata": {}, "arguments": arguments}
    assert client.post(url("create_scheduled_event"), json=body).status_code == 200


# ---------------------------------------------------------------- injected faults


@pytest.mark.parametrize(
    ("status", "kind", "message"),
    [
        (500, "fail", "Internal server error"),
        (503, "fail", "Internal server error"),
        (401, "unauthorized", UNAUTHORIZED),
        (404, "not_found", NOT_FOUND),
        (429, "fail", "Too Many Requests"),
    ],
)
def test_injected_faults_use_the_vendor_envelope(client: httpx.Client, status: int, kind: str, message: str) -> None:
    fault = {"vendor": "postageapp", "status": status, "times": 1}
    assert client.post("/_mock/faults", json=fault).status_code == 201
    response = call(client, "get_scheduled_event", uid="x")
    assert response.status_code == status
    assert response.json() == {"response": {"status": kind, "uid": None, "message": message}}


@given(prefix=st.sampled_from(["/v.1.0/", "/v.1.1/", "/v.1.2/", "/v1.0/", ""]), tail=st.text("/.jsonx_1", max_size=14))
def test_canonical_paths_answer_as_the_method_pattern(prefix: str, tail: str) -> None:
    """The shortcut for paths already canonical gives what the pattern gives for every path."""
    path = prefix + tail
    found = _METHOD_PATH.fullmatch(path)
    assert canonical_path(path) == (f"/v.1.0/{found.group('method')}.json" if found else path)
