"""The SendKit session of one run: the keys, the campaign catalogue and knobs read from the target,
every recipient the suite created (deleted after its check, and again at the end, also after a
failure or Ctrl-C), and the reports it generated.

Reports cannot be deleted (CONTRACTS lists no such route; the mock answers 405), and they carry no
name of their own, so against a non-mock target a run generates at most `REPORT_ALLOWANCE` of them:
accepted-body examples beyond that are not sent. Recipients are named `conformance-...` and their
emails are `conformance-...@example.com`. PATCH and DELETE go only to recipients this session
created, or to ids that exist nowhere (`00000000...`: a zero creation time, which no real id has).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from conformance.context import json_body
from conformance.failures import SetupError, UsageError
from conformance.ledger import Ledger
from conformance.target import NO_BODY
from conformance.vendors import SessionSetup

REPORTS = "/v1/reports"
RECIPIENTS = "/v1/reports/recipients"
PREFIX = "conformance-"
MISSING_PREFIX = "00000000"
EMAIL_DOMAIN = "example.com"
REPORT_ALLOWANCE = 16  # reports a run may generate on a non-mock target (they cannot be deleted)
CAMPAIGNS_ENV = "SENDKIT_CAMPAIGN_IDS"
KNOB_DEFAULTS: dict[str, Any] = {
    "workspaces": None,
    "strict_campaigns": False,
    "progression": "time",
    "step_seconds": {"queued": 5, "generating": 20},
    "rate_limit_per_minute": None,
}
MAX_PAGES = 200


@dataclass(frozen=True)
class Who:
    """Who sends a request: a key, and for a platform key the workspace it addresses."""

    key: str
    workspace: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {"X-Api-Key": self.key}
        if self.workspace is not None:
            headers["X-Workspace-Id"] = self.workspace
        return headers


def fresh_key(prefix: str = "sk_") -> str:
    return f"{prefix}conformance_{secrets.token_hex(6)}"


def fresh_credentials() -> dict[str, str]:
    """Two workspace keys, a platform key and a workspace id for it, all in the documented forms."""
    return {
        "key": fresh_key(),
        "second_key": fresh_key(),
        "platform_key": fresh_key("sk_user_"),
        "workspace_id": secrets.token_hex(12),
    }


def missing_id() -> str:
    return MISSING_PREFIX + secrets.token_hex(8)


class SendKitSession:
    def __init__(self, setup: SessionSetup) -> None:
        self.target = setup.target
        self.control = setup.control
        self.me = Who(setup.credentials["key"])
        second = setup.credentials.get("second_key")
        self.other = Who(second) if second else None
        platform, workspace = setup.credentials.get("platform_key"), setup.credentials.get("workspace_id")
        self.platform = Who(platform, workspace) if platform else None
        self.campaigns: dict[str, str | None] = {}  # catalogue id -> name (None: unknown on a real endpoint)
        self.knobs: dict[str, Any] = dict(KNOB_DEFAULTS)
        self.seed = 0
        self.tag = secrets.token_hex(3)
        self._emails = 0
        self.ledger: Ledger[Who] = Ledger("sendkit recipient", MISSING_PREFIX)
        self.reports: list[str] = []  # ids of the reports this run generated (never deletable)
        self.lenient: set[str] = set()  # rules a non-mock target already showed it does not enforce

    # ------------------------------------------------------------ requests

    def send(
        self,
        method: str,
        path: str,
        *,
        who: Who | None = None,
        headers: Mapping[str, str] | None = None,
        json: Any = NO_BODY,
        content: bytes | None = None,
        params: Mapping[str, Any] | None = None,
        retry: bool = True,
        reserve: int = 0,
        from_reserve: bool = False,
    ) -> httpx.Response:
        merged = {**(who or self.me).headers(), **(headers or {})}
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

    # ------------------------------------------------------------ reports

    @property
    def unlimited(self) -> bool:
        return self.target.is_mock

    def may_generate(self, count: int = 1) -> bool:
        """May this run generate `count` more reports (always on the mock)?"""
        return self.unlimited or len(self.reports) + count <= REPORT_ALLOWANCE

    def generate(
        self, body: Any = NO_BODY, *, who: Who | None = None, content: bytes | None = None, **kwargs: Any
    ) -> httpx.Response:
        response = self.send("POST", REPORTS, who=who, json=body, content=content, **kwargs)
        self.reports += generated_ids(response)
        return response

    def make_reports(self, body: dict[str, Any], *, who: Who | None = None) -> list[dict[str, Any]]:
        """Generate reports a check needs (any 2xx with summaries will do); SetupError otherwise."""
        response = self.generate(body, who=who)
        summaries = generated(response)
        if not summaries:
            raise SetupError(f"generating a valid report answered {response.status_code}: {response.text[:300]}")
        return summaries

    def get_report(self, report_id: str, *, who: Who | None = None) -> httpx.Response:
        return self.send("GET", f"{REPORTS}/{report_id}", who=who)

    # ------------------------------------------------------------ recipients

    def email(self, local: str = "") -> str:
        """A unique address of the run: `conformance-<run>-<n>[-local]@example.com`."""
        self._emails += 1
        suffix = f"-{local}" if local else ""
        return f"{PREFIX}{self.tag}-{self._emails}{suffix}@{EMAIL_DOMAIN}"

    def unique(self, email: str) -> str:
        """A drawn address made the run's own: `conformance-<run>-<n>-<drawn>`."""
        self._emails += 1
        return f"{PREFIX}{self.tag}-{self._emails}-{email}"

    def create_recipient(
        self, body: Any = NO_BODY, *, who: Who | None = None, content: bytes | None = None, **kwargs: Any
    ) -> httpx.Response:
        """POST a recipient; whatever the target creates is owned (and later deleted)."""
        if isinstance(body, dict) and isinstance(body.get("name"), str) and body["name"].strip():
            assert body["name"].startswith(PREFIX), "recipients the suite creates carry the name prefix"
        response = self.send("POST", RECIPIENTS, who=who, json=body, content=content, reserve=1, **kwargs)
        recipient_id = recipient_id_of(response)
        if recipient_id is None:
            self.target.budget.release()
        else:
            self.ledger.created(recipient_id, who or self.me)
        return response

    def make_recipient(self, body: dict[str, Any] | None = None, *, who: Who | None = None) -> dict[str, Any]:
        """Create a recipient a check needs (any 2xx will do); SetupError otherwise."""
        body = body if body is not None else {"name": f"{PREFIX}recipient", "email": self.email()}
        response = self.create_recipient(body, who=who)
        recipient = data_of(response)
        if recipient_id_of(response) is None or not isinstance(recipient, dict):
            raise SetupError(f"creating a valid recipient answered {response.status_code}: {response.text[:300]}")
        return recipient

    def recipient_path(self, recipient_id: str) -> str:
        return f"{RECIPIENTS}/{recipient_id}"

    def get_recipient(self, recipient_id: str, *, who: Who | None = None) -> httpx.Response:
        return self.send("GET", self.recipient_path(recipient_id), who=who)

    def patch_recipient(
        self, recipient_id: str, body: Any = NO_BODY, *, who: Who | None = None, **kwargs: Any
    ) -> httpx.Response:
        self.ledger.guard(recipient_id)
        return self.send("PATCH", self.recipient_path(recipient_id), who=who, json=body, **kwargs)

    def delete_recipient(self, recipient_id: str, *, who: Who | None = None) -> httpx.Response:
        """DELETE; a recipient stops being owned once its owner's DELETE answers 2xx or 404."""
        self.ledger.guard(recipient_id)
        who = who or self.me
        owner_call = self.ledger.is_owner(recipient_id, who)
        response = self.send("DELETE", self.recipient_path(recipient_id), who=who, from_reserve=owner_call)
        if owner_call and (response.is_success or response.status_code == 404):
            self.ledger.gone(recipient_id)
        return response

    # ------------------------------------------------------------ lists

    def list_page(self, path: str, *, who: Who | None = None, **params: Any) -> httpx.Response:
        return self.query(path, params, who=who)

    def query(
        self, path: str, params: Mapping[str, Any], *, who: Who | None = None, headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        """GET a list with these query parameters."""
        return self.send("GET", path, who=who, headers=headers, params=params)

    def walk(
        self,
        path: str,
        *,
        who: Who | None = None,
        headers: Mapping[str, str] | None = None,
        limit: int = 100,
        **params: Any,
    ) -> list[str]:
        """Every id of a list, page by page through `nextCursor` (SetupError when a page is no list)."""
        ids: list[str] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
            page = json_body(self.query(path, query, who=who, headers=headers))
            if not isinstance(page, dict) or not isinstance(page.get("data"), list):
                raise SetupError(f"listing {path} did not answer a list: {page!r}"[:300])
            ids += [item_id(item) for item in page["data"]]
            found = page.get("pagination")
            pagination: dict[str, Any] = found if isinstance(found, dict) else {}
            cursor = pagination.get("nextCursor") if pagination.get("hasMore") else None
            if not cursor or not page["data"]:
                return ids
        raise SetupError(f"more than {MAX_PAGES} pages of {path}")

    # ------------------------------------------------------------ ownership and cleanup

    def owns(self, recipient_id: str) -> bool:
        return self.ledger.owns(recipient_id)

    def discard(self, recipient_id: str) -> None:
        """Delete a recipient the suite created, now (a failed delete is retried at cleanup)."""
        if self.ledger.owns(recipient_id):
            self.delete_recipient(recipient_id, who=self.ledger.owners[recipient_id])

    def end_check(self) -> None:
        self.ledger.end_check(self.discard)

    def cleanup(self) -> list[str]:
        return self.ledger.cleanup(self.discard)

    def fresh(self, prefix: str = "sk_") -> str:
        return self.target.masker.masked(fresh_key(prefix))


# ---------------------------------------------------------------- reading answers


def data_of(response: httpx.Response) -> Any:
    body = json_body(response)
    return body.get("data") if isinstance(body, dict) else None


def item_id(item: Any) -> str:
    if not isinstance(item, dict):
        return repr(item)
    return str(item.get("_id", item.get("id")))


def recipient_id_of(response: httpx.Response) -> str | None:
    data = data_of(response) if response.is_success else None
    found = data.get("_id") if isinstance(data, dict) else None
    return found if isinstance(found, str) and found else None


def generated(response: httpx.Response) -> list[dict[str, Any]]:
    """The report summaries of a 2xx generate answer (empty when there are none)."""
    data = data_of(response) if response.is_success else None
    reports = data.get("reports") if isinstance(data, dict) else None
    return [item for item in reports if isinstance(item, dict)] if isinstance(reports, list) else []


def generated_ids(response: httpx.Response) -> list[str]:
    return [str(item["id"]) for item in generated(response) if isinstance(item.get("id"), str)]


# ---------------------------------------------------------------- opening


def open_session(setup: SessionSetup) -> SendKitSession:
    """Check the key, and read the campaign catalogue and knobs (mock) or SENDKIT_CAMPAIGN_IDS."""
    session = SendKitSession(setup)
    response = session.send("GET", RECIPIENTS, params={"limit": 1})
    if response.status_code in (401, 403):
        raise UsageError(f"sendkit: the key was refused ({response.status_code}): {response.text[:200]}")
    if response.status_code != 200:
        raise SetupError(f"GET {RECIPIENTS} answered {response.status_code}: {response.text[:200]}")
    if setup.control is not None:
        config = setup.control.config()
        knobs = config.get("sendkit", {})
        session.seed = int(config.get("seed", 0))
        session.knobs.update({name: knobs[name] for name in KNOB_DEFAULTS if name in knobs})
        session.campaigns = {
            str(item["id"]): str(item.get("name", ""))
            for item in knobs.get("campaigns", [])
            if isinstance(item, dict) and "id" in item
        }
    else:
        given = os.environ.get(CAMPAIGNS_ENV, "")
        session.campaigns = {part.strip(): None for part in given.split(",") if part.strip()}
    return session
