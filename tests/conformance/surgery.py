"""Per-app surgery for mutants: swap one vendor's entry in one fresh `create_app()`.

Every helper takes the vendor by keyword; each mutant module binds its own with
`functools.partial`. Nothing here patches a module, so nothing leaks into other apps or tests.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.responses import Response

from mockserver import create_app
from mockserver.core.dispatch import VendorApp
from mockserver.core.errors import FieldProblem, MockError, ValidationFailed
from mockserver.core.vendor import Call

Wrapper = Callable[[Call, Callable[[Call], Response]], Response]


@dataclass(frozen=True)
class Mutant:
    name: str
    rule: str
    breakage: str
    apply: Callable[[Starlette], None]

    def app(self) -> Starlette:
        app = create_app()
        self.apply(app)
        return app


def vendor_app(app: Starlette, *, vendor: str) -> VendorApp:
    """One vendor's dispatcher inside this app (the router is the mock middleware's own)."""
    middleware = next(item for item in app.user_middleware if "vendor_apps" in item.kwargs)
    dispatcher: VendorApp = middleware.kwargs["vendor_apps"][vendor]
    return dispatcher


def replace_vendor(app: Starlette, *, vendor: str, **changes: Any) -> None:
    """Swap fields of this app's vendor spec; a new backend factory takes effect through a reset."""
    dispatcher = vendor_app(app, vendor=vendor)
    changed = dataclasses.replace(dispatcher.vendor, **changes)
    dispatcher.vendor = changed
    app.state.mock.vendors[vendor] = changed
    if "make_backend" in changes:
        app.state.mock.reset()


def wrap_handler(app: Starlette, operation: str, wrapper: Wrapper, *, vendor: str) -> None:
    handlers = vendor_app(app, vendor=vendor).vendor.handlers
    original = handlers[operation]
    replace_vendor(app, vendor=vendor, handlers={**handlers, operation: lambda call: wrapper(call, original)})


def wrap_renderer(
    app: Starlette, wrapper: Callable[[MockError, str, Callable[..., Response]], Response], *, vendor: str
) -> None:
    original = vendor_app(app, vendor=vendor).vendor.render_error
    replace_vendor(app, vendor=vendor, render_error=lambda error, path: wrapper(error, path, original))


def drop_problems(
    app: Starlette, operation: str | None, ignored: Callable[[FieldProblem, Any], bool], *, vendor: str
) -> None:
    """Make the dispatcher forget some validation problems (only for `operation`, when given)."""
    dispatcher = vendor_app(app, vendor=vendor)
    original = dispatcher._validate

    def validate(op: Any, path_params: dict[str, str], request: Any, body: Any) -> dict[str, Any]:
        try:
            return original(op, path_params, request, body)
        except ValidationFailed as error:
            if operation is not None and op.operation_id != operation:
                raise
            kept = [problem for problem in error.problems if not ignored(problem, body)]
            if kept:
                raise ValidationFailed(kept) from None
            params: dict[str, Any] = op.check_params(path_params, request.query_params)[0]
            return params

    dispatcher._validate = validate  # type: ignore[method-assign]
