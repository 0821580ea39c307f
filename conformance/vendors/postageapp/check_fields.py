"""Create and update fields, one check per rule: PA-UID-FORMAT, PA-SCHEDULE-REQUIRED,
PA-METADATA-OBJECT and PA-UPDATE-STATUS. A valid definition with exactly one thing changed must be
refused with that field's error (and nothing else); the valid variants of the same field must be
accepted. The documented edge values always run first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from hypothesis import strategies as st

from conformance.context import CheckContext, compact
from conformance.properties import run_machine, run_property
from conformance.strategies import NOT_A_STRING
from conformance.vendors.postageapp.bodies import (
    METADATA_BLANK,
    METADATA_INVALID,
    SCHEDULE_BLANK,
    STATUS_INVALID,
    UID_INVALID,
    Case,
    event,
    metadata_cases,
    schedule_required_cases,
    uid_cases,
)
from conformance.vendors.postageapp.expect import (
    carried,
    event_of,
    expect_error,
    fetch,
    invalid,
    schedule_text,
    session,
)
from conformance.vendors.postageapp.machines import Lifecycle
from conformance.vendors.postageapp.rules import CHECKS
from conformance.vendors.postageapp.session import PREFIX, succeeded

CREATE, UPDATE = "create_scheduled_event", "update_scheduled_event"
Accepted = Callable[[dict[str, Any], dict[str, Any], httpx.Response], None]
CREATE_PLAN = "POST /v.1.0/create_scheduled_event.json  one changed definition per example (explicit + up to {n})"
DELETE_PLAN = "POST /v.1.0/delete_scheduled_event.json  each event that is (rightly or wrongly) created"


def try_create(context: CheckContext, case: Case, accepted: Accepted | None = None) -> None:
    """Send the case; a created event is deleted again at once."""
    q = session(context)
    response = q.create(case.fields)
    what = f"create with {case.change}"
    if case.accepted:
        created = event_of(context, response, what)
        if accepted is not None:
            accepted(case.fields, created, response)
    elif case.soft and succeeded(response):
        context.expect(
            False, f"{what} was accepted", expected=str(list(case.errors or ())), response=response, soft=True
        )
    else:
        assert case.errors is not None
        expect_error(context, response, what, invalid(CREATE, *case.errors, uid=carried(case.fields)))
    q.discard_created(response, case.fields)


def refused_update(context: CheckContext, uid: str, fields: dict[str, Any], errors: tuple[str, ...]) -> None:
    """An update refused with `errors` leaves the event as it was."""
    q = session(context)
    before, _ = fetch(context, uid, "before a refused update")
    response = q.update({"uid": uid, **fields})
    expect_error(context, response, f"update with {compact(fields)}", invalid(UPDATE, *errors, uid=uid))
    after, answer = fetch(context, uid, f"after the refused update with {compact(fields)}")
    context.expect(after == before, "a refused update changed the event", expected=compact(before), response=answer)


# ---------------------------------------------------------------- PA-UID-FORMAT

BAD_UIDS: tuple[Any, ...] = ("", PREFIX + "x" * (256 - len(PREFIX)), 5, None, True, [], {"uid": "x"})
UID_METHODS = ("get_scheduled_event", UPDATE, "delete_scheduled_event")


@CHECKS.check(
    "PA-UID-FORMAT",
    "uid is a string of 1 to 255 characters; else [:uid] is invalid",
    writes=True,
    plan=(CREATE_PLAN, DELETE_PLAN, "POST get/update/delete_scheduled_event  malformed uids"),
)
def uid_format(context: CheckContext) -> None:
    q = session(context)
    longest = (q.new_uid("long") + "\U0001f600" * 255)[:255]
    explicit = [Case(event(q.new_uid()) | {"uid": uid}, (UID_INVALID,), f"uid={uid!r}"[:60]) for uid in BAD_UIDS]
    explicit.append(Case(event(longest), change="a uid of 255 characters"))
    fields = st.builds(lambda: event(q.new_uid("format")))
    cases = fields.flatmap(lambda base: uid_cases(base, q.new_uid))
    run_property(context, cases, lambda case: try_create(context, case, _stored_uid(context)), explicit=explicit)
    for method in UID_METHODS:
        for uid in BAD_UIDS[:3]:
            response = q.delete(uid) if method == "delete_scheduled_event" else q.call(method, {"uid": uid})
            expect_error(
                context,
                response,
                f"{method} with uid={uid!r}"[:80],
                invalid(method, UID_INVALID, uid=carried({"uid": uid})),
            )


def _stored_uid(context: CheckContext) -> Accepted:
    def accepted(fields: dict[str, Any], created: dict[str, Any], response: httpx.Response) -> None:
        context.expect(
            created.get("uid") == fields["uid"],
            f"the event is called {compact(created.get('uid'))}",
            expected=compact(fields["uid"]),
            response=response,
        )

    return accepted


# ---------------------------------------------------------------- PA-SCHEDULE-REQUIRED


@CHECKS.check(
    "PA-SCHEDULE-REQUIRED",
    "schedule is present and not blank; else [:schedule] can't be blank",
    writes=True,
    plan=(CREATE_PLAN, DELETE_PLAN, "POST /v.1.0/update_scheduled_event.json  blank schedules on one event"),
)
def schedule_required(context: CheckContext) -> None:
    q = session(context)
    base = event(q.new_uid())
    explicit = [Case({k: v for k, v in base.items() if k != "schedule"}, (SCHEDULE_BLANK,), "schedule removed")]
    explicit += [
        Case(base | {"schedule": text}, (SCHEDULE_BLANK,), f"schedule={text!r}") for text in ("", "   ", "\t\n")
    ]
    cases = st.builds(lambda: event(q.new_uid("required"))).flatmap(schedule_required_cases)
    run_property(context, cases, lambda case: try_create(context, case), explicit=explicit)
    uid = q.make(event(q.new_uid("blank")))["uid"]
    for text in ("", " \t "):
        refused_update(context, uid, {"schedule": text}, (SCHEDULE_BLANK,))


# ---------------------------------------------------------------- PA-METADATA-OBJECT

BAD_METADATA: tuple[tuple[Any, str], ...] = (
    (None, METADATA_INVALID),
    ("text", METADATA_INVALID),
    (5, METADATA_INVALID),
    ([], METADATA_INVALID),
    ({"arguments": None}, METADATA_INVALID),
    ({"arguments": "to=x"}, METADATA_INVALID),
)
GOOD_METADATA: tuple[dict[str, Any], ...] = (
    {},
    {"arguments": {}},
    {"api_key": "conformance-decoy", "uid": "x", "arguments": {"template": "t"}},
)


@CHECKS.check(
    "PA-METADATA-OBJECT",
    "metadata is a required object (arguments, when present, an object), stored as sent",
    writes=True,
    plan=(CREATE_PLAN, DELETE_PLAN, "POST get_scheduled_event / update_scheduled_event  the stored metadata"),
)
def metadata_object(context: CheckContext) -> None:
    q = session(context)
    base = event(q.new_uid())
    explicit = [Case({k: v for k, v in base.items() if k != "metadata"}, (METADATA_BLANK,), "metadata removed")]
    explicit += [Case(base | {"metadata": value}, (error,), f"metadata={value!r}") for value, error in BAD_METADATA]
    explicit += [
        Case(event(q.new_uid()) | {"metadata": value}, change=f"metadata={value!r}") for value in GOOD_METADATA
    ]
    cases = st.builds(lambda: event(q.new_uid("metadata"))).flatmap(metadata_cases)
    run_property(context, cases, lambda case: try_create(context, case, _stored_metadata(context)), explicit=explicit)
    uid = q.make(event(q.new_uid("replace")))["uid"]
    for value, error in BAD_METADATA[:3]:
        refused_update(context, uid, {"metadata": value}, (error,))
    replacement = {"arguments": {"template": "conformance"}, "note": [1, 2]}
    event_of(context, q.update({"uid": uid, "metadata": replacement}), "update with a new metadata")
    stored, response = fetch(context, uid, "after the metadata was replaced")
    context.expect(
        stored.get("metadata") == replacement,
        f"the stored metadata is {compact(stored.get('metadata'))}",
        expected=compact(replacement),
        response=response,
    )


def _stored_metadata(context: CheckContext) -> Accepted:
    def accepted(fields: dict[str, Any], created: dict[str, Any], response: httpx.Response) -> None:
        stored, answer = fetch(context, created["uid"], "the created event")
        wanted = fields["metadata"]
        context.expect(
            stored.get("metadata") == wanted,
            f"the stored metadata is {compact(stored.get('metadata'))}",
            expected=compact(wanted),
            response=answer,
        )

    return accepted


# ---------------------------------------------------------------- PA-UPDATE-STATUS

STATUSES = {"active": "activated", "activated": "activated", "suspend": "suspend"}
BAD_STATUSES: tuple[Any, ...] = ("suspended", "completed", "paused", "ACTIVE", "", None, 1)


@CHECKS.check(
    "PA-UPDATE-STATUS",
    "status is active, activated or suspend; else [:status] is not included in the list",
    writes=True,
    plan=(
        "POST /v.1.0/create_scheduled_event.json  events to update",
        "POST /v.1.0/update_scheduled_event.json  valid and invalid statuses (explicit + up to {n})",
        "POST create/update/get/list/delete_scheduled_event  a state machine of lifecycles",
        "POST /v.1.0/get_scheduled_event.json  to read back what was stored",
    ),
)
def update_status(context: CheckContext) -> None:
    q = session(context)
    uid = q.make(event(q.new_uid("status")))["uid"]
    values = st.one_of(st.sampled_from(sorted(STATUSES)), st.text(max_size=12), NOT_A_STRING)
    explicit = [*STATUSES, *BAD_STATUSES, "activated"]
    run_property(context, values, lambda status: _set_status(context, uid, status), explicit=explicit)
    run_machine(context, lambda: Lifecycle(context), max_examples=max(2, context.settings.max_examples // 3))


def _set_status(context: CheckContext, uid: str, status: Any) -> None:
    if not isinstance(status, str) or status not in STATUSES:
        refused_update(context, uid, {"status": status}, (STATUS_INVALID,))
        return
    answer = event_of(
        context, session(context).update({"uid": uid, "status": status}), f"update with status {status!r}"
    )
    stored, response = fetch(context, uid, f"after status {status!r}")
    for where, value, source in (("the answer", answer, None), ("the stored event", stored, response)):
        context.expect(
            value.get("status") == STATUSES[status],
            f"{where} has status {compact(value.get('status'))} after status {status!r}",
            expected=STATUSES[status],
            response=source,
        )
    context.expect(
        schedule_text(stored) == "@yearly",
        "a status update changed the schedule",
        expected="@yearly",
        response=response,
    )
