"""Reading request bodies within the size cap and parsing them as JSON.

Every body goes through here, so the 413 cap, content types, UTF-8 and JSON rules are
enforced once; what the vendor calls each failure is its renderer's business.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

from mockserver.core.errors import BodyTooLarge, MalformedBody

_JSON_TYPE = re.compile(r"application/(?:[\w.+-]+\+)?json", re.IGNORECASE)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def is_json_content_type(header: str | None) -> bool:
    """`application/json` with any parameters, or any `application/*+json`."""
    if not header:
        return False
    return bool(_JSON_TYPE.fullmatch(header.split(";", 1)[0].strip()))


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, or `BodyTooLarge` as soon as it is known to exceed `limit` bytes."""
    headers = request.headers
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge("Request body is too large")
    if declared in ("", "0") and "transfer-encoding" not in headers and _is_http1(request):
        return b""  # HTTP/1.x: no length and no chunking means no body; nothing to wait for
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge("Request body is too large")
        chunks.append(chunk)
    return b"".join(chunks)


def _is_http1(request: Request) -> bool:
    return request.scope.get("http_version") in ("1.0", "1.1")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} does not fit a finite number")
    return value


def parse_json(raw: bytes) -> Any:
    """Strict JSON from UTF-8 bytes: no NaN, Infinity or overflowing numbers (`1e400`), which no
    response could echo; nesting too deep is malformed."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedBody("Request body is not valid UTF-8", reason="utf8") from error
    if not text.strip():
        raise MalformedBody("Request body is required", reason="empty")
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except (ValueError, RecursionError) as error:
        raise MalformedBody("Request body is not valid JSON", reason="json") from error
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        raise MalformedBody("Request body is not valid UTF-8", reason="utf8")
    return value


def _has_lone_surrogate(value: Any) -> bool:
    """An escaped half of a surrogate pair (`"\\ud800"`) is no Unicode text: it could not be echoed."""
    if isinstance(value, str):
        return bool(_LONE_SURROGATE.search(value))
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(key) or _has_lone_surrogate(item) for key, item in value.items())
    return False


def parse_json_object(raw: bytes, headers: Mapping[str, str], require_content_type: bool = True) -> dict[str, Any]:
    """A JSON object body, checking the content type first when the vendor does."""
    if require_content_type and not is_json_content_type(headers.get("content-type")):
        raise MalformedBody("Content-Type must be application/json", reason="content_type")
    value = parse_json(raw)
    if not isinstance(value, dict):
        raise MalformedBody("Request body must be a JSON object", reason="not_object")
    return value
