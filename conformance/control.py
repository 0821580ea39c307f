"""The mock's `/_mock` control plane, as the suite uses it: detect it, move and freeze the clock,
read the outbox, and change knobs for the length of one check (always put back).

A target that answers `GET /_mock/health` with the mock's health document is treated as the
mock: every check is hard against it, and clock-dependent checks can run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import httpx

from conformance.failures import SetupError
from conformance.target import Target
from mockserver.core.timefmt import parse_instant


class ControlPlane:
    def __init__(self, target: Target, health: Mapping[str, Any]) -> None:
        self.target = target
        self.vendors: list[str] = [str(name) for name in health.get("vendors", [])]

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self.target.request(method, f"/_mock{path}", retry=False, **kwargs)
        if response.status_code >= 300:
            raise SetupError(f"control plane {method} /_mock{path} answered {response.status_code}: {response.text}")
        return response

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self._call(method, path, **kwargs).json()

    def clock(self) -> dict[str, Any]:
        return dict(self._json("GET", "/clock"))

    def now(self) -> datetime:
        return parse_instant(self.clock()["now"])

    def advance(self, seconds: float) -> datetime:
        return parse_instant(self._call("POST", "/clock", json={"advance_seconds": seconds}).json()["now"])

    def outbox(self, **filters: str) -> list[dict[str, Any]]:
        return list(self._json("GET", "/outbox", params=filters)["data"])

    def config(self) -> dict[str, Any]:
        return dict(self._json("GET", "/config"))

    def configure(self, patch: Mapping[str, Any]) -> dict[str, Any]:
        return dict(self._json("PUT", "/config", json=dict(patch)))

    @contextmanager
    def frozen_clock(self) -> Iterator[None]:
        """Stop a real-time clock for the block, so "now" is exact; restore its mode afterwards."""
        mode = self.clock()["mode"]
        if mode != "frozen":
            self._call("POST", "/clock", json={"mode": "frozen"})
        try:
            yield
        finally:
            if mode != "frozen":
                self._call("POST", "/clock", json={"mode": mode})

    @contextmanager
    def knobs(self, vendor: str, patch: Mapping[str, Any]) -> Iterator[None]:
        """Set some of a vendor's knobs for the block and restore their previous values."""
        before = self.config()[vendor]
        self.configure({vendor: dict(patch)})
        try:
            yield
        finally:
            self.configure({vendor: {name: before[name] for name in patch}})


def detect(target: Target) -> ControlPlane | None:
    """`GET /_mock/health`: the control plane when the target is the mock, else None."""
    response = target.request("GET", "/_mock/health", retry=False)
    try:
        health = response.json() if response.status_code == 200 else None
    except ValueError:
        health = None
    if not isinstance(health, dict) or health.get("status") != "ok" or not isinstance(health.get("vendors"), list):
        return None
    target.is_mock = True
    return ControlPlane(target, health)
