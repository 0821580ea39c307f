"""Every documented SendKit example (fixtures/sendkit/*.json) replays against the mock."""

from __future__ import annotations

import httpx
import pytest

from conformance.examples import ExampleCase, load_cases, replay

CASES = load_cases("sendkit")


def test_every_documented_example_has_a_fixture() -> None:
    names = {case.name for case in CASES}
    # the page: the generate request and response, the 400 and 404 bodies
    assert {"generate-campaign-report", "error-invalid-email", "error-not-found"} <= names
    # CONTRACTS.md 3.2 to 3.4: the recipient, generate, list, delete and error examples
    assert {"create-recipient", "generate-single-workspace-report", "list-reports", "delete-recipient"} <= names
    assert {"error-campaign-ids-required", "duplicate-recipient-email", "error-unauthorized"} <= names
    assert {"error-platform-key-needs-workspace", "error-method-not-allowed", "generate-with-bearer"} <= names


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_documented_example_replays(client: httpx.Client, case: ExampleCase) -> None:
    assert replay(client, case) == []


def test_nested_capture_feeds_later_steps(client: httpx.Client) -> None:
    """`data.reports.1.id` reaches into the generate answer; a wrong path is caught by the next step."""
    case = next(case for case in CASES if case.name == "list-reports")
    broken_steps = [
        {**case.steps[0], "capture": {"first": "data.reports.9.id", "second": "data.nope"}},
        *case.steps[1:],
    ]
    problems = replay(client, ExampleCase(case.vendor, case.name, case.title, broken_steps))
    assert problems and any("None" in problem for problem in problems)


def test_replay_reports_a_wrong_message(client: httpx.Client) -> None:
    case = next(case for case in CASES if case.name == "generate-campaign-report")
    step = case.steps[0]
    data = {**step["response"]["json"]["data"], "message": "2 report queued for generation"}
    broken = {**step, "response": {**step["response"], "json": {"success": True, "data": data}}}
    problems = replay(client, ExampleCase(case.vendor, case.name, case.title, [broken]))
    assert problems == [
        "step 1 (POST /v1/reports): $.data.message: expected '2 report queued for generation', "
        "got '2 reports queued for generation'"
    ]
