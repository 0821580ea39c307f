"""Every documented PostageApp example (fixtures/postageapp/*.json) replays against the mock."""

from __future__ import annotations

import httpx
import pytest

from conformance.examples import ExampleCase, load_cases, replay

CASES = load_cases("postageapp")


def test_every_documented_example_has_a_fixture() -> None:
    names = {case.name for case in CASES}
    # the page: the request example and its 200 answer, the taken-uid 400, every schedule form it lists
    assert {"create-scheduled-event", "create-scheduled-event-uid-taken"} <= names
    assert {"schedule-iso-8601", "schedule-relative", "schedule-date-expression"} <= names
    assert {"schedule-crontab", "schedule-repeating"} <= names
    # CONTRACTS.md 4.3 to 4.9: the event object, each method's examples, the errors and the outbox payload
    assert {"event-object", "every-5-mins-aligned", "create-scheduled-events", "get-scheduled-event-not-found"} <= names
    assert {"list-scheduled-events", "delete-scheduled-event", "send-message", "fire-outbox-entry"} <= names
    assert {"error-unknown-method", "error-method-not-allowed", "error-invalid-json", "error-invalid-utf8"} <= names
    assert {"error-not-object", "error-unauthorized", "update-suspend-resume", "one-off-completes"} <= names


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_documented_example_replays(client: httpx.Client, case: ExampleCase) -> None:
    assert replay(client, case) == []


def test_replay_catches_a_wrong_first_fire(client: httpx.Client) -> None:
    """The fixtures have teeth: a documented scheduled_at one period off is reported."""
    case = next(case for case in CASES if case.name == "every-5-mins-aligned")
    expected = case.steps[1]["response"]
    data = {**expected["json"]["data"], "scheduled_at": "2026-11-23T09:07:30+00:00"}
    broken_step = {**case.steps[1], "response": {**expected, "json": {**expected["json"], "data": data}}}
    problems = replay(client, ExampleCase(case.vendor, case.name, case.title, [case.steps[0], broken_step]))
    assert problems == [
        "step 2 (POST /v.1.0/create_scheduled_event.json): $.data.scheduled_at: "
        "expected '2026-11-23T09:07:30+00:00', got '2026-11-23T09:05:00+00:00'"
    ]
