"""The control plane under `/_mock`: how tests and CI scripts drive and inspect the mock.

Routes and shapes are the public interface DESIGN.md fixes; errors here use the mock's
own small envelope `{"error": {"code", "message"}}`, never a vendor's.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mockserver.core.body import parse_json_object, read_body
from mockserver.core.clock import CLOCK_MODES, ClockMovedBackwards
from mockserver.core.config import ConfigError
from mockserver.core.dashboard import dashboard_endpoint
from mockserver.core.errors import BodyTooLarge, MockError
from mockserver.core.failures import FailureRuleError
from mockserver.core.faults import FaultRuleError
from mockserver.core.responses import JSONResponse
from mockserver.core.state import MockState
from mockserver.core.timefmt import iso_z, parse_instant

MAX_ADVANCE_SECONDS = 100 * 366 * 86400


class ControlError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def control_error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


Endpoint = Callable[[Request], Awaitable[Response]]


def _guarded(endpoint: Endpoint) -> Endpoint:
    async def guarded(request: Request) -> Response:
        try:
            return await endpoint(request)
        except ControlError as error:
            return control_error_response(error.status, error.code, error.message)
        except MockError as error:  # body too large or not JSON
            status = 413 if isinstance(error, BodyTooLarge) else 400
            return control_error_response(status, "invalid_request", error.message)

    return guarded


class ControlPlane:
    def __init__(self, state: MockState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        table: list[tuple[str, Endpoint, list[str]]] = [
            ("/health", self.health, ["GET"]),
            ("/reset", self.reset, ["POST"]),
            ("/clock", self.get_clock, ["GET"]),
            ("/clock", self.move_clock, ["POST"]),
            ("/outbox", self.outbox, ["GET"]),
            ("/outbox", self.clear_outbox, ["DELETE"]),
            ("/requests", self.requests, ["GET"]),
            ("/faults", self.faults, ["GET"]),
            ("/faults", self.add_fault, ["POST"]),
            ("/faults", self.clear_faults, ["DELETE"]),
            ("/failures", self.failures, ["GET"]),
            ("/failures", self.add_failure, ["POST"]),
            ("/failures", self.clear_failures, ["DELETE"]),
            ("/config", self.get_config, ["GET"]),
            ("/config", self.put_config, ["PUT"]),
            ("/openapi/{vendor}.json", self.openapi, ["GET"]),
        ]
        routes = [Route(path, _guarded(endpoint), methods=methods) for path, endpoint, methods in table]
        return [*routes, Route("/ui", dashboard_endpoint(self.state), methods=["GET"])]

    async def _json_body(self, request: Request) -> dict[str, Any]:
        raw = await read_body(request, int(self.state.config["max_body_bytes"]))
        return parse_json_object(raw, request.headers, require_content_type=False)

    def _clock_json(self) -> dict[str, Any]:
        return {"now": iso_z(self.state.clock.now()), "mode": self.state.clock.mode}

    async def health(self, request: Request) -> Response:
        vendors = list(self.state.vendors)
        return JSONResponse({"status": "ok", "vendors": vendors, "now": iso_z(self.state.clock.now())})

    async def reset(self, request: Request) -> Response:
        self.state.reset()
        return Response(status_code=204)

    async def get_clock(self, request: Request) -> Response:
        return JSONResponse(self._clock_json())

    async def move_clock(self, request: Request) -> Response:
        body = await self._json_body(request)
        moves = [key for key in ("advance_seconds", "set") if key in body]
        if len(moves) > 1 or not moves and "mode" not in body:
            raise ControlError(400, "invalid_request", "give one of advance_seconds, set or mode")
        mode = _clock_mode(body["mode"]) if "mode" in body else None
        to = _instant(body["set"]) if "set" in body else None
        seconds = _seconds(body["advance_seconds"]) if "advance_seconds" in body else None
        try:
            fired = self.state.move_clock(advance_seconds=seconds, to=to)
        except ClockMovedBackwards as error:
            raise ControlError(409, "clock_backwards", str(error)) from error
        if mode is not None:
            self.state.clock.set_mode(mode)
        return JSONResponse({**self._clock_json(), "fired": fired})

    async def outbox(self, request: Request) -> Response:
        entries = self.state.outbox.select(request.query_params)
        return JSONResponse({"data": [entry.to_json() for entry in entries]})

    async def clear_outbox(self, request: Request) -> Response:
        self.state.outbox.clear()
        return Response(status_code=204)

    async def requests(self, request: Request) -> Response:
        limit = _optional_count(request.query_params.get("limit"), "limit")
        return JSONResponse({"data": [entry.to_json() for entry in self.state.journal.latest(limit)]})

    async def faults(self, request: Request) -> Response:
        return JSONResponse({"data": [rule.to_json() for rule in self.state.faults.rules()]})

    async def add_fault(self, request: Request) -> Response:
        body = await self._json_body(request)
        try:
            rule = self.state.faults.add(body, list(self.state.vendors))
        except FaultRuleError as error:
            raise ControlError(400, "invalid_fault", str(error)) from error
        return JSONResponse(rule.to_json(), status_code=201)

    async def clear_faults(self, request: Request) -> Response:
        self.state.faults.clear()
        return Response(status_code=204)

    async def failures(self, request: Request) -> Response:
        return JSONResponse({"data": [rule.to_json() for rule in self.state.failures.rules()]})

    async def add_failure(self, request: Request) -> Response:
        body = await self._json_body(request)
        try:
            rule = self.state.failures.add(body, list(self.state.vendors))
        except FailureRuleError as error:
            raise ControlError(400, "invalid_failure", str(error)) from error
        return JSONResponse(rule.to_json(), status_code=201)

    async def clear_failures(self, request: Request) -> Response:
        self.state.failures.clear()
        return Response(status_code=204)

    async def get_config(self, request: Request) -> Response:
        return JSONResponse(self.state.config.as_dict())

    async def put_config(self, request: Request) -> Response:
        body = await self._json_body(request)
        try:
            self.state.configure(body)
        except ConfigError as error:
            raise ControlError(400, "invalid_config", str(error)) from error
        return JSONResponse(self.state.config.as_dict())

    async def openapi(self, request: Request) -> Response:
        vendor = self.state.vendors.get(request.path_params["vendor"])
        if vendor is None:
            raise ControlError(404, "not_found", f"no vendor named {request.path_params['vendor']}")
        return Response(vendor.spec.json_bytes, media_type="application/json")


def _clock_mode(value: Any) -> Any:
    if value not in CLOCK_MODES:
        raise ControlError(400, "invalid_request", "mode must be frozen or real")
    return value


def _instant(value: Any) -> Any:
    try:
        return parse_instant(value)
    except (TypeError, ValueError, AttributeError) as error:
        raise ControlError(400, "invalid_request", "set must be an ISO-8601 date-time") from error


def _seconds(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ControlError(400, "invalid_request", "advance_seconds must be a number")
    if not 0 <= value <= MAX_ADVANCE_SECONDS:
        raise ControlError(400, "invalid_request", "advance_seconds must be from 0 to 100 years")
    return float(value)


def _optional_count(text: str | None, name: str) -> int | None:
    if text is None:
        return None
    if not text.isdigit():
        raise ControlError(400, "invalid_request", f"{name} must be a whole number")
    return int(text)
