"""Keys, workspaces and tenancy: SK-AUTH-KEY, SK-WORKSPACE-HEADER and SK-TENANT."""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from hypothesis import strategies as st

from conformance.context import CheckContext, json_body
from conformance.properties import run_property
from conformance.vendors.sendkit.expect import expect_fields, expect_refused, fetch, session
from conformance.vendors.sendkit.oracle import workspace_id
from conformance.vendors.sendkit.rules import CHECKS
from conformance.vendors.sendkit.session import PREFIX, RECIPIENTS, REPORTS, Who, generated_ids, missing_id

WORKSPACE_KEY = re.compile(r"sk_(?!user_)[A-Za-z0-9_-]+")
PLATFORM_KEY = re.compile(r"sk_user_[A-Za-z0-9_-]+")
WORKSPACE_ID = re.compile(r"[0-9a-f]{24}")
HEADER_TEXT = st.text(alphabet=string.ascii_letters + string.digits + string.punctuation + " ", min_size=1, max_size=20)


def _paths() -> tuple[str, ...]:
    return (REPORTS, RECIPIENTS, f"{REPORTS}/{missing_id()}", f"{RECIPIENTS}/{missing_id()}")


PATH_INDEX = st.integers(0, 3)


# ---------------------------------------------------------------- SK-AUTH-KEY

BAD_KEYS = ("", "sk_", "sk_user_", "SK_abc", "sk-abc", "pk_live_abc", "sk_abc!", "sk_a b", "user_sk_abc", "Bearer sk_x")
MALFORMED_KEYS = HEADER_TEXT.filter(
    lambda key: key == key.strip() and not WORKSPACE_KEY.fullmatch(key) and not PLATFORM_KEY.fullmatch(key)
)


@CHECKS.check(
    "SK-AUTH-KEY",
    "X-Api-Key (or Bearer) with an sk_ or sk_user_ key; X-Api-Key wins; else 401",
    plan=(
        "GET /v1/reports, /v1/reports/recipients[/{id}]  with good keys, then malformed ones (explicit + up to {n})",
        "PUT /_mock/config  a workspaces list, to see an unlisted key refused (mock only; restored after)",
    ),
)
def auth_key(context: CheckContext) -> None:
    q = session(context)
    key = q.me.key
    good = (
        ({"X-Api-Key": key}, "X-Api-Key"),
        ({"Authorization": f"Bearer {key}"}, "Bearer"),
        ({"X-Api-Key": key, "Authorization": "Bearer sk_"}, "a good X-Api-Key and a bad Bearer"),
    )
    for headers, what in good:
        context.expect_status(context.target.request("GET", RECIPIENTS, headers=headers), 200, f"the key as {what}")
    wins = context.target.request("GET", RECIPIENTS, headers={"X-Api-Key": "sk_", "Authorization": f"Bearer {key}"})
    expect_refused(context, wins, "a bad X-Api-Key with a good Bearer (X-Api-Key wins)", 401)
    styles = ("X-Api-Key", "Bearer")
    explicit = [(value, style, n % 4) for n, value in enumerate((None, *BAD_KEYS)) for style in styles]
    bad = st.one_of(st.sampled_from(BAD_KEYS), MALFORMED_KEYS)
    strategy = st.tuples(bad, st.sampled_from(styles), PATH_INDEX)
    run_property(context, strategy, lambda case: _refused(context, *case), explicit=explicit)
    if context.control is not None:
        _configured_keys(context)


def _refused(context: CheckContext, value: str | None, style: str, index: int) -> None:
    if value is None:
        headers: dict[str, str] = {}
    elif style == "X-Api-Key":
        headers = {"X-Api-Key": value}
    else:
        headers = {"Authorization": f"Bearer {value}".rstrip()}  # a trailing space is no legal header value
    path = _paths()[index]
    response = context.target.request("GET", path, headers=headers)
    expect_refused(context, response, f"GET {path} with {style} {value!r}", 401)


@contextmanager
def configured(context: CheckContext) -> Iterator[tuple[Who, Who, Who]]:
    """Two configured workspaces: (workspace key of the first, its owner, the other workspace's owner)."""
    assert context.control is not None
    q = session(context)
    first, second = secrets.token_hex(12), secrets.token_hex(12)
    key, owner, stranger = q.fresh(), q.fresh("sk_user_"), q.fresh("sk_user_")
    workspaces = [
        {"id": first, "workspace_key": key, "owner_key": owner},
        {"id": second, "workspace_key": q.fresh(), "owner_key": stranger},
    ]
    with context.control.knobs("sendkit", {"workspaces": workspaces}):
        yield Who(key), Who(owner, first), Who(stranger, second)


def _configured_keys(context: CheckContext) -> None:
    q = session(context)
    with configured(context) as (member, owner, _):
        context.expect_status(q.send("GET", RECIPIENTS, who=member), 200, "a configured workspace key")
        context.expect_status(q.send("GET", RECIPIENTS, who=owner), 200, "a configured platform key")
        for who, what in ((Who(q.fresh()), "workspace"), (Who(q.fresh("sk_user_"), owner.workspace), "platform")):
            expect_refused(context, q.send("GET", RECIPIENTS, who=who), f"an unlisted {what} key", 401)


# ---------------------------------------------------------------- SK-WORKSPACE-HEADER

BAD_WORKSPACES = ("", "0123456789ABCDEF01234567", "0123456789abcdef0123456", "0123456789abcdef012345678", "workspace")
MALFORMED_WORKSPACES = HEADER_TEXT.filter(lambda text: text == text.strip() and not WORKSPACE_ID.fullmatch(text))


@CHECKS.check(
    "SK-WORKSPACE-HEADER",
    "a platform key sends X-Workspace-Id (24 hex); a workspace key's is ignored",
    writes=True,
    read_only_part=True,
    plan=(
        "GET /v1/reports[/recipients[/{id}]]  with the platform key, without and with malformed X-Workspace-Id",
        "POST /v1/reports, /v1/reports/recipients  invalid bodies with the platform key and no header (writes)",
        "GET, POST /v1/reports/recipients  with the workspace key and a stray X-Workspace-Id (writes)",
        "PUT /_mock/config  configured workspaces, for 403 (mock only; restored after)",
    ),
)
def workspace_header(context: CheckContext) -> None:
    q = session(context)
    if q.platform is None:
        context.skip("needs platform key (SENDKIT_PLATFORM_KEY, with SENDKIT_WORKSPACE_ID)")
    bare = Who(q.platform.key)
    explicit = [(value, n % 4) for n, value in enumerate([None, None, None, None, *BAD_WORKSPACES])]
    strategy = st.tuples(st.one_of(st.none(), MALFORMED_WORKSPACES), PATH_INDEX)
    run_property(context, strategy, lambda case: _needs_header(context, bare, *case), explicit=explicit)
    if q.platform.workspace is not None:
        for path, status in zip(_paths(), (200, 200, 404, 404), strict=True):
            context.expect_status(q.send("GET", path, who=q.platform), status, f"GET {path} with X-Workspace-Id")
    if context.may_write:
        _writes_need_header(context, bare)
        _workspace_key_ignores_header(context)
    if context.control is not None:
        _not_owned(context)


def _needs_header(context: CheckContext, bare: Who, value: str | None, index: int) -> None:
    headers = {} if value is None else {"X-Workspace-Id": value}
    path = _paths()[index]
    response = session(context).send("GET", path, who=bare, headers=headers)
    expect_refused(
        context,
        response,
        f"GET {path} with a platform key and X-Workspace-Id {value!r}",
        400,
        ("X-Workspace-Id",),
        soft=True,
    )


def _writes_need_header(context: CheckContext, bare: Who) -> None:
    q = session(context)
    response = q.generate({"reportType": "not-a-type"}, who=bare)
    expect_refused(
        context, response, "POST /v1/reports with a platform key, no header", 400, ("X-Workspace-Id",), soft=True
    )
    response = q.create_recipient({"name": "", "email": "not-an-email"}, who=bare)
    expect_refused(
        context, response, "POST recipients with a platform key, no header", 400, ("X-Workspace-Id",), soft=True
    )


def _workspace_key_ignores_header(context: CheckContext) -> None:
    q = session(context)
    stray = {"X-Workspace-Id": "not-a-workspace"}
    response = q.create_recipient({"name": f"{PREFIX}stray-header", "email": q.email()}, headers=stray)
    context.expect_status(response, 201, "POST recipients with a workspace key and a malformed X-Workspace-Id")
    recipient_id = _created(response)
    other_workspace = {"X-Workspace-Id": workspace_id(q.fresh())}
    listed = q.walk(RECIPIENTS, headers=other_workspace)
    context.expect(
        recipient_id in listed,
        "a workspace key with another X-Workspace-Id lists another workspace",
        expected="its own recipients",
    )


def _created(response: httpx.Response) -> str:
    body = json_body(response)
    data = body.get("data") if response.is_success and isinstance(body, dict) else None
    return str(data.get("_id")) if isinstance(data, dict) else missing_id()


def _not_owned(context: CheckContext) -> None:
    q = session(context)
    with configured(context) as (member, owner, stranger):
        theirs = Who(stranger.key, owner.workspace)
        for path in _paths()[:2]:
            expect_refused(
                context, q.send("GET", path, who=theirs), f"GET {path}: a platform key on another's workspace", 403
            )
        unknown = Who(owner.key, secrets.token_hex(12))
        expect_refused(context, q.send("GET", RECIPIENTS, who=unknown), "a platform key on an unknown workspace", 403)
        recipient = q.make_recipient({"name": f"{PREFIX}shared", "email": q.email()}, who=member)
        seen = q.get_recipient(str(recipient["_id"]), who=owner)
        context.expect_status(seen, 200, "the owner's platform key reads its workspace key's recipient")
        q.discard(str(recipient["_id"]))


# ---------------------------------------------------------------- SK-TENANT


@CHECKS.check(
    "SK-TENANT",
    "reports and recipients belong to one workspace; in others they do not exist (404)",
    writes=True,
    plan=(
        "POST /v1/reports/recipients  one recipient per key",
        "GET, PATCH, DELETE /v1/reports/recipients/{id}  with the other key; GET the lists with each key",
        "GET /v1/reports?limit=1 (or POST /v1/reports: one workspace report)  and GET it with the other key",
    ),
)
def tenant(context: CheckContext) -> None:
    q = session(context)
    other = q.other
    if other is None:
        context.skip("needs second key (--second-key or SENDKIT_SECOND_API_KEY)")
    mine = q.make_recipient({"name": f"{PREFIX}tenant-a", "email": q.email()})
    theirs = q.make_recipient({"name": f"{PREFIX}tenant-b", "email": q.email()}, who=other)
    mine_id, theirs_id = str(mine["_id"]), str(theirs["_id"])
    calls: tuple[tuple[str, Callable[[], httpx.Response]], ...] = (
        ("GET", lambda: q.get_recipient(mine_id, who=other)),
        ("PATCH", lambda: q.patch_recipient(mine_id, {"name": f"{PREFIX}taken"}, who=other)),
        ("DELETE", lambda: q.delete_recipient(mine_id, who=other)),
    )
    for name, call in calls:
        expect_refused(context, call(), f"{name} of another workspace's recipient", 404)
    expect_refused(context, q.get_recipient(theirs_id), "GET of the other workspace's recipient", 404)
    for who, visible, hidden in ((q.me, mine_id, theirs_id), (other, theirs_id, mine_id)):
        listed = q.walk(RECIPIENTS, who=who)
        context.expect(
            hidden not in listed, "a workspace's list shows another workspace's recipient", expected="its own only"
        )
        context.expect(visible in listed, "a workspace's list misses its own recipient", expected="its own recipient")
    stored = fetch(context, q.get_recipient(mine_id), "the owner's GET after the other workspace's calls")
    expect_fields(context, stored, {"name": mine["name"], "email": mine["email"]}, "after the other workspace's calls")
    context.expect(stored == mine, "another workspace's calls changed the recipient", expected=str(mine), soft=True)
    report_id = _a_report(context)
    if report_id is not None:
        expect_refused(context, q.get_report(report_id, who=other), "GET of another workspace's report", 404)
        context.expect(
            report_id not in _first_reports(context, other), "another workspace's report is listed", expected="absent"
        )


def _a_report(context: CheckContext) -> str | None:
    """A report of the workspace: one it already has, else (within the allowance) a new one."""
    q = session(context)
    existing = _first_reports(context, q.me)
    if existing:
        return existing[0]
    if not q.may_generate():
        return None
    ids = generated_ids(q.generate({"reportType": "workspace"}))
    return ids[0] if ids else None


def _first_reports(context: CheckContext, who: Who) -> list[str]:
    page: Any = json_body(session(context).list_page(REPORTS, who=who, limit=100))
    data = page.get("data") if isinstance(page, dict) else None
    return [str(item.get("id")) for item in data if isinstance(item, dict)] if isinstance(data, list) else []
