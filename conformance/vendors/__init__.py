"""The vendors the suite knows, and which of them have checks.

Adding a vendor's checks is one package `conformance/vendors/<name>/` exporting
`PLUGIN: VendorPlugin` and one entry in `PLUGIN_MODULES`; until then `--vendor all` reports it
as "no checks yet".
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from conformance.context import RunSettings
from conformance.control import ControlPlane
from conformance.registry import Registry
from conformance.target import Target

VENDORS = ("qonversion", "talkdesk", "sendkit", "postageapp")
PLUGIN_MODULES: Mapping[str, str] = {
    "qonversion": "conformance.vendors.qonversion",
    "talkdesk": "conformance.vendors.talkdesk",
    "sendkit": "conformance.vendors.sendkit",
    "postageapp": "conformance.vendors.postageapp",
}


@dataclass(frozen=True)
class Credential:
    """One credential a vendor's checks use: its option name, environment variable and help."""

    name: str  # e.g. "key"; the CLI flag is --<vendor>-<name> (and --<name> for a one-vendor run)
    env: str
    help: str
    primary: bool = True  # needed to run at all (else optional, e.g. a second tenant's key)


class Session(Protocol):
    """A vendor's state for one run: credentials, what it read from the target, what it created."""

    def end_check(self) -> None:
        """Delete what the check that just ended created (called after every check, also on failure)."""

    def cleanup(self) -> list[str]:
        """Delete everything still owned; returns what could not be deleted."""


@dataclass(frozen=True)
class SessionSetup:
    target: Target
    control: ControlPlane | None
    credentials: Mapping[str, str]
    settings: RunSettings


@dataclass(frozen=True)
class VendorPlugin:
    name: str
    checks: Registry
    credentials: tuple[Credential, ...]
    fresh_credentials: Callable[[], dict[str, str]]  # documented-form credentials for the mock
    open_session: Callable[[SessionSetup], Any]
    spec_name: str = ""
    setup_plan: tuple[str, ...] = ()


def plugin(vendor: str) -> VendorPlugin | None:
    """The vendor's checks, or None while it has none."""
    module = PLUGIN_MODULES.get(vendor)
    return None if module is None else importlib.import_module(module).PLUGIN
