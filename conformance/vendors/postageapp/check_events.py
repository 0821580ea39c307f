"""Events and their uids: PA-ARGUMENTS, PA-PROJECT-SCOPE, PA-UID-UNIQUE, PA-UID-DEFAULT,
PA-CREATE-RESPONSE and PA-EVENT-NOT-FOUND.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
from hypothesis import strategies as st

from conformance.context import CheckContext, compact, json_body
from conformance.properties import run_property
from conformance.vendors.postageapp.bodies import REPEATING, UID_TAKEN, event, metadata, metadatas, own_uid, uid_texts
from conformance.vendors.postageapp.expect import (
    SUMMARIES,
    Expected,
    event_of,
    expect_error,
    expect_ok,
    fetch,
    frozen_clock,
    invalid,
    not_found,
    now_of,
    outbox,
    schedule_text,
    scheduled_at,
    session,
)
from conformance.vendors.postageapp.rules import CHECKS
from conformance.vendors.postageapp.schedules import SINGLE, Schedule, repeatables, valid_schedules
from conformance.vendors.postageapp.session import MISSING_PREFIX, PostageSession, listed_events, succeeded

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
CREATE = "create_scheduled_event"
READ_PLAN = "POST /v.1.0/get_scheduled_event.json  to read back what was stored"
SKEW = timedelta(minutes=5)  # this machine's clock against a real endpoint's


# ---------------------------------------------------------------- PA-ARGUMENTS

PLACES = ("top", "arguments", "both")
DECOY_SCHEDULES = ("@monthly", "not a schedule", "every 7 hours")


@st.composite
def placements(draw: st.DrawFn, q: PostageSession) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """A create whose fields sit at the top level, in `arguments`, or in both (with a decoy on top)."""
    wanted: dict[str, Any] = {
        "uid": q.new_uid("args"),
        "schedule": draw(repeatables()).text,
        "metadata": draw(metadatas()),
    }
    decoys: dict[str, Any] = {
        "uid": q.new_uid("decoy"),
        "schedule": draw(st.sampled_from(DECOY_SCHEDULES)),
        "metadata": {"decoy": 1},
    }
    top: dict[str, Any] = {}
    arguments: dict[str, Any] = {"api_key": q.fresh_key()} if draw(st.booleans()) else {}
    for name, value in wanted.items():
        place = draw(st.sampled_from(PLACES))
        if place != "arguments":
            top[name] = value if place == "top" else decoys[name]
        if place != "top":
            arguments[name] = value
    return {**top, "arguments": arguments}, wanted, [decoys["uid"]] if top.get("uid") == decoys["uid"] else []


@CHECKS.check(
    "PA-ARGUMENTS",
    "fields are read from the top level or from arguments, which wins; api_key only at the top level",
    writes=True,
    plan=(
        "POST create_scheduled_event  fields at the top level, in arguments or both (explicit + up to {n})",
        "POST get/update/list/delete  with their fields in arguments",
    ),
)
def arguments(context: CheckContext) -> None:
    q = session(context)
    lib, wins, decoy = q.new_uid("lib"), q.new_uid("wins"), q.new_uid("decoy")
    explicit = [
        ({"arguments": event(lib)}, event(lib), []),
        ({**event(decoy, "@monthly"), "arguments": event(wins)}, event(wins), [decoy]),
    ]
    run_property(context, placements(q), lambda case: _placed(context, *case), explicit=explicit)
    _other_methods(context)


def _placed(context: CheckContext, fields: dict[str, Any], wanted: dict[str, Any], decoys: list[str]) -> None:
    q = session(context)
    for uid in decoys:
        q.claim(uid)  # taken from the top level by a broken endpoint: deleted at the end of the check
    response = q.create(fields)
    what = f"create with {compact(fields)}"
    created = event_of(context, response, what)
    context.expect(
        created.get("uid") == wanted["uid"],
        f"{what}: created {compact(created.get('uid'))}",
        expected=wanted["uid"],
        response=response,
    )
    stored, answer = fetch(context, wanted["uid"], f"after {what}")
    got = {"uid": stored.get("uid"), "schedule": schedule_text(stored), "metadata": stored.get("metadata")}
    context.expect(got == wanted, f"{what}: stored {compact(got)}", expected=compact(wanted), response=answer)
    q.discard(wanted["uid"])


def _other_methods(context: CheckContext) -> None:
    """get, update, list and delete read their fields from `arguments` too."""
    q = session(context)
    uid = q.make(event(q.new_uid("methods")))["uid"]
    got = q.call("get_scheduled_event", {"uid": f"{MISSING_PREFIX}top", "arguments": {"uid": uid}})
    context.expect(
        event_of(context, got, "get with the uid in arguments").get("uid") == uid,
        "get read the top-level uid",
        expected=uid,
        response=got,
    )
    updated = q.update({"uid": uid, "status": "active", "arguments": {"status": "suspend"}})
    context.expect(
        event_of(context, updated, "update with status in arguments").get("status") == "suspend",
        "update took the top-level status",
        expected="suspend",
        response=updated,
    )
    listed = listed_events(q.call("list_scheduled_events", {"per_page": 50, "arguments": {"per_page": 1}}))
    context.expect(
        listed is not None and len(listed) <= 1,
        f"list with per_page 1 in arguments answered {compact(listed)}",
        expected="at most one event",
    )
    removed = q.call("delete_scheduled_event", {"uid": f"{MISSING_PREFIX}top", "arguments": {"uid": uid}})
    expect_ok(context, removed, "delete with the uid in arguments")
    context.expect(not succeeded(q.get(uid)), "delete with the uid in arguments left the event", expected="gone")
    q.discard(uid)


# ---------------------------------------------------------------- PA-PROJECT-SCOPE


@CHECKS.check(
    "PA-PROJECT-SCOPE",
    "events belong to the key's project: another project's event is a 404; uids are per project",
    writes=True,
    plan=(
        "POST create_scheduled_event  one event per key (the same uid in both projects)",
        "POST get/update/delete_scheduled_event  with the other key",
        "POST list_scheduled_events  with each key",
    ),
)
def project_scope(context: CheckContext) -> None:
    q = session(context)
    other = q.second_key
    if not other:
        context.skip("needs second key (--second-key or POSTAGEAPP_SECOND_API_KEY)")
    uid = q.new_uid("tenant")
    q.make(event(uid))
    before, _ = fetch(context, uid, "the owner's event")
    calls: tuple[tuple[str, Callable[[], httpx.Response]], ...] = (
        ("get", lambda: q.get(uid, key=other)),
        ("update", lambda: q.update({"uid": uid, "status": "suspend"}, key=other)),
        ("delete", lambda: q.delete(uid, key=other)),
    )
    for name, call in calls:
        expect_error(context, call(), f"{name} of another project's event", not_found(uid))
    context.expect(
        uid not in q.walk(key=other), "another project's list shows the event", expected="its own events only"
    )
    theirs = q.make(event(uid, "@monthly"), key=other)
    context.expect(theirs.get("uid") == uid, "the same uid could not be used in another project", expected=uid)
    stored, response = fetch(context, uid, "the owner's event after the other project's calls")
    context.expect(
        stored == before, "another project's calls changed the event", expected=compact(before), response=response
    )
    q.discard(uid, other)
    stored, response = fetch(context, uid, "the owner's event after the other project deleted its own")
    context.expect(
        stored == before,
        "the other project's delete changed the owner's event",
        expected=compact(before),
        response=response,
    )


# ---------------------------------------------------------------- PA-UID-UNIQUE


def taken(uid: str) -> Expected:
    return Expected(400, "bad_request", SUMMARIES[CREATE], (UID_TAKEN,), uid, exact=True)


@CHECKS.check(
    "PA-UID-UNIQUE",
    "a uid is unique per project: a taken uid gets the page's 400; a deleted event frees it",
    writes=True,
    plan=(
        "POST create_scheduled_event  an event, then the same uid again (explicit + up to {n})",
        READ_PLAN,
        "POST delete_scheduled_event, then create_scheduled_event  the uid is free again",
        "POST /_mock/clock  (mock only) a completed one-off keeps its uid taken",
    ),
)
def uid_unique(context: CheckContext) -> None:
    q = session(context)
    uids = uid_texts().map(lambda text: own_uid(q.new_uid()[:30], text))
    explicit = [(q.new_uid("daily-digest"), Schedule("@hourly", "crontab"))]
    cases = st.tuples(uids, valid_schedules(now_of(context)))
    run_property(context, cases, lambda case: _twice(context, *case), explicit=explicit)
    if context.control is not None:
        with frozen_clock(context):
            uid = q.make(event(q.new_uid("completed"), "in 1 minute"))["uid"]
            context.control.advance(60)
            again = q.create(event(uid))
            expect_error(context, again, "create with the uid of a one-off that fired (completed)", taken(uid))


def _twice(context: CheckContext, uid: str, schedule: Schedule) -> None:
    q = session(context)
    q.make(event(uid))
    before, _ = fetch(context, uid, "the first event")
    again = q.create(event(uid, schedule.text, metadata=metadata("again")))
    expect_error(context, again, f"a second create of uid {uid!r}", taken(uid))
    page = {
        "response": {"status": "bad_request", "uid": uid, "message": SUMMARIES[CREATE]},
        "data": {"errors": [UID_TAKEN]},
    }
    context.expect(
        json_body(again) == page, "not the vendor page's taken-uid body", expected=compact(page), response=again
    )
    after, response = fetch(context, uid, "after the refused second create")
    context.expect(after == before, "the refused create changed the event", expected=compact(before), response=response)
    q.discard(uid)
    renewed = q.create(event(uid, schedule.text))
    expect_ok(context, renewed, f"create of uid {uid!r} after its event was deleted")
    q.discard_created(renewed, {"uid": uid})


# ---------------------------------------------------------------- PA-UID-DEFAULT


@CHECKS.check(
    "PA-UID-DEFAULT",
    "an omitted uid is a generated UUID (v4), a new one each time",
    writes=True,
    plan=("POST create_scheduled_event  twice without uid", READ_PLAN, "POST delete_scheduled_event  both"),
)
def uid_default(context: CheckContext) -> None:
    q = session(context)
    made: list[str] = []
    for _ in range(2):
        response = q.create({"schedule": REPEATING, "metadata": metadata("uuid")})
        created = event_of(context, response, "create without uid")
        uid = created.get("uid")
        answered = (json_body(response) or {}).get("response", {}).get("uid")
        context.expect(
            isinstance(uid, str) and UUID4.fullmatch(uid) is not None,
            f"the generated uid is {compact(uid)}",
            expected="a UUID v4",
            response=response,
        )
        context.expect(
            answered == uid, f"response.uid is {compact(answered)}", expected=compact(uid), response=response
        )
        fetch(context, str(uid), "get of the generated uid")
        made.append(str(uid))
    context.expect(made[0] != made[1], f"two creates got the same uid {made[0]}", expected="two different uids")


# ---------------------------------------------------------------- PA-CREATE-RESPONSE


@CHECKS.check(
    "PA-CREATE-RESPONSE",
    "create answers {response{status ok, uid}, data{uid, status activated, frequency, event_type, scheduled_at}}",
    writes=True,
    plan=("POST create_scheduled_event  valid definitions (explicit + up to {n})", "POST delete_scheduled_event  each"),
)
def create_response(context: CheckContext) -> None:
    q = session(context)
    with frozen_clock(context):
        now = now_of(context)
        bodies = st.tuples(valid_schedules(now), metadatas()).map(lambda pair: (q.new_uid("create"), *pair))
        page = (q.new_uid("daily-digest"), Schedule("every 5 mins", "every"), metadata("daily-digest"))
        run_property(context, bodies, lambda case: _created(context, *case), explicit=[page])


def _created(context: CheckContext, uid: str, schedule: Schedule, meta: dict[str, Any]) -> None:
    q = session(context)
    before = now_of(context)
    fields = {"uid": uid, "schedule": schedule.text, "metadata": meta}
    response = q.create(fields)
    what = f"create with schedule {schedule.text!r}"
    data = event_of(context, response, what)
    context.expect_shape(response, what, soft=True)
    inner = json_body(response).get("response")
    head = {name: inner.get(name) for name in ("status", "uid")} if isinstance(inner, dict) else inner
    wanted = {"status": "ok", "uid": uid}
    context.expect(head == wanted, f"{what}: response is {compact(inner)}", expected=compact(wanted), response=response)
    page_keys = {"uid": uid, "status": "activated", "frequency": schedule.text}
    got = {name: data.get(name) for name in page_keys}
    context.expect(got == page_keys, f"{what}: data has {compact(got)}", expected=compact(page_keys), response=response)
    context.expect(
        data.get("event_type") == schedule.event_type,
        f"{what}: event_type {compact(data.get('event_type'))}",
        expected=schedule.event_type,
        response=response,
        soft=schedule.event_type == SINGLE,
    )
    when = scheduled_at(context, data, what, response)
    skew = timedelta(0) if context.target.is_mock else SKEW
    context.expect(
        when is not None and when > before - skew,
        f"{what}: scheduled_at {compact(data.get('scheduled_at'))}",
        expected=f"after now ({before})",
        response=response,
    )
    for name, value in (("schedule", schedule.text), ("metadata", meta)):
        context.expect(
            data.get(name) == value,
            f"{what}: data.{name} is {compact(data.get(name))}",
            expected=compact(value),
            response=response,
            soft=True,
        )
    q.discard_created(response, fields)


# ---------------------------------------------------------------- PA-EVENT-NOT-FOUND

MISSING_UIDS = st.from_regex(r"\A[A-Za-z0-9]{1,16}\Z").map(lambda suffix: MISSING_PREFIX + suffix)
UID_METHODS = ("get_scheduled_event", "update_scheduled_event", "delete_scheduled_event")


@CHECKS.check(
    "PA-EVENT-NOT-FOUND",
    "an unknown uid on get, update or delete is 404 not_found; no uid is [:uid] can't be blank",
    writes=True,
    plan=(
        "POST get/update/delete_scheduled_event  uids that exist nowhere (explicit + up to {n}), and none",
        "POST create, delete, then get/update/delete again  a deleted event is gone",
        "POST /_mock/clock, GET /_mock/outbox  (mock only) a deleted event never fires",
    ),
)
def event_not_found(context: CheckContext) -> None:
    explicit = [(f"{MISSING_PREFIX}x", method) for method in UID_METHODS]
    strategy = st.tuples(MISSING_UIDS, st.sampled_from(UID_METHODS))
    run_property(context, strategy, lambda case: _unknown(context, *case), explicit=explicit)
    q = session(context)
    for method in UID_METHODS:
        response = q.call(method, {"status": "active"} if method == UID_METHODS[1] else {})
        expect_error(context, response, f"{method} without uid", invalid(method, "[:uid] can't be blank"))
    with frozen_clock(context):
        _deleted_is_gone(context)


def _unknown(context: CheckContext, uid: str, method: str) -> None:
    q = session(context)
    if method == "delete_scheduled_event":
        response = q.delete(uid)
    elif method == "update_scheduled_event":
        response = q.update({"uid": uid, "status": "suspend"})
    else:
        response = q.get(uid)
    expect_error(context, response, f"{method} of unknown uid {uid!r}", not_found(uid))


def _deleted_is_gone(context: CheckContext) -> None:
    q = session(context)
    uid = q.make(event(q.new_uid("gone"), "every minute"))["uid"]
    response = q.delete(uid)
    expect_ok(context, response, "delete of an event")
    deleted = {"uid": uid, "status": "deleted"}
    context.expect(
        (json_body(response) or {}).get("data") == deleted,
        "the delete answer",
        expected=compact(deleted),
        response=response,
        soft=True,
    )
    for method in UID_METHODS:
        _unknown(context, uid, method)
    if context.control is not None:
        context.control.advance(180)
        fired = outbox(context, uid)
        context.expect(not fired, f"a deleted event fired {len(fired)} times", expected="no fire")
