"""The response-shape check that guards every vendor response in this suite has teeth."""

from __future__ import annotations

import httpx

from conformance.shapes import ResponseShapes
from mockserver.core.spec import load_spec
from tests.conftest import REPORTS, auth, create_report

SHAPES = ResponseShapes(load_spec("qonversion"))


def test_real_responses_pass(client: httpx.Client) -> None:
    report = create_report(client)
    assert SHAPES.problems("GET", f"{REPORTS}/{report['id']}", 200, report) == []
    listing = client.get(REPORTS, headers=auth()).json()
    assert SHAPES.problems("GET", REPORTS, 200, listing) == []


def test_missing_and_mistyped_fields_are_reported(client: httpx.Client) -> None:
    report = create_report(client)
    broken = {**report, "runs": "0"}
    del broken["url"]
    problems = SHAPES.problems("GET", f"{REPORTS}/{report['id']}", 200, broken)
    assert problems == [
        "getScheduledReport 200: runs: Wrong type",
        "getScheduledReport 200: url: Required",
    ]


def test_error_envelope_shape_is_checked() -> None:
    assert SHAPES.problems("GET", REPORTS, 401, {"error": {"code": "x"}}) == [
        "listScheduledReports 401: error.type: Required",
        "listScheduledReports 401: error.message: Required",
    ]
    envelope = {"error": {"type": "request", "code": "invalid_data", "message": "m", "details": []}}
    assert SHAPES.problems("GET", REPORTS, 400, envelope) == ["listScheduledReports 400: error.details: Too few items"]


def test_a_body_on_a_bodyless_response_is_reported() -> None:
    assert SHAPES.problems("DELETE", f"{REPORTS}/abc", 204, {"x": 1}) == [
        "deleteScheduledReport 204: documented without a body"
    ]
