"""SK-RATE-LIMIT: fixed 60-second windows per key, aligned to multiples of 60 clock seconds.

Off while `rate_limit_per_minute` is null. When set to N, the gate counts each request that
reached the rate-limit step (CONTRACTS.md 0.1 step 7) and refuses request N+1 of a window
with 429 and `Retry-After`; every /v1 answer, errors included, carries `X-RateLimit-Limit`,
`X-RateLimit-Remaining` and `X-RateLimit-Reset` (unix seconds of the window's end).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from starlette.requests import Request

from mockserver.core.errors import RateLimited
from mockserver.core.vendor import Call, VendorContext
from mockserver.vendors.sendkit.auth import credential

WINDOW_SECONDS = 60


class MinuteWindows:
    """Request counts of the current window, per key."""

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, int]] = {}  # key -> (window start, requests counted)

    def used(self, key: str, window: int) -> int:
        start, count = self._counts.get(key, (window, 0))
        return count if start == window else 0

    def count(self, key: str, window: int) -> None:
        self._counts[key] = (window, self.used(key, window) + 1)


def window_start(now: datetime) -> int:
    return math.floor(now.timestamp() / WINDOW_SECONDS) * WINDOW_SECONDS


def gate(call: Call) -> Mapping[str, str]:
    """Count the request against its key's window, or refuse it with 429."""
    assert call.context is not None
    limit = call.context.knob("rate_limit_per_minute")
    if limit is None:
        return {}
    key, window = credential(call.request.headers) or "", window_start(call.now)
    windows: MinuteWindows = call.backend.windows
    if windows.used(key, window) >= limit:
        retry_after = max(1, math.ceil(window + WINDOW_SECONDS - call.now.timestamp()))
        raise RateLimited("Rate limit exceeded, please retry later", retry_after)
    windows.count(key, window)
    return {}


def rate_headers(request: Request, backend: Any) -> Mapping[str, str]:
    """The `X-RateLimit-*` headers of any answer, once a limit is configured."""
    context: VendorContext = backend.context
    limit = context.knob("rate_limit_per_minute")
    if limit is None:
        return {}
    key, window = credential(request.headers) or "", window_start(context.now())
    remaining = max(0, limit - backend.windows.used(key, window))
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(window + WINDOW_SECONDS),
    }
