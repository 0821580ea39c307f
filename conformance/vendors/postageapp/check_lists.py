"""Many events at once: PA-LIST-PAGING and PA-BATCH-ATOMIC."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from conformance.context import CheckContext, compact
from conformance.properties import run_machine, run_property
from conformance.vendors.postageapp.bodies import (
    METADATA_BLANK,
    SCHEDULE_INVALID,
    SCHEDULE_PAST,
    UID_INVALID,
    UID_TAKEN,
    event,
    metadatas,
)
from conformance.vendors.postageapp.expect import (
    expect_error,
    expect_ok,
    frozen_clock,
    invalid,
    now_of,
    session,
)
from conformance.vendors.postageapp.machines import Paging, expect_walk
from conformance.vendors.postageapp.rules import CHECKS
from conformance.vendors.postageapp.schedules import valid_schedules
from conformance.vendors.postageapp.session import listed_events, succeeded

LIST, BATCH = "list_scheduled_events", "create_scheduled_events"
OMIT: Any = object()
BAD_NUMBERS: tuple[Any, ...] = (0, -1, "1", 1.5, True, None, "abc", [1])


def _programs(context: CheckContext) -> int:
    return max(2, context.settings.max_examples // 3)


# ---------------------------------------------------------------- PA-LIST-PAGING


def _number_ok(value: Any) -> bool:
    if value is OMIT:
        return True
    integral = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    return integral and not isinstance(value, bool) and value >= 1


@CHECKS.check(
    "PA-LIST-PAGING",
    "page >= 1, per_page >= 1 (default 250, clamped to 250); pages visit every event once, in creation order",
    writes=True,
    plan=(
        "POST list_scheduled_events  valid and invalid page/per_page (explicit + up to {n})",
        "POST create/delete_scheduled_event and page walks (state machine)",
        "PUT /_mock/config, POST /_mock/clock  (mock only) a lower clamp; a completed event is still listed",
    ),
)
def list_paging(context: CheckContext) -> None:
    numbers = st.one_of(st.just(OMIT), st.integers(-3, 300), st.sampled_from(BAD_NUMBERS), st.just(1.0))
    explicit = [(value, OMIT) for value in BAD_NUMBERS] + [(OMIT, value) for value in BAD_NUMBERS]
    explicit += [(0, 0), (1.0, 2.0), (OMIT, 251), (2, 1000)]
    run_property(context, st.tuples(numbers, numbers), lambda pair: _page(context, *pair), explicit=explicit)
    q = session(context)
    before = q.walk()
    created = [q.make(event(q.new_uid(f"page-{n}")))["uid"] for n in range(3)]
    for per_page in (1, 2, 3):
        expect_walk(context, per_page, before, created)
    first = listed_events(q.list_page(page=1))
    total = len(before) + len(created)
    wanted = min(total, int(q.knobs["list_max_per_page"]))
    context.expect(
        first is not None and len(first) == wanted,
        f"page 1 without per_page holds {len(first or [])} events",
        expected=f"{wanted} (per_page defaults to 250)",
    )
    if context.control is not None:
        _mock_only(context, created)
    for uid in created:
        q.discard(uid)
    run_machine(context, lambda: Paging(context), max_examples=_programs(context))


def _page(context: CheckContext, page: Any, per_page: Any) -> None:
    fields = {name: value for name, value in (("page", page), ("per_page", per_page)) if value is not OMIT}
    response = session(context).list_page(**fields)
    what = f"list with {compact(fields)}"
    bad = tuple(
        f"[:{name}] is invalid" for name, value in (("page", page), ("per_page", per_page)) if not _number_ok(value)
    )
    if bad:
        expect_error(context, response, what, invalid(LIST, *bad))
        return
    if (
        isinstance(per_page, int | float)
        and per_page > session(context).knobs["list_max_per_page"]
        and not succeeded(response)
    ):
        context.expect(False, f"{what} was refused", expected="per_page clamped to 250", response=response, soft=True)
        return
    expect_ok(context, response, what)
    events = listed_events(response)
    limit = min(int(per_page) if per_page is not OMIT else 250, int(session(context).knobs["list_max_per_page"]))
    context.expect(
        events is not None and len(events) <= limit,
        f"{what}: {len(events or [])} events",
        expected=f"at most {limit}",
        response=response,
    )


def _mock_only(context: CheckContext, created: list[str]) -> None:
    """A lower `list_max_per_page` clamps per_page; a completed one-off is still listed."""
    assert context.control is not None
    q = session(context)
    with context.control.knobs("postageapp", {"list_max_per_page": 2}):
        events = listed_events(q.list_page(page=1, per_page=100))
        context.expect(
            events is not None and len(events) == 2,
            f"per_page 100 under a clamp of 2 listed {len(events or [])}",
            expected="2 events",
        )
    with frozen_clock(context):
        uid = q.make(event(q.new_uid("completed"), "in 1 minute"))["uid"]
        context.control.advance(61)
        context.expect(
            uid in q.walk(), "a one-off that fired is no longer listed", expected="completed events listed too"
        )
    created.append(uid)


# ---------------------------------------------------------------- PA-BATCH-ATOMIC

BLANK_EVENTS = "[:events] can't be blank"


@st.composite
def batches(draw: st.DrawFn, context: CheckContext) -> list[dict[str, Any]]:
    q = session(context)
    now = now_of(context)
    size = draw(st.integers(1, 3))
    return [
        event(q.new_uid(f"batch-{n}"), draw(valid_schedules(now)).text, metadata=draw(metadatas())) for n in range(size)
    ]


@st.composite
def broken_batches(draw: st.DrawFn, context: CheckContext) -> tuple[list[dict[str, Any]], int, str]:
    """A valid batch with one event changed: (events, its index, the error it must get)."""
    items = draw(batches(context))
    index = draw(st.integers(0, len(items) - 1))
    kinds = ["uid", "schedule", "past", "metadata"] + (["twice"] if index else [])
    kind = draw(st.sampled_from(kinds))
    broken = dict(items[index])
    if kind == "uid":
        broken["uid"], error = "", UID_INVALID
    elif kind == "schedule":
        broken["schedule"], error = "every 60 minutes", SCHEDULE_INVALID
    elif kind == "past":
        broken["schedule"], error = "2020-01-01", SCHEDULE_PAST
    elif kind == "metadata":
        del broken["metadata"]
        error = METADATA_BLANK
    else:
        broken["uid"], error = items[draw(st.integers(0, index - 1))]["uid"], UID_TAKEN
    items[index] = broken
    return items, index, error


@CHECKS.check(
    "PA-BATCH-ATOMIC",
    "create_scheduled_events creates 1 to 100 events in order, or none (400 naming events[i])",
    writes=True,
    plan=(
        "POST create_scheduled_events  valid batches of 1 to 3 (up to {n})",
        "POST create_scheduled_events  batches with one broken event (up to {n})",
        "POST get_scheduled_event  each event of a refused batch is absent",
        "POST delete_scheduled_event  every created event",
        "PUT /_mock/config  (mock only) a batch one over batch_max_events",
    ),
)
def batch_atomic(context: CheckContext) -> None:
    with frozen_clock(context):
        run_property(context, batches(context), lambda items: _valid_batch(context, items))
        run_property(context, broken_batches(context), lambda case: _broken_batch(context, *case))
    q = session(context)
    blank: tuple[dict[str, Any], ...] = ({}, {"events": []})
    for fields in blank:
        what = f"a batch with {compact(fields) if fields else 'no events'}"
        expect_error(context, q.create(fields, method=BATCH), what, invalid(BATCH, BLANK_EVENTS))
    if context.control is not None:
        _too_long(context)


def _valid_batch(context: CheckContext, items: list[dict[str, Any]]) -> None:
    q = session(context)
    response = q.create({"events": items}, method=BATCH)
    what = f"a batch of {len(items)} valid events"
    results = expect_ok(context, response, what).get("response", {}).get("message")
    wanted = [item["uid"] for item in items]
    got = (
        [result.get("uid") for result in results]
        if isinstance(results, list) and all(isinstance(r, dict) for r in results)
        else results
    )
    context.expect(
        got == wanted, f"{what}: response.message lists {compact(got)}", expected=str(wanted), response=response
    )
    context.expect_shape(response, what, soft=True)
    for uid in wanted:
        context.expect(succeeded(q.get(uid)), f"{what}: {uid} was not created", expected="every event created")
        q.discard(uid)


def _broken_batch(context: CheckContext, items: list[dict[str, Any]], index: int, error: str) -> None:
    q = session(context)
    response = q.create({"events": items}, method=BATCH)
    expect_error(
        context, response, f"a batch whose event {index} is broken", invalid(BATCH, f"events[{index}]: {error}")
    )
    uids = [item["uid"] for position, item in enumerate(items) if position != index]
    for uid in dict.fromkeys(uids):
        if succeeded(q.get(uid)):
            q.claim(uid)  # a batch that is not atomic created it: deleted at the end of the check
            context.expect(
                False,
                f"a refused batch created {uid}",
                expected="nothing created (all or nothing)",
                response=response,
                soft=True,
            )


def _too_long(context: CheckContext) -> None:
    """One event over `batch_max_events` (100 by default): refused, and nothing created."""
    assert context.control is not None
    q = session(context)
    for limit in (int(q.knobs["batch_max_events"]), 2):
        with context.control.knobs("postageapp", {"batch_max_events": limit}):
            items = [event(q.new_uid(f"long-{n}")) for n in range(limit + 1)]
            response = q.create({"events": items}, method=BATCH)
            error = f"[:events] is too long (maximum is {limit} events)"
            expect_error(context, response, f"a batch of {limit + 1} events", invalid(BATCH, error))
            listed = set(q.walk())
            made = [item["uid"] for item in items if item["uid"] in listed]
            context.expect(not made, f"a refused batch created {len(made)} events", expected="none")
