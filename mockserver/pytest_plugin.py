"""The pytest plugin (entry point `pytest11`): fixtures giving each test an isolated mock.

- `mock_api`: a fresh in-process mock per test, no socket; `mock_api.client` is an httpx
  client for it. Apps and clients are built once per session and restarted per test (new
  clock, default config, no data), so a test pays microseconds for its mock.
- `mock_api_server`: the same behind a real uvicorn server on a free port, for clients that
  need a URL (`mock_api_server.base_url`).
- `@pytest.mark.mockserver(start_time=..., seed=..., config=..., vendors=..., clock=...)`.
Each pytest-xdist worker is its own process with its own mocks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from mockserver.app import create_app
from mockserver.core.clock import DEFAULT_START, ClockMode, VirtualClock
from mockserver.core.timefmt import parse_instant
from mockserver.inprocess import client_for
from mockserver.live import LiveServer
from mockserver.testing import MockApi

MARKER = "mockserver"
MARKER_HELP = (
    "mockserver(start_time=None, seed=0, config=None, vendors=None, clock='frozen'): "
    "set up the mock_api / mock_api_server fixtures for this test"
)


@dataclass(frozen=True)
class MockSettings:
    start_time: datetime = DEFAULT_START
    seed: int = 0
    config: Mapping[str, Any] = field(default_factory=dict)
    vendors: tuple[str, ...] | None = None
    clock: ClockMode = "frozen"

    @classmethod
    def from_marker(cls, marker: pytest.Mark | None) -> MockSettings:
        options = dict(marker.kwargs) if marker else {}
        start = options.get("start_time") or DEFAULT_START
        vendors = options.get("vendors")
        return cls(
            start_time=parse_instant(start) if isinstance(start, str) else start,
            seed=int(options.get("seed", 0)),
            config=dict(options.get("config") or {}),
            vendors=tuple(vendors) if vendors else None,
            clock=options.get("clock", "frozen"),
        )


class MockFactory:
    """Session-wide: one app (and client or server) per kind and vendor selection, restarted per test.

    The in-process and the live mock are separate apps, so a test using both has two mocks.
    """

    def __init__(self) -> None:
        self._apps: dict[tuple[str, tuple[str, ...] | None], Starlette] = {}
        self._clients: dict[tuple[str, ...] | None, httpx.Client] = {}
        self._servers: dict[tuple[str, ...] | None, tuple[LiveServer, httpx.Client]] = {}

    def app(self, settings: MockSettings, kind: str = "in_process") -> Starlette:
        key = (kind, settings.vendors)
        app = self._apps.get(key)
        if app is None:
            app = self._apps[key] = create_app(vendors=settings.vendors)
        state = app.state.mock
        state.restart(VirtualClock(settings.start_time, settings.clock), {"seed": settings.seed, **settings.config})
        return app

    def in_process(self, settings: MockSettings) -> MockApi:
        app = self.app(settings)
        client = self._clients.get(settings.vendors)
        if client is None:
            client = self._clients[settings.vendors] = client_for(app)
        return _handle(client, app)

    def live(self, settings: MockSettings) -> MockApi:
        app = self.app(settings, "live")
        if settings.vendors not in self._servers:
            server = LiveServer(app).start()
            self._servers[settings.vendors] = (server, httpx.Client(base_url=server.url))
        return _handle(self._servers[settings.vendors][1], app)

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        for server, client in self._servers.values():
            client.close()
            server.stop()


def _handle(client: httpx.Client, app: Starlette) -> MockApi:
    state = app.state.mock
    prefixes = {name: vendor.prefixes for name, vendor in state.vendors.items()}
    return MockApi(client, list(state.vendors), prefixes)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER_HELP)


@pytest.fixture(scope="session")
def mock_api_factory() -> Iterator[MockFactory]:
    """Builds the mocks; override it to customise how they are made."""
    factory = MockFactory()
    yield factory
    factory.close()


@pytest.fixture
def mock_api(request: pytest.FixtureRequest, mock_api_factory: MockFactory) -> MockApi:
    """A fresh in-process mock: `mock_api.client` calls it without a socket."""
    return mock_api_factory.in_process(MockSettings.from_marker(request.node.get_closest_marker(MARKER)))


@pytest.fixture
def mock_api_server(request: pytest.FixtureRequest, mock_api_factory: MockFactory) -> MockApi:
    """A fresh mock behind a real HTTP server: give `mock_api_server.base_url` to any client."""
    return mock_api_factory.live(MockSettings.from_marker(request.node.get_closest_marker(MARKER)))
