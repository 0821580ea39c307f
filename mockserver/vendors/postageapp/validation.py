"""Checking a method's fields: merging `arguments`, the spec's checkers, then the rules code owns.

Shapes, lengths and enums come from the `x-fields` schemas of `schemas/postageapp.openapi.yaml`
(one problem per field, in the schema's field order); the schedule grammar, past one-off
schedules and taken uids are checked here, only on fields whose shape is right.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockserver.core.errors import FieldProblem
from mockserver.core.spec import load_spec
from mockserver.vendors.postageapp.schedule import InvalidSchedule, Schedule, parse_schedule

SPEC = load_spec("postageapp")
SEND_MESSAGE = "sendMessage"  # keeps its own shape: uid top-level, message fields in arguments
UID_TAKEN = "[:uid, :project id] is already taken"
_TOKEN = re.compile(r"\[(\d+)\]|([^.\[\]]+)")

Taken = Callable[[str], bool]


class Invalid(Exception):
    """A method's fields break a rule; `errors` are the vendor's strings, in field order."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors[0] if errors else "invalid")
        self.errors = errors


class FieldsSchema:
    """One schema of the spec's components: its checker and its order of fields."""

    def __init__(self, name: str) -> None:
        self.schema = SPEC.schema(name)
        self.checker = SPEC.checker(self.schema)

    def problems(self, value: Any) -> list[FieldProblem]:
        return sorted(self.checker.problems(value), key=self.rank)

    def rank(self, problem: FieldProblem) -> tuple[int, ...]:
        """Position of a field path (`arguments.recipients[0]`) in the schema's property order."""
        key: list[int] = []
        schema: Mapping[str, Any] = self.schema
        for index, name in _TOKEN.findall(problem.field):
            if index:
                key.append(int(index))
                schema = SPEC.resolve(schema.get("items", {}))
                continue
            properties = schema.get("properties", {})
            key.append(list(properties).index(name) if name in properties else len(properties))
            schema = SPEC.resolve(properties.get(name, {}))
        return tuple(key)


def fields_of(operation_id: str) -> FieldsSchema:
    """The schema an operation's merged fields are checked with (its `x-fields`)."""
    return FieldsSchema(SPEC.operation(operation_id).extensions["x-fields"])


CREATE = fields_of("createScheduledEvent")
BATCH = fields_of("createScheduledEvents")
UPDATE = fields_of("updateScheduledEvent")
UID = fields_of("getScheduledEvent")  # and deleteScheduledEvent
LIST = fields_of("listScheduledEvents")
MESSAGE = fields_of(SEND_MESSAGE)
MESSAGE_UID = SPEC.checker(MESSAGE.schema["properties"]["uid"], ("uid",))


@dataclass(frozen=True)
class EventDraft:
    """A create definition that passed every check."""

    uid: str | None
    schedule_text: str
    schedule: Schedule
    metadata: dict[str, Any]


def merged_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """PA-ARGUMENTS: top-level fields, overridden by those of an `arguments` object; never `api_key`."""
    fields = {name: value for name, value in body.items() if name not in ("api_key", "arguments")}
    arguments = body.get("arguments")
    if isinstance(arguments, dict):
        fields.update((name, value) for name, value in arguments.items() if name != "api_key")
    return fields


def carried_uid(body: Any, operation_id: str) -> str | None:
    """The uid a request carried, for error envelopes: merged for event methods, top-level for messages."""
    if not isinstance(body, dict):
        return None
    uid = body.get("uid") if operation_id == SEND_MESSAGE else merged_fields(body).get("uid")
    return uid if isinstance(uid, str) else None


def has_problem(problems: list[FieldProblem], name: str) -> bool:
    return any(p.field == name or p.field.startswith((f"{name}.", f"{name}[")) for p in problems)


def read_schedule(text: str, now: datetime) -> tuple[Schedule | None, FieldProblem | None]:
    """PA-SCHEDULE-FORMAT and PA-SCHEDULE-FUTURE for a string the schema accepted."""
    try:
        schedule = parse_schedule(text, now)
    except InvalidSchedule:
        return None, FieldProblem("schedule", "[:schedule] is invalid", "PA-SCHEDULE-FORMAT")
    if schedule.next_after(now) is None:
        return None, FieldProblem("schedule", "[:schedule] is in the past", "PA-SCHEDULE-FUTURE")
    return schedule, None


def check_event(fields: Any, now: datetime, taken: Taken) -> tuple[list[FieldProblem], EventDraft | None]:
    """Every problem of one create definition, in field order, or the draft to create."""
    problems = CREATE.problems(fields)
    if not isinstance(fields, dict):
        return problems, None
    uid = fields.get("uid")
    if "uid" in fields and not has_problem(problems, "uid") and taken(uid):
        problems.append(FieldProblem("uid", UID_TAKEN, "PA-UID-UNIQUE"))
    schedule = None
    if not has_problem(problems, "schedule"):
        schedule, problem = read_schedule(fields["schedule"], now)
        problems.extend([problem] if problem else [])
    if problems or schedule is None:
        return sorted(problems, key=CREATE.rank), None
    return [], EventDraft(uid, fields["schedule"], schedule, fields["metadata"])


def check_batch(fields: dict[str, Any], now: datetime, taken: Taken, limit: int) -> list[EventDraft]:
    """PA-BATCH-ATOMIC: every event valid (uids unique across project and batch), or `Invalid`."""
    shape = [problem for problem in BATCH.problems(fields) if problem.field == "events"]
    if shape:
        raise Invalid([shape[0].message])
    if len(fields["events"]) > limit:
        raise Invalid([f"[:events] is too long (maximum is {limit} events)"])
    errors: list[str] = []
    drafts: list[EventDraft] = []
    seen: set[str] = set()
    for index, item in enumerate(fields["events"]):
        problems, draft = check_event(item, now, lambda uid: taken(uid) or uid in seen)
        errors.extend(f"events[{index}]: {problem.message}" for problem in problems)
        if isinstance(item, dict) and isinstance(item.get("uid"), str):
            seen.add(item["uid"])
        if draft is not None:
            drafts.append(draft)
    if errors:
        raise Invalid(errors)
    return drafts


def check_update(fields: dict[str, Any], now: datetime) -> tuple[list[FieldProblem], Schedule | None]:
    """Problems of an update's fields (a new schedule is read as on create) and the new schedule."""
    problems = UPDATE.problems(fields)
    schedule = None
    if "schedule" in fields and not has_problem(problems, "schedule"):
        schedule, problem = read_schedule(fields["schedule"], now)
        problems.extend([problem] if problem else [])
    return sorted(problems, key=UPDATE.rank), schedule


def check_uid(fields: dict[str, Any]) -> str:
    """The uid of get and delete, or `Invalid`."""
    problems = UID.problems(fields)
    if problems:
        raise Invalid([problem.message for problem in problems])
    return str(fields["uid"])


def check_paging(fields: dict[str, Any], largest: int) -> tuple[int, int]:
    """PA-LIST-PAGING: (page, per_page), defaults from the spec, per_page clamped to `largest`."""
    problems = LIST.problems(fields)
    if problems:
        raise Invalid([problem.message for problem in problems])
    defaults = LIST.schema["properties"]
    page = fields.get("page", defaults["page"]["default"])
    per_page = fields.get("per_page", defaults["per_page"]["default"])
    return int(page), min(int(per_page), largest)


def message_problems(request: Mapping[str, Any]) -> list[FieldProblem]:
    """Schema problems of a send_message request (its uid aside), in field order."""
    return [problem for problem in MESSAGE.problems(request) if problem.field != "uid"]


def uid_problem(request: Mapping[str, Any], taken: Taken) -> FieldProblem | None:
    """The problem of a send_message uid: its form, then PA-MSG-UID-UNIQUE."""
    if "uid" not in request:
        return None
    found = MESSAGE_UID.problems(request["uid"])
    if found:
        return found[0]
    if taken(request["uid"]):
        message = f"Uid {request['uid']} already exists. Assuming message duplication."
        return FieldProblem("uid", message, "PA-MSG-UID-UNIQUE")
    return None
