"""Qonversion REST API v4, Scheduled Reports: daily deliveries at a 30-minute UTC slot."""

from __future__ import annotations

import re

from mockserver.core.auth import BearerKeyAuth
from mockserver.core.spec import load_spec
from mockserver.core.vendor import VendorSpec
from mockserver.vendors.qonversion.errors import render_error
from mockserver.vendors.qonversion.models import QonversionBackend, duplicate_destinations
from mockserver.vendors.qonversion.routes import HANDLERS

NAME = "qonversion"

DEFAULT_DESTINATIONS = [
    {"type": "target_integration", "id": "int-wh-01", "label": "Webhooks: Release alerts"},
    {"type": "target_integration", "id": "int-slack-01", "label": "Slack: #revenue"},
    {"type": "target_integration", "id": "int-email-01", "label": "Email: finance team"},
]

KNOBS = {
    "keys": None,
    "forbidden_keys": [],
    "destinations": DEFAULT_DESTINATIONS,
    "accept_unknown_destinations": False,
    "delivery_delay_seconds": 0,
    "test_delivery_delay_seconds": 0,
    "send_test_window_seconds": 60,
}

_KEY_PATTERN = re.compile(load_spec(NAME).security_scheme("bearer")["x-key-pattern"])

VENDOR = VendorSpec(
    name=NAME,
    prefixes=("/v4",),
    knobs=KNOBS,
    make_backend=QonversionBackend,
    handlers=HANDLERS,
    authenticate=BearerKeyAuth(_KEY_PATTERN),
    render_error=render_error,
    body_rules={
        "createScheduledReport": duplicate_destinations,
        "updateScheduledReport": duplicate_destinations,
    },
)
