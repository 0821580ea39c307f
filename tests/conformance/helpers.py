"""Running the suite in-process against an app, and looking inside the app afterwards."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from conformance.context import RunSettings
from conformance.runner import Runner, RunResult
from conformance.target import AppTarget

SETTINGS = RunSettings(seed=7, max_examples=3)


def run_suite(app: ASGIApp, settings: RunSettings = SETTINGS, **options: Any) -> RunResult:
    """The whole Qonversion suite against `app` (options: only, credentials; target options: budget, ...)."""
    runner_options = {name: options.pop(name) for name in ("only", "credentials") if name in options}
    with AppTarget(app, **options) as target:
        return Runner(target, settings, vendors=["qonversion"], **runner_options).run()


def not_passed(result: RunResult) -> dict[str, str]:
    return {r.rule: f"{r.status}: {r.reason}" for r in result.results if r.status != "passed" or r.warnings}


def reports_left(app: Starlette) -> dict[str, list[str]]:
    """Every tenant's remaining report ids, read from the mock's own state."""
    backend = app.state.mock.backends["qonversion"]
    return {tenant: list(reports) for tenant, reports in backend.tenants.items() if reports}


def without_control_plane(app: ASGIApp) -> ASGIApp:
    """The app as a user's own fake would look: `/_mock` answers 404."""

    async def hidden(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/_mock"):
            await JSONResponse({"error": "not here"}, status_code=404)(scope, receive, send)
            return
        await app(scope, receive, send)

    return hidden


class CountingTransport(httpx.BaseTransport):
    """Counts what really goes out; optionally raises `interrupt` instead of sending request number `stop_at`."""

    def __init__(self, inner: httpx.BaseTransport, stop_at: int | None = None) -> None:
        self.inner = inner
        self.count = 0
        self.stop_at = stop_at
        self.methods: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.stop_at is not None and self.count + 1 == self.stop_at:
            raise KeyboardInterrupt
        self.count += 1
        self.methods.append(f"{request.method} {request.url.path}")
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()
