"""A report job and its lifecycle as data (CONTRACTS.md 2.4 and 2.8).

created -> processing -> uploading -> done, or -> failed when the job leaves the state it
was set to fail at; DELETE moves a running job to canceled, and a done job's file is gone
(deleted) 30 days after it was ready or when the client deletes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mockserver.core.progression import Track
from mockserver.vendors.talkdesk.timespan import Span

# the in-progress states, in order: they count for the quota (TD-QUOTA-15)
RUNNING = ("created", "processing", "uploading")
NEXT = {"created": "processing", "processing": "uploading", "uploading": "done"}
DEFAULT_FAIL_STEP = "processing"


@dataclass(eq=False)
class Job:
    id: str
    account: str
    type: str
    name: str | None
    format: str
    timespan: dict[str, str]  # `from` and `to` exactly as sent
    span: Span
    interval: int
    rows: int
    fail_at: str | None  # the running state this job fails when leaving, if any
    on_step: Callable[[Job, datetime], None] = field(repr=False)
    status: str = "created"
    track: Track = field(default_factory=Track, repr=False)

    @property
    def timezone(self) -> str:
        return self.span.zone

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    def next_status(self, status: str | None = None) -> str:
        """The state after `status` (default: the current one) on this job's path."""
        status = status or self.status
        return "failed" if status == self.fail_at else NEXT[status]

    def step(self, at: datetime) -> bool:
        """Move one state on (the progression calls this); True while still running."""
        self.status = self.next_status()
        self.on_step(self, at)
        return self.running

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "timezone": self.timezone,
            "status": self.status,
            "format": self.format,
            "timespan": {"from": self.timespan["from"], "to": self.timespan["to"]},
        }

    def self_url(self, base: str) -> str:
        return f"{base}/data/reports/{self.type}/jobs/{self.id}"

    def files_url(self, base: str) -> str:
        return f"{base}/data/reports/{self.type}/files/{self.id}"

    def links(self, base: str) -> dict[str, Any]:
        return {"self": {"href": self.self_url(base)}, "files": {"href": self.files_url(base)}}

    def status_json(self, base: str) -> dict[str, Any]:
        """The status endpoint's body: `{job, _links}`."""
        return {"job": self.to_json(), "_links": self.links(base)}

    def accepted_json(self, base: str) -> dict[str, Any]:
        """The 202 body: the job's fields at top level, then the status body."""
        return {**self.to_json(), **self.status_json(base)}

    def list_item(self, base: str) -> dict[str, Any]:
        return {**self.to_json(), "_links": self.links(base)}


def fail_step(candidates: list[str | None]) -> str | None:
    """The earliest running state any failure cause names (a marker, the row limit, a rule)."""
    named = [step if step in RUNNING else DEFAULT_FAIL_STEP for step in candidates if step is not None]
    return min(named, key=RUNNING.index) if named else None
