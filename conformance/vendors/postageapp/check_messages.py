"""send_message: PA-MSG-UID-UNIQUE, PA-MSG-RECIPIENTS and PA-MSG-CONTENT.

A real endpoint really sends what it accepts, and a sent message cannot be deleted. So against
anything but the mock these checks run only when the user opts in with an address that may
receive test mail (`--postageapp-send-to` or `POSTAGEAPP_SEND_TO`); every accepted message goes to
that address only, and at most 3 generated examples run. Without it they are skipped.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from conformance.context import CheckContext, compact
from conformance.properties import run_property
from conformance.strategies import NOT_AN_OBJECT
from conformance.vendors.postageapp.bodies import Case, event, message_arguments, own_uid, uid_texts
from conformance.vendors.postageapp.expect import Expected, expect_error, expect_ok, frozen_clock, session
from conformance.vendors.postageapp.rules import CHECKS
from conformance.vendors.postageapp.session import succeeded
from mockserver.core.timefmt import iso_z, parse_instant

SEND = "send_message"
REAL_MAX_EXAMPLES = 3
MISSING_ARGUMENTS = "Arguments are missing"
ARGUMENTS_OBJECT = "Arguments must be an object"
RECIPIENTS_MISSING = "Recipients are missing"
RECIPIENTS_INVALID = "Recipients are invalid"
CONTENT_MISSING = "Message content or template is missing"
CONTENT_OBJECT = "Message content must be an object"
TEMPLATE_STRING = "Message template must be a non-empty string"
MAIL_PLAN = "POST /v.1.0/send_message.json  (mock, or opt-in: --postageapp-send-to) "


def mail_to(context: CheckContext) -> str:
    """The address accepted messages go to; skips the check when sending would be real mail nobody asked for."""
    q = session(context)
    if not q.send_to:
        context.skip("sends real mail: opt in with --postageapp-send-to ADDRESS (or POSTAGEAPP_SEND_TO)")
    return str(q.send_to)


def examples(context: CheckContext) -> int:
    return (
        context.settings.max_examples
        if context.target.is_mock
        else min(REAL_MAX_EXAMPLES, context.settings.max_examples)
    )


def message(context: CheckContext, label: str, **arguments: Any) -> dict[str, Any]:
    q = session(context)
    return {"uid": q.new_uid(label), "arguments": {**message_arguments(label, mail_to(context)), **arguments}}


def refused(message_text: str, uid: Any) -> Expected:
    return Expected(400, "bad_request", message_text, None, uid)


def try_message(context: CheckContext, case: Case) -> None:
    """Send the case's body: accepted (200 with a message id) or refused naming its first problem."""
    q = session(context)
    response = q.send_message(case.fields)
    what = f"send_message with {case.change}"
    if case.accepted:
        body = expect_ok(context, response, what)
        message_id = (body.get("data") or {}).get("message", {}).get("id")
        context.expect(
            isinstance(message_id, str) and message_id.isdigit(),
            f"{what}: message id {compact(message_id)}",
            expected="a decimal string",
            response=response,
        )
        return
    assert case.errors is not None
    uid = case.fields.get("uid") if isinstance(case.fields, dict) else None
    expect_error(context, response, what, refused(case.errors[0], uid if isinstance(uid, str) else None))


def _with(fields: dict[str, Any], change: str, errors: tuple[str, ...] | None, **arguments: Any) -> Case:
    changed = copy.deepcopy(fields)
    for name, value in arguments.items():
        if value is DROP:
            changed["arguments"].pop(name, None)
        else:
            changed["arguments"][name] = value
    return Case(changed, errors, change)


DROP: Any = object()


# ---------------------------------------------------------------- PA-MSG-UID-UNIQUE


@CHECKS.check(
    "PA-MSG-UID-UNIQUE",
    "a send_message uid is used once per project; a repeat is 400 'Uid ... already exists'",
    writes=True,
    plan=(
        MAIL_PLAN + "a message, then the same uid again (explicit + up to {n}; at most 3 off the mock)",
        "POST create_scheduled_event, POST /_mock/clock, POST send_message  (mock only) a fire's message uid is taken",
    ),
)
def msg_uid_unique(context: CheckContext) -> None:
    q = session(context)
    mail_to(context)
    uids = uid_texts().map(lambda text: own_uid(q.new_uid()[:30], text))
    run_property(
        context,
        uids,
        lambda uid: _twice(context, uid),
        explicit=[q.new_uid("welcome-1")],
        max_examples=examples(context),
    )
    answered: list[Any] = []
    for attempt in ("a message without uid", "the same message again without uid"):
        response = q.send_message({"arguments": message(context, "no-uid")["arguments"]})
        if answered and not succeeded(response):  # CONTRACTS 4.13: a content hash may refuse the repeat
            context.expect(
                False, f"{attempt} was refused", expected="accepted with a new uid", response=response, soft=True
            )
            break
        answered.append(expect_ok(context, response, attempt).get("response", {}).get("uid"))
    context.expect(
        len(set(answered)) == len(answered),
        "two messages without uid got one uid",
        expected="a new uid each",
        soft=True,
    )
    if context.control is not None:
        _fire_uid_taken(context)


def _twice(context: CheckContext, uid: str) -> None:
    q = session(context)
    body = message(context, "once")
    response = q.send_message({**body, "uid": uid})
    answer = expect_ok(context, response, f"send_message with uid {uid!r}")
    context.expect(
        answer.get("response", {}).get("uid") == uid,
        f"response.uid is {compact(answer.get('response'))}",
        expected=uid,
        response=response,
    )
    again = q.send_message({**message(context, "twice"), "uid": uid})
    duplicate = refused(f"Uid {uid} already exists. Assuming message duplication.", uid)
    expect_error(context, again, f"a second send_message with uid {uid!r}", duplicate)


def _fire_uid_taken(context: CheckContext) -> None:
    """A fire's message uid (`<event uid>@<fire time>`) is used: a direct send with it is a duplicate."""
    assert context.control is not None
    q = session(context)
    with frozen_clock(context):
        created = q.make(event(q.new_uid("fired"), "in 1 minute"))
        due = parse_instant(str(created.get("scheduled_at")))
        context.control.advance(max(0.0, (due - context.control.now()).total_seconds()))
        uid = f"{created['uid']}@{iso_z(due)}"
        response = q.send_message({**message(context, "fired"), "uid": uid})
        expect_error(
            context,
            response,
            "send_message with a fire's message uid",
            refused(f"Uid {uid} already exists. Assuming message duplication.", uid),
        )


# ---------------------------------------------------------------- PA-MSG-RECIPIENTS

BAD_ARGUMENTS: tuple[Any, ...] = (DROP, None, "x", [])
BAD_CONTENTS: tuple[Any, ...] = (5, "hi", [], None)
MISSING_RECIPIENTS: tuple[Any, ...] = ("", "  ", [], {}, DROP)
INVALID_RECIPIENTS: tuple[Any, ...] = (
    "nobody",
    "a@example.invalid,,b@example.invalid",
    ["x"],
    [5],
    {"x": {}},
    5,
    True,
    None,
)


def recipient_cases(base: dict[str, Any], address: str) -> st.SearchStrategy[Case]:
    missing = st.sampled_from(MISSING_RECIPIENTS).map(
        lambda v: _with(base, f"recipients={v!r}", (RECIPIENTS_MISSING,), recipients=v)
    )
    no_at = st.text(max_size=12).filter(lambda t: "@" not in t and t.strip() and "," not in t)
    invalid = st.one_of(st.sampled_from(INVALID_RECIPIENTS), no_at, st.lists(no_at, min_size=1, max_size=2))
    bad = invalid.map(lambda v: _with(base, f"recipients={v!r}", (RECIPIENTS_INVALID,), recipients=v))
    arguments = st.one_of(st.just(DROP), NOT_AN_OBJECT).map(lambda v: _arguments_case(base, v))
    forms = st.sampled_from([address, [address], {address: {}}, f" {address} "])
    good = forms.map(lambda v: _with(base, f"recipients={v!r}", None, recipients=v))
    return st.one_of(missing, bad, bad, arguments, good)


def _arguments_case(base: dict[str, Any], value: Any) -> Case:
    if value is DROP:
        return Case({"uid": base["uid"]}, (MISSING_ARGUMENTS,), "arguments removed")
    return Case({"uid": base["uid"], "arguments": value}, (ARGUMENTS_OBJECT,), f"arguments={value!r}")


@CHECKS.check(
    "PA-MSG-RECIPIENTS",
    "send_message needs arguments with recipients (a string, array or object of addresses with @)",
    writes=True,
    plan=(MAIL_PLAN + "one changed message per example (explicit + up to {n}; at most 3 off the mock)",),
)
def msg_recipients(context: CheckContext) -> None:
    address = mail_to(context)
    explicit = [
        _with(message(context, "r"), f"recipients={v!r}", (RECIPIENTS_MISSING,), recipients=v)
        for v in MISSING_RECIPIENTS
    ]
    explicit += [
        _with(message(context, "r"), f"recipients={v!r}", (RECIPIENTS_INVALID,), recipients=v)
        for v in INVALID_RECIPIENTS
    ]
    explicit += [_arguments_case(message(context, "r"), value) for value in BAD_ARGUMENTS]
    explicit += [_with(message(context, "r"), "an array of recipients", None, recipients=[address])]
    cases = st.builds(lambda: message(context, "recipients")).flatmap(lambda base: recipient_cases(base, address))
    run_property(
        context, cases, lambda case: try_message(context, case), explicit=explicit, max_examples=examples(context)
    )


# ---------------------------------------------------------------- PA-MSG-CONTENT


def content_cases(base: dict[str, Any], mock: bool) -> st.SearchStrategy[Case]:
    missing = st.just(_with(base, "content removed", (CONTENT_MISSING,), content=DROP))
    content = NOT_AN_OBJECT.map(lambda v: _with(base, f"content={v!r}", (CONTENT_OBJECT,), content=v))
    bad_template = st.one_of(st.just(""), st.integers(), st.booleans(), st.none())
    template = bad_template.map(lambda v: _with(base, f"template={v!r}", (TEMPLATE_STRING,), template=v, content=DROP))
    good = st.builds(
        lambda text: _with(base, "other content", None, content={"text/plain": text}), st.text(max_size=20)
    )
    if mock:  # a template must exist on a real account
        good = st.one_of(good, st.just(_with(base, "a template only", None, template="welcome", content=DROP)))
    return st.one_of(missing, content, template, good)


@CHECKS.check(
    "PA-MSG-CONTENT",
    "send_message needs content (an object) or template (a non-empty string)",
    writes=True,
    plan=(MAIL_PLAN + "one changed message per example (explicit + up to {n}; at most 3 off the mock)",),
)
def msg_content(context: CheckContext) -> None:
    mail_to(context)
    explicit = [_with(message(context, "c"), "content removed", (CONTENT_MISSING,), content=DROP)]
    explicit += [_with(message(context, "c"), f"content={v!r}", (CONTENT_OBJECT,), content=v) for v in BAD_CONTENTS]
    explicit += [_with(message(context, "c"), f"template={v!r}", (TEMPLATE_STRING,), template=v) for v in ("", 7)]
    if context.target.is_mock:
        explicit += [_with(message(context, "c"), "a template only", None, template="welcome", content=DROP)]
    cases = st.builds(lambda: message(context, "content")).flatmap(
        lambda base: content_cases(base, context.target.is_mock)
    )
    run_property(
        context, cases, lambda case: try_message(context, case), explicit=explicit, max_examples=examples(context)
    )
