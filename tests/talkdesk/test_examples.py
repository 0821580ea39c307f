"""Every documented Talkdesk example (fixtures/talkdesk/*.json) replays against the mock."""

from __future__ import annotations

import httpx
import pytest

from conformance.examples import ExampleCase, load_cases, replay

CASES = load_cases("talkdesk")


def test_every_documented_example_has_a_fixture() -> None:
    names = {case.name for case in CASES}
    # CONTRACTS.md 2.3, 2.5 and 2.6 examples; the page's body example as given and with a real zone
    assert {"token-client-credentials", "create-report-job", "list-jobs", "span-over-31-days"} <= names
    assert {"page-body-example", "page-body-example-utc"} <= names
    # the page's "A Request to Execute a Report May Fail When" list, one case each
    assert {"credentials-and-scope", "invalid-structure", "missing-mandatory-field"} <= names
    assert {"invalid-report-format", "datetime-not-properly-formatted", "to-before-from"} <= names
    assert {"timezone-not-iana", "quota-15-simultaneous", "token-errors", "unknown-report-type"} <= names


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_documented_example_replays(client: httpx.Client, case: ExampleCase) -> None:
    assert replay(client, case) == []


def test_base_placeholder_is_the_target_base_url(client: httpx.Client) -> None:
    case = next(case for case in CASES if case.name == "create-report-job")
    moved = ExampleCase(case.vendor, case.name, case.title, [dict(step) for step in case.steps])
    moved.steps[1]["response"] = {**moved.steps[1]["response"], "headers": {"Location": "http://elsewhere/x/{id}"}}
    problems = replay(client, moved)
    assert len(problems) == 1 and "header Location" in problems[0]
