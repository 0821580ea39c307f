"""Where conformance requests go: one `Target` over httpx, for a URL or an in-process app.

The target is the only thing that sends, so it alone enforces the request budget (a request
that would exceed it is refused before it is sent, and one request stays reserved for each
resource that still has to be deleted), records every exchange, refuses writes in read-only
mode, and backs off on 429/5xx from targets that are not the mock (bounded; the sleeper is
injectable so tests never really sleep).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from starlette.types import ASGIApp

from conformance.curl import Masker, render_curl
from mockserver.inprocess import DEFAULT_BASE_URL, InProcessTransport

CONTROL_PREFIX = "/_mock"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A 5xx may hide a half-done write, so only methods that are safe to repeat are retried on it.
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
NO_BODY: Any = object()
Sleeper = Callable[[float], None]


class BudgetExhausted(Exception):
    """Sending one more request would exceed `--budget`; nothing was sent."""


class ReadOnlyViolation(RuntimeError):
    """A check tried to write in `--read-only` mode (a bug in the check; nothing was sent)."""


@dataclass
class Budget:
    """A hard cap on requests sent; `reserved` requests are held back for cleanup deletes."""

    limit: int | None = None
    used: int = 0
    reserved: int = 0

    def take(self, *, reserve: int = 0, from_reserve: bool = False) -> None:
        if from_reserve and self.reserved > 0:
            self.reserved -= 1
        elif self.limit is not None and self.used + self.reserved + 1 + reserve > self.limit:
            raise BudgetExhausted(f"the budget of {self.limit} requests is spent")
        else:
            self.reserved += reserve
        self.used += 1

    def release(self, count: int = 1) -> None:
        """Give back reservations that are no longer needed (nothing was created)."""
        self.reserved = max(0, self.reserved - count)


@dataclass(frozen=True)
class Exchange:
    request: httpx.Request
    response: httpx.Response
    attempt: int


@dataclass(frozen=True)
class Backoff:
    """Bounded retries for non-mock targets: Retry-After when given, else 1, 2, 4... seconds."""

    max_retries: int = 3
    base_seconds: float = 1.0
    max_wait_seconds: float = 60.0

    def delay(self, method: str, response: httpx.Response, attempt: int) -> float | None:
        status = response.status_code
        if attempt >= self.max_retries or status not in RETRY_STATUSES:
            return None
        if status != 429 and method not in IDEMPOTENT:
            return None
        after = parse_retry_after(response.headers.get("retry-after"))
        wait = after if after is not None else self.base_seconds * 2**attempt
        return None if wait > self.max_wait_seconds else wait


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        return max(0.0, parsedate_to_datetime(text).timestamp() - now())
    except (TypeError, ValueError):
        return None


class Target:
    """An implementation under test, reached through an `httpx.Client`."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        budget: int | None = None,
        read_only: bool = False,
        backoff: Backoff | None = None,
        sleep: Sleeper = time.sleep,
        masker: Masker | None = None,
    ) -> None:
        self.client = client
        self.budget = Budget(budget)
        self.read_only = read_only
        self.backoff = backoff or Backoff()
        self.sleep = sleep
        self.masker = masker or Masker()
        self.is_mock = False  # set once the /_mock control plane answers
        self.exchanges: deque[Exchange] = deque(maxlen=500)

    @property
    def base_url(self) -> str:
        return str(self.client.base_url).rstrip("/")

    @property
    def sent(self) -> int:
        return self.budget.used

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        json: Any = NO_BODY,
        content: bytes | None = None,
        params: Mapping[str, Any] | None = None,
        retry: bool = True,
        reserve: int = 0,
        from_reserve: bool = False,
        safe: bool = False,
    ) -> httpx.Response:
        """Send one request (plus bounded retries); raises BudgetExhausted before sending past the cap.

        Args:
            retry: back off and retry on 429/5xx (never against the mock).
            reserve: requests to hold back for later cleanup if this one creates something.
            from_reserve: this is a cleanup request paid from the reservation.
            safe: this method other than GET changes nothing (an OAuth token request), so read-only allows it.
        """
        method = method.upper()
        if self.read_only and method != "GET" and not safe and not path.startswith(CONTROL_PREFIX):
            raise ReadOnlyViolation(f"{method} {path} in read-only mode")
        request = self._build(method, path, headers, json, content, params)
        attempt = 0
        while True:
            self.budget.take(reserve=reserve if attempt == 0 else 0, from_reserve=from_reserve and attempt == 0)
            response = self.client.send(request)
            response.read()
            self.exchanges.append(Exchange(request, response, attempt))
            wait = None if self.is_mock or not retry else self.backoff.delay(method, response, attempt)
            if wait is None:
                return response
            self.sleep(wait)
            attempt += 1

    def _build(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str] | None,
        json: Any,
        content: bytes | None,
        params: Mapping[str, Any] | None,
    ) -> httpx.Request:
        if json is not NO_BODY:
            return self.client.build_request(method, path, headers=headers, json=json, params=params)
        return self.client.build_request(method, path, headers=headers, content=content, params=params)

    def curl(self, request: httpx.Request) -> str:
        return render_curl(request, self.masker)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Target:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class HttpTarget(Target):
    """A target at a URL: the mock served by `mockserver serve`, a user's fake, or the live API."""

    def __init__(
        self, base_url: str, *, timeout: float = 30.0, transport: httpx.BaseTransport | None = None, **options: Any
    ) -> None:
        client = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, transport=transport)
        super().__init__(client, **options)


class AppTarget(Target):
    """An ASGI app (say `mockserver.create_app()` or a broken variant of it) called in-process, no socket."""

    def __init__(self, app: ASGIApp, **options: Any) -> None:
        self.app = app
        super().__init__(httpx.Client(transport=InProcessTransport(app), base_url=DEFAULT_BASE_URL), **options)
