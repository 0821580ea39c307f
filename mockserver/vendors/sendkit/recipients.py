"""Report recipients and their schedules (CONTRACTS.md 3.3, 3.6).

Each recipient whose `active` and `schedule.enabled` are both true has one timer armed at
its next fire; a fire queues its reports (one per campaign, or one workspace report) and
re-arms from its own due time, so a long clock advance fires every occurrence.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from mockserver.core.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from mockserver.core.tenants import Tenants
from mockserver.core.vendor import VendorContext
from mockserver.vendors.sendkit.ids import ObjectIds, to_millis
from mockserver.vendors.sendkit.models import Recipient
from mockserver.vendors.sendkit.reports import NOT_FOUND, ReportDesk, ReportOrder, Workspace
from mockserver.vendors.sendkit.rules import SPEC, duplicate_campaigns, sections_of
from mockserver.vendors.sendkit.schedule import covered_period, next_fire

SCHEDULE_DEFAULTS = {name: spec["default"] for name, spec in SPEC.schema("ScheduleInput")["properties"].items()}
DEFAULT_REPORT_TYPE: str = SPEC.schema("RecipientReportType")["default"]
CAMPAIGN_SELECTION = SPEC.checker(SPEC.schema("CampaignSelection"), ("campaignIds",))
CAMPAIGNS_NEEDED = SPEC.schema("CampaignSelection")["x-message"]
UPDATE_ORDER = SPEC.operation("updateReportRecipient").field_rank
EMAIL_TAKEN = "A report recipient with this email already exists"
PLAIN_FIELDS = {"name": "name", "company": "company", "role": "role", "active": "active"}


def merged_schedule(stored: Mapping[str, Any], sent: Mapping[str, Any]) -> dict[str, Any]:
    """`sent` over `stored`, field by field; `dayOfMonth` is kept for monthly schedules only."""
    schedule = {**stored, **{name: sent[name] for name in stored if sent.get(name) is not None}}
    schedule["dayOfWeek"] = int(schedule["dayOfWeek"])  # 1.0 is an integer: store 1
    monthly = schedule["frequency"] == "monthly"
    schedule["dayOfMonth"] = int(schedule["dayOfMonth"] or SCHEDULE_DEFAULTS["dayOfMonth"]) if monthly else None
    return schedule


def new_schedule(sent: Mapping[str, Any] | None) -> dict[str, Any]:
    """A create's schedule: the defaults, enabled only when a schedule was sent."""
    stored = {**SCHEDULE_DEFAULTS, "enabled": sent is not None}
    return merged_schedule(stored, sent or {})


class RecipientDesk:
    def __init__(
        self, context: VendorContext, ids: ObjectIds, workspaces: Tenants[Workspace], reports: ReportDesk
    ) -> None:
        self.context = context
        self.ids = ids
        self.workspaces = workspaces
        self.reports = reports

    # requests

    def create(self, tenant: str, body: Mapping[str, Any], now: datetime) -> Recipient:
        now = to_millis(now)
        workspace = self.workspaces[tenant]
        report_type = body.get("reportType", DEFAULT_REPORT_TYPE)
        campaign_ids = list(body["campaignIds"]) if report_type == "campaign" else []
        self._raise(self.reports.unknown_campaigns(campaign_ids))
        email = self._free_email(workspace, body["email"], None)
        recipient = Recipient(
            id=self.ids.new(now),
            name=body["name"],
            email=email,
            company=body.get("company"),
            role=body.get("role"),
            report_type=report_type,
            campaign_ids=campaign_ids,
            schedule=new_schedule(body.get("schedule")),
            created_at=now,
            updated_at=now,
        )
        workspace.recipients[recipient.id] = recipient
        self._arm(tenant, recipient, now)
        return recipient

    def list(self, tenant: str, search: str | None) -> list[Recipient]:
        """Newest first; `search` is a case-insensitive substring of name, email or company."""
        workspace = self.workspaces.peek(tenant)
        recipients = list(reversed(workspace.recipients.values())) if workspace else []
        if not search:
            return recipients
        needle = search.lower()
        return [r for r in recipients if any(needle in (text or "").lower() for text in (r.name, r.email, r.company))]

    def get(self, tenant: str, recipient_id: str) -> Recipient:
        workspace = self.workspaces.peek(tenant)
        recipient = workspace.recipients.get(recipient_id) if workspace else None
        if recipient is None:
            raise NotFound(NOT_FOUND)
        return recipient

    def update(self, tenant: str, recipient_id: str, body: Mapping[str, Any], now: datetime) -> Recipient:
        recipient = self.get(tenant, recipient_id)
        report_type = body.get("reportType", recipient.report_type)
        changes: dict[str, Any] = {PLAIN_FIELDS[name]: body[name] for name in PLAIN_FIELDS if name in body}
        changes["report_type"] = report_type
        changes["campaign_ids"] = self._campaigns_after(recipient, body, report_type)
        if "email" in body:
            changes["email"] = self._free_email(self.workspaces[tenant], body["email"], recipient.id)
        if "schedule" in body:
            changes["schedule"] = merged_schedule(recipient.schedule, body["schedule"])
        changed = {name for name, value in changes.items() if getattr(recipient, name) != value}
        for name in changed:
            setattr(recipient, name, changes[name])
        if changed:
            recipient.updated_at = to_millis(now)
        if changed & {"schedule", "active"}:
            self._arm(tenant, recipient, now)
        return recipient

    def delete(self, tenant: str, recipient_id: str) -> None:
        """Forget the recipient and its schedule; reports already generated stay."""
        recipient = self.get(tenant, recipient_id)
        self._disarm(recipient)
        del self.workspaces[tenant].recipients[recipient_id]

    # rules needing the stored recipient or the workspace

    def _campaigns_after(self, recipient: Recipient, body: Mapping[str, Any], report_type: str) -> list[str]:
        """The campaign ids after an update; a (still) campaign recipient needs 1 to 10 valid ones."""
        if report_type != "campaign":
            return []
        if "campaignIds" not in body:
            if recipient.report_type == "campaign":
                return recipient.campaign_ids
            self._raise([FieldProblem("campaignIds", CAMPAIGNS_NEEDED, "SK-CAMPAIGN-REQUIRED")])
        campaign_ids = list(body["campaignIds"])
        if "reportType" not in body:  # the schema applied the campaign rules only when reportType was sent
            self._raise(CAMPAIGN_SELECTION.problems(campaign_ids) + duplicate_campaigns(campaign_ids))
        self._raise(self.reports.unknown_campaigns(campaign_ids))
        return campaign_ids

    @staticmethod
    def _raise(problems: list[FieldProblem]) -> None:
        if problems:
            raise ValidationFailed(sorted(problems, key=UPDATE_ORDER))

    @staticmethod
    def _free_email(workspace: Workspace, email: str, owner: str | None) -> str:
        """SK-RCPT-EMAIL-UNIQUE: the lower-cased email, unless another recipient has it."""
        email = email.lower()
        if any(r.email == email and r.id != owner for r in workspace.recipients.values()):
            raise Conflict(EMAIL_TAKEN)
        return email

    # schedule

    def _arm(self, tenant: str, recipient: Recipient, after: datetime) -> None:
        self._disarm(recipient)
        if not recipient.fires:
            return
        recipient.next_at = next_fire(recipient.schedule, after)
        recipient.timer = self.context.at(recipient.next_at, functools.partial(self._fire, tenant, recipient))

    @staticmethod
    def _disarm(recipient: Recipient) -> None:
        if recipient.timer is not None:
            recipient.timer.cancel()
        recipient.timer = None
        recipient.next_at = None

    def _fire(self, tenant: str, recipient: Recipient, due: datetime) -> None:
        """One occurrence: queue the recipient's reports for the period ending now, then re-arm."""
        recipient.timer = None
        period = covered_period(recipient.schedule["frequency"], due)
        sections = sections_of(None)
        for campaign_id in recipient.campaign_ids or [None]:
            order = ReportOrder(recipient.report_type, campaign_id, period, sections, [recipient.id], recipient.id)
            self.reports.create(tenant, order, due)
        self._arm(tenant, recipient, due)
