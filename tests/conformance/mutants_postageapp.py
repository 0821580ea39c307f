"""Deliberately broken variants of the PostageApp mock, each breaking exactly one documented rule.

A mutant changes one fresh `create_app()` only: it swaps that app's PostageApp entry (handlers,
error renderer, authenticator or backend class) and never patches a module, so nothing leaks
into other apps or tests.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response

from mockserver.core.errors import MalformedBody, MethodNotAllowed, MockError, RouteNotFound
from mockserver.core.vendor import Call
from mockserver.vendors.postageapp.errors import EventNotFound, envelope
from mockserver.vendors.postageapp.models import ACTIVATED, COMPLETED, SUSPEND, Event, PostageBackend, Project
from mockserver.vendors.postageapp.schedule import CronSchedule, OneOffSchedule, normalise, parse_schedule
from mockserver.vendors.postageapp.validation import EventDraft, Invalid, merged_fields
from tests.conformance import surgery
from tests.conformance.surgery import Mutant

VENDOR = "postageapp"
vendor_app = functools.partial(surgery.vendor_app, vendor=VENDOR)
replace_vendor = functools.partial(surgery.replace_vendor, vendor=VENDOR)
wrap_handler = functools.partial(surgery.wrap_handler, vendor=VENDOR)
wrap_renderer = functools.partial(surgery.wrap_renderer, vendor=VENDOR)
EVENT_METHODS = (
    "createScheduledEvent",
    "getScheduledEvent",
    "updateScheduledEvent",
    "listScheduledEvents",
    "deleteScheduledEvent",
)


def wrap_handlers(app: Starlette, operations: tuple[str, ...], wrapper: surgery.Wrapper) -> None:
    for operation in operations:
        wrap_handler(app, operation, wrapper)


def with_backend(backend: type[PostageBackend]) -> Callable[[Starlette], None]:
    return lambda app: replace_vendor(app, make_backend=backend)


# ---------------------------------------------------------------- transport


def _empty_key_accepted(app: Starlette) -> None:
    original = vendor_app(app).vendor.authenticate

    def authenticate(headers: Any, body: Any, context: Any, operation: Any) -> str:
        if isinstance(body, dict) and body.get("api_key") == "":
            return "(the empty key)"
        return original(headers, body, context, operation)

    replace_vendor(app, authenticate=authenticate)


def _malformed_as_400(app: Starlette) -> None:
    def render(error: MockError, path: str, original: Callable[..., Response]) -> Response:
        if isinstance(error, MalformedBody) and error.reason != "not_object":
            return JSONResponse(envelope(path, "bad_request", None, "Bad request"), status_code=400)
        return original(error, path)

    wrap_renderer(app, render)


def _405_without_allow(app: Starlette) -> None:
    def render(error: MockError, path: str, original: Callable[..., Response]) -> Response:
        response = original(error, path)
        if isinstance(error, MethodNotAllowed):
            del response.headers["allow"]
        return response

    wrap_renderer(app, render)


def _not_object_as_406(app: Starlette) -> None:
    def render(error: MockError, path: str, original: Callable[..., Response]) -> Response:
        if isinstance(error, MalformedBody) and error.reason == "not_object":
            body = envelope(path, "invalid_json", None, "The posted content is not valid JSON.")
            return JSONResponse(body, status_code=406)
        return original(error, path)

    wrap_renderer(app, render)


def _unknown_method_as_400(app: Starlette) -> None:
    def render(error: MockError, path: str, original: Callable[..., Response]) -> Response:
        if isinstance(error, RouteNotFound):
            return JSONResponse(envelope(path, "bad_request", None, "Bad request"), status_code=400)
        return original(error, path)

    wrap_renderer(app, render)


def _top_level_wins(app: Starlette) -> None:
    def top_wins(call: Call, original: Callable[[Call], Response]) -> Response:
        if not isinstance(call.body, dict) or not isinstance(call.body.get("arguments"), dict):
            return original(call)
        top = {name: value for name, value in call.body.items() if name not in ("api_key", "arguments")}
        body = {**call.body, "arguments": {**call.body["arguments"], **top}}
        return original(dataclasses.replace(call, body=body))

    wrap_handlers(app, EVENT_METHODS, top_wins)


def _blank_uid_not_found(app: Starlette) -> None:
    def get(call: Call, original: Callable[[Call], Response]) -> Response:
        if "uid" not in merged_fields(call.body):
            raise EventNotFound(None)
        return original(call)

    wrap_handlers(app, ("getScheduledEvent",), get)


def _other_projects_visible(app: Starlette) -> None:
    def get(call: Call, original: Callable[[Call], Response]) -> Response:
        uid = merged_fields(call.body).get("uid")
        for _, project in call.backend.projects.items():
            if isinstance(uid, str) and uid in project.events:
                return JSONResponse({"response": {"status": "ok", "uid": uid}, "data": project.events[uid].to_json()})
        return original(call)

    wrap_handlers(app, ("getScheduledEvent",), get)


def _create_omits_frequency(app: Starlette) -> None:
    def create(call: Call, original: Callable[[Call], Response]) -> Response:
        response = original(call)
        body = json.loads(bytes(response.body))
        body["data"].pop("frequency", None)
        return JSONResponse(body)

    wrap_handlers(app, ("createScheduledEvent",), create)


def _per_page_ignored(app: Starlette) -> None:
    def listing(call: Call, original: Callable[[Call], Response]) -> Response:
        body = {name: value for name, value in call.body.items() if name != "per_page"}
        if isinstance(body.get("arguments"), dict):
            body["arguments"] = {name: value for name, value in body["arguments"].items() if name != "per_page"}
        return original(dataclasses.replace(call, body=body))

    wrap_handlers(app, ("listScheduledEvents",), listing)


# ---------------------------------------------------------------- backends

EVERY_60 = re.compile(r"every ([0-9]+) (minutes?|mins?)")
ZONELESS = re.compile(r"\s*[0-9]{4}-[0-9]{2}-[0-9]{2}[tT ][0-9]{2}:[0-9]{2}(:[0-9]{2})?\s*")


class EverySixtyMinutes(PostageBackend):
    """`every N minutes` with N over 59 is taken as hourly."""

    def create(self, tenant: str, fields: dict[str, Any], now: datetime) -> Event:
        found = EVERY_60.fullmatch(normalise(str(fields.get("schedule"))))
        if found and int(found.group(1)) >= 60:
            draft = EventDraft(fields.get("uid"), fields["schedule"], CronSchedule("0 * * * *"), fields["metadata"])
            return self._add(tenant, self.projects[tenant], draft, now)
        return super().create(tenant, fields, now)


class LongUidAccepted(PostageBackend):
    """A uid over 255 characters is accepted (and cut to 255)."""

    def create(self, tenant: str, fields: dict[str, Any], now: datetime) -> Event:
        uid = fields.get("uid")
        if isinstance(uid, str) and len(uid) > 255:
            fields = {**fields, "uid": uid[:255]}
        return super().create(tenant, fields, now)


class Defaults(PostageBackend):
    """A missing schedule or metadata gets a default (which one: `DEFAULTS`)."""

    DEFAULTS: dict[str, Any] = {}

    def create(self, tenant: str, fields: dict[str, Any], now: datetime) -> Event:
        return super().create(tenant, {**self.DEFAULTS, **fields}, now)


class ScheduleDefaultsDaily(Defaults):
    DEFAULTS = {"schedule": "@daily"}


class MetadataDefaultsEmpty(Defaults):
    DEFAULTS = {"metadata": {}}


class PausedIsSuspend(PostageBackend):
    """status `paused` is taken as `suspend`."""

    def update(self, tenant: str, fields: dict[str, Any], now: datetime) -> Event:
        if fields.get("status") == "paused":
            fields = {**fields, "status": "suspend"}
        return super().update(tenant, fields, now)


class PastOneOffAccepted(PostageBackend):
    """A one-off whose instant has passed is created anyway (and never fires)."""

    def create(self, tenant: str, fields: dict[str, Any], now: datetime) -> Event:
        try:
            return super().create(tenant, fields, now)
        except Invalid as error:
            if error.errors != ["[:schedule] is in the past"]:
                raise
            schedule = parse_schedule(fields["schedule"], now)
            draft = EventDraft(fields.get("uid"), fields["schedule"], schedule, fields["metadata"])
            return self._add(tenant, self.projects[tenant], draft, now)


class TakenUidOverwrites(PostageBackend):
    """Creating a taken uid replaces the event."""

    def create(self, tenant: str, fields: dict[str, Any], now: datetime) -> Event:
        uid = fields.get("uid") if isinstance(fields, dict) else None
        if isinstance(uid, str) and uid in self.projects[tenant].events:
            self.delete(tenant, uid)
        return super().create(tenant, fields, now)


class SuspendKeepsScheduledAt(PostageBackend):
    """A suspended event still shows its would-be next fire."""

    def update(self, tenant: str, fields: dict[str, Any], now: datetime) -> Event:
        event = super().update(tenant, fields, now)
        if event.status == SUSPEND:
            event.scheduled_at = event.schedule.next_after(now)
        return event


class OneOffStaysActivated(PostageBackend):
    """A one-off that fired stays `activated` (with no next fire)."""

    def _fire(self, tenant: str, event: Event, due: datetime) -> None:
        super()._fire(tenant, event, due)
        if event.status == COMPLETED:
            event.status = ACTIVATED


class BatchNotAtomic(PostageBackend):
    """A refused batch still creates its valid events."""

    def create_many(self, tenant: str, fields: dict[str, Any], now: datetime) -> list[Event]:
        try:
            return super().create_many(tenant, fields, now)
        except Invalid:
            for item in fields.get("events", []):
                try:
                    self.create(tenant, item, now)
                except Invalid:
                    pass
            raise


class KeyNotMerged(PostageBackend):
    """A fire executes the metadata without the project's api_key."""

    def _record(
        self, tenant: str, event_uid: str | None, request: dict[str, Any], error: str | None, at: datetime
    ) -> str | None:
        if event_uid is not None:
            request = {name: value for name, value in request.items() if name != "api_key"}
        return super()._record(tenant, event_uid, request, error, at)


class ZonelessAsPlusTwo(PostageBackend):
    """An ISO date-time without an offset is read as UTC+02:00."""

    def _add(self, tenant: str, project: Project, draft: EventDraft, now: datetime) -> Event:
        if isinstance(draft.schedule, OneOffSchedule) and ZONELESS.fullmatch(draft.schedule_text):
            shifted = OneOffSchedule(draft.schedule.instant - timedelta(hours=2))
            draft = dataclasses.replace(draft, schedule=shifted)
        return super()._add(tenant, project, draft, now)


class EveryCountedFromNow(PostageBackend):
    """`every N minutes` first fires N minutes after its creation, not on the clock's boundary."""

    def _add(self, tenant: str, project: Project, draft: EventDraft, now: datetime) -> Event:
        event = super()._add(tenant, project, draft, now)
        found = EVERY_60.fullmatch(normalise(draft.schedule_text))
        if found:
            self._arm(tenant, event, now.replace(microsecond=0) + timedelta(minutes=int(found.group(1))))
        return event


class GeneratedUidNotUuid(PostageBackend):
    """An omitted uid becomes a counter, not a UUID."""

    def _new_uid(self, taken: Callable[[str], bool]) -> str:
        number = 1
        while taken(f"event-{number}"):
            number += 1
        return f"event-{number}"


class MessageUidReusable(PostageBackend):
    """A direct send_message uid can be used again."""

    def send(self, tenant: str, body: dict[str, Any], now: datetime) -> tuple[str, str]:
        uid, message_id = super().send(tenant, body, now)
        self.projects[tenant].uids.direct.discard(uid)
        return uid, message_id


class ContentOptional(PostageBackend):
    """A message without content or template is sent."""

    def send(self, tenant: str, body: dict[str, Any], now: datetime) -> tuple[str, str]:
        arguments = body.get("arguments")
        if isinstance(arguments, dict) and "content" not in arguments and "template" not in arguments:
            body = {**body, "arguments": {**arguments, "content": {}}}
        return super().send(tenant, body, now)


class RecipientsWithoutAt(PostageBackend):
    """A recipient string without `@` is accepted."""

    def send(self, tenant: str, body: dict[str, Any], now: datetime) -> tuple[str, str]:
        arguments = body.get("arguments")
        recipients = arguments.get("recipients") if isinstance(arguments, dict) else None
        if isinstance(recipients, str) and recipients.strip() and "@" not in recipients and "," not in recipients:
            body = {**body, "arguments": {**arguments, "recipients": recipients + "@"}}  # type: ignore[dict-item]
        return super().send(tenant, body, now)


B = with_backend
MUTANTS = tuple(
    Mutant(*row)
    for row in (
        ("empty-api-key-accepted", "PA-AUTH-KEY", "an empty api_key is a project", _empty_key_accepted),
        ("malformed-json-as-400", "PA-JSON", "bodies that are not JSON get 400 bad_request", _malformed_as_400),
        ("not-object-as-406", "PA-BODY-OBJECT", "a body that is not an object gets 406", _not_object_as_406),
        ("unknown-method-as-400", "PA-METHOD-KNOWN", "an unknown method gets 400", _unknown_method_as_400),
        ("405-without-allow", "PA-POST-ONLY", "the 405 has no Allow header", _405_without_allow),
        ("top-level-fields-win", "PA-ARGUMENTS", "top-level fields win over arguments", _top_level_wins),
        ("other-projects-visible", "PA-PROJECT-SCOPE", "get finds other projects' events", _other_projects_visible),
        ("taken-uid-overwrites", "PA-UID-UNIQUE", "creating a taken uid replaces the event", B(TakenUidOverwrites)),
        ("generated-uid-not-uuid", "PA-UID-DEFAULT", "an omitted uid is event-<n>", B(GeneratedUidNotUuid)),
        ("long-uid-accepted", "PA-UID-FORMAT", "a uid over 255 characters is accepted", B(LongUidAccepted)),
        ("schedule-defaults-daily", "PA-SCHEDULE-REQUIRED", "a missing schedule is @daily", B(ScheduleDefaultsDaily)),
        ("every-60-minutes-accepted", "PA-SCHEDULE-FORMAT", "every N minutes over 59 is hourly", B(EverySixtyMinutes)),
        ("zoneless-as-plus-two", "PA-SCHEDULE-UTC", "zone-less ISO times are read as +02:00", B(ZonelessAsPlusTwo)),
        ("past-one-off-accepted", "PA-SCHEDULE-FUTURE", "a past one-off is created", B(PastOneOffAccepted)),
        ("every-counted-from-now", "PA-EVERY-ALIGNED", "every N minutes counts from creation", B(EveryCountedFromNow)),
        ("metadata-defaults-empty", "PA-METADATA-OBJECT", "a missing metadata is {}", B(MetadataDefaultsEmpty)),
        ("fire-without-key", "PA-KEY-MERGE", "a fire's request lacks the project's api_key", B(KeyNotMerged)),
        ("create-omits-frequency", "PA-CREATE-RESPONSE", "the create answer has no frequency", _create_omits_frequency),
        ("blank-uid-as-not-found", "PA-EVENT-NOT-FOUND", "get without uid answers 404", _blank_uid_not_found),
        ("paused-is-suspend", "PA-UPDATE-STATUS", "status paused is taken as suspend", B(PausedIsSuspend)),
        (
            "suspend-keeps-scheduled-at",
            "PA-SUSPEND-NULL",
            "suspended, it shows a next fire",
            B(SuspendKeepsScheduledAt),
        ),
        ("one-off-stays-activated", "PA-ONE-OFF-COMPLETE", "a fired one-off stays activated", B(OneOffStaysActivated)),
        ("per-page-ignored", "PA-LIST-PAGING", "per_page is ignored (always 250)", _per_page_ignored),
        ("batch-not-atomic", "PA-BATCH-ATOMIC", "a refused batch creates its valid events", B(BatchNotAtomic)),
        ("message-uid-reusable", "PA-MSG-UID-UNIQUE", "a message uid can be used again", B(MessageUidReusable)),
        ("recipients-without-at", "PA-MSG-RECIPIENTS", "a recipient without @ is accepted", B(RecipientsWithoutAt)),
        ("content-optional", "PA-MSG-CONTENT", "a message without content or template is sent", B(ContentOptional)),
    )
)
