"""Lifecycle and fires: PA-SUSPEND-NULL, PA-ONE-OFF-COMPLETE and PA-KEY-MERGE.

Whether `scheduled_at` is null while suspended is checked everywhere; what fires, when, and what a
fire executes is read from the mock's outbox after moving its clock, so those parts run only when
the target exposes `/_mock` ("needs control plane" otherwise).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from hypothesis import strategies as st

from conformance.context import CheckContext, compact
from conformance.control import ControlPlane
from conformance.properties import run_property
from conformance.vendors.postageapp.bodies import EVENT_RECIPIENT, event, metadata, metadatas
from conformance.vendors.postageapp.expect import (
    event_of,
    fetch,
    frozen_clock,
    now_of,
    outbox,
    scheduled_at,
    session,
    stamp,
)
from conformance.vendors.postageapp.rules import CHECKS
from conformance.vendors.postageapp.schedules import Schedule, everies, offset_text, relatives, repeatables
from mockserver.core.timefmt import iso_z

CLOCK_PLAN = "POST /_mock/clock  move the clock (frozen for the check, mode restored after)"
OUTBOX_PLAN = "GET /_mock/outbox?resource_id=...  the fires"


def _control(context: CheckContext) -> ControlPlane:
    assert context.control is not None, "declared needs_control or checked"
    return context.control


def _advance_to(context: CheckContext, instant: datetime) -> None:
    control = _control(context)
    control.advance(max(0.0, (instant - control.now()).total_seconds()))


def _expect_null(context: CheckContext, value: dict[str, Any], what: str, response: httpx.Response | None) -> None:
    context.expect(
        value.get("scheduled_at", "missing") is None,
        f"{what}: scheduled_at is {compact(value.get('scheduled_at', 'missing'))}",
        expected="null",
        response=response,
    )


# ---------------------------------------------------------------- PA-SUSPEND-NULL


@CHECKS.check(
    "PA-SUSPEND-NULL",
    "scheduled_at is null while suspended or completed; resuming arms the next fire after now",
    writes=True,
    plan=(
        "POST create_scheduled_event  a repeating event per example (explicit + up to {n})",
        "POST update_scheduled_event  suspend, then active; get and list_scheduled_events",
        f"{CLOCK_PLAN}; {OUTBOX_PLAN}  (mock only: no fire while suspended, a completed one-off)",
    ),
)
def suspend_null(context: CheckContext) -> None:
    explicit = [(Schedule("every 5 mins", "every"), 900)]
    with frozen_clock(context):
        run_property(
            context,
            st.tuples(st.one_of(everies(), repeatables()), st.integers(60, 7 * 86400)),
            lambda case: _suspend(context, *case),
            explicit=explicit,
        )
        if context.control is not None:
            _completed(context)


def _suspend(context: CheckContext, schedule: Schedule, pause: int) -> None:
    q = session(context)
    uid = q.make(event(q.new_uid("suspend"), schedule.text))["uid"]
    response = q.update({"uid": uid, "status": "suspend"})
    _expect_null(context, event_of(context, response, "suspend"), "the answer to suspend", response)
    stored, answer = fetch(context, uid, "a suspended event")
    _expect_null(context, stored, "a suspended event", answer)
    listed = {str(item.get("uid")): item for item in q.events()}
    _expect_null(context, listed.get(uid, {}), "a suspended event as listed", None)
    if context.control is not None:
        context.control.advance(pause)
        fired = outbox(context, uid)
        context.expect(not fired, f"a suspended event fired at {[e['at'] for e in fired]}", expected="no fire")
    before = now_of(context)
    response = q.update({"uid": uid, "status": "active"})
    resumed = event_of(context, response, "resume")
    when = scheduled_at(context, resumed, "the answer to resume", response)
    context.expect(
        when is not None and when > before,
        f"resumed: scheduled_at {when}",
        expected=f"after {before}",
        response=response,
    )
    if context.control is not None and schedule.every is not None:
        wanted = stamp(schedule.every.next_after(before))
        got = resumed.get("scheduled_at")
        context.expect(
            got == wanted,
            f"resumed: scheduled_at {got}",
            expected=f"{wanted} (missed fires skipped)",
            response=response,
        )
        context.expect(not outbox(context, uid), "resuming replayed missed fires", expected="no fire")
    q.discard(uid)


def _completed(context: CheckContext) -> None:
    q = session(context)
    uid = q.make(event(q.new_uid("done"), "in 2 minutes"))["uid"]
    _control(context).advance(120)
    stored, response = fetch(context, uid, "a one-off that fired")
    _expect_null(context, stored, "a one-off that fired", response)
    suspended = q.update({"uid": uid, "status": "suspend"})
    _expect_null(
        context, event_of(context, suspended, "suspend after the fire"), "a fired one-off suspended", suspended
    )


# ---------------------------------------------------------------- PA-ONE-OFF-COMPLETE


@CHECKS.check(
    "PA-ONE-OFF-COMPLETE",
    "a single event fires once at its instant, then is completed; a new schedule revives it",
    writes=True,
    needs_control=True,
    soft=True,
    plan=(
        "POST create_scheduled_event  a one-off per example (explicit + up to {n})",
        CLOCK_PLAN,
        OUTBOX_PLAN,
        "POST get/update_scheduled_event  completed, then revived",
    ),
)
def one_off_complete(context: CheckContext) -> None:
    with frozen_clock(context):
        run_property(
            context, ONE_OFFS, lambda shape: _one_off(context, one_off_text(context, shape)), explicit=["in 5 minutes"]
        )


# Each example moves the clock, so ISO one-offs are drawn as (seconds ahead, form) and written at the example's now.
ISO_LATER = st.tuples(
    st.integers(2 * 86400, 1500 * 86400), st.sampled_from(["date", "space", "t-z", "offset"]), st.integers(-48, 56)
)
ONE_OFFS = st.one_of(relatives(datetime(2000, 1, 1, tzinfo=UTC)).map(lambda s: s.text), st.just("tomorrow"), ISO_LATER)


def one_off_text(context: CheckContext, shape: Any) -> str:
    if isinstance(shape, str):
        return shape
    seconds, form, quarters = shape
    instant = now_of(context) + timedelta(seconds=seconds)
    if form == "date":
        return str(instant.date().isoformat())
    if form == "space":
        return instant.strftime("%Y-%m-%d %H:%M:%S")
    if form == "t-z":
        return instant.strftime("%Y-%m-%dT%H:%MZ")
    local = instant + timedelta(minutes=15 * quarters)
    return local.strftime("%Y-%m-%dT%H:%M:%S") + offset_text(15 * quarters)


def _one_off(context: CheckContext, text: str) -> None:
    q = session(context)
    created = q.make(event(q.new_uid("once"), text))
    uid, due = created["uid"], datetime.fromisoformat(str(created.get("scheduled_at")))
    _advance_to(context, due - timedelta(seconds=1))
    context.expect(not outbox(context, uid), f"{text!r} fired before {stamp(due)}", expected="no fire yet")
    _advance_to(context, due + timedelta(days=1))
    fired = [entry["at"] for entry in outbox(context, uid)]
    context.expect(fired == [iso_z(due)], f"{text!r} fired at {fired}", expected=f"once, at {iso_z(due)}")
    stored, response = fetch(context, uid, "a one-off that fired")
    context.expect(
        stored.get("status") == "completed",
        f"after its fire the status is {compact(stored.get('status'))}",
        expected="completed",
        response=response,
    )
    later = (now_of(context) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    revived = event_of(context, q.update({"uid": uid, "schedule": later}), "a new schedule on a completed event")
    context.expect(
        revived.get("status") == "activated",
        f"a new schedule left the status {compact(revived.get('status'))}",
        expected="activated",
    )
    q.discard(uid)


# ---------------------------------------------------------------- PA-KEY-MERGE


def expected_request(key: str, message_uid: str, meta: dict[str, Any]) -> dict[str, Any]:
    """What a fire executes: the metadata, with the project's key and the fire's message uid."""
    return {"api_key": key, "uid": message_uid, **{k: v for k, v in meta.items() if k not in ("api_key", "uid")}}


@CHECKS.check(
    "PA-KEY-MERGE",
    "a fire executes send_message with the metadata plus the project's own api_key and uid@fire-time",
    writes=True,
    needs_control=True,
    plan=(
        "POST create_scheduled_event  events with message metadata (explicit + up to {n})",
        CLOCK_PLAN,
        OUTBOX_PLAN,
        "POST get_scheduled_event  the stored metadata holds no key",
    ),
)
def key_merge(context: CheckContext) -> None:
    decoy = {**metadata("decoy"), "api_key": "conformance-not-the-project", "uid": "conformance-not-the-uid"}
    explicit = [(metadata("page"), "every 5 mins"), (decoy, "in 10 minutes"), ({"note": 1}, "in 3 minutes")]
    schedules = st.sampled_from(["every 5 mins", "every minute", "in 7 minutes", "0 * * * *", "tomorrow"])
    with frozen_clock(context):
        run_property(
            context, st.tuples(metadatas(), schedules), lambda case: _merged(context, *case), explicit=explicit
        )


def _merged(context: CheckContext, meta: dict[str, Any], schedule: str) -> None:
    q = session(context)
    created = q.make(event(q.new_uid("merge"), schedule, metadata=meta))
    uid, due = created["uid"], datetime.fromisoformat(str(created.get("scheduled_at")))
    _advance_to(context, due)
    entries = outbox(context, uid)
    context.expect(len(entries) == 1, f"{len(entries)} outbox entries for the first fire", expected="one send_message")
    entry, message_uid = entries[0], f"{uid}@{iso_z(due)}"
    payload = entry.get("payload", {})
    valid = isinstance(meta.get("arguments"), dict)
    wanted = {
        "kind": "send_message",
        "tenant": q.key,
        "resource_id": uid,
        "destination": EVENT_RECIPIENT if valid else None,
        "at": iso_z(due),
    }
    got = {name: entry.get(name) for name in wanted}
    context.expect(got == wanted, f"the fire's entry is {compact(got)}", expected=compact(wanted))
    merged = {
        "source": "scheduled_event",
        "event_uid": uid,
        "message_uid": message_uid,
        "status": "ok" if valid else "bad_request",
        "error": None if valid else "Arguments are missing",
        "request": expected_request(q.key, message_uid, meta),
    }
    seen = {name: payload.get(name) for name in merged}
    context.expect(seen == merged, f"the fire executed {compact(seen)}", expected=compact(merged))
    message_id = payload.get("message_id")
    context.expect(
        (message_id is None) != valid and (not valid or str(message_id).isdigit()),
        f"message_id {message_id!r}",
        expected="a decimal string for a valid message, else null",
    )
    stored, response = fetch(context, uid, "the event after its fire")
    context.expect(
        stored.get("metadata") == meta,
        f"the stored metadata is {compact(stored.get('metadata'))}",
        expected=compact(meta),
        response=response,
    )
    q.discard(uid)
