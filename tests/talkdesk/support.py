"""Helpers for the Talkdesk tests: tokens, job bodies, clock moves and error checks."""

from __future__ import annotations

import base64
from typing import Any

import httpx

ACCOUNT = "acme-account"
OTHER_ACCOUNT = "globex-account"
SECRET = "s3cret"
CALLS = "/data/reports/calls/jobs"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
START = "2026-11-23T09:00:00Z"
RUNNING = ("created", "processing", "uploading")


def basic(client_id: str = ACCOUNT, secret: str = SECRET) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def token_response(http: httpx.Client, client_id: str = ACCOUNT, scope: str | None = None) -> httpx.Response:
    form = {"grant_type": "client_credentials", **({"scope": scope} if scope is not None else {})}
    return http.post("/oauth/token", data=form, headers=basic(client_id))


def token(http: httpx.Client, client_id: str = ACCOUNT, scope: str | None = None) -> str:
    response = token_response(http, client_id, scope)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def job_body(**overrides: Any) -> dict[str, Any]:
    """The contract's create example (CONTRACTS.md 2.5), with overrides."""
    body: dict[str, Any] = {
        "name": "Daily calls",
        "timezone": "Europe/Lisbon",
        "format": "json",
        "timespan": {"from": "2026-11-22T00:00:00", "to": "2026-11-23T00:00:00"},
    }
    body.update(overrides)
    return body


def jobs_url(report_type: str = "calls") -> str:
    return f"/data/reports/{report_type}/jobs"


def create(http: httpx.Client, access: str, report_type: str = "calls", **overrides: Any) -> dict[str, Any]:
    response = http.post(jobs_url(report_type), json=job_body(**overrides), headers=bearer(access))
    assert response.status_code == 202, response.text
    return response.json()


def status_of(http: httpx.Client, access: str, job: dict[str, Any]) -> str:
    response = http.get(job["_links"]["self"]["href"], headers=bearer(access))
    assert response.status_code in (200, 303), response.text
    return response.json()["job"]["status"]


def advance(http: httpx.Client, seconds: float) -> dict[str, Any]:
    response = http.post("/_mock/clock", json={"advance_seconds": seconds})
    assert response.status_code == 200, response.text
    return response.json()


def configure(http: httpx.Client, **knobs: Any) -> None:
    response = http.put("/_mock/config", json={"talkdesk": knobs})
    assert response.status_code == 200, response.text


def download(http: httpx.Client, access: str, job: dict[str, Any]) -> httpx.Response:
    """The file of a done job, through the files endpoint's 303 and the signed URL."""
    redirect = http.get(job["_links"]["files"]["href"], headers=bearer(access))
    assert redirect.status_code == 303, redirect.text
    return http.get(redirect.headers["location"])


def outbox(http: httpx.Client, **filters: str) -> list[dict[str, Any]]:
    response = http.get("/_mock/outbox", params={"vendor": "talkdesk", **filters})
    assert response.status_code == 200, response.text
    return response.json()["data"]


def assert_error(response: httpx.Response, status: int, code: str, fields: list[str] | None = None) -> dict[str, Any]:
    """The page's envelope with this status and code; `fields` names the problems, in order."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["code", "description", "message", "fields"]
    assert body["code"] == code
    assert isinstance(body["description"], str) and body["description"]
    assert isinstance(body["message"], str) and body["message"]
    assert all(list(item) == ["name", "description"] and item["description"] for item in body["fields"])
    if fields is not None:
        assert [item["name"] for item in body["fields"]] == fields
    return body


def assert_oauth_error(response: httpx.Response, status: int, error: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error", "error_description"]
    assert body["error"] == error and isinstance(body["error_description"], str)
    return body
