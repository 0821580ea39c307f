"""The PostageApp backend: scheduled events per project, their timers, fires and messages.

Pure Python, no HTTP: it takes merged fields, raises `Invalid` or `EventNotFound`, arms
timers on the shared scheduler and writes `send_message` entries to the outbox
(CONTRACTS.md 4.3, 4.5, 4.7, 4.9).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mockserver.core.errors import FieldProblem
from mockserver.core.paging import window
from mockserver.core.scheduler import Timer
from mockserver.core.tenants import Tenants
from mockserver.core.timefmt import iso_utc_offset
from mockserver.core.vendor import VendorContext
from mockserver.vendors.postageapp.errors import EventNotFound
from mockserver.vendors.postageapp.messages import MessageUids, Run, destination, fire_uid, message_request, payload
from mockserver.vendors.postageapp.schedule import Schedule
from mockserver.vendors.postageapp.validation import (
    EventDraft,
    Invalid,
    Taken,
    check_batch,
    check_event,
    check_update,
    has_problem,
    message_problems,
    uid_problem,
)

ACTIVATED, SUSPEND, COMPLETED = "activated", "suspend", "completed"


def scheduled_at_text(instant: datetime | None) -> str | None:
    return None if instant is None else iso_utc_offset(instant)


@dataclass
class Event:
    uid: str
    schedule_text: str
    schedule: Schedule
    metadata: dict[str, Any]
    status: str = ACTIVATED
    scheduled_at: datetime | None = None
    timer: Timer | None = field(default=None, repr=False)
    run: Run | None = field(default=None, repr=False)
    message_problems: list[FieldProblem] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.set_metadata(self.metadata)

    def set_metadata(self, metadata: dict[str, Any]) -> None:
        """Store metadata and what is wrong with it as a message (checked once, not at every fire)."""
        self.metadata = metadata
        self.message_problems = message_problems(message_request("", "", metadata))

    def summary(self) -> dict[str, Any]:
        """The event as a batch result: everything but the metadata."""
        return {
            "uid": self.uid,
            "status": self.status,
            "schedule": self.schedule_text,
            "frequency": self.schedule_text,
            "event_type": self.schedule.event_type,
            "scheduled_at": scheduled_at_text(self.scheduled_at),
        }

    def to_json(self) -> dict[str, Any]:
        return {**self.summary(), "metadata": self.metadata}


@dataclass
class Project:
    events: dict[str, Event] = field(default_factory=dict)  # in creation order
    uids: MessageUids = field(default_factory=MessageUids)


def target_status(current: str, requested: str | None, new_schedule: bool) -> str:
    """PA-UPDATE-STATUS: `active`/`activated` or `suspend` wins; a new schedule revives a completed event."""
    if requested is not None:
        return SUSPEND if requested == SUSPEND else ACTIVATED
    if new_schedule and current == COMPLETED:
        return ACTIVATED
    return current


def _messages(problems: list[FieldProblem]) -> list[str]:
    return [problem.message for problem in problems]


class PostageBackend:
    def __init__(self, context: VendorContext) -> None:
        self.context = context
        self.projects: Tenants[Project] = Tenants(Project)
        self._sent = 0

    # events

    def create(self, tenant: str, fields: dict[str, Any], now: datetime) -> Event:
        project = self.projects[tenant]
        problems, draft = check_event(fields, now, project.events.__contains__)
        if draft is None:
            raise Invalid(_messages(problems))
        return self._add(tenant, project, draft, now)

    def create_many(self, tenant: str, fields: dict[str, Any], now: datetime) -> list[Event]:
        project = self.projects[tenant]
        limit = int(self.context.knob("batch_max_events"))
        drafts = check_batch(fields, now, project.events.__contains__, limit)
        return [self._add(tenant, project, draft, now) for draft in drafts]

    def get(self, tenant: str, uid: str) -> Event:
        project = self.projects.peek(tenant)
        event = project.events.get(uid) if project else None
        if event is None:
            raise EventNotFound(uid)
        return event

    def update(self, tenant: str, fields: dict[str, Any], now: datetime) -> Event:
        problems, schedule = check_update(fields, now)
        if has_problem(problems, "uid"):
            raise Invalid(_messages(problems))
        event = self.get(tenant, fields["uid"])
        if problems:
            raise Invalid(_messages(problems))
        status = target_status(event.status, fields.get("status"), schedule is not None)
        next_fire = (schedule or event.schedule).next_after(now) if status == ACTIVATED else None
        if status == ACTIVATED and next_fire is None:
            raise Invalid(["[:schedule] is in the past"])  # resuming a one-off whose instant has passed
        if schedule is not None:
            event.schedule_text, event.schedule = fields["schedule"], schedule
        if "metadata" in fields:
            event.set_metadata(fields["metadata"])
        event.status = status
        self._arm(tenant, event, next_fire)
        return event

    def page(self, tenant: str, page: int, per_page: int) -> list[Event]:
        project = self.projects.peek(tenant)
        events = project.events.values() if project else ()
        return window(events, (page - 1) * per_page, per_page)

    def delete(self, tenant: str, uid: str) -> None:
        event = self.get(tenant, uid)
        self._arm(tenant, event, None)
        del self.projects[tenant].events[uid]

    def _add(self, tenant: str, project: Project, draft: EventDraft, now: datetime) -> Event:
        uid = draft.uid if draft.uid is not None else self._new_uid(project.events.__contains__)
        event = Event(uid, draft.schedule_text, draft.schedule, draft.metadata)
        project.events[uid] = event
        self._arm(tenant, event, draft.schedule.next_after(now))
        return event

    def _new_uid(self, taken: Taken) -> str:
        """PA-UID-DEFAULT: a UUID v4 from the vendor's seeded stream."""
        while True:
            uid = self.context.ids.uuid4()
            if not taken(uid):
                return uid

    # timers

    def _arm(self, tenant: str, event: Event, due: datetime | None, run: Run | None = None) -> None:
        """(Re)arm at `due`, or disarm when None; arming without the current `run` starts a new one."""
        if event.timer is not None:
            event.timer.cancel()
        event.timer, event.run, event.scheduled_at = None, run, due
        if due is not None:
            event.timer = self.context.at(due, functools.partial(self._fire, tenant, event))

    def _fire(self, tenant: str, event: Event, due: datetime) -> None:
        """PA-KEY-MERGE: execute send_message with the metadata; re-arm, or complete a one-off."""
        uids = self.projects[tenant].uids
        request = message_request(tenant, fire_uid(event.uid, due), event.metadata)
        problem = uid_problem(request, uids.direct.__contains__)  # fires never repeat a fire's uid
        problem = problem or next(iter(event.message_problems), None)
        error = problem.message if problem else None
        run = uids.note_fire(event.uid, event.run, event.schedule, due)
        self._record(tenant, event.uid, request, error, due)
        following = event.schedule.next_after(due)
        if following is None:
            event.status = COMPLETED  # PA-ONE-OFF-COMPLETE
        self._arm(tenant, event, following, run)

    # messages

    def send(self, tenant: str, body: dict[str, Any], now: datetime) -> tuple[str, str]:
        """A direct send_message; returns (uid, message id) or raises `Invalid` with the first problem."""
        uids = self.projects[tenant].uids
        problem = uid_problem(body, uids.taken) or next(iter(message_problems(body)), None)
        if problem is not None:
            raise Invalid([problem.message])
        uid = body["uid"] if "uid" in body else self._new_uid(uids.taken)
        uids.direct.add(uid)
        request = message_request(tenant, uid, body)
        return uid, str(self._record(tenant, None, request, None, now))

    def _record(
        self, tenant: str, event_uid: str | None, request: dict[str, Any], error: str | None, at: datetime
    ) -> str | None:
        """One `send_message` outbox entry; a valid message takes the next message id."""
        message_id = None
        if error is None:
            message_id = str(int(self.context.knob("message_id_start")) + self._sent)
            self._sent += 1
        self.context.outbox.add(
            vendor=self.context.name,
            tenant=tenant,
            kind="send_message",
            resource_id=event_uid if event_uid is not None else request["uid"],
            destination=destination(request),
            at=at,
            payload=payload(
                source="api" if event_uid is None else "scheduled_event",
                event_uid=event_uid,
                request=request,
                message_id=message_id,
                error=error,
            ),
        )
        return message_id


def describe(backend: PostageBackend) -> dict[str, list[dict[str, Any]]]:
    """Events per project, for the dashboard."""
    return {
        tenant: [
            {key: value for key, value in event.summary().items() if key != "frequency"}
            for event in project.events.values()
        ]
        for tenant, project in backend.projects.items()
    }
