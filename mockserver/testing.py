"""`MockApi`: one isolated mock as a test sees it, in-process or behind a live URL.

Everything goes through the public `/_mock` control plane, so the same helpers work for the
in-process fixture (`mock_api`) and the live-server fixture (`mock_api_server`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import httpx

from mockserver.core.timefmt import iso_z, parse_instant


class MockApi:
    """Drive and inspect one mock: its clock, outbox, journal, faults and config.

    Args:
        client: an `httpx.Client` whose base URL is the mock (in-process or live).
        vendors: the vendor names the mock serves.
        prefixes: each vendor's path prefixes, for `url()`.
    """

    def __init__(self, client: httpx.Client, vendors: list[str], prefixes: Mapping[str, tuple[str, ...]]) -> None:
        self.client = client
        self.vendors = vendors
        self._prefixes = prefixes

    @property
    def base_url(self) -> str:
        return str(self.client.base_url).rstrip("/")

    def url(self, vendor: str | None = None) -> str:
        """The base URL to give a client of `vendor` (all vendors share one origin)."""
        if vendor is not None and vendor not in self._prefixes:
            raise KeyError(f"this mock does not serve {vendor!r}; it serves {', '.join(self.vendors)}")
        return self.base_url

    # clock

    @property
    def now(self) -> datetime:
        return parse_instant(self._control("GET", "/_mock/clock")["now"])

    def advance(self, *, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0) -> int:
        """Move the clock forward; returns how many timers fired on the way."""
        total = ((days * 24 + hours) * 60 + minutes) * 60 + seconds
        return int(self._control("POST", "/_mock/clock", {"advance_seconds": total})["fired"])

    def set(self, when: datetime | str) -> int:
        """Move the clock forward to `when`; returns how many timers fired."""
        instant = parse_instant(when) if isinstance(when, str) else when
        return int(self._control("POST", "/_mock/clock", {"set": iso_z(instant)})["fired"])

    # what happened

    def outbox(self, **filters: str) -> list[dict[str, Any]]:
        """Deliveries, filtered by vendor, tenant, resource_id and kind."""
        return list(self._control("GET", "/_mock/outbox", params=filters)["data"])

    def clear_outbox(self) -> None:
        self._control("DELETE", "/_mock/outbox")

    def requests(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The request journal, newest last."""
        params = {} if limit is None else {"limit": str(limit)}
        return list(self._control("GET", "/_mock/requests", params=params)["data"])

    # shaping behaviour

    def add_fault(self, **rule: Any) -> dict[str, Any]:
        """A fault rule: vendor, method, path (regex), status, delay_ms, drop_connection, times, probability."""
        return dict(self._control("POST", "/_mock/faults", rule))

    def clear_faults(self) -> None:
        self._control("DELETE", "/_mock/faults")

    def fail_next_job(
        self, vendor: str, *, name_contains: str | None = None, step: str | None = None, times: int | None = 1
    ) -> dict[str, Any]:
        """Make the vendor's next job (or those whose name contains the text) fail."""
        rule = {"vendor": vendor, "name_contains": name_contains, "step": step, "times": times}
        return dict(self._control("POST", "/_mock/failures", rule))

    def configure(self, patch: Mapping[str, Any]) -> dict[str, Any]:
        """Deep-merge config knobs, e.g. `{"qonversion": {"delivery_delay_seconds": 60}}`."""
        return dict(self._control("PUT", "/_mock/config", dict(patch)))

    def reset(self) -> None:
        self._control("POST", "/_mock/reset")

    def _control(
        self, method: str, path: str, body: Mapping[str, Any] | None = None, params: Mapping[str, str] | None = None
    ) -> Any:
        response = self.client.request(method, path, json=body, params=params)
        if response.status_code >= 400:
            raise MockControlError(f"{method} {path} answered {response.status_code}: {response.text}")
        return response.json() if response.content else None


class MockControlError(RuntimeError):
    """The control plane refused a request (a clock set into the past, an unknown knob...)."""
