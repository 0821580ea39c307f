"""PostageApp scheduled events and send_message: a check for every rule id of CONTRACTS.md 4.12."""

from __future__ import annotations

from conformance.vendors import Credential, VendorPlugin
from conformance.vendors.postageapp import (  # noqa: F401
    check_events,
    check_fields,
    check_fires,
    check_lists,
    check_messages,
    check_schedules,
    check_transport,
)
from conformance.vendors.postageapp.rules import CHECKS, RULES
from conformance.vendors.postageapp.session import fresh_credentials, open_session

PLUGIN = VendorPlugin(
    name="postageapp",
    checks=CHECKS,
    credentials=(
        Credential("key", "POSTAGEAPP_API_KEY", "a project API key (sent as api_key in the body)"),
        Credential(
            "second_key", "POSTAGEAPP_SECOND_API_KEY", "another project's key, for project isolation", primary=False
        ),
        Credential(
            "send_to",
            "POSTAGEAPP_SEND_TO",
            "an address that may receive test mail; opts in to the send_message checks against a real endpoint",
            primary=False,
        ),
    ),
    fresh_credentials=fresh_credentials,
    open_session=open_session,
    spec_name="postageapp",
    setup_plan=(
        "GET /_mock/config  the knobs (mock only)",
        "POST /v.1.0/list_scheduled_events.json  the key is a project",
    ),
)

__all__ = ["PLUGIN", "RULES"]
