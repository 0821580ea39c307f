"""Errors and routes: SK-ERROR-BODY (the envelope of every error the target gives, and 405 with
`Allow`) and SK-NOT-FOUND (unknown routes, reports and recipients; malformed ids).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from hypothesis import strategies as st

from conformance.context import CheckContext
from conformance.properties import run_property
from conformance.target import NO_BODY
from conformance.vendors.sendkit.check_access import configured
from conformance.vendors.sendkit.expect import expect_envelope, expect_fields, expect_refused, fetch, knobs, session
from conformance.vendors.sendkit.rules import CHECKS
from conformance.vendors.sendkit.session import PREFIX, RECIPIENTS, REPORTS, data_of, missing_id

OBJECT_ID = re.compile(r"[0-9a-f]{24}")
JSON = {"Content-Type": "application/json"}
Provoke = Callable[[CheckContext], httpx.Response]


def path_segment(text: str) -> str:
    """Percent-encode every byte, so that no client normalises or splits the segment."""
    return "".join(f"%{byte:02X}" for byte in text.encode("utf-8"))


# ---------------------------------------------------------------- SK-ERROR-BODY


def _reads(context: CheckContext) -> list[tuple[str, int, Provoke]]:
    q = session(context)
    return [
        ("GET ?limit=0", 400, lambda c: q.list_page(REPORTS, limit=0)),
        ("GET ?cursor=x&limit=abc", 400, lambda c: q.list_page(RECIPIENTS, cursor="x", limit="abc")),
        ("GET without a key", 401, lambda c: c.target.request("GET", REPORTS)),
        ("GET with a malformed key", 401, lambda c: c.target.request("GET", RECIPIENTS, headers={"X-Api-Key": "nope"})),
        ("GET of an unknown route", 404, lambda c: q.send("GET", "/v1/unknown")),
        ("GET of an unknown report", 404, lambda c: q.get_report(missing_id())),
        ("GET of an unknown recipient", 404, lambda c: q.get_recipient(missing_id())),
    ]


def _writes(context: CheckContext) -> list[tuple[str, int, Provoke]]:
    q = session(context)
    return [
        ("an invalid generate body", 400, lambda c: q.generate({"reportType": "nope"})),
        ("an invalid recipient body", 400, lambda c: q.create_recipient({"name": "", "email": "x", "reportType": 5})),
        ("a malformed JSON body", 400, lambda c: q.generate(content=b'{"reportType": ', headers=JSON)),
        (
            "a text/plain body",
            400,
            lambda c: q.generate(content=b'{"reportType": "nope"}', headers={"Content-Type": "text/plain"}),
        ),
        ("a JSON array body", 400, lambda c: q.create_recipient(content=b"[]", headers=JSON)),
        ("PATCH of an unknown recipient", 404, lambda c: q.patch_recipient(missing_id(), {"name": f"{PREFIX}x"})),
    ]


@CHECKS.check(
    "SK-ERROR-BODY",
    "errors are {error, message, code}; 400 adds details[{field, message}]; 405 has Allow",
    writes=True,
    read_only_part=True,
    plan=(
        "GET /v1/...  requests answered 400, 401 and 404",
        "DELETE /v1/reports, PUT /v1/reports/recipients/{id}, POST /v1/reports/{id}  wrong methods (405)",
        "POST /v1/reports[/recipients], PATCH  invalid, malformed and duplicate bodies (writes: 400, 404, 409)",
        "PUT /_mock/config  workspaces (403), max_body_bytes is read (413), a rate limit (429): mock only",
    ),
)
def error_body(context: CheckContext) -> None:
    provocations = _reads(context) + (_writes(context) if context.may_write else [])
    for what, status, provoke in provocations:
        _envelope_if_refused(context, provoke(context), what, status)
    _not_allowed(context)
    if context.may_write:
        _conflict(context)
    if context.control is not None:
        _mock_only(context)


def _envelope_if_refused(context: CheckContext, response: httpx.Response, what: str, status: int) -> None:
    """Whether a request is refused is its own rule's business; how it is refused is this one's."""
    if response.status_code >= 400 or response.status_code == status:
        expect_envelope(context, response, what, response.status_code)
        context.expect_shape(response, what, soft=True)


def _not_allowed(context: CheckContext) -> None:
    if not context.may_write:
        return
    q = session(context)
    cases = [
        ("DELETE", REPORTS, {"GET", "POST"}),
        ("POST", f"{REPORTS}/{missing_id()}", {"GET"}),
        ("DELETE", f"{REPORTS}/{missing_id()}", {"GET"}),
        ("PUT", f"{RECIPIENTS}/{missing_id()}", {"GET", "PATCH", "DELETE"}),
    ]
    for method, path, allowed in cases:
        response = q.send(method, path, json={} if method in ("POST", "PUT") else NO_BODY)
        expect_envelope(context, response, f"{method} {path}", 405)
        header = response.headers.get("allow")
        listed = {part.strip().upper() for part in (header or "").split(",") if part.strip()}
        wanted = ", ".join(sorted(allowed))
        message = f"{method} {path}: Allow is {header!r}"
        context.expect(allowed <= listed, message, expected=wanted, response=response)
        context.expect(listed == allowed, message, expected=wanted, response=response, soft=True)


def _conflict(context: CheckContext) -> None:
    q = session(context)
    email = q.email()
    q.make_recipient({"name": f"{PREFIX}conflict", "email": email})
    _envelope_if_refused(
        context, q.create_recipient({"name": f"{PREFIX}conflict-2", "email": email}), "a taken email", 409
    )


def _mock_only(context: CheckContext) -> None:
    q = session(context)
    with configured(context) as (_, owner, stranger):
        response = q.send("GET", REPORTS, headers={"X-Api-Key": stranger.key, "X-Workspace-Id": str(owner.workspace)})
        _envelope_if_refused(context, response, "a platform key on another's workspace", 403)
    assert context.control is not None
    limit = int(context.control.config()["max_body_bytes"])
    if context.may_write and limit <= 4 * 1024 * 1024:
        big = b'{"name": "' + b"x" * limit + b'"}'
        _envelope_if_refused(context, q.create_recipient(content=big, headers=JSON), "a body over max_body_bytes", 413)
    key = q.fresh()
    with knobs(context, {"rate_limit_per_minute": 1}), context.control.frozen_clock():
        q.send("GET", REPORTS, headers={"X-Api-Key": key}, retry=False)
        response = q.send("GET", REPORTS, headers={"X-Api-Key": key}, retry=False)
        _envelope_if_refused(context, response, "a request over the rate limit", 429)


# ---------------------------------------------------------------- SK-NOT-FOUND

UNKNOWN_PATHS = (
    "/v1/unknown",
    "/v1/report",
    "/v1/",
    f"{REPORTS}/recipients/{missing_id()}/x",
    f"{REPORTS}/{missing_id()}/x",
)
SEGMENTS = st.from_regex(r"\A[a-z][a-z0-9-]{0,15}\Z").filter(lambda s: s != "reports")
MALFORMED = st.one_of(
    st.sampled_from(["ABCDEF0123456789ABCDEF01", "abc", "0" * 23, "0" * 25, "zzzzzzzzzzzzzzzzzzzzzzzz", "a b"]),
    st.text(min_size=1, max_size=30),
).filter(lambda s: "/" not in s and s not in (".", "..", "recipients") and not OBJECT_ID.fullmatch(s))


@CHECKS.check(
    "SK-NOT-FOUND",
    "unknown routes, reports and recipients are 404 (malformed ids too)",
    writes=True,
    read_only_part=True,
    plan=(
        "GET /v1/<unknown>  (explicit + up to {n})",
        "GET /v1/reports/{id}, GET, PATCH, DELETE /v1/reports/recipients/{id}  unknown and malformed ids (+ up to {n})",
        "POST, DELETE, GET /v1/reports/recipients  one recipient, deleted, then asked for again (writes)",
    ),
)
def not_found(context: CheckContext) -> None:
    q = session(context)
    paths = SEGMENTS.map(lambda segment: f"/v1/{segment}")

    def unknown_route(path: str) -> None:
        expect_refused(context, q.send("GET", path), f"GET {path}", 404)

    run_property(context, paths, unknown_route, explicit=list(UNKNOWN_PATHS))
    methods = ("GET report", "GET", "PATCH", "DELETE") if context.may_write else ("GET report", "GET")
    unknown = st.tuples(st.just(""), st.sampled_from(methods))
    run_property(
        context,
        unknown,
        lambda case: _missing(context, missing_id(), case[1], soft=False),
        explicit=[("", m) for m in methods],
    )
    malformed = st.tuples(MALFORMED, st.sampled_from(methods))
    run_property(context, malformed, lambda case: _missing(context, path_segment(case[0]), case[1], soft=True))
    listing = q.list_page(RECIPIENTS, limit=1)
    context.expect(
        listing.status_code == 200 and isinstance(data_of(listing), list),
        "GET /v1/reports/recipients is not the list",
        expected="200 with a list (recipients is never a report id)",
        response=listing,
    )
    if context.may_write:
        _deleted(context)


def _missing(context: CheckContext, segment: str, method: str, *, soft: bool) -> None:
    q = session(context)
    if method == "GET report":
        response = q.send("GET", f"{REPORTS}/{segment}")
    else:
        body = {"name": f"{PREFIX}missing"} if method == "PATCH" else NO_BODY
        response = q.send(method, f"{RECIPIENTS}/{segment}", json=body)
    expect_refused(context, response, f"{method} of the unknown or malformed id {segment!r}", 404, soft=soft)


def _deleted(context: CheckContext) -> None:
    q = session(context)
    recipient = q.make_recipient({"name": f"{PREFIX}deleted", "email": q.email()})
    recipient_id = str(recipient["_id"])
    response = q.delete_recipient(recipient_id)
    data = fetch(context, response, "DELETE of a recipient", soft=True)
    expect_fields(context, data, {"_id": recipient_id, "deleted": True}, "the DELETE answer", response, soft=True)
    expect_refused(context, q.get_recipient(recipient_id), "GET of a deleted recipient", 404)
    expect_refused(context, q.delete_recipient(recipient_id), "a repeated DELETE", 404)
