"""The Talkdesk session of one run: the OAuth clients, their tokens (fetched again when one expires),
the knobs and clock read from the mock, and every job the suite created.

Safety lives here. Jobs cannot be deleted through the API: what the suite can do is cancel a job
that is still running (TD-CANCEL) or delete a done job's file (TD-FILE-DELETE); the job record
stays, with its `conformance-` name. Each job is so disposed of right after the check that made it
(and again at the end of the run), each create keeps two requests in reserve for that, and DELETEs
go only to jobs this session created or to ids that exist nowhere (`conformance-missing-...`).
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from conformance.context import json_body
from conformance.failures import SetupError, UsageError
from conformance.target import NO_BODY, BudgetExhausted
from conformance.vendors import SessionSetup
from conformance.vendors.talkdesk.spans import MISSING_PREFIX, PREFIX, Window, mock_window, real_window

TOKEN_PATH = "/oauth/token"
FORM = "application/x-www-form-urlencoded"
READ, WRITE = "data-reports:read", "data-reports:write"
DEFAULT_TYPE = "calls"
KNOB_DEFAULTS: dict[str, Any] = {
    "clients": None,
    "token_ttl_seconds": 600,
    "report_types": ["calls", "contacts", "user_status", "studio_flow_execution", "ring_attempts"],
    "progression": "time",
    "step_seconds": {"created": 5, "processing": 20, "uploading": 5},
    "quota_simultaneous": 15,
    "max_span_days": 31,
    "file_retention_seconds": 2592000,
    "signed_url_ttl_seconds": 300,
    "row_interval_seconds": 3600,
    "row_limit": 1000000,
    "fail_name_marker": "__fail__",
}
RESERVE = 2  # a cancel, then perhaps a file delete
MAX_PAGES = 200
SESSION_TOKEN: Any = object()  # `auth` default: the client's own token, fetched again on a 401


@dataclass(frozen=True)
class Client:
    id: str
    secret: str

    def basic(self) -> str:
        return "Basic " + base64.b64encode(f"{self.id}:{self.secret}".encode()).decode()


@dataclass(frozen=True)
class JobRef:
    """A job this session created: its type, id, and the client (account) that owns it."""

    type: str
    id: str
    client: Client


def jobs_path(report_type: str) -> str:
    return f"/data/reports/{report_type}/jobs"


def job_path(report_type: str, job_id: str) -> str:
    return f"{jobs_path(report_type)}/{job_id}"


def file_path(report_type: str, job_id: str) -> str:
    return f"/data/reports/{report_type}/files/{job_id}"


def fresh_client() -> Client:
    return Client(f"{PREFIX}{secrets.token_hex(6)}", secrets.token_hex(12))


def fresh_credentials() -> dict[str, str]:
    """Two accounts in the documented form (any non-empty id and secret)."""
    first, second = fresh_client(), fresh_client()
    return {
        "client_id": first.id,
        "client_secret": first.secret,
        "second_client_id": second.id,
        "second_client_secret": second.secret,
    }


def issued(response: httpx.Response, what: str) -> str:
    """The access token of a 200 token answer; SetupError otherwise."""
    body = json_body(response)
    token = body.get("access_token") if response.status_code == 200 and isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise SetupError(f"{what} answered {response.status_code}: {response.text[:200]}")
    return token


def job_of(body: Any) -> dict[str, Any] | None:
    """The job object of a 202 or status body: under `job`, else the body itself (CONTRACTS 2.13)."""
    if not isinstance(body, dict):
        return None
    inner = body.get("job")
    return inner if isinstance(inner, dict) else body


def created_id(response: httpx.Response) -> str | None:
    job = job_of(json_body(response)) if response.is_success else None
    job_id = job.get("id") if job is not None else None
    return job_id if isinstance(job_id, str) and job_id else None


class TalkdeskSession:
    def __init__(self, setup: SessionSetup) -> None:
        self.target = setup.target
        self.control = setup.control
        credentials = setup.credentials
        self.client = Client(credentials["client_id"], credentials["client_secret"])
        second = (credentials.get("second_client_id"), credentials.get("second_client_secret"))
        self.second = Client(second[0], second[1]) if second[0] and second[1] else None
        self.knobs: dict[str, Any] = dict(KNOB_DEFAULTS)
        self.window: Window = real_window(datetime.now(UTC))
        self._tokens: dict[tuple[str, str], str] = {}
        self._owned: dict[str, JobRef] = {}
        self._this_check: list[str] = []
        self.stuck: dict[str, str] = {}  # job id -> why it could be neither canceled nor emptied
        self.settled: set[str] = set()
        self.lists = True  # a real endpoint may have no list route (CONTRACTS 2.13)

    # ------------------------------------------------------------ tokens

    def request_token(
        self,
        client: Client | None = None,
        *,
        scope: str = "",
        authorization: str | None = None,
        form: Mapping[str, str] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        method: str = "POST",
    ) -> httpx.Response:
        """One call of the token endpoint (by default the client's valid form request)."""
        if authorization is None:
            authorization = (client or self.client).basic()
        sent = {"Authorization": authorization} if authorization else {}
        if content is None:
            fields = dict(form) if form is not None else {"grant_type": "client_credentials"}
            if scope and form is None:
                fields["scope"] = scope
            content = str(httpx.QueryParams(fields)).encode() if fields else b""
            sent["Content-Type"] = FORM
        sent.update(headers or {})
        response = self.target.request(method, TOKEN_PATH, headers=sent, content=content, params=params, safe=True)
        token = json_body(response).get("access_token") if isinstance(json_body(response), dict) else None
        if isinstance(token, str):
            self.target.masker.add(token)
        return response

    def token(self, client: Client | None = None, scope: str = "") -> str:
        client = client or self.client
        key = (client.id, scope)
        if key not in self._tokens:
            response = self.request_token(client, scope=scope)
            self._tokens[key] = issued(response, f"a token for scope {scope or '(default)'!r}")
        return self._tokens[key]

    def keep_token(self, token: str, client: Client | None = None, scope: str = "") -> None:
        self._tokens[((client or self.client).id, scope)] = token

    # ------------------------------------------------------------ requests

    def send(
        self,
        method: str,
        path: str,
        *,
        client: Client | None = None,
        scope: str = "",
        auth: Any = SESSION_TOKEN,
        headers: Mapping[str, str] | None = None,
        json: Any = NO_BODY,
        content: bytes | None = None,
        params: Mapping[str, Any] | None = None,
        retry: bool = True,
        reserve: int = 0,
        from_reserve: bool = False,
    ) -> httpx.Response:
        """`auth`: by default the client's token (a 401 fetches a new one once: the mock's clock may have
        passed its expiry); else the exact Authorization value to send, or "" for none."""
        options: dict[str, Any] = {"json": json, "content": content, "params": params, "retry": retry}
        if auth is not SESSION_TOKEN:
            sent = {**({"Authorization": auth} if auth else {}), **(headers or {})}
            return self.target.request(
                method, path, headers=sent, reserve=reserve, from_reserve=from_reserve, **options
            )
        token = self.token(client, scope)
        sent = {"Authorization": f"Bearer {token}", **(headers or {})}
        response = self.target.request(
            method, path, headers=sent, reserve=reserve, from_reserve=from_reserve, **options
        )
        if response.status_code != 401:
            return response
        self.target.budget.release(reserve)
        self._tokens.pop(((client or self.client).id, scope), None)
        sent["Authorization"] = f"Bearer {self.token(client, scope)}"
        return self.target.request(method, path, headers=sent, reserve=reserve, **options)

    def create(
        self,
        body: Any = NO_BODY,
        *,
        report_type: str = DEFAULT_TYPE,
        client: Client | None = None,
        scope: str = "",
        auth: Any = SESSION_TOKEN,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        retry: bool = True,
    ) -> httpx.Response:
        """POST a job; whatever the target creates is owned (and later disposed of), whatever the check expected.
        `retry=False`: a 429 is the answer the check wants to see, not one to wait out."""
        name = body.get("name") if isinstance(body, dict) else None
        if isinstance(name, str) and name:
            assert name.startswith(PREFIX), "jobs the suite creates carry the name prefix"
        elif isinstance(body, dict) and "name" not in body:
            assert self.target.is_mock, "only the mock gets jobs without a name"
        response = self.send(
            "POST",
            jobs_path(report_type),
            client=client,
            scope=scope,
            auth=auth,
            json=body,
            content=content,
            headers=headers,
            reserve=RESERVE,
            retry=retry,
        )
        job_id = created_id(response)
        if job_id is None:
            self.target.budget.release(RESERVE)
        else:
            self._owned[job_id] = JobRef(report_type, job_id, client or self.client)
            self._this_check.append(job_id)
        return response

    def make(self, body: dict[str, Any], **options: Any) -> JobRef:
        """Create a job the check needs (any 2xx with an id will do); SetupError otherwise."""
        response = self.create(body, **options)
        job_id = created_id(response)
        if job_id is None:
            raise SetupError(f"creating a valid job answered {response.status_code}: {response.text[:300]}")
        return self._owned[job_id]

    def get(self, job: JobRef, *, path: str | None = None, **options: Any) -> httpx.Response:
        """GET the job's status (or `path`), as its owner unless `client` says otherwise."""
        options.setdefault("client", job.client)
        return self.send("GET", path or job_path(job.type, job.id), **options)

    def get_file(self, job: JobRef, **options: Any) -> httpx.Response:
        return self.get(job, path=file_path(job.type, job.id), **options)

    def cancel(self, job: JobRef, **options: Any) -> httpx.Response:
        """DELETE the job (cancel); a 2xx from its owner means it holds nothing any more."""
        return self._delete(job, job_path(job.type, job.id), **options)

    def delete_file(self, job: JobRef, **options: Any) -> httpx.Response:
        return self._delete(job, file_path(job.type, job.id), **options)

    def _delete(self, job: JobRef, path: str, **options: Any) -> httpx.Response:
        self._guard(job.id)
        options.setdefault("client", job.client)
        response = self.send("DELETE", path, **options)
        owner = options["client"] == job.client and options.get("auth", SESSION_TOKEN) is SESSION_TOKEN
        if owner and response.is_success and job.id in self._owned:
            self._settle(job.id, release=not options.get("from_reserve"))
        return response

    def list_page(self, report_type: str = DEFAULT_TYPE, **options: Any) -> httpx.Response:
        params: dict[str, Any] = {name: options.pop(name) for name in ("page", "per_page") if name in options}
        return self.send("GET", jobs_path(report_type), params=params, **options)

    def walk(self, report_type: str = DEFAULT_TYPE, *, client: Client | None = None) -> list[str]:
        """Every job id of the account and type, page by page (SetupError when a page is not a list)."""
        ids: list[str] = []
        for page in range(1, MAX_PAGES + 1):
            body = json_body(self.list_page(report_type, client=client, page=page, per_page=100))
            jobs = body.get("_embedded", {}).get("jobs") if isinstance(body, dict) else None
            if not isinstance(jobs, list):
                raise SetupError(f"listing {report_type} jobs did not answer a page: {body!r}"[:300])
            ids += [str(item.get("id")) for item in jobs if isinstance(item, dict)]
            if not jobs or page >= int(body.get("total_pages") or 0):
                return ids
        raise SetupError(f"more than {MAX_PAGES} pages of jobs")

    # ------------------------------------------------------------ ownership and clean-up

    def missing(self, suffix: str = "job", report_type: str = DEFAULT_TYPE) -> JobRef:
        """A job reference that exists nowhere."""
        return JobRef(report_type, f"{MISSING_PREFIX}{suffix}", self.client)

    def _guard(self, job_id: str) -> None:
        ours = job_id in self._owned or job_id in self.settled or job_id.startswith(MISSING_PREFIX)
        if not ours:
            raise SetupError(f"refusing to touch job {job_id!r}: this run did not create it")

    def _settle(self, job_id: str, *, release: bool) -> None:
        del self._owned[job_id]
        self.settled.add(job_id)
        if release:
            self.target.budget.release(RESERVE)

    def dispose(self, job_id: str) -> None:
        """Cancel the job, else delete its file; a failed, canceled or deleted job holds nothing."""
        job = self._owned.get(job_id)
        if job is None or job_id in self.stuck:
            return
        canceled = self.cancel(job, from_reserve=True)
        if job_id not in self._owned:
            self.target.budget.release(1)
            return
        emptied = self.delete_file(job, from_reserve=True)
        if job_id not in self._owned:
            return
        if canceled.status_code == 403 and emptied.status_code in (403, 404):
            self._settle(job_id, release=False)  # failed, canceled or already deleted
        elif {canceled.status_code, emptied.status_code} <= {404, 405}:
            self.stuck[job_id] = f"cancel answered {canceled.status_code}, file delete {emptied.status_code}"

    def end_check(self) -> None:
        created, self._this_check = self._this_check, []
        for job_id in created:
            self.dispose(job_id)

    def cleanup(self) -> list[str]:
        """Dispose of every job still owned; when the budget runs out, the rest is listed as not deleted."""
        try:
            for job_id in list(self._owned):
                self.dispose(job_id)
        except BudgetExhausted:
            pass
        return [
            f"talkdesk {job.type} job {job.id}" + (f" ({self.stuck[job.id]})" if job.id in self.stuck else "")
            for job in self._owned.values()
        ]

    # ------------------------------------------------------------ set-up

    def read_target(self) -> None:
        """The knobs and the clock of the mock, else a window that ends an hour before the local clock."""
        if self.control is None:
            return
        knobs = self.control.config().get("talkdesk", {})
        self.knobs.update({name: knobs[name] for name in KNOB_DEFAULTS if name in knobs})
        self.window = mock_window(self.control.now(), self.knobs)


def open_session(setup: SessionSetup) -> TalkdeskSession:
    """Fetch the first client's token (a refusal is a usage error) and read the mock's knobs and clock."""
    session = TalkdeskSession(setup)
    response = session.request_token()
    if response.status_code in (400, 401):
        refused = f"({response.status_code}): {response.text[:200]}"
        raise UsageError(f"talkdesk: the client credentials were refused {refused}")
    session.keep_token(issued(response, "the client's token request"))
    session.read_target()
    if setup.control is None:
        session.lists = session.list_page().status_code not in (404, 405)
    return session
