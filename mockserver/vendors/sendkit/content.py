"""What a completed report holds: seeded numbers per enabled section (CONTRACTS.md 3.7).

Numbers depend only on the seed, the subject S (campaign id, workspace id or
"org:" + workspace id) and the period, never on the order of requests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from mockserver.core.ids import ContentDigest

Digest = Callable[..., ContentDigest]


def counts(h: ContentDigest) -> dict[str, int]:
    emails_sent = 500 + h.u(0) % 9500
    opened = h.u(1) % (emails_sent + 1)
    replied = h.u(2) % (opened + 1)
    bounced = h.u(3) % (emails_sent // 20 + 1)
    return {"emailsSent": emails_sent, "opened": opened, "replied": replied, "bounced": bounced}


def mailbox_health(h: ContentDigest) -> dict[str, int]:
    mailboxes = 1 + h.u(0) % 10
    warning = h.u(1) % (mailboxes + 1)
    critical = h.u(2) % (mailboxes - warning + 1)
    return {"mailboxes": mailboxes, "healthy": mailboxes - warning - critical, "warning": warning, "critical": critical}


def build_content(
    digest: Digest,
    *,
    subject: str,
    period: tuple[str, str],
    sections: Mapping[str, bool],
    campaigns: Sequence[tuple[str, str]],
) -> dict[str, Any]:
    """The `content` of a report; `campaigns` are the (id, name) pairs it lists."""
    content: dict[str, Any] = {}
    if sections["executiveSummary"]:
        content["executiveSummary"] = counts(digest(subject, *period))
    if sections["campaignPerformance"]:
        content["campaignPerformance"] = [
            {"campaignId": campaign_id, "name": name, **counts(digest(campaign_id, *period))}
            for campaign_id, name in campaigns
        ]
    if sections["mailboxHealth"]:
        content["mailboxHealth"] = mailbox_health(digest(subject, *period, "mailboxes"))
    return content
