"""SendKit (sendkit.ai): queued report generation and scheduled report recipients (CONTRACTS.md 3)."""

from __future__ import annotations

from mockserver.core.progression import PROGRESSION_MODES
from mockserver.core.vendor import VendorSpec
from mockserver.vendors.sendkit.auth import PLATFORM_KEY, WORKSPACE_KEY, authenticate
from mockserver.vendors.sendkit.backend import SendKitBackend, describe
from mockserver.vendors.sendkit.errors import render_error
from mockserver.vendors.sendkit.ratelimit import gate, rate_headers
from mockserver.vendors.sendkit.routes import HANDLERS
from mockserver.vendors.sendkit.rules import OBJECT_ID, SPEC, generate_rules, recipient_rules

NAME = "sendkit"

DEFAULT_CAMPAIGNS = [
    {"id": "664f0a1b2c3d4e5f6a7b8c01", "name": "Q1 Outreach"},
    {"id": "664f0a1b2c3d4e5f6a7b8c02", "name": "Follow-up Campaign"},
    {"id": "664f0a1b2c3d4e5f6a7b8c03", "name": "Re-engagement"},
]

KNOBS = {
    "workspaces": None,
    "campaigns": DEFAULT_CAMPAIGNS,
    "strict_campaigns": False,
    "progression": "time",
    "step_seconds": {"queued": 5, "generating": 20},
    "polls_per_step": 1,
    "fail_campaign_ids": [],
    "fail_report_types": [],
    "rate_limit_per_minute": None,
}

_HEX_ID = {"type": "string", "pattern": OBJECT_ID.pattern}
_SECONDS = {"type": "number", "minimum": 0}
KNOB_SCHEMAS = {
    "workspaces": {
        "type": ["array", "null"],
        "items": {
            "type": "object",
            "properties": {
                "id": _HEX_ID,
                "workspace_key": {"type": "string", "pattern": WORKSPACE_KEY.pattern},
                "owner_key": {"type": "string", "pattern": PLATFORM_KEY.pattern},
                "name": {"type": "string"},
            },
            "required": ["id", "workspace_key", "owner_key"],
        },
    },
    "campaigns": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"id": _HEX_ID, "name": {"type": "string", "minLength": 1}},
            "required": ["id", "name"],
        },
    },
    "strict_campaigns": {"type": "boolean"},
    "progression": {"enum": list(PROGRESSION_MODES)},
    "step_seconds": {
        "type": "object",
        "properties": {"queued": _SECONDS, "generating": _SECONDS},
        "required": ["queued", "generating"],
        "additionalProperties": False,
    },
    "polls_per_step": {"type": "integer", "minimum": 1},
    "fail_campaign_ids": {"type": "array", "items": {"type": "string"}},
    "fail_report_types": {"type": "array", "items": {"enum": SPEC.schema("ReportType")["enum"]}},
    "rate_limit_per_minute": {"type": ["integer", "null"], "minimum": 1},
}

VENDOR = VendorSpec(
    name=NAME,
    prefixes=("/v1",),
    knobs=KNOBS,
    knob_schemas=KNOB_SCHEMAS,
    make_backend=SendKitBackend,
    describe=describe,
    handlers=HANDLERS,
    authenticate=authenticate,
    render_error=render_error,
    body_rules={
        "generateReport": generate_rules,
        "createReportRecipient": recipient_rules,
        "updateReportRecipient": recipient_rules,
    },
    gate=gate,
    response_headers=rate_headers,
)
