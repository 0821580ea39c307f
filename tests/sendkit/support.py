"""Shared helpers of the SendKit tests: keys, paths, a fresh mock per example, body builders."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import httpx

from mockserver import create_app
from mockserver.core.spec import load_spec
from tests.conftest import shape_checked_client

KEY = "sk_test_workspace_a"
OTHER_KEY = "sk_test_workspace_b"
PLATFORM_KEY = "sk_user_owner_one"
WORKSPACE = "0123456789abcdef01234567"
REPORTS = "/v1/reports"
RECIPIENTS = "/v1/reports/recipients"
NOW = "2026-11-23T09:00:00.000Z"
Q1, FOLLOW_UP, REENGAGE = "664f0a1b2c3d4e5f6a7b8c01", "664f0a1b2c3d4e5f6a7b8c02", "664f0a1b2c3d4e5f6a7b8c03"
# The `sendkit.campaigns` default of CONTRACTS.md 3.9, written out as the oracle.
CATALOGUE = {Q1: "Q1 Outreach", FOLLOW_UP: "Follow-up Campaign", REENGAGE: "Re-engagement"}
BAD_REQUEST = {
    "error": "Bad Request",
    "message": "The request contains invalid parameters or malformed data",
    "code": 400,
}
NOT_FOUND = {"error": "Not Found", "message": "The requested resource was not found", "code": 404}
UNAUTHORIZED = {"error": "Unauthorized", "message": "Invalid or missing API key", "code": 401}
FORBIDDEN = {"error": "Forbidden", "message": "You don't have permission to access this resource", "code": 403}
CONFLICT = {"error": "Conflict", "message": "A report recipient with this email already exists", "code": 409}
REPORT_KEYS = [
    "id", "title", "reportType", "status", "campaignId", "periodStart", "periodEnd", "sections", "recipientIds",
    "content", "error", "createdAt", "updatedAt", "completedAt",
]  # fmt: skip
RECIPIENT_KEYS = [
    "_id", "name", "email", "company", "role", "reportType", "campaignIds", "active", "schedule", "totalReportsSent",
    "createdAt", "updatedAt",
]  # fmt: skip
SPEC = load_spec("sendkit")


def auth(key: str = KEY, workspace: str | None = None) -> dict[str, str]:
    headers = {"X-Api-Key": key}
    if workspace is not None:
        headers["X-Workspace-Id"] = workspace
    return headers


@contextlib.contextmanager
def fresh_mock(config: dict[str, Any] | None = None) -> Iterator[httpx.Client]:
    """A new app (with `{"sendkit": config}` merged) behind a shape-checked in-process client."""
    with shape_checked_client(create_app({"sendkit": config} if config else None)) as http:
        yield http


def generate(http: httpx.Client, key: str = KEY, **body: Any) -> list[dict[str, Any]]:
    body.setdefault("reportType", "workspace")
    response = http.post(REPORTS, json=body, headers=auth(key))
    assert response.status_code == 201, response.text
    return response.json()["data"]["reports"]


def get_report(http: httpx.Client, report_id: str, key: str = KEY) -> dict[str, Any]:
    response = http.get(f"{REPORTS}/{report_id}", headers=auth(key))
    assert response.status_code == 200, response.text
    return response.json()["data"]


def create_recipient(http: httpx.Client, key: str = KEY, **body: Any) -> dict[str, Any]:
    body.setdefault("name", "Ana Costa")
    body.setdefault("email", "ana@example.com")
    response = http.post(RECIPIENTS, json=body, headers=auth(key))
    assert response.status_code == 201, response.text
    return response.json()["data"]


def advance(http: httpx.Client, seconds: float) -> int:
    response = http.post("/_mock/clock", json={"advance_seconds": seconds})
    assert response.status_code == 200, response.text
    return int(response.json()["fired"])


def configure(http: httpx.Client, **knobs: Any) -> None:
    response = http.put("/_mock/config", json={"sendkit": knobs})
    assert response.status_code == 200, response.text


def outbox(http: httpx.Client, **filters: str) -> list[dict[str, Any]]:
    response = http.get("/_mock/outbox", params={"vendor": "sendkit", **filters})
    assert response.status_code == 200, response.text
    return response.json()["data"]


def assert_bad_request(response: httpx.Response, fields: list[str], rules_hint: str = "") -> list[dict[str, str]]:
    """400 in the SendKit envelope whose details name exactly `fields`, in that order."""
    assert response.status_code == 400, response.text
    body = response.json()
    assert list(body) == ["error", "message", "code", "details"], body
    assert {key: body[key] for key in ("error", "message", "code")} == BAD_REQUEST
    details = body["details"]
    assert all(list(detail) == ["field", "message"] and detail["message"] for detail in details), details
    assert [detail["field"] for detail in details] == fields, (rules_hint, details)
    return details


def inlined(node: Any, document: dict[str, Any] | None = None) -> Any:
    """A schema with every local `$ref` replaced by its target and the `x-` annotations dropped."""
    document = document or SPEC.document
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = document
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return inlined(target, document)
        return {key: inlined(value, document) for key, value in node.items() if not key.startswith("x-")}
    if isinstance(node, list):
        return [inlined(value, document) for value in node]
    return node


def schema(name: str) -> Any:
    return inlined(SPEC.schema(name))
