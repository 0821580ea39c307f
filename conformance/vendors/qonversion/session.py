"""The Qonversion session of one run: keys, the destination catalogue and knobs read from the
target, and every report the suite created, so that it is deleted after its check (and at the
end, also after a failure or Ctrl-C).

Safety lives here: PUT, DELETE and send-test go only to reports this session created (or to ids
that exist nowhere), and a create keeps one request of the budget in reserve for its delete.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

import httpx

from conformance.context import json_body
from conformance.failures import SetupError, UsageError
from conformance.ledger import Ledger
from conformance.target import NO_BODY
from conformance.vendors import SessionSetup
from conformance.vendors.qonversion.strategies import MISSING_PREFIX, PREFIX

REPORTS = "/v4/scheduled-reports"
DESTINATIONS = f"{REPORTS}/destinations"
KNOB_DEFAULTS = {
    "delivery_delay_seconds": 0,
    "test_delivery_delay_seconds": 0,
    "send_test_window_seconds": 60,
    "accept_unknown_destinations": False,
}
MAX_PAGES = 200


def fresh_key(prefix: str = "sk_") -> str:
    return f"{prefix}conformance_{secrets.token_hex(6)}"


def fresh_credentials() -> dict[str, str]:
    """Two tenants in the documented form; `sk_X` and `test_sk_X` must be different tenants."""
    key = fresh_key()
    return {"key": key, "second_key": f"test_{key}"}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


class QonversionSession:
    def __init__(self, setup: SessionSetup) -> None:
        self.target = setup.target
        self.control = setup.control
        self.key = setup.credentials["key"]
        self.second_key = setup.credentials.get("second_key")
        self.catalogue: list[dict[str, str]] = []
        self.knobs: dict[str, Any] = dict(KNOB_DEFAULTS)
        self.ledger: Ledger[str] = Ledger("qonversion report", MISSING_PREFIX)  # owner: the creating key

    # ------------------------------------------------------------ requests

    def send(
        self,
        method: str,
        path: str,
        *,
        key: str | None = None,
        headers: Mapping[str, str] | None = None,
        json: Any = NO_BODY,
        content: bytes | None = None,
        params: Mapping[str, Any] | None = None,
        retry: bool = True,
        reserve: int = 0,
        from_reserve: bool = False,
    ) -> httpx.Response:
        merged = {**bearer(key or self.key), **(headers or {})}
        return self.target.request(
            method,
            path,
            headers=merged,
            json=json,
            content=content,
            params=params,
            retry=retry,
            reserve=reserve,
            from_reserve=from_reserve,
        )

    def url(self, report_id: str) -> str:
        return f"{REPORTS}/{report_id}"

    def create(
        self,
        body: Any = NO_BODY,
        *,
        key: str | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """POST a report; anything the target creates is owned (and later deleted) whatever the check expected."""
        if isinstance(body, dict) and isinstance(body.get("report_name"), str) and body["report_name"]:
            assert body["report_name"].startswith(PREFIX), "reports the suite creates carry the name prefix"
        response = self.send("POST", REPORTS, key=key, json=body, content=content, headers=headers, reserve=1)
        report_id = created_id(response)
        if report_id is None:
            self.target.budget.release()
        else:
            self.ledger.created(report_id, key or self.key)
        return response

    def make(self, body: dict[str, Any], *, key: str | None = None) -> dict[str, Any]:
        """Create a report the check needs (any 2xx with an id will do); SetupError otherwise."""
        response = self.create(body, key=key)
        report = json_body(response)
        if created_id(response) is None or not isinstance(report, dict):
            raise SetupError(f"creating a valid report answered {response.status_code}: {response.text[:300]}")
        return report

    def get(self, report_id: str, *, key: str | None = None) -> httpx.Response:
        return self.send("GET", self.url(report_id), key=key)

    def put(self, report_id: str, body: Any = NO_BODY, *, key: str | None = None, **kwargs: Any) -> httpx.Response:
        self.ledger.guard(report_id)
        return self.send("PUT", self.url(report_id), key=key, json=body, **kwargs)

    def send_test(self, report_id: str, *, key: str | None = None, retry: bool = True) -> httpx.Response:
        self.ledger.guard(report_id)
        return self.send("POST", f"{self.url(report_id)}/send-test", key=key, retry=retry)

    def delete(self, report_id: str, *, key: str | None = None) -> httpx.Response:
        """DELETE; a report stops being owned once its owner's DELETE answers 2xx or 404."""
        self.ledger.guard(report_id)
        key = key or self.key
        owner_call = self.ledger.is_owner(report_id, key)
        response = self.send("DELETE", self.url(report_id), key=key, from_reserve=owner_call)
        if owner_call and (response.is_success or response.status_code == 404):
            self.ledger.gone(report_id)
        return response

    def list_page(self, *, key: str | None = None, **params: Any) -> httpx.Response:
        return self.send("GET", REPORTS, key=key, params=params)

    def walk(self, *, key: str | None = None, limit: int = 100) -> list[str]:
        """Every report id of the tenant, page by page (SetupError when a page is not a list)."""
        ids: list[str] = []
        for _ in range(MAX_PAGES):
            page = json_body(self.list_page(key=key, limit=limit, offset=len(ids)))
            if not isinstance(page, dict) or not isinstance(page.get("data"), list):
                raise SetupError(f"listing reports did not answer a list: {page!r}"[:300])
            ids += [str(item.get("id")) for item in page["data"] if isinstance(item, dict)]
            if not page.get("has_more") or not page["data"]:
                return ids
        raise SetupError(f"more than {MAX_PAGES} pages of reports")

    # ------------------------------------------------------------ ownership and cleanup

    def discard(self, report_id: str) -> None:
        """Delete a report the suite created, now (a failed delete is retried at cleanup)."""
        if self.ledger.owns(report_id):
            self.delete(report_id, key=self.ledger.owners[report_id])

    def end_check(self) -> None:
        self.ledger.end_check(self.discard)

    def cleanup(self) -> list[str]:
        return self.ledger.cleanup(self.discard)

    def fresh_key(self, prefix: str = "sk_") -> str:
        return self.target.masker.masked(fresh_key(prefix))


def created_id(response: httpx.Response) -> str | None:
    body = json_body(response)
    report_id = body.get("id") if response.is_success and isinstance(body, dict) else None
    return report_id if isinstance(report_id, str) and report_id else None


def open_session(setup: SessionSetup) -> QonversionSession:
    """Read the destination catalogue (and, from the mock, the knobs) the checks depend on."""
    session = QonversionSession(setup)
    response = session.send("GET", DESTINATIONS)
    if response.status_code in (401, 403):
        raise UsageError(f"qonversion: the key was refused ({response.status_code}): {response.text[:200]}")
    listing = json_body(response)
    if response.status_code != 200 or not isinstance(listing, dict) or not isinstance(listing.get("data"), list):
        raise SetupError(f"GET {DESTINATIONS} answered {response.status_code}: {response.text[:200]}")
    session.catalogue = [
        {"type": item["type"], "id": item["id"], "label": str(item.get("label", ""))}
        for item in listing["data"]
        if isinstance(item, dict) and isinstance(item.get("type"), str) and isinstance(item.get("id"), str)
    ]
    if setup.control is not None:
        knobs = setup.control.config().get("qonversion", {})
        session.knobs.update({name: knobs[name] for name in KNOB_DEFAULTS if name in knobs})
    return session
