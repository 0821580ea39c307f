"""Qonversion REST API v4, Scheduled Reports: daily deliveries at a 30-minute UTC slot."""

from __future__ import annotations

import re

from mockserver.core.auth import BearerKeyAuth
from mockserver.core.spec import load_spec
from mockserver.core.vendor import VendorSpec
from mockserver.vendors.qonversion.errors import render_error
from mockserver.vendors.qonversion.models import QonversionBackend, describe, duplicate_destinations
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

_KEY_LIST = {"type": ["array", "null"], "items": {"type": "string", "minLength": 1}}
_SECONDS = {"type": "number", "minimum": 0}
KNOB_SCHEMAS = {
    "keys": _KEY_LIST,
    "forbidden_keys": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "destinations": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "type": {"type": "string", "minLength": 1},
                "id": {"type": "string", "minLength": 1},
                "label": {"type": "string"},
            },
            "required": ["type", "id", "label"],
        },
    },
    "accept_unknown_destinations": {"type": "boolean"},
    "delivery_delay_seconds": _SECONDS,
    "test_delivery_delay_seconds": _SECONDS,
    "send_test_window_seconds": _SECONDS,
}

_KEY_PATTERN = re.compile(load_spec(NAME).security_scheme("bearer")["x-key-pattern"])

VENDOR = VendorSpec(
    name=NAME,
    prefixes=("/v4",),
    knobs=KNOBS,
    knob_schemas=KNOB_SCHEMAS,
    make_backend=QonversionBackend,
    handlers=HANDLERS,
    authenticate=BearerKeyAuth(_KEY_PATTERN),
    render_error=render_error,
    describe=describe,
    body_rules={
        "createScheduledReport": duplicate_destinations,
        "updateScheduledReport": duplicate_destinations,
    },
)
