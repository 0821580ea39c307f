"""The JSON response every part of the mock answers with: Starlette's, encoded by orjson.

orjson writes the same compact UTF-8 JSON as Starlette's `json.dumps` call, several times
faster; a value orjson refuses (an integer beyond 64 bits that a user stored, say) falls back
to the standard encoder, so what a user sends can always be echoed.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from starlette.responses import JSONResponse as StarletteJSONResponse


def dump_json(content: Any) -> bytes:
    """Compact UTF-8 JSON of `content` (no NaN: the mock never stores one)."""
    try:
        return orjson.dumps(content)
    except TypeError:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


class JSONResponse(StarletteJSONResponse):
    """`starlette.responses.JSONResponse` with the faster encoder."""

    def render(self, content: Any) -> bytes:
        return dump_json(content)
