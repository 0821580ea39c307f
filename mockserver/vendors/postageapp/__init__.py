"""PostageApp: `send_message` calls scheduled by a free-form schedule string (CONTRACTS.md 4).

Every method is a JSON POST to `/v.1.0/<method>.json` or `/v.1.1/<method>`; the key travels
in the body, so the body is parsed before auth and whatever its Content-Type.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import Headers

from mockserver.core.errors import MalformedBody
from mockserver.core.spec import Operation
from mockserver.core.vendor import VendorContext, VendorSpec
from mockserver.vendors.postageapp.errors import ProjectUnauthorized, render_error
from mockserver.vendors.postageapp.models import PostageBackend, describe
from mockserver.vendors.postageapp.routes import HANDLERS
from mockserver.vendors.postageapp.validation import SPEC, carried_uid

NAME = "postageapp"

KNOBS = {
    "keys": None,
    "batch_max_events": 100,
    "list_max_per_page": 250,
    "message_id_start": 1000000001,
}

_COUNT = {"type": "integer", "minimum": 1}
KNOB_SCHEMAS = {
    "keys": {"type": ["array", "null"], "items": {"type": "string", "minLength": 1}},
    "batch_max_events": _COUNT,
    "list_max_per_page": _COUNT,
    "message_id_start": {"type": "integer", "minimum": 0},
}

_METHOD_PATH = re.compile(r"/v\.1\.[01]/(?P<method>[^/]+?)(?:\.json)?")
_API_KEY = SPEC.checker(SPEC.schema("Envelope")["properties"]["api_key"])


def canonical_path(path: str) -> str:
    """`/v.1.1/<method>` and `/v.1.0/<method>`, with or without `.json`, -> `/v.1.0/<method>.json`."""
    method = path[7:-5] if path.startswith("/v.1.0/") and path.endswith(".json") else ""
    if method and "/" not in method:
        return path  # already canonical: what the regex would give back
    found = _METHOD_PATH.fullmatch(path)
    return f"/v.1.0/{found.group('method')}.json" if found else path


def authenticate(headers: Headers, body: Any, context: VendorContext, operation: Operation) -> str:
    """PA-BODY-OBJECT, then PA-AUTH-KEY: a non-empty `api_key` (listed in `keys` when set) is the project."""
    if not isinstance(body, dict):
        raise MalformedBody("Request body must be a JSON object", reason="not_object")
    key = body.get("api_key")
    allowed = context.knob("keys")
    if _API_KEY.problems(key) or (allowed is not None and key not in allowed):
        raise ProjectUnauthorized(carried_uid(body, operation.operation_id))
    return str(key)


VENDOR = VendorSpec(
    name=NAME,
    prefixes=("/v.1.0", "/v.1.1"),
    knobs=KNOBS,
    knob_schemas=KNOB_SCHEMAS,
    make_backend=PostageBackend,
    handlers=HANDLERS,
    authenticate=authenticate,
    render_error=render_error,
    parse_before_auth=True,
    require_json_content_type=False,
    canonical_path=canonical_path,
    describe=describe,
)
