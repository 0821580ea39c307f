"""Our own corpus of hostile requests, sent to every route of every vendor.

Invalid JSON and UTF-8, oversized and deeply nested bodies, huge numbers, wrong content
types, control characters and traversal in ids, duplicate keys, repeated headers: every one
is answered below 500, and every 4xx in the vendor's own documented error body (the test
client checks each answer against the vendor's OpenAPI document).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from mockserver import create_app
from mockserver.vendors import REGISTRY
from tests.conftest import shape_checked_client

HOSTILE_BODIES = {
    "invalid-json": b'{"a": ',
    "invalid-utf8": b'{"a": "\xff\xfe"}',
    "deep-nesting": b"[" * 50000 + b"]" * 50000,
    "huge-number": b'{"n": 1' + b"0" * 5000 + b"}",
    "overflowing-float": b'{"n": 1e999}',
    "nan": b'{"n": NaN}',
    "duplicate-keys": b'{"api_key": "a", "api_key": "b", "name": 1, "name": 2}',
    "control-chars": b'{"name": "a\\u0000b\\u001fc", "api_key": "k\\u0007"}',
    "lone-surrogate": b'{"name": "\\ud800", "api_key": "\\udfff"}',
    "not-an-object": b'["a", 1, null]',
    "empty": b"",
    "over-the-limit": b'{"pad": "' + b"x" * (1024 * 1024 + 16) + b'"}',
}
HOSTILE_IDS = ["..%2F..%2Fetc%2Fpasswd", "%00", "a%0Ab", "%E2%80%AE", "%FF", "x" * 300, "%2E%2E", "%25"]
CONTENT_TYPES = [
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "application/json; charset=latin-1",
]


def credentials(client: httpx.Client) -> dict[str, dict[str, str]]:
    form = {"grant_type": "client_credentials"}
    token = client.post("/oauth/token", data=form, auth=("hostile", "secret")).json()["access_token"]
    return {
        "qonversion": {"Authorization": "Bearer sk_hostile"},
        "talkdesk": {"Authorization": f"Bearer {token}"},
        "sendkit": {"X-Api-Key": "sk_hostile"},
        "postageapp": {},
    }


def routes() -> Iterator[tuple[str, str, str]]:
    for name, vendor in REGISTRY.items():
        for route in vendor.spec.routes:
            for method in route.operations:
                yield name, method, route.template


def concrete(template: str, identifier: str = "abc") -> str:
    return re.sub(r"\{[^}]+\}", lambda m: "calls" if m.group(0) == "{type}" else identifier, template)


ROUTES = list(routes())


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with shape_checked_client(create_app()) as http:
        yield http


@pytest.fixture(scope="module")
def headers(client: httpx.Client) -> dict[str, dict[str, str]]:
    return credentials(client)


def assert_answered(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text[:300]


@pytest.mark.parametrize(("vendor", "method", "template"), ROUTES, ids=[f"{m} {t}" for _, m, t in ROUTES])
def test_hostile_bodies(client: httpx.Client, headers: dict, vendor: str, method: str, template: str) -> None:
    for name, body in HOSTILE_BODIES.items():
        for content_type in CONTENT_TYPES:
            request_headers = {**headers[vendor], "Content-Type": content_type}
            response = client.request(method, concrete(template), content=body, headers=request_headers)
            assert_answered(response)
            if method in {"POST", "PUT", "PATCH"} and name in {"invalid-json", "over-the-limit", "not-an-object"}:
                assert 400 <= response.status_code < 500, (name, content_type, response.status_code)


@pytest.mark.parametrize(("vendor", "method", "template"), ROUTES, ids=[f"{m} {t}" for _, m, t in ROUTES])
def test_hostile_ids_and_headers(client: httpx.Client, headers: dict, vendor: str, method: str, template: str) -> None:
    for identifier in HOSTILE_IDS:
        path = concrete(template, identifier)
        assert_answered(client.request(method, path, headers=headers[vendor], content=b"{}"))
    repeated = [(name, value) for name, value in headers[vendor].items()] * 2 + [
        ("Content-Type", "application/json")
    ] * 2
    assert_answered(client.request(method, concrete(template), headers=repeated, content=b"{}"))
