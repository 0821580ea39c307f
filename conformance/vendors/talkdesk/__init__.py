"""Talkdesk Explore API report jobs: a check for every rule id of CONTRACTS.md 2.12."""

from __future__ import annotations

from conformance.vendors import Credential, VendorPlugin
from conformance.vendors.talkdesk import check_auth, check_files, check_jobs, check_list, check_validation  # noqa: F401
from conformance.vendors.talkdesk.rules import CHECKS, RULES
from conformance.vendors.talkdesk.session import fresh_credentials, open_session

PLUGIN = VendorPlugin(
    name="talkdesk",
    checks=CHECKS,
    credentials=(
        Credential("client_id", "TALKDESK_CLIENT_ID", "an OAuth client id (the account)"),
        Credential("client_secret", "TALKDESK_CLIENT_SECRET", "that client's secret"),
        Credential(
            "second_client_id", "TALKDESK_SECOND_CLIENT_ID", "another account's client id, for TD-TENANT", primary=False
        ),
        Credential("second_client_secret", "TALKDESK_SECOND_CLIENT_SECRET", "that client's secret", primary=False),
    ),
    fresh_credentials=fresh_credentials,
    open_session=open_session,
    spec_name="talkdesk",
    setup_plan=(
        "POST /oauth/token  the client's token (more tokens later: narrower scopes, the second account, after expiry)",
        "GET /_mock/config, GET /_mock/clock  the knobs and the clock (mock only)",
        "GET /data/reports/calls/jobs  does the list route exist (not against the mock)",
    ),
)

__all__ = ["PLUGIN", "RULES"]
