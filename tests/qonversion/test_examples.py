"""Every documented Qonversion example (fixtures/qonversion/*.json) replays against the mock."""

from __future__ import annotations

import httpx
import pytest

from conformance.examples import ExampleCase, differences, load_cases, replay

CASES = load_cases("qonversion")


def test_every_page_example_has_a_fixture() -> None:
    names = {case.name for case in CASES}
    assert {"create-active-daily-report", "pause-report", "send-test", "send-test-rate-limited"} <= names
    assert {"send-at-invalid-23-45", "send-at-invalid-12-15", "send-at-invalid-24-00"} <= names


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_documented_example_replays(client: httpx.Client, case: ExampleCase) -> None:
    assert replay(client, case) == []


def test_replay_reports_a_departure(client: httpx.Client) -> None:
    """The replayer has teeth: a wrong documented status or value is reported."""
    case = next(case for case in CASES if case.name == "send-test")
    broken = ExampleCase(case.vendor, case.name, case.title, [case.steps[0], {**case.steps[1]}])
    broken.steps[1] = {**broken.steps[1], "response": {**broken.steps[1]["response"], "status": 200}}
    assert replay(client, broken) and "expected 200, got 202" in replay(client, broken)[0]


def test_differences_checks_key_order_values_and_illustrative_types() -> None:
    assert list(differences({"a": 1, "b": 2}, {"b": 2, "a": 1}, frozenset())) == [
        "$: expected keys ['a', 'b'], got ['b', 'a']"
    ]
    assert list(differences({"id": "x"}, {"id": "y"}, frozenset({"id"}))) == []
    assert list(differences({"id": "x"}, {"id": 5}, frozenset({"id"}))) == ["$.id: expected a string, got 5"]
    assert list(differences({"n": 1}, {"n": True}, frozenset())) == ["$.n: expected 1, got True"]
