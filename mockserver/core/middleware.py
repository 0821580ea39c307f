"""The outermost layer of every request: due timers, fault rules, the journal, request
listeners (the CLI's log lines) and the split
between the control plane (`/_mock`, Starlette routes) and the vendor APIs (everything else).

Written as plain ASGI (not `BaseHTTPMiddleware`) so that it costs next to nothing on the
hot path.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockserver.core.control import control_error_response
from mockserver.core.dispatch import STATUS_SCOPE_KEY, TENANT_SCOPE_KEY
from mockserver.core.errors import InjectedFault
from mockserver.core.faults import FaultRule
from mockserver.core.guard import control_allowed
from mockserver.core.journal import JournalEntry
from mockserver.core.state import MockState
from mockserver.core.vendor import VendorSpec

CONTROL_PREFIX = "/_mock"


class MockMiddleware:
    def __init__(self, app: ASGIApp, state: MockState, vendor_apps: Mapping[str, ASGIApp]) -> None:
        self.app = app  # the control plane
        self.state = state
        self.vendor_apps = vendor_apps  # by vendor name: everything outside /_mock, whatever characters its path holds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = self.state
        state.run_due()
        started = time.perf_counter()
        path: str = scope["path"]
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            app = self.app if control_allowed(scope, state.control_token) else _refuse_control
            noted = _StatusNoted(send)
            await app(scope, receive, noted)
            self._tell_listeners(self._entry(scope, None, noted.status, started))
            return
        vendor = state.vendor_for_path(path)
        vendor_app = self.vendor_apps[vendor.name] if vendor else _no_vendor
        rule = state.faults.pick(vendor.name if vendor else None, scope["method"], path)
        if rule is None:
            await vendor_app(scope, receive, send)  # it notes its status in the scope
            status = scope.get(STATUS_SCOPE_KEY, 0)
        else:
            noted = _StatusNoted(send)
            if not await _apply_fault(rule, vendor, scope, receive, noted):
                await vendor_app(scope, receive, noted)
            status = noted.status
        entry = self._entry(scope, vendor, status, started)
        state.journal.record(entry)
        if state.request_listeners:
            self._tell_listeners(entry)

    def _entry(self, scope: Scope, vendor: VendorSpec | None, status: int, started: float) -> JournalEntry:
        return JournalEntry(
            scope["method"],
            scope["path"],
            scope.get("query_string", b""),
            status,
            vendor.name if vendor else None,
            scope.get(TENANT_SCOPE_KEY),
            self.state.clock.now(),
            time.perf_counter() - started,
        )

    def _tell_listeners(self, entry: JournalEntry) -> None:
        for listener in self.state.request_listeners:
            listener(entry)


class _StatusNoted:
    """A `send` that notes the status it answers with."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.status = 0

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        await self.send(message)


async def _no_vendor(scope: Scope, receive: Receive, send: Send) -> None:
    response = control_error_response(404, "not_found", "No mocked API serves this path")
    scope[STATUS_SCOPE_KEY] = response.status_code
    await response(scope, receive, send)


async def _refuse_control(scope: Scope, receive: Receive, send: Send) -> None:
    message = "this control plane needs its token (X-Control-Token header or control_token query parameter)"
    await control_error_response(401, "control_token_required", message)(scope, receive, send)


async def _apply_fault(rule: FaultRule, vendor: VendorSpec | None, scope: Scope, receive: Receive, send: Send) -> bool:
    """Delay, then drop or answer as the rule says; False lets the request go on."""
    if rule.delay_ms:
        await asyncio.sleep(rule.delay_ms / 1000)
    if rule.drop_connection:
        # Headers promise a body that never comes: the server closes the connection.
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]})
        return True
    if rule.status is None:
        return False
    response = _fault_response(rule.status, vendor, scope["path"])
    await response(scope, receive, send)
    return True


def _fault_response(status: int, vendor: VendorSpec | None, path: str) -> Response:
    if vendor is None:
        return control_error_response(status, "injected_fault", "Injected fault")
    return vendor.render_error(InjectedFault(status), path)
