"""Everything one mock server holds, in one object that `reset()` rebuilds.

There is no module-level state: each `create_app()` builds its own `MockState`, so two
apps in one process (two tests, two fixtures) never see each other's data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from mockserver.core.clock import VirtualClock
from mockserver.core.config import MockConfig
from mockserver.core.failures import Failures
from mockserver.core.faults import Faults
from mockserver.core.journal import Journal, JournalEntry
from mockserver.core.outbox import Outbox
from mockserver.core.scheduler import Scheduler
from mockserver.core.vendor import VendorContext, VendorSpec


class MockState:
    def __init__(self, vendors: Sequence[VendorSpec], clock: VirtualClock, config: Mapping[str, Any] | None) -> None:
        self.vendors = {vendor.name: vendor for vendor in vendors}
        self.clock = clock
        self.config = MockConfig(
            {vendor.name: vendor.knobs for vendor in vendors},
            {vendor.name: vendor.knob_schemas for vendor in vendors},
        )
        if config:
            self.config.merge(config)
        self.scheduler = Scheduler()
        # called with every answered request (vendor and control plane); the CLI logs through it
        self.request_listeners: list[Callable[[JournalEntry], None]] = []
        self.control_token: str | None = None  # when set, /_mock needs it (see core/guard.py)
        self.reset()

    def reset(self) -> None:
        """Forget tenants, deliveries, requests, windows, faults and failure rules; keep clock and config."""
        self.scheduler.clear()
        self.outbox = Outbox(int(self.config["outbox_max_entries"]))
        self.journal = Journal(int(self.config["journal_max_entries"]))
        self.faults = Faults(int(self.config["seed"]))
        self.failures = Failures()
        self.contexts = {name: VendorContext(vendor, self) for name, vendor in self.vendors.items()}
        self.backends = {name: vendor.make_backend(self.contexts[name]) for name, vendor in self.vendors.items()}

    def restart(self, clock: VirtualClock, config: Mapping[str, Any] | None = None) -> None:
        """As if freshly built: default config plus `config`, this clock, no data."""
        self.clock = clock
        self.config.restore(config)
        self.reset()

    def __getstate__(self) -> dict[str, Any]:
        """What a state file keeps: the data, not the process's listeners or its control token."""
        return {key: value for key, value in self.__dict__.items() if key not in {"request_listeners", "control_token"}}

    def adopt(self, saved: MockState) -> None:
        """Take over a saved state's data (persistence), keeping this object and its listeners."""
        listeners, token = self.request_listeners, self.control_token
        self.__dict__.update(saved.__dict__)
        self.request_listeners, self.control_token = listeners, token
        for context in self.contexts.values():
            context.rebind(self)

    def configure(self, patch: Mapping[str, Any]) -> None:
        """Deep-merge config; new caps and a new `seed` apply at once (the seed re-seeds ids and faults)."""
        seed = self.config["seed"]
        self.config.merge(patch)
        self.outbox.resize(int(self.config["outbox_max_entries"]))
        self.journal.resize(int(self.config["journal_max_entries"]))
        if self.config["seed"] != seed:
            self.faults.reseed(int(self.config["seed"]))
            for context in self.contexts.values():
                context.reseed()

    def run_due(self) -> int:
        """Fire every timer due by now; the answer to "what happened while time passed"."""
        return self.scheduler.run_due(self.clock.now(), self.outbox)

    def move_clock(self, *, advance_seconds: float | None = None, to: datetime | None = None) -> int:
        """Move the clock forward and fire what fell due on the way."""
        if to is not None:
            self.clock.set(to)
        elif advance_seconds is not None:
            self.clock.advance(advance_seconds)
        return self.run_due()

    def vendor_for_path(self, path: str) -> VendorSpec | None:
        for vendor in self.vendors.values():
            for prefix in vendor.prefixes:
                if path == prefix or path.startswith(prefix + "/"):
                    return vendor
        return None
