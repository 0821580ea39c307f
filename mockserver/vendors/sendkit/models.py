"""SendKit objects as stored, and their wire form (CONTRACTS.md 3.2).

A report walks queued -> generating -> completed or failed under the core `Progression`;
what happens when it finishes (content, deliveries) is its `finish` callback's business.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mockserver.core.progression import Track
from mockserver.core.scheduler import Timer
from mockserver.core.timefmt import iso_z_millis

FAILED_MESSAGE = "Report generation failed"


def _stamp(instant: datetime | None) -> str | None:
    return None if instant is None else iso_z_millis(instant)


@dataclass(eq=False)
class Report:
    id: str
    title: str
    report_type: str
    campaign_id: str | None
    period_start: datetime
    period_end: datetime
    sections: dict[str, bool]
    recipient_ids: list[str]
    created_at: datetime
    finish: Callable[[Report, datetime], None] = field(repr=False)
    fail_at: str | None = None  # the state it fails on leaving: "queued", "generating" or None
    scheduled_by: str | None = None  # the recipient whose schedule created it
    status: str = "queued"
    content: dict[str, Any] | None = None
    error: str | None = None
    completed_at: datetime | None = None
    updated_at: datetime | None = None
    track: Track = field(default_factory=Track, repr=False)

    def step(self, at: datetime) -> bool:
        """Move one state on at `at`; True while still in progress."""
        self.updated_at = at
        if self.status == "queued" and self.fail_at != "queued":
            self.status = "generating"
            return True
        self.status = "failed" if self.fail_at else "completed"
        self.error = FAILED_MESSAGE if self.fail_at else None
        self.completed_at = at
        self.finish(self, at)
        return False

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "reportType": self.report_type, "status": self.status}

    def to_json(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "campaignId": self.campaign_id,
            "periodStart": iso_z_millis(self.period_start),
            "periodEnd": iso_z_millis(self.period_end),
            "sections": dict(self.sections),
            "recipientIds": list(self.recipient_ids),
            "content": self.content,
            "error": self.error,
            "createdAt": iso_z_millis(self.created_at),
            "updatedAt": iso_z_millis(self.updated_at or self.created_at),
            "completedAt": _stamp(self.completed_at),
        }


@dataclass(eq=False)
class Recipient:
    id: str
    name: str
    email: str
    company: str | None
    role: str | None
    report_type: str
    campaign_ids: list[str]
    schedule: dict[str, Any]  # enabled, frequency, dayOfWeek, dayOfMonth, timeOfDay, timezone
    created_at: datetime
    updated_at: datetime
    active: bool = True
    total_reports_sent: int = 0
    next_at: datetime | None = None
    timer: Timer | None = field(default=None, repr=False)

    @property
    def fires(self) -> bool:
        return self.active and bool(self.schedule["enabled"])

    def to_json(self) -> dict[str, Any]:
        return {
            "_id": self.id,
            "name": self.name,
            "email": self.email,
            "company": self.company,
            "role": self.role,
            "reportType": self.report_type,
            "campaignIds": list(self.campaign_ids),
            "active": self.active,
            "schedule": {**self.schedule, "nextScheduledAt": _stamp(self.next_at)},
            "totalReportsSent": self.total_reports_sent,
            "createdAt": iso_z_millis(self.created_at),
            "updatedAt": iso_z_millis(self.updated_at),
        }
