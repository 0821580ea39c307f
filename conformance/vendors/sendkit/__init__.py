"""SendKit (sendkit.ai) reports and report recipients: a check for every rule id of CONTRACTS.md 3.10.

Credentials: a workspace key (`SENDKIT_API_KEY`), optionally another workspace's key for tenant
isolation, and a platform key with one of its workspace ids for SK-WORKSPACE-HEADER. Against a
real endpoint, `SENDKIT_CAMPAIGN_IDS` (comma-separated) names campaigns that generate may use.
Reports cannot be deleted, so a non-mock run generates at most `session.REPORT_ALLOWANCE` of them.
"""

from __future__ import annotations

from conformance.vendors import Credential, VendorPlugin
from conformance.vendors.sendkit import (  # noqa: F401
    check_access,
    check_errors,
    check_generate,
    check_lists,
    check_recipients,
    check_reports,
    check_schedule,
)
from conformance.vendors.sendkit.rules import CHECKS, RULES
from conformance.vendors.sendkit.session import fresh_credentials, open_session

PLUGIN = VendorPlugin(
    name="sendkit",
    checks=CHECKS,
    credentials=(
        Credential("key", "SENDKIT_API_KEY", "a workspace API key, sk_..."),
        Credential(
            "second_key", "SENDKIT_SECOND_API_KEY", "another workspace's key, for tenant isolation", primary=False
        ),
        Credential("platform_key", "SENDKIT_PLATFORM_KEY", "a platform API key, sk_user_...", primary=False),
        Credential("workspace_id", "SENDKIT_WORKSPACE_ID", "a workspace id the platform key owns", primary=False),
    ),
    fresh_credentials=fresh_credentials,
    open_session=open_session,
    spec_name="sendkit",
    setup_plan=(
        "GET /v1/reports/recipients?limit=1  the key works",
        "GET /_mock/config  the campaign catalogue, seed and knobs (mock only; else SENDKIT_CAMPAIGN_IDS)",
    ),
)

__all__ = ["PLUGIN", "RULES"]
