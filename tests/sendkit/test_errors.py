"""SK-ERROR-BODY, SK-NOT-FOUND and SK-RATE-LIMIT: every error in the SendKit envelope, never a 5xx
for bad input, injected faults, and the per-key minute windows (CONTRACTS.md 3.4, 3.5)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sendkit.support import (
    KEY,
    NOT_FOUND,
    OTHER_KEY,
    PLATFORM_KEY,
    RECIPIENTS,
    REPORTS,
    UNAUTHORIZED,
    advance,
    auth,
    configure,
    fresh_mock,
    generate,
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RATE_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")
WINDOW_END = "1795424460"  # 2026-11-23T09:01:00Z


def rate(response: httpx.Response) -> tuple[str | None, ...]:
    return tuple(response.headers.get(name) for name in RATE_HEADERS)


@pytest.mark.parametrize(
    "path", ["/v1", "/v1/", "/v1/reportz", "/v1/reports/recipients/x/y", "/v1/campaigns", "/v1/reports/a/b"]
)
def test_unknown_routes_are_404_before_auth(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", REPORTS, "GET, POST"),
        ("PUT", f"{REPORTS}/6b0400903c1d9e2f7a000001", "GET"),
        ("PATCH", f"{REPORTS}/6b0400903c1d9e2f7a000001", "GET"),
        ("PUT", f"{RECIPIENTS}/6b0400903c1d9e2f7a000001", "DELETE, GET, PATCH"),
        ("DELETE", RECIPIENTS, "GET, POST"),
    ],
)
def test_wrong_method_is_405_with_allow(client: httpx.Client, method: str, path: str, allow: str) -> None:
    response = client.request(method, path, headers=auth())
    assert response.status_code == 405 and response.headers["allow"] == allow
    assert response.json() == {
        "error": "Method Not Allowed",
        "message": "The requested method is not allowed for this resource",
        "code": 405,
    }


def test_oversized_body_is_413() -> None:
    with fresh_mock() as http:
        http.put("/_mock/config", json={"max_body_bytes": 100})
        response = http.post(REPORTS, content=b'{"reportType": "' + b"x" * 200 + b'"}', headers=auth())
    assert response.status_code == 413
    assert response.json() == {"error": "Payload Too Large", "message": "The request body is too large", "code": 413}


@pytest.mark.parametrize(
    ("status", "error"),
    [(500, "Internal Server Error"), (503, "Service Unavailable"), (502, "Bad Gateway"), (429, "Too Many Requests")],
)
def test_injected_faults_use_the_envelope(client: httpx.Client, status: int, error: str) -> None:
    client.post("/_mock/faults", json={"vendor": "sendkit", "status": status, "times": 1})
    response = client.get(REPORTS, headers=auth())
    assert response.status_code == status
    body = response.json()
    assert body["error"] == error and body["code"] == status and list(body) == ["error", "message", "code"]
    assert (response.headers.get("retry-after") is not None) is (status == 429)
    assert client.get(REPORTS, headers=auth()).status_code == 200


def test_details_appear_on_400_only(client: httpx.Client) -> None:
    client.post("/_mock/faults", json={"vendor": "sendkit", "status": 400, "times": 1})
    assert client.get(REPORTS, headers=auth()).json() == {
        "error": "Bad Request",
        "message": "The request contains invalid parameters or malformed data",
        "code": 400,
        "details": [],
    }
    for response in (client.get(REPORTS), client.get(f"{REPORTS}/x", headers=auth())):
        assert "details" not in response.json()


# ---------------------------------------------------------------- no 5xx for hostile input

HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\x00", "\ud7ff", "../../etc/passwd", "%00", "<script>", "' OR 1=1 --", "\u202e", "𝔘𝔫𝔦"]),
)
HOSTILE_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | HOSTILE_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(HOSTILE_TEXT, inner, max_size=4),
    max_leaves=12,
)
FIELDS = ["reportType", "campaignIds", "periodStart", "periodEnd", "recipientIds", "sections", "name", "email",
          "company", "role", "schedule", "active"]  # fmt: skip
BODIES = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), HOSTILE_JSON, max_size=6),
    st.fixed_dictionaries({"schedule": st.dictionaries(st.sampled_from(["frequency", "dayOfWeek", "dayOfMonth",
                           "timeOfDay", "timezone", "enabled"]), HOSTILE_JSON)}, optional={"name": HOSTILE_TEXT}),
    HOSTILE_JSON,
)  # fmt: skip
CALLS = st.sampled_from(
    [("POST", REPORTS), ("GET", REPORTS), ("POST", RECIPIENTS), ("GET", RECIPIENTS), ("GET", f"{REPORTS}/{{id}}"),
     ("PATCH", f"{RECIPIENTS}/{{id}}"), ("DELETE", f"{RECIPIENTS}/{{id}}"), ("GET", f"{RECIPIENTS}/{{id}}")]
)  # fmt: skip


@FAST
@given(
    call=CALLS,
    body=BODIES,
    segment=HOSTILE_TEXT,
    query=st.dictionaries(st.sampled_from(["limit", "cursor", "search"]), HOSTILE_TEXT, max_size=3),
    key=st.sampled_from([KEY, PLATFORM_KEY, "", "sk_\u00e9"]),
)
def test_hostile_input_never_gets_a_5xx(call: tuple[str, str], body: Any, segment: str, query: dict, key: str) -> None:
    method, template = call
    path = template.replace("{id}", "".join(f"%{b:02X}" for b in segment.encode("utf-8", "surrogatepass")) or "x")
    headers = {"X-Api-Key": key.encode(), "X-Workspace-Id": segment[:30].encode("utf-8", "surrogatepass") or b"x"}
    with fresh_mock() as http:
        http.post(RECIPIENTS, json={"name": "A", "email": "a@b.co"}, headers=auth())
        response = http.request(method, path, params=query, json=body, headers=headers)
    assert 200 <= response.status_code < 500, response.text
    if response.status_code >= 400:
        assert set(response.json()) <= {"error", "message", "code", "details"}


# ---------------------------------------------------------------- SK-RATE-LIMIT


def test_rate_limits_are_off_by_default(client: httpx.Client) -> None:
    for _ in range(120):
        response = client.get(REPORTS, headers=auth())
    assert response.status_code == 200 and rate(response) == (None, None, None)


def test_n_requests_per_key_per_aligned_minute() -> None:
    with fresh_mock({"rate_limit_per_minute": 3}) as http:
        advance(http, 30)  # 09:00:30, the window is [09:00, 09:01)
        seen = [rate(http.get(REPORTS, headers=auth())) for _ in range(3)]
        assert seen == [("3", "2", WINDOW_END), ("3", "1", WINDOW_END), ("3", "0", WINDOW_END)]
        refused = http.post(REPORTS, json={"reportType": "workspace"}, headers=auth())
        assert refused.status_code == 429 and refused.headers["retry-after"] == "30"
        assert refused.json() == {
            "error": "Too Many Requests",
            "message": "Rate limit exceeded, please retry later",
            "code": 429,
        }
        assert rate(refused) == ("3", "0", WINDOW_END)
        assert http.get(REPORTS, headers=auth(OTHER_KEY)).status_code == 200  # per key
        assert http.get(REPORTS, headers={"Authorization": f"Bearer {KEY}"}).status_code == 429  # the same key
        advance(http, 29.5)
        assert http.get(REPORTS, headers=auth()).headers["retry-after"] == "1"  # at least 1
        advance(http, 0.5)
        response = http.get(REPORTS, headers=auth())
        assert response.status_code == 200 and rate(response) == ("3", "2", "1795424520")
        assert http.get(REPORTS, headers=auth()).json()["pagination"]["total"] == 0  # the refused POST did nothing


def test_every_v1_answer_carries_the_headers_once_configured(client: httpx.Client) -> None:
    configure(client, rate_limit_per_minute=2)
    generate(client)  # counted: 1 left
    answers = [
        client.get("/v1/nope", headers=auth()),
        client.get(REPORTS),
        client.post(REPORTS, json={}, headers=auth()),
        client.get(f"{REPORTS}/x", headers=auth()),
        client.delete(REPORTS, headers=auth()),
    ]
    assert [a.status_code for a in answers] == [404, 401, 400, 404, 405]
    assert [rate(a)[1] for a in answers] == ["1", "2", "1", "1", "1"]  # refused before the limit step: not counted
    assert client.get(f"{REPORTS}/{'0' * 24}", headers=auth()).headers["x-ratelimit-remaining"] == "0"  # counted
    assert client.get(REPORTS, headers=auth()).status_code == 429
    configure(client, rate_limit_per_minute=None)
    assert rate(client.get(REPORTS, headers=auth())) == (None, None, None)


def test_rate_limit_knob_is_checked(client: httpx.Client) -> None:
    for bad in (0, -1, 1.5, "10", True):
        assert client.put("/_mock/config", json={"sendkit": {"rate_limit_per_minute": bad}}).status_code == 400


def test_platform_keys_share_their_window_across_workspaces(client: httpx.Client) -> None:
    configure(client, rate_limit_per_minute=1)
    assert client.get(REPORTS, headers=auth(PLATFORM_KEY, "a" * 24)).status_code == 200
    assert client.get(REPORTS, headers=auth(PLATFORM_KEY, "b" * 24)).status_code == 429
    assert client.get(REPORTS, headers={"X-Api-Key": "bad"}).json() == UNAUTHORIZED
