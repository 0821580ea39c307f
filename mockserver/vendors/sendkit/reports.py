"""Generated reports: creation, the queued -> generating -> completed/failed lifecycle and
what a finished report delivers (CONTRACTS.md 3.3, 3.6, 3.7).

Pure Python, no HTTP: takes validated input, raises core errors, arms timers through the
core `Progression`, writes the outbox.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from mockserver.core.errors import FieldProblem, NotFound, ValidationFailed
from mockserver.core.progression import Progression
from mockserver.core.tenants import Tenants
from mockserver.core.timefmt import iso_z_millis
from mockserver.core.vendor import VendorContext
from mockserver.vendors.sendkit.auth import workspace_id
from mockserver.vendors.sendkit.content import build_content
from mockserver.vendors.sendkit.ids import ObjectIds, to_millis
from mockserver.vendors.sendkit.models import Recipient, Report
from mockserver.vendors.sendkit.rules import parse_period, sections_of

DEFAULT_PERIOD = timedelta(days=30)
EARLIEST = datetime.min.replace(tzinfo=UTC)
TITLES = {"workspace": "Workspace Report", "organizational": "Organizational Report"}
NOT_FOUND = "The requested resource was not found"


@dataclass
class Workspace:
    """One tenant's data."""

    reports: dict[str, Report] = field(default_factory=dict)
    recipients: dict[str, Recipient] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportOrder:
    """What to generate: one report, before it has an id."""

    report_type: str
    campaign_id: str | None
    period: tuple[datetime, datetime]
    sections: dict[str, bool]
    recipient_ids: list[str]
    scheduled_by: str | None = None


def resolve_period(body: Mapping[str, Any], now: datetime) -> tuple[tuple[datetime, datetime], list[FieldProblem]]:
    """The period with its defaults (end = now, start = end - 30 days); a start after a defaulted
    end is SK-PERIOD-ORDER on `periodStart` (sent bounds were checked by the body rules)."""
    end = parse_period(body["periodEnd"], end=True) if "periodEnd" in body else now
    assert end is not None
    if "periodStart" not in body:
        return (_days_before(end), end), []
    start = parse_period(body["periodStart"], end=False)
    assert start is not None
    if start > end:
        return (start, end), [FieldProblem("periodStart", "Must not be after periodEnd (now)", "SK-PERIOD-ORDER")]
    return (start, end), []


def _days_before(end: datetime) -> datetime:
    try:
        return end - DEFAULT_PERIOD
    except OverflowError:
        return EARLIEST


class ReportDesk:
    def __init__(self, context: VendorContext, ids: ObjectIds, workspaces: Tenants[Workspace]) -> None:
        self.context = context
        self.ids = ids
        self.workspaces = workspaces
        self.progression = Progression(context)

    # catalogue

    def catalogue(self) -> dict[str, str]:
        return {item["id"]: item["name"] for item in self.context.knob("campaigns")}

    def campaign_name(self, campaign_id: str) -> str:
        return self.catalogue().get(campaign_id) or f"Campaign {campaign_id[-6:]}"

    def unknown_campaigns(self, campaign_ids: Sequence[str]) -> list[FieldProblem]:
        """SK-CAMPAIGN-KNOWN, only while `strict_campaigns` is on."""
        if not self.context.knob("strict_campaigns"):
            return []
        known = self.catalogue()
        return [
            FieldProblem(f"campaignIds[{index}]", "Unknown campaign", "SK-CAMPAIGN-KNOWN")
            for index, campaign_id in enumerate(campaign_ids)
            if campaign_id not in known
        ]

    # requests

    def generate(self, tenant: str, body: Mapping[str, Any], now: datetime) -> list[Report]:
        now = to_millis(now)
        recipients = self.workspaces[tenant].recipients
        campaigns: list[str | None] = list(body["campaignIds"]) if body["reportType"] == "campaign" else [None]
        period, period_problems = resolve_period(body, now)
        recipient_ids = list(body.get("recipientIds", []))
        problems = [
            *self.unknown_campaigns([campaign for campaign in campaigns if campaign is not None]),
            *period_problems,
            *(
                FieldProblem(f"recipientIds[{index}]", "Unknown recipient", "SK-RECIPIENTS-KNOWN")
                for index, recipient_id in enumerate(recipient_ids)
                if recipient_id not in recipients
            ),
        ]
        if problems:
            raise ValidationFailed(problems)
        sections = sections_of(body.get("sections"))
        return [
            self.create(tenant, ReportOrder(body["reportType"], campaign, period, sections, recipient_ids), now)
            for campaign in campaigns
        ]

    def list(self, tenant: str) -> list[Report]:
        """Newest first (ids grow with creation, and so does insertion order)."""
        workspace = self.workspaces.peek(tenant)
        return list(reversed(workspace.reports.values())) if workspace else []

    def get(self, tenant: str, report_id: str, now: datetime) -> Report:
        """The report; the read counts as a poll in `polls` mode."""
        workspace = self.workspaces.peek(tenant)
        report = workspace.reports.get(report_id) if workspace else None
        if report is None:
            raise NotFound(NOT_FOUND)
        self.progression.read(report, to_millis(now))
        return report

    # lifecycle

    def create(self, tenant: str, order: ReportOrder, at: datetime) -> Report:
        """Store a queued report and start moving it."""
        title = f"{self.campaign_name(order.campaign_id)} Report" if order.campaign_id else TITLES[order.report_type]
        report = Report(
            id=self.ids.new(at),
            title=title,
            report_type=order.report_type,
            campaign_id=order.campaign_id,
            period_start=order.period[0],
            period_end=order.period[1],
            sections=dict(order.sections),
            recipient_ids=list(order.recipient_ids),
            created_at=at,
            finish=functools.partial(self._finish, tenant),
            fail_at=self._fail_at(order, title),
            scheduled_by=order.scheduled_by,
        )
        self.workspaces[tenant].reports[report.id] = report
        self.progression.start(report, at)
        return report

    def _fail_at(self, order: ReportOrder, title: str) -> str | None:
        """Where the report fails: the `fail_*` knobs, else a failure rule matching its title."""
        if order.campaign_id in self.context.knob("fail_campaign_ids"):
            return "generating"
        if order.report_type in self.context.knob("fail_report_types"):
            return "generating"
        rule = self.context.take_failure(title)
        if rule is None:
            return None
        return "queued" if rule.step == "queued" else "generating"

    def _finish(self, tenant: str, report: Report, at: datetime) -> None:
        if report.status == "failed":
            self._post(tenant, report, "report_failed", "webhook", at, _event("report.failed", report))
            return
        report.content = self._content(tenant, report)
        self._post(tenant, report, "report_ready", "webhook", at, _event("report.completed", report))
        workspace = self.workspaces[tenant]
        kind = "scheduled" if report.scheduled_by else "report_email"
        for recipient_id in report.recipient_ids:
            recipient = workspace.recipients.get(recipient_id)
            if recipient is None:
                continue  # deleted since: nobody to send it to
            recipient.total_reports_sent += 1
            self._post(tenant, report, kind, recipient.email, at, _email(recipient_id, report))

    def _content(self, tenant: str, report: Report) -> dict[str, Any]:
        workspace = workspace_id(tenant)
        if report.campaign_id is not None:
            subject, campaigns = report.campaign_id, [(report.campaign_id, self.campaign_name(report.campaign_id))]
        else:
            subject = workspace if report.report_type == "workspace" else f"org:{workspace}"
            campaigns = list(self.catalogue().items())
        period = (iso_z_millis(report.period_start), iso_z_millis(report.period_end))
        return build_content(
            self.context.digest, subject=subject, period=period, sections=report.sections, campaigns=campaigns
        )

    def _post(self, tenant: str, report: Report, kind: str, destination: str, at: datetime, payload: Any) -> None:
        self.context.outbox.add(
            vendor=self.context.name,
            tenant=tenant,
            kind=kind,
            resource_id=report.id,
            destination=destination,
            at=at,
            payload=payload,
        )


def _event(name: str, report: Report) -> Callable[[], dict[str, Any]]:
    """A webhook payload, built when read (a finished report never changes again)."""
    return lambda: {"event": name, "data": report.to_json()}


def _email(recipient_id: str, report: Report) -> dict[str, Any]:
    return {"recipientId": recipient_id, "reportId": report.id, "title": report.title, "content": report.content}
