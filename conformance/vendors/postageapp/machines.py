"""Rule-based state machines over a project's events, each asserting one rule only.

`Lifecycle` (PA-UPDATE-STATUS): creates, status updates (valid and invalid), new schedules and
metadata, reads and lists; every read agrees with a model of status, schedule and metadata.
`Paging` (PA-LIST-PAGING): creates and deletes, and every walk through the pages visits each event
exactly once, in creation order. Creating and deleting are lenient (any success), so another rule's
breakage does not fail them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from conformance.context import CheckContext, compact
from conformance.failures import SetupError
from conformance.strategies import NOT_A_STRING
from conformance.vendors.postageapp.bodies import STATUS_INVALID, event, metadatas
from conformance.vendors.postageapp.expect import (
    event_of,
    expect_error,
    fetch,
    invalid,
    now_of,
    schedule_text,
    session,
)
from conformance.vendors.postageapp.schedules import repeatables
from conformance.vendors.postageapp.session import gone, listed_events

MAX_EVENTS = 3
STATUS_AFTER = {"active": "activated", "activated": "activated", "suspend": "suspend"}


def _not_a_status(value: Any) -> bool:
    return not (isinstance(value, str) and value in STATUS_AFTER)


class Lifecycle(RuleBasedStateMachine):
    def __init__(self, context: CheckContext) -> None:
        super().__init__()
        self.context = context
        self.q = session(context)
        self.now = now_of(context)
        self.model: dict[str, dict[str, Any]] = {}

    def _pick(self, data: st.DataObject) -> str:
        return data.draw(st.sampled_from(sorted(self.model)), label="event")

    @initialize(data=st.data())
    def create_first(self, data: st.DataObject) -> None:
        self.create(data)

    @precondition(lambda self: len(self.model) < MAX_EVENTS)
    @rule(data=st.data())
    def create(self, data: st.DataObject) -> None:
        schedule = data.draw(repeatables(), label="schedule").text
        fields = event(self.q.new_uid("lifecycle"), schedule, metadata=data.draw(metadatas(), label="metadata"))
        made = self.q.make(fields)
        self.model[made["uid"]] = {"status": "activated", "schedule": schedule, "metadata": fields["metadata"]}

    @rule(data=st.data())
    def update(self, data: st.DataObject) -> None:
        uid = self._pick(data)
        change: dict[str, Any] = {}
        if data.draw(st.booleans(), label="new status"):
            change["status"] = data.draw(st.sampled_from(sorted(STATUS_AFTER)), label="status")
        if data.draw(st.booleans(), label="new schedule"):
            change["schedule"] = data.draw(repeatables(), label="schedule").text
        if data.draw(st.booleans(), label="new metadata"):
            change["metadata"] = data.draw(metadatas(), label="metadata")
        answer = event_of(self.context, self.q.update({"uid": uid, **change}), f"update with {compact(change)}")
        model = self.model[uid]
        model.update({name: value for name, value in change.items() if name != "status"})
        if "status" in change:
            model["status"] = STATUS_AFTER[change["status"]]
        self.expect(answer, model, f"the answer to update with {compact(change)}", None)
        self.read(uid, f"after update with {compact(change)}")

    @rule(data=st.data())
    def invalid_status(self, data: st.DataObject) -> None:
        uid = self._pick(data)
        status = data.draw(st.one_of(st.text(max_size=10), NOT_A_STRING).filter(_not_a_status), label="status")
        response = self.q.update({"uid": uid, "status": status})
        expect_error(
            self.context,
            response,
            f"update with status {status!r}",
            invalid("update_scheduled_event", STATUS_INVALID, uid=uid),
        )
        self.read(uid, f"after the refused status {status!r}")

    @rule(data=st.data())
    def get(self, data: st.DataObject) -> None:
        self.read(self._pick(data), "get")

    @rule()
    def list_all(self) -> None:
        listed = {str(item.get("uid")): item for item in self.q.events()}
        for uid, model in self.model.items():
            self.context.expect(uid in listed, f"the list misses {uid}", expected="every event of the project")
            self.expect(listed[uid], model, f"{uid} as listed", None)

    @precondition(lambda self: len(self.model) > 1)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        uid = self._pick(data)
        if not gone(self.q.delete(uid)):
            raise SetupError(f"deleting event {uid} failed")
        del self.model[uid]

    def read(self, uid: str, what: str) -> None:
        stored, response = fetch(self.context, uid, what)
        self.expect(stored, self.model[uid], what, response)

    def expect(self, got: dict[str, Any], model: dict[str, Any], what: str, response: Any) -> None:
        seen = {"status": got.get("status"), "schedule": schedule_text(got), "metadata": got.get("metadata")}
        self.context.expect(seen == model, f"{what}: {compact(seen)}", expected=compact(model), response=response)

    def teardown(self) -> None:
        for uid in self.model:
            self.q.discard(uid)


def expect_walk(context: CheckContext, per_page: int, before: list[str], created: list[str]) -> None:
    """Walk every page: each event once, the suite's in creation order after the others, pages full but the last."""
    q = session(context)
    seen: list[str] = []
    total = len(before) + len(created)
    for page in range(1, total // per_page + 3):
        events = listed_events(q.list_page(page=page, per_page=per_page))
        context.expect(
            events is not None, f"page {page} (per_page {per_page}) is not a list", expected="data.scheduled_events"
        )
        assert events is not None
        seen += [str(item.get("uid")) for item in events]
        full = min(per_page, max(0, total - (page - 1) * per_page))
        context.expect(
            len(events) == full,
            f"page {page} with per_page {per_page} holds {len(events)} events",
            expected=f"{full} (the project holds {total})",
        )
        if not events:
            break
    repeated = sorted(uid for uid, count in Counter(seen).items() if count > 1)
    context.expect(
        not repeated, f"walking with per_page={per_page} met {repeated} more than once", expected="each event once"
    )
    ours = [uid for uid in seen if uid in created]
    context.expect(
        ours == created,
        f"walking with per_page={per_page} met the suite's events as {ours}",
        expected=f"{created} (creation order)",
    )


class Paging(RuleBasedStateMachine):
    def __init__(self, context: CheckContext) -> None:
        super().__init__()
        self.context = context
        self.q = session(context)
        self.created: list[str] = []
        self.before: list[str] = []

    @initialize()
    def baseline(self) -> None:
        self.before = self.q.walk()  # a real project may already hold events; they are read, never touched

    @precondition(lambda self: len(self.created) < 2 * MAX_EVENTS)
    @rule()
    def create(self) -> None:
        self.created.append(self.q.make(event(self.q.new_uid("page")))["uid"])

    @precondition(lambda self: self.created)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        uid = data.draw(st.sampled_from(self.created), label="delete")
        if not gone(self.q.delete(uid)):
            raise SetupError(f"deleting event {uid} failed")
        self.created.remove(uid)

    @rule(data=st.data())
    def walk(self, data: st.DataObject) -> None:
        smallest = max(1, (len(self.before) + len(self.created)) // 10)  # short walks on a full project
        per_page = data.draw(st.integers(smallest, smallest + 3), label="per_page")
        expect_walk(self.context, per_page, self.before, self.created)

    @rule(extra=st.integers(1, 3))
    def past_the_end(self, extra: int) -> None:
        total = len(self.before) + len(self.created)
        events = listed_events(self.q.list_page(page=total + extra, per_page=1))
        self.context.expect(events == [], f"page {total + extra} of {total} answered {compact(events)}", expected="[]")

    def teardown(self) -> None:
        for uid in self.created:
            self.q.discard(uid)
