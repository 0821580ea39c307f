"""SK-AUTH-KEY, SK-WORKSPACE-HEADER and SK-TENANT: keys, the workspace header, configured workspaces."""

from __future__ import annotations

import hashlib

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.core.ids import ContentDigest
from tests.sendkit.support import (
    FORBIDDEN,
    KEY,
    NOT_FOUND,
    NOW,
    OTHER_KEY,
    PLATFORM_KEY,
    RECIPIENTS,
    REPORTS,
    UNAUTHORIZED,
    WORKSPACE,
    assert_bad_request,
    auth,
    create_recipient,
    fresh_mock,
    generate,
    get_report,
    outbox,
)

FAST = settings(max_examples=60, deadline=None)
KEY_CHARS = st.text(st.sampled_from("abcXYZ019_-"), min_size=1, max_size=12)
WS_A, WS_B, WS_C = "aaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccccccc"
CONFIGURED = [
    {"id": WS_A, "workspace_key": "sk_ws_a", "owner_key": "sk_user_ana"},
    {"id": WS_B, "workspace_key": "sk_ws_b", "owner_key": "sk_user_ana", "name": "Second"},
    {"id": WS_C, "workspace_key": "sk_ws_c", "owner_key": "sk_user_bob"},
]


def listing(http: httpx.Client, headers: dict[str, str]) -> httpx.Response:
    return http.get(REPORTS, headers=headers)


def test_x_api_key_and_bearer_name_the_same_tenant(client: httpx.Client) -> None:
    [report] = generate(client)
    assert get_report(client, report["id"])["id"] == report["id"]
    bearer = client.get(f"{REPORTS}/{report['id']}", headers={"Authorization": f"Bearer {KEY}"})
    assert bearer.status_code == 200
    lower = client.get(f"{REPORTS}/{report['id']}", headers={"authorization": f"bearer {KEY}"})
    assert lower.status_code == 200


def test_x_api_key_wins_over_bearer(client: httpx.Client) -> None:
    [report] = generate(client)
    both = {"X-Api-Key": OTHER_KEY, "Authorization": f"Bearer {KEY}"}
    assert client.get(f"{REPORTS}/{report['id']}", headers=both).json() == NOT_FOUND
    invalid_wins = {"X-Api-Key": "nope", "Authorization": f"Bearer {KEY}"}
    assert client.get(REPORTS, headers=invalid_wins).json() == UNAUTHORIZED


def test_missing_or_malformed_keys_are_401(client: httpx.Client) -> None:
    for headers in (
        {},
        {"X-Api-Key": ""},
        {"X-Api-Key": "sk_"},
        {"X-Api-Key": "sk_user_"},
        {"X-Api-Key": "SK_live"},
        {"X-Api-Key": "sk live"},
        {"X-Api-Key": "pk_live_1"},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic c2tfYTpi"},
        {"Authorization": "Token sk_live"},
    ):
        for method, path in (("GET", REPORTS), ("POST", REPORTS), ("GET", RECIPIENTS), ("GET", f"{REPORTS}/x")):
            response = client.request(method, path, headers=headers)
            assert response.status_code == 401, (headers, method, path)
            assert response.json() == UNAUTHORIZED


@FAST
@given(suffix=KEY_CHARS, prefix=st.sampled_from(["sk_", "sk_user_", "", "sk", "SK_", "sk_user", "test_sk_"]))
def test_key_form_decides_between_401_and_the_workspace_header(prefix: str, suffix: str) -> None:
    key = prefix + suffix
    is_platform = key.startswith("sk_user_") and len(key) > len("sk_user_")
    is_workspace = key.startswith("sk_") and not key.startswith("sk_user_") and len(key) > 3
    with fresh_mock() as http:
        response = listing(http, auth(key))
    if is_workspace:
        assert response.status_code == 200, response.text
    elif is_platform:
        assert_bad_request(response, ["X-Workspace-Id"])
    else:
        assert response.json() == UNAUTHORIZED


@FAST
@given(
    workspace=st.one_of(
        st.from_regex(r"[0-9a-f]{24}", fullmatch=True),
        st.from_regex(r"[0-9a-fA-F]{20,28}", fullmatch=True),
        st.text(st.characters(codec="ascii", exclude_characters="\r\n\x00"), max_size=30),
    )
)
def test_platform_key_needs_a_24_hex_workspace_header(workspace: str) -> None:
    well_formed = len(workspace) == 24 and all(char in "0123456789abcdef" for char in workspace)
    with fresh_mock() as http:
        response = listing(http, auth(PLATFORM_KEY, workspace))
    if well_formed:
        assert response.status_code == 200, response.text
    else:
        details = assert_bad_request(response, ["X-Workspace-Id"])
        assert "24" in details[0]["message"]


def test_platform_key_header_is_checked_on_every_route_but_only_after_routing(client: httpx.Client) -> None:
    platform = auth(PLATFORM_KEY)
    for method, path in (("GET", REPORTS), ("POST", REPORTS), ("GET", RECIPIENTS), ("POST", RECIPIENTS)):
        assert_bad_request(client.request(method, path, headers=platform), ["X-Workspace-Id"])
    for method, path in (("GET", f"{RECIPIENTS}/{WORKSPACE}"), ("PATCH", f"{RECIPIENTS}/{WORKSPACE}")):
        assert_bad_request(client.request(method, path, headers=platform, json={}), ["X-Workspace-Id"])
    assert client.get("/v1/unknown", headers=platform).json() == NOT_FOUND
    assert client.put(REPORTS, headers=platform).status_code == 405


def test_workspace_key_ignores_a_workspace_header(client: httpx.Client) -> None:
    [report] = generate(client)
    for workspace in (WORKSPACE, "not-hex"):
        assert client.get(f"{REPORTS}/{report['id']}", headers=auth(KEY, workspace)).status_code == 200


def test_platform_key_tenant_is_key_plus_workspace(client: httpx.Client) -> None:
    created = client.post(REPORTS, json={"reportType": "workspace"}, headers=auth(PLATFORM_KEY, WS_A))
    report_id = created.json()["data"]["reports"][0]["id"]
    assert client.get(f"{REPORTS}/{report_id}", headers=auth(PLATFORM_KEY, WS_A)).status_code == 200
    assert client.get(f"{REPORTS}/{report_id}", headers=auth(PLATFORM_KEY, WS_B)).json() == NOT_FOUND
    assert client.get(f"{REPORTS}/{report_id}", headers=auth("sk_user_someone_else", WS_A)).json() == NOT_FOUND
    client.post("/_mock/clock", json={"advance_seconds": 60})
    [entry] = outbox(client, resource_id=report_id)
    assert entry["tenant"] == f"{PLATFORM_KEY}:{WS_A}"


def test_reports_and_recipients_are_per_workspace(client: httpx.Client) -> None:
    [report] = generate(client)
    recipient = create_recipient(client)
    other = auth(OTHER_KEY)
    assert client.get(f"{REPORTS}/{report['id']}", headers=other).json() == NOT_FOUND
    assert client.get(f"{RECIPIENTS}/{recipient['_id']}", headers=other).json() == NOT_FOUND
    assert client.patch(f"{RECIPIENTS}/{recipient['_id']}", json={}, headers=other).json() == NOT_FOUND
    assert client.delete(f"{RECIPIENTS}/{recipient['_id']}", headers=other).json() == NOT_FOUND
    assert client.get(REPORTS, headers=other).json()["data"] == []
    assert client.get(RECIPIENTS, headers=other).json()["data"] == []
    # the same email in another workspace is fine; its report ids are not
    create_recipient(client, OTHER_KEY)
    unknown = client.post(
        REPORTS, json={"reportType": "workspace", "recipientIds": [recipient["_id"]]}, headers=auth(OTHER_KEY)
    )
    assert_bad_request(unknown, ["recipientIds[0]"])


def test_workspace_id_of_a_workspace_key_is_sha256_of_the_key(client: httpx.Client) -> None:
    [report] = generate(client, reportType="workspace")
    client.post("/_mock/clock", json={"advance_seconds": 25})
    content = get_report(client, report["id"])["content"]
    workspace = hashlib.sha256(KEY.encode()).hexdigest()[:24]
    h = ContentDigest(0, ["sendkit", workspace, "2026-10-24T09:00:00.000Z", NOW])
    assert content["executiveSummary"]["emailsSent"] == 500 + h.u(0) % 9500


def test_configured_workspaces_share_a_tenant_between_workspace_and_owner_keys() -> None:
    with fresh_mock({"workspaces": CONFIGURED}) as http:
        [report] = generate(http, "sk_ws_a")
        assert http.get(f"{REPORTS}/{report['id']}", headers=auth("sk_user_ana", WS_A)).status_code == 200
        assert http.get(f"{REPORTS}/{report['id']}", headers=auth("sk_user_ana", WS_B)).json() == NOT_FOUND
        assert http.get(f"{REPORTS}/{report['id']}", headers=auth("sk_ws_b")).json() == NOT_FOUND
        http.post("/_mock/clock", json={"advance_seconds": 25})
        assert outbox(http, resource_id=report["id"])[0]["tenant"] == WS_A


def test_configured_workspaces_refuse_other_keys_and_foreign_workspaces() -> None:
    with fresh_mock({"workspaces": CONFIGURED}) as http:
        assert listing(http, auth(KEY)).json() == UNAUTHORIZED
        assert listing(http, auth("sk_user_carol", WS_A)).json() == UNAUTHORIZED
        assert listing(http, auth("sk_user_ana", WS_C)).json() == FORBIDDEN
        assert listing(http, auth("sk_user_ana", "dddddddddddddddddddddddd")).json() == FORBIDDEN
        assert_bad_request(listing(http, auth("sk_user_ana")), ["X-Workspace-Id"])
        assert listing(http, auth("sk_user_bob", WS_C)).status_code == 200
        assert listing(http, auth("sk_ws_c", WS_A)).status_code == 200  # a workspace key's header is ignored


def test_workspaces_knob_is_checked_on_merge(client: httpx.Client) -> None:
    for bad in (
        [{"id": "xyz", "workspace_key": "sk_a", "owner_key": "sk_user_a"}],
        [{"id": WS_A, "workspace_key": "sk_user_a", "owner_key": "sk_user_a"}],
        [{"id": WS_A, "workspace_key": "sk_a", "owner_key": "sk_a"}],
        [{"id": WS_A, "workspace_key": "sk_a"}],
        "all",
    ):
        response = client.put("/_mock/config", json={"sendkit": {"workspaces": bad}})
        assert response.status_code == 400, bad
    assert client.put("/_mock/config", json={"sendkit": {"workspaces": None}}).status_code == 200
