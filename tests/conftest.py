"""Shared fixtures: a fresh in-process mock per test, with a sync httpx client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from conformance.shapes import ResponseShapes
from mockserver import create_app
from mockserver.core.state import MockState
from mockserver.inprocess import client_for

pytest_plugins = ["pytester"]

KEY = "sk_test_tenant_a"
OTHER_KEY = "sk_test_tenant_b"
REPORTS = "/v4/scheduled-reports"


def auth(key: str = KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def report_body(**overrides: Any) -> dict[str, Any]:
    """The create body of the vendor page's example, with overrides."""
    body: dict[str, Any] = {
        "report_name": "Daily Revenue",
        "send_at": "09:00",
        "included_range_days": 1,
        "status": "active",
        "environment": "production",
        "destinations": [{"type": "target_integration", "id": "int-wh-01", "label": "Webhooks: Release alerts"}],
    }
    body.update(overrides)
    return body


@pytest.fixture
def app() -> Starlette:
    return create_app()


@pytest.fixture
def state(app: Starlette) -> MockState:
    return app.state.mock


def shape_checked_client(app: Starlette) -> httpx.Client:
    """An in-process client that fails the test when a vendor response breaks its OpenAPI shape."""
    state: MockState = app.state.mock
    shapes = {name: ResponseShapes(vendor.spec) for name, vendor in state.vendors.items()}

    def check(response: httpx.Response) -> None:
        vendor = state.vendor_for_path(response.request.url.path)
        if vendor is None:
            return
        response.read()
        if response.content and "json" not in response.headers.get("content-type", ""):
            return  # files and redirects: their own tests read them
        body = response.json() if response.content else None
        method, path = response.request.method, response.request.url.path
        if vendor.canonical_path is not None:
            path = vendor.canonical_path(path)
        assert shapes[vendor.name].problems(method, path, response.status_code, body) == []

    return client_for(app, event_hooks={"response": [check]})


@pytest.fixture
def client(app: Starlette) -> Iterator[httpx.Client]:
    with shape_checked_client(app) as http:
        yield http


def create_report(client: httpx.Client, key: str = KEY, **overrides: Any) -> dict[str, Any]:
    response = client.post(REPORTS, json=report_body(**overrides), headers=auth(key))
    assert response.status_code == 201, response.text
    return response.json()


def advance(client: httpx.Client, seconds: float) -> dict[str, Any]:
    response = client.post("/_mock/clock", json={"advance_seconds": seconds})
    assert response.status_code == 200, response.text
    return response.json()


def outbox(client: httpx.Client, **filters: str) -> list[dict[str, Any]]:
    response = client.get("/_mock/outbox", params=filters)
    assert response.status_code == 200, response.text
    return response.json()["data"]
