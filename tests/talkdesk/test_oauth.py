"""The token endpoint, bearer tokens on the clock, scopes and accounts (CONTRACTS.md 2.1 and 2.3)."""

from __future__ import annotations

import base64
import re
from typing import Any

import httpx
import pytest

from mockserver import create_app
from mockserver.inprocess import client_for
from tests.talkdesk.support import (
    ACCOUNT,
    CALLS,
    FORM,
    OTHER_ACCOUNT,
    advance,
    assert_error,
    assert_oauth_error,
    basic,
    bearer,
    configure,
    create,
    job_body,
    token,
    token_response,
)

READ = "data-reports:read"
WRITE = "data-reports:write"


# issuing


def test_token_response_is_the_documented_shape(client: httpx.Client) -> None:
    response = token_response(client)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert list(body) == ["access_token", "token_type", "expires_in", "scope"]
    assert re.fullmatch(r"[0-9a-f]{40}", body["access_token"])
    assert body["token_type"] == "Bearer" and body["expires_in"] == 600
    assert body["scope"] == f"{READ} {WRITE}"


def test_each_token_is_new(client: httpx.Client) -> None:
    assert len({token(client) for _ in range(5)}) == 5


def test_grant_type_may_come_from_the_query_string_with_an_empty_body(client: httpx.Client) -> None:
    response = client.post("/oauth/token?grant_type=client_credentials", headers=basic())
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == f"{READ} {WRITE}"


def test_form_grant_type_wins_over_the_query(client: httpx.Client) -> None:
    response = client.post(
        "/oauth/token?grant_type=client_credentials", data={"grant_type": "password"}, headers=basic()
    )
    assert_oauth_error(response, 400, "unsupported_grant_type")


def test_form_content_type_may_carry_parameters(client: httpx.Client) -> None:
    headers = {**basic(), "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    assert client.post("/oauth/token", content=b"grant_type=client_credentials", headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("scope", "granted"),
    [
        (READ, READ),
        (WRITE, WRITE),
        (f"{WRITE} {READ}", f"{WRITE} {READ}"),
        (f"{READ}  {READ}", READ),
        (f"{READ} calls:read", f"{READ} calls:read"),  # unknown scopes are kept and ignored
        ("", f"{READ} {WRITE}"),
    ],
)
def test_scopes_are_granted_as_asked(client: httpx.Client, scope: str, granted: str) -> None:
    response = token_response(client, scope=scope)
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == granted


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-credentials"),
        pytest.param({"Authorization": "Bearer abc"}, id="not-basic"),
        pytest.param({"Authorization": "Basic not-base64!"}, id="not-base64"),
        pytest.param({"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()}, id="no-colon"),
        pytest.param(basic("", "secret"), id="empty-id"),
        pytest.param(basic("acme", ""), id="empty-secret"),
    ],
)
def test_bad_client_credentials_are_invalid_client(client: httpx.Client, headers: dict[str, str]) -> None:
    response = client.post("/oauth/token", data={"grant_type": "client_credentials"}, headers=headers)
    assert_oauth_error(response, 401, "invalid_client")
    assert response.headers["www-authenticate"] == "Basic"


def test_client_credentials_are_checked_before_the_body(client: httpx.Client) -> None:
    response = client.post("/oauth/token", content=b"{}", headers={"Content-Type": "application/json"})
    assert_oauth_error(response, 401, "invalid_client")


@pytest.mark.parametrize(
    ("content", "content_type", "error"),
    [
        pytest.param(b"", None, "invalid_request", id="empty-body"),
        pytest.param(b"scope=data-reports%3Aread", FORM["Content-Type"], "invalid_request", id="no-grant-type"),
        pytest.param(b"grant_type=", FORM["Content-Type"], "invalid_request", id="empty-grant-type"),
        pytest.param(b'{"grant_type": "client_credentials"}', "application/json", "invalid_request", id="json-body"),
        pytest.param(b"grant_type=client_credentials", "text/plain", "invalid_request", id="text-body"),
        pytest.param(b"grant_type=%ff", FORM["Content-Type"], "invalid_request", id="not-utf8"),
        pytest.param(b"grant_type=password", FORM["Content-Type"], "unsupported_grant_type", id="password"),
        pytest.param(b"grant_type=Client_Credentials", FORM["Content-Type"], "unsupported_grant_type", id="case"),
    ],
)
def test_bad_token_requests(client: httpx.Client, content: bytes, content_type: str | None, error: str) -> None:
    headers = {**basic(), **({"Content-Type": content_type} if content_type else {})}
    assert_oauth_error(client.post("/oauth/token", content=content, headers=headers), 400, error)


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_in_the_oauth_shape(client: httpx.Client, method: str) -> None:
    response = client.request(method, "/oauth/token", headers=basic())
    assert_oauth_error(response, 405, "invalid_request")
    assert response.headers["allow"] == "POST"


def test_oversized_token_body_is_413_in_the_oauth_shape() -> None:
    with client_for(create_app(config={"max_body_bytes": 64})) as http:
        response = http.post("/oauth/token", data={"grant_type": "client_credentials", "x": "y" * 100}, headers=basic())
        assert_oauth_error(response, 413, "invalid_request")


def test_paths_under_the_token_path_are_404_in_the_oauth_shape(client: httpx.Client) -> None:
    assert_oauth_error(client.post("/oauth/token/extra", headers=basic()), 404, "invalid_request")


def test_injected_faults_on_the_token_path_use_the_oauth_shape(client: httpx.Client) -> None:
    client.post("/_mock/faults", json={"vendor": "talkdesk", "path": "^/oauth", "status": 503, "times": 1})
    assert_oauth_error(token_response(client), 503, "temporarily_unavailable")
    assert token_response(client).status_code == 200


# configured clients


CLIENTS = [
    {"client_id": "reader", "client_secret": "r-secret", "scopes": [READ]},
    {"client_id": "admin", "client_secret": "a-secret"},
]


@pytest.fixture
def configured(client: httpx.Client) -> httpx.Client:
    configure(client, clients=CLIENTS)
    return client


def _ask(http: httpx.Client, client_id: str, secret: str, **form: str) -> httpx.Response:
    return http.post(
        "/oauth/token", data={"grant_type": "client_credentials", **form}, headers=basic(client_id, secret)
    )


def test_configured_clients_only_accept_their_exact_pairs(configured: httpx.Client) -> None:
    assert _ask(configured, "admin", "a-secret").status_code == 200
    assert_oauth_error(_ask(configured, "admin", "r-secret"), 401, "invalid_client")
    assert_oauth_error(_ask(configured, "stranger", "x"), 401, "invalid_client")


def test_a_configured_client_gets_its_allowed_scopes_by_default(configured: httpx.Client) -> None:
    assert _ask(configured, "reader", "r-secret").json()["scope"] == READ
    assert _ask(configured, "admin", "a-secret").json()["scope"] == f"{READ} {WRITE}"


def test_a_configured_client_asking_beyond_its_scopes_is_invalid_scope(configured: httpx.Client) -> None:
    assert_oauth_error(_ask(configured, "reader", "r-secret", scope=f"{READ} {WRITE}"), 400, "invalid_scope")
    assert _ask(configured, "reader", "r-secret", scope=READ).json()["scope"] == READ
    assert _ask(configured, "admin", "a-secret", scope="anything").json()["scope"] == "anything"


@pytest.mark.parametrize(
    "clients",
    [
        pytest.param([{"client_id": "x"}], id="no-secret"),
        pytest.param([{"client_id": "", "client_secret": "s"}], id="empty-id"),
        pytest.param([{"client_id": "x", "client_secret": "s", "scopes": "read"}], id="scopes-not-a-list"),
        pytest.param({"client_id": "x"}, id="not-a-list"),
    ],
)
def test_malformed_clients_knob_is_refused(client: httpx.Client, clients: Any) -> None:
    assert client.put("/_mock/config", json={"talkdesk": {"clients": clients}}).status_code == 400


# using tokens


def test_calls_without_a_live_token_are_401(client: httpx.Client) -> None:
    for headers in ({}, bearer("0" * 40), {"Authorization": "Basic " + base64.b64encode(b"a:b").decode()}):
        response = client.get(CALLS, headers=headers)
        assert_error(response, 401, "0330010", [])
        assert response.headers["www-authenticate"] == "Bearer"


def test_a_token_expires_after_600_seconds_of_clock_time(client: httpx.Client) -> None:
    access = token(client)
    advance(client, 599)
    assert client.get(CALLS, headers=bearer(access)).status_code == 200
    advance(client, 1)
    assert_error(client.get(CALLS, headers=bearer(access)), 401, "0330010")
    assert client.get(CALLS, headers=bearer(token(client))).status_code == 200


def test_token_ttl_knob_sets_expires_in_and_the_lifetime(client: httpx.Client) -> None:
    configure(client, token_ttl_seconds=60)
    response = token_response(client)
    assert response.json()["expires_in"] == 60
    advance(client, 60)
    assert client.get(CALLS, headers=bearer(response.json()["access_token"])).status_code == 401


def test_the_bearer_scheme_is_case_insensitive(client: httpx.Client) -> None:
    access = token(client)
    assert client.get(CALLS, headers={"Authorization": f"bearer {access}"}).status_code == 200


def test_reset_forgets_tokens(client: httpx.Client) -> None:
    access = token(client)
    assert client.post("/_mock/reset").status_code == 204
    assert client.get(CALLS, headers=bearer(access)).status_code == 401


@pytest.mark.parametrize(
    ("scope", "allowed"),
    [
        (READ, {"GET"}),
        (WRITE, {"POST", "DELETE"}),
        ("calls:read", set()),
        (f"{READ} {WRITE}", {"GET", "POST", "DELETE"}),
    ],
)
def test_scopes_gate_reads_and_writes(client: httpx.Client, scope: str, allowed: set[str]) -> None:
    job = create(client, token(client))
    access = token(client, scope=scope)
    calls = [
        ("GET", CALLS, None),
        ("GET", job["_links"]["self"]["href"], None),
        ("GET", job["_links"]["files"]["href"], None),
        ("POST", CALLS, job_body()),
        ("DELETE", job["_links"]["files"]["href"], None),
        ("DELETE", job["_links"]["self"]["href"], None),
    ]
    for method, url, body in calls:
        response = client.request(method, url, json=body, headers=bearer(access))
        if method in allowed:
            assert response.status_code != 403 or response.json()["code"] == "0330012", (method, url, response.text)
        else:
            assert_error(response, 403, "0330011", [])


def test_scope_is_checked_before_the_body(client: httpx.Client) -> None:
    access = token(client, scope=READ)
    assert_error(client.post(CALLS, content=b"{", headers=bearer(access)), 403, "0330011")


def test_accounts_do_not_see_each_others_jobs(client: httpx.Client) -> None:
    mine, theirs = token(client, ACCOUNT), token(client, OTHER_ACCOUNT)
    job = create(client, mine)
    for url in (job["_links"]["self"]["href"], job["_links"]["files"]["href"]):
        assert_error(client.get(url, headers=bearer(theirs)), 404, "0330013", [])
        assert_error(client.delete(url, headers=bearer(theirs)), 404, "0330013", [])
    assert client.get(CALLS, headers=bearer(theirs)).json()["total"] == 0
    assert client.get(CALLS, headers=bearer(token(client, ACCOUNT))).json()["total"] == 1


def test_requests_are_journaled_with_the_account(client: httpx.Client) -> None:
    access = token(client)
    client.get(CALLS, headers=bearer(access))
    entries = client.get("/_mock/requests").json()["data"]
    assert [(e["path"], e["vendor"], e["tenant"], e["status"]) for e in entries] == [
        ("/oauth/token", "talkdesk", None, 200),
        (CALLS, "talkdesk", ACCOUNT, 200),
    ]
