"""How a vendor request is answered, in the order CONTRACTS.md 0.1 fixes.

route -> size -> auth -> body parse -> schema and body rules -> gate (rate limits) ->
handler -> due timers. Every failure is a `MockError` that the vendor's renderer turns into
its own envelope; headers a gate or an error carries, and the vendor's `response_headers`
(rate-limit state, say), are added to whatever is answered.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from mockserver.core.body import parse_json, parse_json_object, read_body
from mockserver.core.errors import MethodNotAllowed, MockError, RouteNotFound, ValidationFailed
from mockserver.core.spec import Operation
from mockserver.core.state import MockState
from mockserver.core.vendor import Call, VendorSpec

TENANT_SCOPE_KEY = "mockserver.tenant"
STATUS_SCOPE_KEY = "mockserver.status"  # the status answered, for the journal (no send wrapper needed)
NO_QUERY: dict[str, str] = {}


class RequestHeaders(Headers):
    """Starlette's read-only `Headers` over a request's raw list (not a copy of it), answering
    a lookup of a missing name without raising and catching a `KeyError` inside `get`. Names
    are matched lower-cased, as ASGI servers send them and as `Headers` matches them; the
    first value of a repeated name wins, as in `Headers`."""

    def __init__(self, scope: Scope) -> None:
        raw = scope["headers"]
        if not isinstance(raw, list):
            raw = scope["headers"] = list(raw)
        super().__init__(raw=raw)

    def _first(self, key: str) -> bytes | None:
        name = key.lower().encode("latin-1")
        for header_name, value in self._list:
            if header_name == name:
                return value
        return None

    def get(self, key: str, default: Any = None) -> Any:
        value = self._first(key)
        return default if value is None else value.decode("latin-1")

    def __getitem__(self, key: str) -> str:
        value = self._first(key)
        if value is None:
            raise KeyError(key)
        return value.decode("latin-1")

    def __contains__(self, key: Any) -> bool:
        return self._first(key) is not None


class VendorRequest(Request):
    """A `Request` whose `headers` are `RequestHeaders`, made up front (every vendor route reads them)."""

    def __init__(self, scope: Scope, receive: Receive) -> None:
        super().__init__(scope, receive)
        self._headers = RequestHeaders(scope)


class VendorApp:
    """The ASGI app behind one vendor's path prefixes."""

    def __init__(self, vendor: VendorSpec, state: MockState) -> None:
        self.vendor = vendor
        self.state = state
        self.spec = vendor.spec

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = VendorRequest(scope, receive)
        extra_headers: dict[str, str] = {}
        try:
            response = await self.answer(request, extra_headers)
        except MockError as error:
            response = self.vendor.render_error(error, scope["path"])
            extra_headers.update(error.headers)
        if self.vendor.response_headers is not None:
            extra_headers.update(self.vendor.response_headers(request, self.state.backends[self.vendor.name]))
        for name, value in extra_headers.items():
            response.headers[name] = value
        scope[STATUS_SCOPE_KEY] = response.status_code
        await response(scope, receive, send)

    async def answer(self, request: Request, extra_headers: dict[str, str]) -> Response:
        operation, path_params = self._route(request)
        raw = await read_body(request, int(self.state.config["max_body_bytes"]))
        context = self.state.contexts[self.vendor.name]
        body: Any = parse_json(raw) if self.vendor.parse_before_auth else None
        tenant = ""
        if operation.needs_auth:
            tenant = self.vendor.authenticate(request.headers, body, context, operation)
            request.scope[TENANT_SCOPE_KEY] = tenant
        if operation.body is not None and not self.vendor.parse_before_auth:
            body = parse_json_object(raw, request.headers, self.vendor.require_json_content_type)
        params = self._validate(operation, path_params, request, body)
        backend = self.state.backends[self.vendor.name]
        call = Call(request, tenant, params, body, backend, context.now(), raw, operation, context)
        if self.vendor.gate is not None:
            extra_headers.update(self.vendor.gate(call))
        response = self.vendor.handlers[operation.operation_id](call)
        self.state.run_due()
        return response

    def _route(self, request: Request) -> tuple[Operation, dict[str, str]]:
        path = request.scope["path"]
        if self.vendor.canonical_path is not None:
            path = self.vendor.canonical_path(path)
        found = self.spec.match(path)
        if found is None:
            raise RouteNotFound("Unknown path")
        route, path_params = found
        operation = route.operations.get(request.method)
        if operation is None:
            raise MethodNotAllowed(route.allowed)
        return operation, path_params

    def _validate(
        self, operation: Operation, path_params: dict[str, str], request: Request, body: Any
    ) -> dict[str, Any]:
        query = request.query_params if request.scope["query_string"] else NO_QUERY
        params, problems = operation.check_params(path_params, query)
        if operation.body is not None:
            problems.extend(operation.body.problems(body))
            rule = self.vendor.body_rules.get(operation.operation_id)
            if rule is not None:
                problems.extend(rule(body))
        if len(problems) > 1:
            problems.sort(key=operation.field_rank)
        if problems:
            raise ValidationFailed(problems)
        return params
