"""The JSON response every part of the mock answers with: Starlette's, encoded by orjson.

orjson writes the same compact UTF-8 JSON as Starlette's `json.dumps` call, several times
faster; a value orjson refuses (an integer beyond 64 bits that a user stored, say) falls back
to the standard encoder, so what a user sends can always be echoed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.background import BackgroundTask
from starlette.responses import JSONResponse as StarletteJSONResponse


def dump_json(content: Any) -> bytes:
    """Compact UTF-8 JSON of `content` (no NaN: the mock never stores one)."""
    try:
        return orjson.dumps(content)
    except TypeError:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


_JSON_CONTENT_TYPE = (b"content-type", b"application/json")
_OWN_HEADERS = {b"content-length", b"content-type"}


class JSONResponse(StarletteJSONResponse):
    """`starlette.responses.JSONResponse` with the faster encoder, and the common answer (a
    status with a body, headers that leave length and type to it) built without Starlette's
    general header logic; the headers come out byte for byte as Starlette would write them."""

    def __init__(
        self,
        content: Any,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> None:
        if media_type is not None or background is not None or status_code < 200 or status_code in (204, 304):
            super().__init__(content, status_code, headers, media_type, background)
            return
        raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in (headers or {}).items()]
        if raw and any(name in _OWN_HEADERS for name, _ in raw):
            super().__init__(content, status_code, headers)
            return
        self.status_code = status_code
        self.background = None
        self.body = body = dump_json(content)
        raw.append((b"content-length", str(len(body)).encode("latin-1")))
        raw.append(_JSON_CONTENT_TYPE)
        self.raw_headers = raw

    def render(self, content: Any) -> bytes:
        return dump_json(content)
