"""Auth, tenancy, ids, bodies and routes: QON-AUTH-BEARER, QON-AUTH-FORBIDDEN, QON-TENANT-KEY,
QON-ID-FORMAT, QON-NOT-FOUND, QON-BODY-JSON and QON-ROUTE.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from typing import Any

import httpx
from hypothesis import strategies as st

from conformance.context import CheckContext
from conformance.properties import run_property
from conformance.target import NO_BODY
from conformance.vendors.qonversion.expect import (
    NOT_FOUND,
    Expected,
    expect_error,
    fetch,
    invalid_data,
    require_catalogue,
    session,
)
from conformance.vendors.qonversion.rules import CHECKS
from conformance.vendors.qonversion.session import DESTINATIONS, REPORTS, created_id
from conformance.vendors.qonversion.strategies import MISSING_PREFIX, PREFIX, base_body

KEY_FORM = re.compile(r"(test_)?sk_[A-Za-z0-9_-]+")
ID_FORM = re.compile(r"[a-zA-Z0-9._-]{1,256}")
UNAUTHORIZED = Expected(401, "request", "control_unauthorized", None, "Authorization required")
FORBIDDEN = Expected(403, "request", "control_forbidden")
ROUTE_NOT_FOUND = Expected(404, "request", "invalid_request")
NOT_ALLOWED = Expected(405, "request", "invalid_request")


def path_segment(text: str) -> str:
    """Percent-encode every byte, so that no client normalises or splits the segment."""
    return "".join(f"%{byte:02X}" for byte in text.encode("utf-8"))


# ---------------------------------------------------------------- QON-AUTH-BEARER

BAD_AUTHORIZATION = (
    None,
    "Basic c2tfeDp5",
    "Token sk_conformance",
    "Bearer",
    "Bearer pk_live_abc",
    "Bearer sk_",
    "Bearer test_",
    "Bearer SK_abc",
    "Bearer sk_a b",
    "Bearer sk_abc!",
    "Bearer test_test_sk_x",
    "sk_conformance",
)
HEADER_TEXT = st.text(alphabet=string.ascii_letters + string.digits + string.punctuation + " ", min_size=1, max_size=16)
BAD_KEYS = HEADER_TEXT.filter(lambda key: key == key.strip() and not KEY_FORM.fullmatch(key)).map(
    lambda key: f"Bearer {key}"
)
AUTH_PATHS = (REPORTS, DESTINATIONS, f"{REPORTS}/{MISSING_PREFIX}auth")


@CHECKS.check(
    "QON-AUTH-BEARER",
    "Authorization: Bearer with an sk_ or test_sk_ key; else 401",
    plan=("GET /v4/scheduled-reports[/destinations|/{id}]  bad credentials (explicit + up to {n})",),
)
def auth_bearer(context: CheckContext) -> None:
    q = session(context)
    for scheme in ("bearer", "BEARER"):
        response = context.target.request("GET", REPORTS, headers={"Authorization": f"{scheme} {q.key}"})
        context.expect_status(response, 200, f"the scheme written {scheme!r}")
    explicit = [(header, REPORTS) for header in BAD_AUTHORIZATION]
    strategy = st.tuples(st.one_of(st.sampled_from(BAD_AUTHORIZATION), BAD_KEYS), st.sampled_from(AUTH_PATHS))
    run_property(context, strategy, lambda case: _refused(context, *case), explicit=explicit)


def _refused(context: CheckContext, header: str | None, path: str) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = context.target.request("GET", path, headers=headers)
    expect_error(context, response, f"GET with Authorization {header!r}", UNAUTHORIZED)


# ---------------------------------------------------------------- QON-AUTH-FORBIDDEN


@CHECKS.check(
    "QON-AUTH-FORBIDDEN",
    "keys in forbidden_keys get 403 control_forbidden",
    needs_control=True,
    plan=(
        "PUT /_mock/config  forbid a fresh key (restored after)",
        "GET /v4/scheduled-reports[/destinations]  with it",
    ),
)
def auth_forbidden(context: CheckContext) -> None:
    assert context.control is not None
    q = session(context)
    key = q.fresh_key()
    knobs = context.control.config()["qonversion"]
    patch: dict[str, Any] = {"forbidden_keys": [*knobs["forbidden_keys"], key]}
    if knobs.get("keys") is not None:
        patch["keys"] = [*knobs["keys"], key]
    with context.control.knobs("qonversion", patch):
        for path in (REPORTS, DESTINATIONS):
            expect_error(context, q.send("GET", path, key=key), f"GET {path} with a forbidden key", FORBIDDEN)
    if knobs.get("keys") is None:
        context.expect_status(q.send("GET", REPORTS, key=key), 200, "the same key once it is no longer forbidden")


# ---------------------------------------------------------------- QON-TENANT-KEY


@CHECKS.check(
    "QON-TENANT-KEY",
    "each key is its own tenant; other tenants' reports do not exist (404)",
    writes=True,
    plan=(
        "POST /v4/scheduled-reports  one report per key",
        "GET, PUT, POST send-test, DELETE /v4/scheduled-reports/{id}  with the other key",
        "GET /v4/scheduled-reports  with each key",
    ),
)
def tenant_key(context: CheckContext) -> None:
    q = session(context)
    other = q.second_key
    if not other:
        context.skip("needs second key (--second-key or QONVERSION_SECOND_API_KEY)")
    catalogue = require_catalogue(context)
    mine = q.make(base_body(catalogue, report_name=f"{PREFIX}tenant-a"))
    theirs = q.make(base_body(catalogue, report_name=f"{PREFIX}tenant-b"), key=other)
    calls: tuple[tuple[str, Callable[[], httpx.Response]], ...] = (
        ("GET", lambda: q.get(mine["id"], key=other)),
        ("PUT", lambda: q.put(mine["id"], {"status": "draft"}, key=other)),
        ("POST send-test", lambda: q.send_test(mine["id"], key=other, retry=False)),
        ("DELETE", lambda: q.delete(mine["id"], key=other)),
    )
    for name, call in calls:
        expect_error(context, call(), f"{name} of another tenant's report", NOT_FOUND)
    expect_error(context, q.get(theirs["id"]), "GET of the other tenant's report", NOT_FOUND)
    for key, visible, hidden in ((q.key, mine, theirs), (other, theirs, mine)):
        listed = q.walk(key=key)
        context.expect(
            hidden["id"] not in listed, "a tenant's list shows another tenant's report", expected="its own only"
        )
        context.expect(visible["id"] in listed, "a tenant's list misses its own report", expected="its own report")
    stored, response = fetch(context, mine["id"], "the owner's GET after the other tenant's calls")
    context.expect(stored == mine, "another tenant's calls changed the report", expected=str(mine), response=response)


# ---------------------------------------------------------------- QON-ID-FORMAT / QON-NOT-FOUND

MALFORMED_IDS = st.one_of(
    st.sampled_from(["a b", "a!", "~x", "é", "x" * 257, "abc\n", "a+b", "a%b", "日本"]),
    st.from_regex(r"\A[a-zA-Z0-9._-]{257,270}\Z"),
    st.text(min_size=1, max_size=20).filter(lambda s: "/" not in s and not ID_FORM.fullmatch(s)),
)


@CHECKS.check(
    "QON-ID-FORMAT",
    "report_id matches [a-zA-Z0-9._-]+, at most 256 characters; else 400 naming report_id",
    plan=("GET /v4/scheduled-reports/{malformed id}  (explicit + up to {n})",),
)
def id_format(context: CheckContext) -> None:
    explicit = ["a b", "x" * 257, "é"]
    run_property(context, MALFORMED_IDS, lambda report_id: _malformed(context, report_id), explicit=explicit)


def _malformed(context: CheckContext, report_id: str) -> None:
    response = session(context).send("GET", f"{REPORTS}/{path_segment(report_id)}")
    expect_error(context, response, f"GET of report id {report_id!r}", invalid_data("report_id"), alternative=NOT_FOUND)


MISSING_IDS = st.from_regex(r"\A[A-Za-z0-9]{1,16}\Z").map(lambda suffix: MISSING_PREFIX + suffix)
METHODS = ("GET", "PUT", "DELETE", "send-test")


@CHECKS.check(
    "QON-NOT-FOUND",
    "a well-formed unknown id is 404 not_found on every route",
    writes=True,
    read_only_part=True,
    plan=("GET, PUT, DELETE, POST send-test /v4/scheduled-reports/conformance-missing-...  (explicit + up to {n})",),
)
def not_found(context: CheckContext) -> None:
    methods = METHODS if context.may_write else ("GET",)
    explicit = [(f"{MISSING_PREFIX}x", method) for method in methods]
    strategy = st.tuples(MISSING_IDS, st.sampled_from(methods))
    run_property(context, strategy, lambda case: _missing(context, *case), explicit=explicit)


def _missing(context: CheckContext, report_id: str, method: str) -> None:
    q = session(context)
    if method == "GET":
        response = q.get(report_id)
    elif method == "PUT":
        response = q.put(report_id, {"report_name": f"{PREFIX}missing"})
    elif method == "DELETE":
        response = q.delete(report_id)
    else:
        response = q.send_test(report_id, retry=False)
    expect_error(context, response, f"{method} of unknown report {report_id!r}", NOT_FOUND)


# ---------------------------------------------------------------- QON-BODY-JSON

JSON = "application/json"
BAD_BODIES: tuple[tuple[bytes, str | None, str], ...] = (
    (b'{"report_name": ', JSON, "malformed JSON"),
    (b"[]", JSON, "a JSON array"),
    (b'"text"', JSON, "a JSON string"),
    (b"42", JSON, "a JSON number"),
    (b"null", JSON, "JSON null"),
    (b"", JSON, "an empty body"),
    (b"\xff\xfe{}", JSON, "bytes that are not UTF-8"),
    (b"{}", "text/plain", "a text/plain content type"),
    (b"{}", None, "no content type"),
)
GOOD_TYPES = ("application/json; charset=utf-8", "application/vnd.api+json")


@CHECKS.check(
    "QON-BODY-JSON",
    "the body is a JSON object with a JSON content type; else 400 without details",
    writes=True,
    plan=(
        "POST /v4/scheduled-reports  bodies that are not JSON objects (explicit + up to {n})",
        "PUT /v4/scheduled-reports/{id}  the same bodies on one report",
        "POST /v4/scheduled-reports  valid bodies with application/json; charset=utf-8 and application/*+json",
    ),
)
def body_json(context: CheckContext) -> None:
    catalogue = require_catalogue(context)
    q = session(context)
    valid = json.dumps(base_body(catalogue)).encode()
    bad = [(valid if content == b"{}" else content, ctype, what) for content, ctype, what in BAD_BODIES]
    report = q.make(base_body(catalogue))
    for content, ctype, what in bad:
        _bad_body(context, q.create(content=content, headers=_content_type(ctype)), f"POST with {what}")
        _bad_body(context, q.put(report["id"], content=content, headers=_content_type(ctype)), f"PUT with {what}")
    stored, response = fetch(context, report["id"], "after the refused PUTs")
    context.expect(stored == report, "a refused PUT changed the report", expected=str(report), response=response)
    for ctype in GOOD_TYPES:
        response = q.create(content=valid, headers=_content_type(ctype))
        context.expect(response.is_success, f"a body sent as {ctype!r} was refused", expected="2xx", response=response)
        if (report_id := created_id(response)) is not None:
            q.discard(report_id)
    run_property(
        context,
        _noise(),
        lambda content: _bad_body(
            context, q.create(content=content, headers=_content_type(JSON)), "POST of a body that is not a JSON object"
        ),
    )


def _noise() -> st.SearchStrategy[bytes]:
    def not_an_object(raw: bytes) -> bool:
        try:
            return not isinstance(json.loads(raw.decode("utf-8")), dict)
        except (ValueError, UnicodeDecodeError):
            return True

    return st.one_of(st.binary(max_size=40), st.text(max_size=30).map(str.encode)).filter(not_an_object)


def _content_type(ctype: str | None) -> dict[str, str]:
    return {} if ctype is None else {"Content-Type": ctype}


def _bad_body(context: CheckContext, response: httpx.Response, what: str) -> None:
    expect_error(context, response, what, Expected(400, "request", "invalid_data", None))


# ---------------------------------------------------------------- QON-ROUTE

UNKNOWN_PATHS = ("/v4/unknown", "/v4/scheduled-report", f"{REPORTS}/{MISSING_PREFIX}r/unknown", "/v4/")
SEGMENTS = st.from_regex(r"\A[a-z][a-z0-9-]{0,15}\Z").filter(lambda s: s != "scheduled-reports")


@CHECKS.check(
    "QON-ROUTE",
    "unknown path under /v4: 404 invalid_request; wrong method: 405 with Allow",
    writes=True,
    read_only_part=True,
    plan=(
        "GET /v4/<unknown>  (explicit + up to {n})",
        "GET /v4/scheduled-reports/{id}/send-test",
        "PATCH /v4/scheduled-reports; against the mock also PUT, DELETE, POST /v4/scheduled-reports/destinations",
    ),
)
def route(context: CheckContext) -> None:
    q = session(context)
    explicit = list(UNKNOWN_PATHS)
    paths = SEGMENTS.map(lambda segment: f"/v4/{segment}")
    run_property(
        context,
        paths,
        lambda path: expect_error(context, q.send("GET", path), f"GET {path}", ROUTE_NOT_FOUND),
        explicit=explicit,
    )
    _not_allowed(context, "GET", f"{REPORTS}/{MISSING_PREFIX}r/send-test", {"POST"})
    if context.may_write:
        _not_allowed(context, "PATCH", REPORTS, {"GET", "POST"})
    if context.may_write and context.target.is_mock:
        for method in ("PUT", "DELETE", "POST"):
            _not_allowed(context, method, DESTINATIONS, {"GET"})


def _not_allowed(context: CheckContext, method: str, path: str, allowed: set[str]) -> None:
    response = session(context).send(method, path, json={} if method in ("PUT", "POST", "PATCH") else NO_BODY)
    expect_error(context, response, f"{method} {path}", NOT_ALLOWED)
    listed = {part.strip().upper() for part in response.headers.get("allow", "").split(",") if part.strip()}
    context.expect(
        allowed <= listed,
        f"{method} {path}: Allow is {response.headers.get('allow')!r}",
        expected=", ".join(sorted(allowed)),
        response=response,
    )
    context.expect(
        listed == allowed,
        f"{method} {path}: Allow is {response.headers.get('allow')!r}",
        expected=", ".join(sorted(allowed)),
        response=response,
        soft=True,
    )
