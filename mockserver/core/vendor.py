"""What a vendor plugs into the core: a `VendorSpec` of data and functions.

A vendor is one module exporting `VENDOR: VendorSpec`; the core calls its backend factory,
its handlers (keyed by OpenAPI operationId), its authenticator and its error renderer,
and hands it a `VendorContext` with the shared services. The core never imports a vendor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from mockserver.core.auth import TokenStore
from mockserver.core.errors import FieldProblem, MockError
from mockserver.core.failures import FailureRule
from mockserver.core.ids import ContentDigest, IdStream
from mockserver.core.outbox import Outbox
from mockserver.core.ratelimit import RateWindows
from mockserver.core.scheduler import Scheduler, Timer, TimerAction
from mockserver.core.spec import Operation, Spec, load_spec

if TYPE_CHECKING:
    from mockserver.core.state import MockState


@dataclass
class Call:
    """One validated request, as a handler sees it."""

    request: Request
    tenant: str
    params: dict[str, Any]
    body: Any
    backend: Any
    now: datetime
    raw: bytes = b""
    operation: Operation | None = None
    context: VendorContext | None = None


Handler = Callable[[Call], Response]
# (headers, body parsed before auth or None, context, operation) -> tenant; raises Unauthorized/Forbidden
Authenticator = Callable[[Headers, Any, "VendorContext", Operation], str]
BodyRule = Callable[[Any], list[FieldProblem]]
# runs after validation, before the handler; returns headers for the answer or raises (e.g. RateLimited)
Gate = Callable[[Call], Mapping[str, str]]
ErrorRenderer = Callable[[MockError, str], Response]
# (request, backend) -> headers for every answer of the vendor, errors included (rate-limit state, say)
ResponseHeaders = Callable[[Request, Any], Mapping[str, str]]


@dataclass(frozen=True)
class VendorSpec:
    name: str
    prefixes: tuple[str, ...]
    knobs: Mapping[str, Any]
    make_backend: Callable[[VendorContext], Any]
    handlers: Mapping[str, Handler]
    authenticate: Authenticator
    render_error: ErrorRenderer  # (error, request path) -> the vendor's envelope
    knob_schemas: Mapping[str, Any] = field(default_factory=dict)
    body_rules: Mapping[str, BodyRule] = field(default_factory=dict)
    parse_before_auth: bool = False
    require_json_content_type: bool = True
    gate: Gate | None = None
    canonical_path: Callable[[str], str] | None = None  # e.g. "/v.1.1/x" -> "/v.1.0/x.json"
    # (backend getter) -> extra Starlette routes served under /_mock (a vendor's signed file downloads, say)
    control_routes: Callable[[Callable[[], Any]], list[BaseRoute]] | None = None
    response_headers: ResponseHeaders | None = None
    # (backend) -> {tenant: [row, ...]}: what the /_mock/ui dashboard shows of this vendor
    describe: Callable[[Any], Mapping[str, Sequence[Mapping[str, Any]]]] | None = None

    @property
    def spec(self) -> Spec:
        return load_spec(self.name)


class VendorContext:
    """The shared services as one vendor sees them: its clock, knobs, ids and outbox."""

    def __init__(self, vendor: VendorSpec, state: MockState) -> None:
        self.vendor = vendor
        self.name = vendor.name
        self._state = state
        self.ids = IdStream(state.config["seed"], vendor.name)
        self.windows = RateWindows()
        self.tokens = TokenStore()

    def rebind(self, state: MockState) -> None:
        """Serve `state` from now on (a restored state adopted by a running app)."""
        self._state = state

    def reseed(self) -> None:
        self.ids = IdStream(self.seed, self.name)

    def now(self) -> datetime:
        return self._state.clock.now()

    def knob(self, name: str) -> Any:
        return self._state.config.knob(self.name, name)

    @property
    def seed(self) -> int:
        return int(self._state.config["seed"])

    @property
    def scheduler(self) -> Scheduler:
        return self._state.scheduler

    @property
    def outbox(self) -> Outbox:
        return self._state.outbox

    def at(self, due: datetime, action: TimerAction) -> Timer:
        return self._state.scheduler.at(due, action)

    def take_failure(self, name: str | None) -> FailureRule | None:
        """A failure rule (from `POST /_mock/failures`) claiming the item being created, if any."""
        return self._state.failures.take(self.name, name)

    def digest(self, *parts: str) -> ContentDigest:
        return ContentDigest(self.seed, [self.name, *parts])
