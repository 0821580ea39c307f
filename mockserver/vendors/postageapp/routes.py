"""Thin handlers, one per OpenAPI operationId: merge the fields, ask the backend, answer."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from mockserver.core.responses import JSONResponse
from mockserver.core.vendor import Call, Handler
from mockserver.vendors.postageapp.errors import PostageError
from mockserver.vendors.postageapp.models import Event
from mockserver.vendors.postageapp.validation import (
    SEND_MESSAGE,
    Invalid,
    carried_uid,
    check_paging,
    check_uid,
    merged_fields,
)

MethodHandler = Callable[[Call, dict[str, Any]], Response]


def method(handler: MethodHandler) -> Handler:
    """Give `handler` the method's fields (PA-ARGUMENTS) and answer `Invalid` in the vendor's 400."""

    @functools.wraps(handler)
    def handle(call: Call) -> Response:
        operation_id = call.operation.operation_id if call.operation else ""
        fields = call.body if operation_id == SEND_MESSAGE else merged_fields(call.body)
        try:
            return handler(call, fields)
        except Invalid as error:
            raise _bad_request(call, operation_id, error) from None

    return handle


def _bad_request(call: Call, operation_id: str, error: Invalid) -> PostageError:
    uid = carried_uid(call.body, operation_id)
    summary = call.operation.extensions.get("x-error-message") if call.operation else None
    if summary is None:  # send_message names its first problem
        return PostageError(400, "bad_request", error.errors[0], uid)
    return PostageError(400, "bad_request", summary, uid, error.errors)


def _event_answer(event: Event) -> Response:
    return JSONResponse({"response": {"status": "ok", "uid": event.uid}, "data": event.to_json()})


@method
def create_event(call: Call, fields: dict[str, Any]) -> Response:
    return _event_answer(call.backend.create(call.tenant, fields, call.now))


@method
def create_events(call: Call, fields: dict[str, Any]) -> Response:
    events = call.backend.create_many(call.tenant, fields, call.now)
    return JSONResponse({"response": {"status": "ok", "message": [event.summary() for event in events]}})


@method
def get_event(call: Call, fields: dict[str, Any]) -> Response:
    return _event_answer(call.backend.get(call.tenant, check_uid(fields)))


@method
def update_event(call: Call, fields: dict[str, Any]) -> Response:
    return _event_answer(call.backend.update(call.tenant, fields, call.now))


@method
def list_events(call: Call, fields: dict[str, Any]) -> Response:
    assert call.context is not None
    page, per_page = check_paging(fields, int(call.context.knob("list_max_per_page")))
    events = call.backend.page(call.tenant, page, per_page)
    return JSONResponse({"response": {"status": "ok"}, "data": {"scheduled_events": [e.to_json() for e in events]}})


@method
def delete_event(call: Call, fields: dict[str, Any]) -> Response:
    uid = check_uid(fields)
    call.backend.delete(call.tenant, uid)
    return JSONResponse({"response": {"status": "ok", "uid": uid}, "data": {"uid": uid, "status": "deleted"}})


@method
def send_message(call: Call, fields: dict[str, Any]) -> Response:
    uid, message_id = call.backend.send(call.tenant, fields, call.now)
    return JSONResponse({"response": {"uid": uid, "status": "ok"}, "data": {"message": {"id": message_id}}})


HANDLERS: dict[str, Handler] = {
    "createScheduledEvent": create_event,
    "createScheduledEvents": create_events,
    "getScheduledEvent": get_event,
    "updateScheduledEvent": update_event,
    "listScheduledEvents": list_events,
    "deleteScheduledEvent": delete_event,
    SEND_MESSAGE: send_message,
}
