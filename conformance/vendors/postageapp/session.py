"""The PostageApp session of one run: project keys, the knobs read from the mock, and every
scheduled event the suite created, so that it is deleted (`delete_scheduled_event`) after its
check and again at the end, also after a failure or Ctrl-C.

Safety lives here: update and delete go only to events this session created (or may have
created), to uids that exist nowhere (`conformance-missing-...`) or to uids no event can have
(not a string of 1 to 255 characters); a create keeps one request of the budget in reserve for
each event it may leave behind. Sent messages cannot be taken back: `send_message` goes out only
against the mock or to the address the user opted in with (`--postageapp-send-to`).
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Mapping
from typing import Any

import httpx

from conformance.context import json_body
from conformance.failures import SetupError, UsageError
from conformance.target import NO_BODY
from conformance.vendors import SessionSetup

PREFIX = "conformance-"  # every event uid the suite chooses starts so
MISSING_PREFIX = "conformance-missing-"  # uids that exist nowhere
KNOB_DEFAULTS: dict[str, Any] = {"keys": None, "batch_max_events": 100, "list_max_per_page": 250}
MAX_PAGES = 200
Owned = tuple[str, str]  # (project key, event uid)


def path_of(method: str) -> str:
    return f"/v.1.0/{method}.json"


def fresh_key() -> str:
    return f"conformance_project_{secrets.token_hex(6)}"


def fresh_credentials() -> dict[str, str]:
    """Two projects (any non-empty key is a project on the mock) and an address the mock may "mail"."""
    return {"key": fresh_key(), "second_key": fresh_key(), "send_to": "conformance@example.com"}


def is_uid(value: Any) -> bool:
    """A string of 1 to 255 characters: something an event could be called."""
    return isinstance(value, str) and 1 <= len(value) <= 255


def body_status(response: httpx.Response) -> Any:
    body = json_body(response)
    inner = body.get("response") if isinstance(body, dict) else None
    return inner.get("status") if isinstance(inner, dict) else None


def succeeded(response: httpx.Response) -> bool:
    """2xx with `response.status: ok` (a real endpoint may answer every error with HTTP 200)."""
    return response.is_success and body_status(response) == "ok"


def gone(response: httpx.Response) -> bool:
    return succeeded(response) or response.status_code == 404 or body_status(response) == "not_found"


def sent_uids(fields: Any) -> list[str]:
    """The uids a create carried, at the top level and in `arguments` (only the suite's own)."""
    if not isinstance(fields, dict):
        return []
    found = [fields.get("uid")]
    if isinstance(fields.get("arguments"), dict):
        found.append(fields["arguments"].get("uid"))
    return [uid for uid in found if isinstance(uid, str) and is_uid(uid) and uid.startswith(PREFIX)]


def answered_uids(response: httpx.Response) -> list[str]:
    """The uids a successful create (one event or a batch) says it created."""
    body = json_body(response)
    if not succeeded(response) or not isinstance(body, dict):
        return []
    data, inner = body.get("data"), body.get("response")
    found: list[Any] = [data.get("uid")] if isinstance(data, dict) else []
    if isinstance(inner, dict):
        found.append(inner.get("uid"))
        if isinstance(inner.get("message"), list):
            found += [item.get("uid") for item in inner["message"] if isinstance(item, dict)]
    return [uid for uid in found if isinstance(uid, str) and uid]


class PostageSession:
    def __init__(self, setup: SessionSetup) -> None:
        self.target = setup.target
        self.control = setup.control
        self.key = setup.credentials["key"]
        self.second_key = setup.credentials.get("second_key")
        self.send_to = setup.credentials.get("send_to")
        self.knobs: dict[str, Any] = dict(KNOB_DEFAULTS)
        self.run = secrets.token_hex(3)
        self._counter = itertools.count(1)
        self._owned: dict[Owned, None] = {}  # in creation order
        self._this_check: list[Owned] = []
        self.deleted: set[str] = set()

    # ------------------------------------------------------------ requests

    def post(
        self,
        method: str,
        body: Any = NO_BODY,
        *,
        path: str | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        retry: bool = True,
        reserve: int = 0,
        from_reserve: bool = False,
    ) -> httpx.Response:
        """POST exactly this body (or these bytes) to a method."""
        return self.target.request(
            "POST",
            path or path_of(method),
            json=body,
            content=content,
            headers=headers,
            retry=retry,
            reserve=reserve,
            from_reserve=from_reserve,
        )

    def call(self, method: str, fields: Mapping[str, Any], *, key: str | None = None, **options: Any) -> httpx.Response:
        """POST the method's fields at the top level, with the project key."""
        return self.post(method, {"api_key": key or self.key, **fields}, **options)

    def new_uid(self, label: str = "event") -> str:
        return f"{PREFIX}{self.run}-{next(self._counter)}-{label}"[:255]

    def create(self, fields: Any, *, key: str | None = None, method: str = "create_scheduled_event") -> httpx.Response:
        """Create (one event or a batch); whatever the target says it created, or may have, is owned."""
        key = key or self.key
        candidates = sent_uids(fields)
        if isinstance(fields, dict) and isinstance(fields.get("events"), list):
            candidates = [uid for item in fields["events"] for uid in sent_uids(item)]
        body = {"api_key": key, **fields} if isinstance(fields, dict) else fields
        response = self.post(method, body, reserve=max(1, len(candidates)))
        created = list(dict.fromkeys(answered_uids(response) + (candidates if succeeded(response) else [])))
        self.target.budget.release(max(0, max(1, len(candidates)) - len(created)))
        for uid in created:
            self.own(uid, key)
        return response

    def make(self, fields: dict[str, Any], *, key: str | None = None) -> dict[str, Any]:
        """Create an event the check needs (any success will do); SetupError otherwise."""
        response = self.create(fields, key=key)
        body = json_body(response)
        data = body.get("data") if isinstance(body, dict) else None
        if not succeeded(response) or not isinstance(data, dict) or not is_uid(data.get("uid")):
            raise SetupError(f"creating a valid event answered {response.status_code}: {response.text[:300]}")
        return data

    def get(self, uid: Any, *, key: str | None = None) -> httpx.Response:
        return self.call("get_scheduled_event", {"uid": uid}, key=key)

    def update(self, fields: Mapping[str, Any], *, key: str | None = None) -> httpx.Response:
        self._guard(fields.get("uid"))
        return self.call("update_scheduled_event", fields, key=key)

    def delete(self, uid: Any, *, key: str | None = None) -> httpx.Response:
        """Delete; an event stops being owned once its project's delete says it is gone."""
        self._guard(uid)
        key = key or self.key
        owned = isinstance(uid, str) and (key, uid) in self._owned
        response = self.call("delete_scheduled_event", {"uid": uid}, key=key, from_reserve=owned)
        if owned and gone(response):
            del self._owned[(key, uid)]
            self.deleted.add(uid)
        return response

    def send_message(self, body: Mapping[str, Any], *, key: str | None = None) -> httpx.Response:
        """A direct send_message: only against the mock or with the address the user opted in with."""
        if not self.target.is_mock and not self.send_to:
            raise SetupError("refusing to send mail: no --postageapp-send-to was given")
        return self.call("send_message", body, key=key)

    def list_page(self, *, key: str | None = None, **fields: Any) -> httpx.Response:
        return self.call("list_scheduled_events", fields, key=key)

    def events(self, *, key: str | None = None, per_page: int | None = None) -> list[dict[str, Any]]:
        """Every event of the project, page by page (SetupError when a page is not a list)."""
        found: list[dict[str, Any]] = []
        for page in range(1, MAX_PAGES + 1):
            fields = {"page": page} if per_page is None else {"page": page, "per_page": per_page}
            events = listed_events(self.list_page(key=key, **fields))
            if events is None:
                raise SetupError("listing events did not answer data.scheduled_events")
            found += events
            if not events:
                return found
        raise SetupError(f"more than {MAX_PAGES} pages of events")

    def walk(self, *, key: str | None = None, per_page: int | None = None) -> list[str]:
        """Every event uid of the project."""
        return [str(event.get("uid")) for event in self.events(key=key, per_page=per_page)]

    # ------------------------------------------------------------ ownership and cleanup

    def own(self, uid: str, key: str | None = None) -> None:
        """Count an event as created by this run (also one it may have created: a 404 delete is fine)."""
        owned = (key or self.key, uid)
        if owned not in self._owned:
            self._owned[owned] = None
            self._this_check.append(owned)

    def claim(self, uid: str, key: str | None = None) -> None:
        """An event a broken endpoint may have created: owned, with one request kept for its delete."""
        budget = self.target.budget
        if budget.limit is None or budget.used + budget.reserved < budget.limit:
            budget.reserved += 1
        self.own(uid, key)

    def owns(self, uid: str, key: str | None = None) -> bool:
        return (key or self.key, uid) in self._owned

    def _guard(self, uid: Any) -> None:
        ours = isinstance(uid, str) and (
            any(uid == owned for _, owned in self._owned) or uid in self.deleted or uid.startswith(MISSING_PREFIX)
        )
        if not ours and is_uid(uid):
            raise SetupError(f"refusing to change event {uid!r}: this run did not create it")

    def discard(self, uid: str, key: str | None = None) -> None:
        """Delete an event the suite created, now (a failed delete is retried at cleanup)."""
        if self.owns(uid, key):
            self.delete(uid, key=key)

    def discard_created(self, response: httpx.Response, fields: Any, key: str | None = None) -> None:
        """Delete at once whatever a create answered, or carried, that this run owns."""
        for uid in dict.fromkeys(answered_uids(response) + sent_uids(fields)):
            self.discard(uid, key)

    def end_check(self) -> None:
        created, self._this_check = self._this_check, []
        for key, uid in created:
            self.discard(uid, key)

    def cleanup(self) -> list[str]:
        for key, uid in list(self._owned):
            self.discard(uid, key)
        return [f"postageapp event {uid}" for _, uid in self._owned]

    def fresh_key(self) -> str:
        return self.target.masker.masked(fresh_key())


def listed_events(response: httpx.Response) -> list[dict[str, Any]] | None:
    """`data.scheduled_events` of a successful list, or None."""
    body = json_body(response)
    data = body.get("data") if succeeded(response) and isinstance(body, dict) else None
    events = data.get("scheduled_events") if isinstance(data, dict) else None
    if not isinstance(events, list):
        return None
    return [event for event in events if isinstance(event, dict)]


def open_session(setup: SessionSetup) -> PostageSession:
    """Read the knobs (from the mock) and make sure the key is a project (unless the run is read-only:
    every PostageApp method is a POST, so a read-only run sends nothing to it)."""
    session = PostageSession(setup)
    if setup.control is not None:
        knobs = setup.control.config().get("postageapp", {})
        session.knobs.update({name: knobs[name] for name in KNOB_DEFAULTS if name in knobs})
    if setup.settings.read_only:
        return session
    response = session.list_page(page=1, per_page=1)
    if response.status_code == 401 or body_status(response) == "unauthorized":
        raise UsageError(f"postageapp: the api_key was refused ({response.status_code}): {response.text[:200]}")
    if listed_events(response) is None:
        raise SetupError(f"list_scheduled_events answered {response.status_code}: {response.text[:200]}")
    return session
