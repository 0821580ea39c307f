"""Transport and auth: PA-AUTH-KEY, PA-JSON, PA-BODY-OBJECT, PA-METHOD-KNOWN and PA-POST-ONLY.

None of these creates anything: refused requests carry no valid key or no valid body, and the
requests that must succeed are `list_scheduled_events`.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from conformance.context import CheckContext
from conformance.properties import run_property
from conformance.strategies import NOT_A_STRING
from conformance.target import NO_BODY
from conformance.vendors.postageapp.expect import UNAUTHORIZED_MESSAGE, Expected, expect_error, expect_ok, session
from conformance.vendors.postageapp.rules import CHECKS
from conformance.vendors.postageapp.session import MISSING_PREFIX

METHODS = (
    "create_scheduled_event",
    "create_scheduled_events",
    "get_scheduled_event",
    "update_scheduled_event",
    "list_scheduled_events",
    "delete_scheduled_event",
    "send_message",
)
LIST = "list_scheduled_events"


def spellings(method: str) -> list[str]:
    """Both versions, with and without `.json`."""
    return [f"/v.1.0/{method}.json", f"/v.1.0/{method}", f"/v.1.1/{method}", f"/v.1.1/{method}.json"]


# ---------------------------------------------------------------- PA-AUTH-KEY

BAD_KEYS: tuple[Any, ...] = ("", None, 0, 12345, True, [], {}, ["k"], {"key": "k"})


def unauthorized(uid: Any) -> Expected:
    return Expected(401, "unauthorized", UNAUTHORIZED_MESSAGE, None, uid)


@CHECKS.check(
    "PA-AUTH-KEY",
    "a non-empty api_key at the top level of the body; else 401 unauthorized",
    writes=True,
    plan=(
        "POST /v.1.0/<each method>.json  bodies without a usable api_key (explicit + up to {n})",
        "PUT /_mock/config  a keys list without the key (mock only; restored after)",
    ),
)
def auth_key(context: CheckContext) -> None:
    explicit: list[tuple[str, Any, str | None]] = [(method, "missing", None) for method in METHODS]
    explicit += [("get_scheduled_event", key, f"{MISSING_PREFIX}auth") for key in BAD_KEYS]
    explicit += [(LIST, "in-arguments", None)]
    keys = st.one_of(st.sampled_from(["missing", "in-arguments", ""]), NOT_A_STRING)
    uids = st.one_of(st.none(), st.just(f"{MISSING_PREFIX}auth"))
    strategy = st.tuples(st.sampled_from(METHODS), keys, uids)
    run_property(context, strategy, lambda case: _refused(context, *case), explicit=explicit)
    if context.control is not None:
        _keys_knob(context)


def _refused(context: CheckContext, method: str, key: Any, uid: str | None) -> None:
    q = session(context)
    body: dict[str, Any] = {} if uid is None else {"uid": uid}
    if key == "in-arguments":
        body["arguments"] = {"api_key": q.key}
    elif key != "missing":
        body["api_key"] = key
    expect_error(context, q.post(method, body), f"{method} with api_key {key!r}", unauthorized(uid))


def _keys_knob(context: CheckContext) -> None:
    """The mock's `keys` knob: a key it does not list is refused, one it lists is a project."""
    assert context.control is not None
    q = session(context)
    listed = q.fresh_key()
    with context.control.knobs("postageapp", {"keys": [listed]}):
        expect_error(context, q.call(LIST, {}), "a key the keys knob does not list", unauthorized(None))
        expect_ok(context, q.call(LIST, {}, key=listed), "a key the keys knob lists")


# ---------------------------------------------------------------- PA-JSON

INVALID_JSON = Expected(406, "invalid_json", "The posted content is not valid JSON.", None, None)
INVALID_UTF8 = Expected(406, "invalid_utf8", "The posted content contains an invalid UTF-8 character.", None, None)
BAD_BYTES: tuple[tuple[bytes, Expected], ...] = (
    (b"", INVALID_JSON),
    (b"   ", INVALID_JSON),
    (b'{"api_key": ', INVALID_JSON),
    (b"{'api_key': 'x'}", INVALID_JSON),
    (b'{"api_key": "x",}', INVALID_JSON),
    (b'{"api_key": NaN}', INVALID_JSON),
    (b"api_key=x", INVALID_JSON),
    (b'{"api_key": "\xff\xfe"}', INVALID_UTF8),
    (b"\xc3\x28", INVALID_UTF8),
)
ANY_TYPES = (None, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-8")


def strict_json(raw: bytes) -> Expected | None:
    """What a body must be refused as, by the letter of JSON; None when it is valid JSON."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return INVALID_UTF8
    try:
        json.loads(text, parse_constant=_no_constant)
    except ValueError:
        return INVALID_JSON
    return None


def _no_constant(name: str) -> Any:
    raise ValueError(name)


@CHECKS.check(
    "PA-JSON",
    "the body is UTF-8 JSON (any Content-Type); else 406 invalid_json / invalid_utf8",
    writes=True,
    plan=(
        "POST /v.1.0/<method>.json  bodies that are not JSON or not UTF-8 (explicit + up to {n})",
        "POST /v.1.0/list_scheduled_events.json  a valid body under other content types",
    ),
)
def body_json(context: CheckContext) -> None:
    q = session(context)
    for content_type in ANY_TYPES:
        headers = {} if content_type is None else {"Content-Type": content_type}
        raw = json.dumps({"api_key": q.key}).encode()
        expect_ok(context, q.post(LIST, content=raw, headers=headers), f"a JSON body sent as {content_type!r}")
    explicit = [(raw, method) for raw, _ in BAD_BYTES for method in (LIST,)]
    explicit += [(b"", method) for method in METHODS]
    noise = st.one_of(st.binary(max_size=40), st.text(max_size=30).map(str.encode)).filter(
        lambda raw: strict_json(raw) is not None
    )
    run_property(
        context, st.tuples(noise, st.sampled_from(METHODS)), lambda case: _not_json(context, *case), explicit=explicit
    )


def _not_json(context: CheckContext, raw: bytes, method: str) -> None:
    expected = strict_json(raw)
    assert expected is not None
    response = session(context).post(method, content=raw, headers={"Content-Type": "application/json"})
    expect_error(context, response, f"{method} with the body {raw[:40]!r}", expected)


# ---------------------------------------------------------------- PA-BODY-OBJECT

EXPLICIT_VALUES: tuple[Any, ...] = ([], "text", 42, None, True, 1.5)
NOT_OBJECT = Expected(400, "bad_request", "Request body must be a JSON object", None, None)
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=2)),
    max_leaves=6,
)


@CHECKS.check(
    "PA-BODY-OBJECT",
    "the body is a JSON object; else 400 bad_request",
    writes=True,
    plan=("POST /v.1.0/<method>.json  JSON that is not an object (explicit + up to {n})",),
)
def body_object(context: CheckContext) -> None:
    q = session(context)
    explicit: list[tuple[Any, str]] = [(value, LIST) for value in EXPLICIT_VALUES]
    explicit += [([{"api_key": q.key}], method) for method in METHODS]
    values = JSON_VALUES.filter(lambda value: not isinstance(value, dict))
    run_property(
        context,
        st.tuples(values, st.sampled_from(METHODS)),
        lambda case: _not_object(context, *case),
        explicit=explicit,
    )


def _not_object(context: CheckContext, value: Any, method: str) -> None:
    response = session(context).post(method, content=json.dumps(value).encode())
    expect_error(context, response, f"{method} with the body {json.dumps(value)[:60]}", NOT_OBJECT)


# ---------------------------------------------------------------- PA-METHOD-KNOWN

METHOD_NAMES = st.from_regex(r"\A[a-z][a-z_]{0,24}\Z").filter(lambda name: name not in METHODS)


def unknown_method(name: str) -> Expected:
    return Expected(404, "call_error", f"Unknown API method: {name}", None, None, soft_status=True)


@CHECKS.check(
    "PA-METHOD-KNOWN",
    "every method of 4.2 answers under both versions, with or without .json; others are 404",
    writes=True,
    plan=(
        "POST /v.1.0|v.1.1/list_scheduled_events[.json]  the four spellings",
        "POST /v.1.0|v.1.1/<unknown method>[.json]  (explicit + up to {n})",
    ),
)
def method_known(context: CheckContext) -> None:
    q = session(context)
    for path in spellings(LIST):
        expect_ok(context, q.post(LIST, {"api_key": q.key}, path=path), f"POST {path}")
    explicit = [("send_messages", 0), ("create_scheduled_event_", 2), ("get", 1), ("list_scheduled_event", 3)]
    strategy = st.tuples(METHOD_NAMES, st.integers(0, 3))
    run_property(context, strategy, lambda case: _unknown(context, *case), explicit=explicit)


def _unknown(context: CheckContext, name: str, spelling: int) -> None:
    q = session(context)
    path = spellings(name)[spelling]
    expect_error(context, q.post(name, {"api_key": q.key}, path=path), f"POST {path}", unknown_method(name))


# ---------------------------------------------------------------- PA-POST-ONLY

NOT_ALLOWED = Expected(405, "call_error", "Only POST requests are supported", None, None)


@CHECKS.check(
    "PA-POST-ONLY",
    "only POST; other HTTP methods get 405 call_error with Allow: POST",
    writes=True,
    read_only_part=True,
    plan=("GET, PUT, PATCH, DELETE /v.1.0|v.1.1/<method>[.json]  without a body (explicit + up to {n})",),
)
def post_only(context: CheckContext) -> None:
    verbs = ("GET", "PUT", "PATCH", "DELETE") if context.may_write else ("GET",)
    explicit = [(verb, method, 0) for verb in verbs for method in (LIST, "send_message")]
    strategy = st.tuples(st.sampled_from(verbs), st.sampled_from(METHODS), st.integers(0, 3))
    run_property(context, strategy, lambda case: _not_post(context, *case), explicit=explicit)


def _not_post(context: CheckContext, verb: str, method: str, spelling: int) -> None:
    path = spellings(method)[spelling]
    response = context.target.request(verb, path, json=NO_BODY)
    expect_error(context, response, f"{verb} {path}", NOT_ALLOWED)
    allowed = {part.strip().upper() for part in response.headers.get("allow", "").split(",") if part.strip()}
    context.expect(
        "POST" in allowed,
        f"{verb} {path}: Allow is {response.headers.get('allow')!r}",
        expected="POST",
        response=response,
    )
    context.expect(
        allowed == {"POST"},
        f"{verb} {path}: Allow is {response.headers.get('allow')!r}",
        expected="POST",
        response=response,
        soft=True,
    )
