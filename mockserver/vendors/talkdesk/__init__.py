"""Talkdesk Explore API: OAuth client credentials and asynchronous report jobs with file downloads."""

from __future__ import annotations

from mockserver.core.auth import IssuedTokenAuth
from mockserver.core.progression import PROGRESSION_MODES
from mockserver.core.vendor import VendorSpec
from mockserver.vendors.talkdesk.errors import render_error
from mockserver.vendors.talkdesk.models import TalkdeskBackend, describe
from mockserver.vendors.talkdesk.routes import HANDLERS, file_routes
from mockserver.vendors.talkdesk.timespan import timezone_problems

NAME = "talkdesk"

REPORT_TYPES = [
    "audit_logs",
    "calls",
    "explore_calls",
    "contacts",
    "feedback_flow",
    "interaction_custom_fields",
    "messaging_contacts",
    "messaging_traffic",
    "outbound_dialer_calls",
    "qm_evaluation_analysis",
    "ring_attempts",
    "studio_flow_execution",
    "user_status",
    "adherence",
    "wfm_timeseries",
]

KNOBS = {
    "clients": None,
    "token_ttl_seconds": 600,
    "report_types": REPORT_TYPES,
    "progression": "time",
    "step_seconds": {"created": 5, "processing": 20, "uploading": 5},
    "polls_per_step": 1,
    "quota_simultaneous": 15,
    "max_span_days": 31,
    "file_retention_seconds": 2592000,
    "signed_url_ttl_seconds": 300,
    "row_interval_seconds": 3600,
    "row_limit": 1000000,
    "fail_name_marker": "__fail__",
}

_TEXT = {"type": "string", "minLength": 1}
_WHOLE = {"type": "integer", "minimum": 1}
_SECONDS = {"type": "number", "minimum": 0}
KNOB_SCHEMAS = {
    "clients": {
        "type": ["array", "null"],
        "items": {
            "type": "object",
            "properties": {
                "client_id": _TEXT,
                "client_secret": _TEXT,
                "scopes": {"type": "array", "items": _TEXT},
            },
            "required": ["client_id", "client_secret"],
            "additionalProperties": False,
        },
    },
    "token_ttl_seconds": _WHOLE,
    "report_types": {"type": "array", "items": {"type": "string", "pattern": "^[^/]+$"}, "uniqueItems": True},
    "progression": {"enum": list(PROGRESSION_MODES)},
    "step_seconds": {
        "type": "object",
        "properties": {state: _SECONDS for state in ("created", "processing", "uploading")},
        "required": ["created", "processing", "uploading"],
        "additionalProperties": False,
    },
    "polls_per_step": _WHOLE,
    "quota_simultaneous": _WHOLE,
    "max_span_days": {"type": "number", "exclusiveMinimum": 0},
    "file_retention_seconds": _SECONDS,
    "signed_url_ttl_seconds": _WHOLE,
    "row_interval_seconds": _WHOLE,
    "row_limit": {"type": "integer", "minimum": 0},
    "fail_name_marker": {"type": ["string", "null"], "minLength": 1},
}

VENDOR = VendorSpec(
    name=NAME,
    prefixes=("/data", "/oauth/token"),
    knobs=KNOBS,
    knob_schemas=KNOB_SCHEMAS,
    make_backend=TalkdeskBackend,
    handlers=HANDLERS,
    authenticate=IssuedTokenAuth(),
    render_error=render_error,
    body_rules={"createReportJob": timezone_problems},
    control_routes=file_routes,
    describe=describe,
)
