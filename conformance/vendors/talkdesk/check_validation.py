"""Create-body validation, one check per rule: a valid body with exactly one thing changed must be
refused with the rule's code, naming that field; valid variants of the same field must be accepted
(and are canceled again at once). TD-BODY-STRUCT also sends bodies that are not JSON objects.
"""

from __future__ import annotations

import json

import httpx
from hypothesis import strategies as st

from conformance.context import CheckContext, json_body
from conformance.properties import run_property
from conformance.vendors.talkdesk.cases import CHANGES, Case, cases
from conformance.vendors.talkdesk.edges import EXPLICIT
from conformance.vendors.talkdesk.expect import Expected, control, expect_error, expect_fields, session
from conformance.vendors.talkdesk.rules import CHECKS
from conformance.vendors.talkdesk.session import created_id, job_of
from conformance.vendors.talkdesk.spans import Window, mock_window

# rule -> (code, the status a real endpoint may give instead: CONTRACTS 2.13)
CODES: dict[str, tuple[str, int | None]] = {
    "TD-BODY-STRUCT": ("0330001", None),
    "TD-TIMESPAN-REQUIRED": ("0330002", None),
    "TD-DATETIME-FORMAT": ("0330003", None),
    "TD-FORMAT-ENUM": ("0330003", None),
    "TD-NAME-LEN": ("0330003", None),
    "TD-TZ-IANA": ("0330006", 403),
    "TD-TO-AFTER-FROM": ("0330004", 403),
    "TD-SPAN-31D": ("0330005", 403),
    "TD-TO-FUTURE": ("0330004", None),
}
TITLES = {
    "TD-BODY-STRUCT": "the body is a JSON object with fields of the right JSON types (0330001)",
    "TD-TIMESPAN-REQUIRED": "timespan, timespan.from and timespan.to are required (0330002)",
    "TD-DATETIME-FORMAT": "from and to are ISO-8601 date-times (0330003)",
    "TD-FORMAT-ENUM": "format is csv, json or json_bulk (0330003)",
    "TD-NAME-LEN": "name has 1 to 256 characters (0330003)",
    "TD-TZ-IANA": "timezone is an IANA name (0330006)",
    "TD-TO-AFTER-FROM": "to is not before from (0330004)",
    "TD-SPAN-31D": "to - from is at most 31 days (0330005)",
}
ECHOED = {"TD-FORMAT-ENUM": "format", "TD-NAME-LEN": "name"}  # accepted values are echoed as sent
DEFAULTS = {"TD-FORMAT-ENUM": ("format", "csv"), "TD-NAME-LEN": ("name", None)}  # the name default: mock only
CREATE_PLAN = (
    "POST /data/reports/calls/jobs  one changed body per example (explicit edge values + up to {n})",
    "DELETE /data/reports/calls/jobs/{id}  cancels each job that is (rightly or wrongly) created",
)


def try_case(context: CheckContext, case: Case) -> None:
    """Send the case's body; jobs it creates are canceled at once."""
    talkdesk = session(context)
    response = talkdesk.create(case.body)
    job_id = created_id(response)
    if job_id is not None:
        talkdesk.dispose(job_id)
    if case.accepted:
        context.expect(response.is_success, f"{case.change} was refused", expected="2xx: created", response=response)
        echoed = ECHOED.get(context.rule)
        if echoed is not None and isinstance(case.body, dict) and echoed in case.body:
            wanted = {echoed: case.body[echoed]}
            expect_fields(context, job_of(json_body(response)), wanted, f"the 202 of {case.change}", response)
        return
    assert case.fields is not None
    code, alternative = CODES[context.rule]
    expect_error(context, response, f"create with {case.change}", Expected(400, code, case.fields, alternative))


def validate(context: CheckContext, window: Window) -> None:
    rule = context.rule
    strategy = cases(rule, window)
    run_property(context, strategy, lambda case: try_case(context, case), explicit=EXPLICIT[rule](window))


def validation_check(context: CheckContext) -> None:
    validate(context, session(context).window)
    if context.rule == "TD-BODY-STRUCT":
        not_objects(context)
    elif context.rule in DEFAULTS and (context.target.is_mock or context.rule != "TD-NAME-LEN"):
        _default(context, *DEFAULTS[context.rule])


def _default(context: CheckContext, field: str, value: object) -> None:
    """An omitted field takes its default (soft: a real endpoint may differ, CONTRACTS 2.13)."""
    talkdesk = session(context)
    body = {name: item for name, item in talkdesk.window.base().body().items() if name != field}
    response = talkdesk.create(body)
    if (job_id := created_id(response)) is not None:
        talkdesk.dispose(job_id)
    context.expect(response.is_success, f"a body without {field} was refused", expected="2xx", response=response)
    job = job_of(json_body(response))
    got = job.get(field) if job is not None else None
    context.expect(
        got == value, f"without {field}, the job shows {got!r}", expected=repr(value), response=response, soft=True
    )


for _rule, _title in TITLES.items():
    CHECKS.check(_rule, _title, writes=True, plan=CREATE_PLAN)(validation_check)

assert set(CHANGES) == set(TITLES) | {"TD-TO-FUTURE"}


@CHECKS.check(
    "TD-TO-FUTURE",
    "to is at most 300 s after the clock's now (0330004)",
    writes=True,
    needs_control=True,
    plan=(
        "POST /data/reports/calls/jobs  spans ending just before and after now + 300 s (mock only)",
        *CREATE_PLAN[1:],
    ),
)
def to_future(context: CheckContext) -> None:
    """Only against the mock: the suite never sends a `to` in the future to a real endpoint."""
    plane = control(context)
    with plane.frozen_clock():
        validate(context, mock_window(plane.now(), session(context).knobs))


# ---------------------------------------------------------------- bodies that are not JSON objects

JSON = "application/json"
NOT_OBJECTS: tuple[tuple[bytes, str | None, str], ...] = (
    (b'{"timespan": {', JSON, "malformed JSON"),
    (b"[]", JSON, "a JSON array"),
    (b'"text"', JSON, "a JSON string"),
    (b"42", JSON, "a JSON number"),
    (b"null", JSON, "JSON null"),
    (b"", JSON, "an empty body"),
    (b"\xff\xfe{}", JSON, "bytes that are not UTF-8"),
    (b"{}", "text/plain", "a text/plain content type"),
    (b"{}", None, "no content type"),
    (b"{}", "application/x-www-form-urlencoded", "a form content type"),
)
GOOD_TYPES = ("application/json; charset=utf-8", "application/vnd.api+json")


def not_objects(context: CheckContext) -> None:
    talkdesk = session(context)
    valid = json.dumps(talkdesk.window.base().body()).encode()
    for content, ctype, what in NOT_OBJECTS:
        response = _post(context, valid if content == b"{}" else content, ctype)
        expect_error(context, response, f"POST with {what}", Expected(400, "0330001"))
    for ctype in GOOD_TYPES:
        response = _post(context, valid, ctype)
        context.expect(response.is_success, f"a body sent as {ctype!r} was refused", expected="2xx", response=response)
    run_property(
        context,
        _noise(),
        lambda content: expect_error(
            context, _post(context, content, JSON), "POST of a body that is not a JSON object", Expected(400, "0330001")
        ),
    )


def _post(context: CheckContext, content: bytes, ctype: str | None) -> httpx.Response:
    talkdesk = session(context)
    response = talkdesk.create(content=content, headers={} if ctype is None else {"Content-Type": ctype})
    job_id = created_id(response)
    if job_id is not None:
        talkdesk.dispose(job_id)
    return response


def _noise() -> st.SearchStrategy[bytes]:
    def not_an_object(raw: bytes) -> bool:
        try:
            return not isinstance(json.loads(raw.decode("utf-8")), dict)
        except (ValueError, UnicodeDecodeError):
            return True

    return st.one_of(st.binary(max_size=40), st.text(max_size=30).map(str.encode)).filter(not_an_object)
