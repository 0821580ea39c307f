"""The app factory: one Starlette app serving every selected vendor plus the control plane."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount

from mockserver.core.clock import DEFAULT_START, ClockMode, VirtualClock
from mockserver.core.control import ControlPlane, control_error_response
from mockserver.core.dispatch import VendorApp
from mockserver.core.middleware import MockMiddleware
from mockserver.core.state import MockState
from mockserver.core.timefmt import parse_instant
from mockserver.core.vendor import VendorSpec
from mockserver.vendors import REGISTRY


class UnknownVendor(ValueError):
    """A vendor name that is not in the registry."""


def select_vendors(names: Iterable[str] | None) -> list[VendorSpec]:
    if names is None:
        return list(REGISTRY.values())
    unknown = [name for name in names if name not in REGISTRY]
    if unknown:
        raise UnknownVendor(f"unknown vendor(s): {', '.join(unknown)}; known: {', '.join(REGISTRY)}")
    return [REGISTRY[name] for name in dict.fromkeys(names)]


def _vendor_control_routes(state: MockState) -> list[BaseRoute]:
    """Routes a vendor serves under /_mock (signed file downloads, say); they see the live backend."""
    routes: list[BaseRoute] = []
    for name, vendor in state.vendors.items():
        if vendor.control_routes is not None:
            routes.extend(vendor.control_routes(functools.partial(_backend_of, state, name)))
    return routes


def _vendor_apps(state: MockState) -> dict[str, VendorApp]:
    """One dispatcher per served vendor; MockMiddleware picks by the vendor owning the path."""
    return {name: VendorApp(vendor, state) for name, vendor in state.vendors.items()}


def _backend_of(state: MockState, name: str) -> Any:
    return state.backends[name]


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    response = control_error_response(error.status_code, "invalid_request", error.detail)
    response.headers.update(error.headers or {})
    return response


def create_app(
    config: Mapping[str, Any] | None = None,
    *,
    vendors: Iterable[str] | None = None,
    start_time: datetime | str | None = None,
    seed: int = 0,
    clock: ClockMode = "frozen",
    control_token: str | None = None,
) -> Starlette:
    """Build a fresh mock: its own clock, state and control plane, sharing nothing.

    Args:
        config: a partial config document (as in a `--config` file) merged over the defaults.
        vendors: names of the vendors to serve; all of them when None.
        start_time: the clock's start; a fixed instant (2026-11-23T09:00:00Z) when None.
        seed: the global seed for ids, contents and fault draws (a `seed` in config wins).
        clock: "frozen" (moves only when told) or "real" (follows wall time from the start).
        control_token: when given, every `/_mock` route needs it (`X-Control-Token` header).
    """
    start = parse_instant(start_time) if isinstance(start_time, str) else start_time or DEFAULT_START
    merged = {"seed": seed, **(config or {})}
    state = MockState(select_vendors(vendors), VirtualClock(start, clock), merged)
    state.control_token = control_token
    control_routes = ControlPlane(state).routes() + _vendor_control_routes(state)
    app = Starlette(
        routes=[Mount("/_mock", routes=control_routes)],
        middleware=[Middleware(MockMiddleware, state=state, vendor_apps=_vendor_apps(state))],
        exception_handlers={HTTPException: _http_error},
    )
    app.state.mock = state
    return app
