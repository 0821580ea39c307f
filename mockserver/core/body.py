"""Reading request bodies within the size cap and parsing them as JSON.

Every body goes through here, so the 413 cap, content types, UTF-8 and JSON rules are
enforced once; what the vendor calls each failure is its renderer's business.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from starlette.requests import ClientDisconnect, Request
from starlette.types import Receive

from mockserver.core.errors import BodyTooLarge, MalformedBody

_JSON_TYPE = re.compile(r"application/(?:[\w.+-]+\+)?json", re.IGNORECASE)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_LONG_DIGIT_RUN = re.compile(rb"\d{19}")  # an integer orjson would turn into a float
_FAST_MAX_BRACKETS = 512  # fewer brackets than this cannot nest as deep as the standard parser's limit


def is_json_content_type(header: str | None) -> bool:
    """`application/json` with any parameters, or any `application/*+json`."""
    if not header:
        return False
    if header == "application/json":
        return True  # the usual header, without a regex
    return bool(_JSON_TYPE.fullmatch(header.split(";", 1)[0].strip()))


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, or `BodyTooLarge` as soon as it is known to exceed `limit` bytes."""
    declared, chunked = _framing(request.scope["headers"])
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge("Request body is too large")
    if declared in (None, b"", b"0") and not chunked and _is_http1(request):
        return b""  # HTTP/1.x: no length and no chunking means no body; nothing to wait for
    return await _receive_body(request.receive, limit)


def _framing(raw_headers: Iterable[tuple[bytes, bytes]]) -> tuple[bytes | None, bool]:
    """The first `content-length` value and whether a `transfer-encoding` is present, in one
    pass over the raw (lower-cased) header names: most requests are GETs with neither."""
    declared, chunked = None, False
    for name, value in raw_headers:
        if name == b"content-length" and declared is None:
            declared = value
        elif name == b"transfer-encoding":
            chunked = True
    return declared, chunked


async def _receive_body(receive: Receive, limit: int) -> bytes:
    """The body's messages read straight from ASGI (as `Request.stream` does, with no generator
    in between); the usual single-message body is returned as it came."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge("Request body is too large")
        if not message.get("more_body", False):
            return b"".join([*chunks, chunk]) if chunks else chunk
        chunks.append(chunk)


def _is_http1(request: Request) -> bool:
    return request.scope.get("http_version") in ("1.0", "1.1")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} does not fit a finite number")
    return value


_STRICT_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def parse_json(raw: bytes) -> Any:
    """Strict JSON from UTF-8 bytes: no NaN, Infinity or overflowing numbers (`1e400`), which no
    response could echo; nesting too deep is malformed.

    orjson parses the common body several times faster; anything it refuses or might read
    differently (integers beyond 64 bits, deep nesting) goes to the standard parser, which
    decides, so both give the same value or the same error (a property test holds them equal).
    """
    if _orjson_reads_it_exactly(raw):
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            pass  # the standard parser says why
    return _parse_json_strictly(raw)


def _orjson_reads_it_exactly(raw: bytes) -> bool:
    if _LONG_DIGIT_RUN.search(raw):
        return False
    return raw.count(b"[") + raw.count(b"{") < _FAST_MAX_BRACKETS


def _parse_json_strictly(raw: bytes) -> Any:
    """The standard library's reading, with the mock's rules; the reference for `parse_json`."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedBody("Request body is not valid UTF-8", reason="utf8") from error
    if not text.strip():
        raise MalformedBody("Request body is required", reason="empty")
    try:
        value = _STRICT_DECODER.decode(text)
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
