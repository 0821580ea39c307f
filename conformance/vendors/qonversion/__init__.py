"""Qonversion REST v4 Scheduled Reports: a check for every rule id of CONTRACTS.md 1.10."""

from __future__ import annotations

from conformance.vendors import Credential, VendorPlugin
from conformance.vendors.qonversion import check_crud, check_delivery, check_http, check_validation  # noqa: F401
from conformance.vendors.qonversion.rules import CHECKS, RULES
from conformance.vendors.qonversion.session import fresh_credentials, open_session

PLUGIN = VendorPlugin(
    name="qonversion",
    checks=CHECKS,
    credentials=(
        Credential("key", "QONVERSION_API_KEY", "a Secret Key, sk_... or test_sk_..."),
        Credential(
            "second_key", "QONVERSION_SECOND_API_KEY", "another project's key, for tenant isolation", primary=False
        ),
    ),
    fresh_credentials=fresh_credentials,
    open_session=open_session,
    spec_name="qonversion",
    setup_plan=(
        "GET /v4/scheduled-reports/destinations  the destination catalogue",
        "GET /_mock/config  the knobs (mock only)",
    ),
)

__all__ = ["PLUGIN", "RULES"]
