"""The SendKit backend: one object per mock state, rebuilt on reset.

It owns the tenants (workspaces), the id counter, the rate-limit windows and the two desks
that act on them: reports and recipients.
"""

from __future__ import annotations

from typing import Any

from mockserver.core.tenants import Tenants
from mockserver.core.vendor import VendorContext
from mockserver.vendors.sendkit.ids import ObjectIds
from mockserver.vendors.sendkit.ratelimit import MinuteWindows
from mockserver.vendors.sendkit.recipients import RecipientDesk
from mockserver.vendors.sendkit.reports import ReportDesk, Workspace


class SendKitBackend:
    def __init__(self, context: VendorContext) -> None:
        self.context = context
        self.workspaces: Tenants[Workspace] = Tenants(Workspace)
        self.windows = MinuteWindows()
        ids = ObjectIds(context)
        self.reports = ReportDesk(context, ids, self.workspaces)
        self.recipients = RecipientDesk(context, ids, self.workspaces, self.reports)


def describe(backend: SendKitBackend) -> dict[str, list[dict[str, Any]]]:
    """Reports and recipients per workspace, for the dashboard."""
    return {tenant: _rows(workspace) for tenant, workspace in backend.workspaces.items()}


def _rows(workspace: Workspace) -> list[dict[str, Any]]:
    reports = [
        {"kind": "report", "id": report.id, "name": report.title, "status": report.status, "sent": None}
        for report in workspace.reports.values()
    ]
    recipients = [
        {
            "kind": "recipient",
            "id": recipient.id,
            "name": f"{recipient.name} <{recipient.email}>",
            "status": "active" if recipient.active else "inactive",
            "sent": recipient.total_reports_sent,
        }
        for recipient in workspace.recipients.values()
    ]
    return reports + recipients
