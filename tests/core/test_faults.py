"""Fault rules: validation, matching, `times` and seeded probability draws."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.core.faults import FaultRuleError, Faults, parse_rule

VENDORS = ["qonversion", "acme"]
REPORTS = "/v4/scheduled-reports"


@pytest.mark.parametrize(
    "document",
    [
        pytest.param({"status": 399}, id="status-below-400"),
        pytest.param({"status": 600}, id="status-above-599"),
        pytest.param({"status": 200}, id="status-success"),
        pytest.param({"status": "500"}, id="status-string"),
        pytest.param({"status": True}, id="status-bool"),
        pytest.param({"status": 500.5}, id="status-float"),
        pytest.param({"status": 500, "path": "("}, id="bad-regex"),
        pytest.param({"status": 500, "path": "[a-"}, id="bad-regex-class"),
        pytest.param({"status": 500, "times": 0}, id="times-zero"),
        pytest.param({"status": 500, "times": -1}, id="times-negative"),
        pytest.param({"delay_ms": -5}, id="delay-negative"),
        pytest.param({"delay_ms": 60001}, id="delay-too-long"),
        pytest.param({"status": 500, "probability": 1.5}, id="probability-above-1"),
        pytest.param({"status": 500, "probability": -0.1}, id="probability-negative"),
        pytest.param({"status": 500, "probability": "half"}, id="probability-string"),
        pytest.param({"status": 500, "vendor": "nope"}, id="unknown-vendor"),
        pytest.param({"status": 500, "method": 5}, id="method-not-string"),
        pytest.param({"drop_connection": "yes"}, id="drop-not-bool"),
        pytest.param({}, id="empty"),
        pytest.param({"path": "^/v4", "method": "GET", "times": 2}, id="nothing-to-do"),
        pytest.param({"drop_connection": False, "delay_ms": 0}, id="all-off"),
    ],
)
def test_parse_rule_refuses_unusable_rules(document: dict[str, Any]):
    with pytest.raises(FaultRuleError):
        parse_rule("fault_1", document, VENDORS)


def test_parse_rule_fills_defaults_and_normalises_method():
    rule = parse_rule("fault_9", {"status": 503, "method": "post"}, VENDORS)
    assert rule.to_json() == {
        "id": "fault_9",
        "vendor": None,
        "method": "POST",
        "path": None,
        "status": 503,
        "delay_ms": 0,
        "drop_connection": False,
        "times": None,
        "probability": 1.0,
        "matched": 0,
    }


@pytest.mark.parametrize(
    "document",
    [
        {"status": 400},
        {"status": 599},
        {"delay_ms": 1},
        {"drop_connection": True},
        {"status": 500, "probability": 0},
        {"status": 500, "probability": 1},
        {"status": 500, "vendor": "acme", "times": 1, "path": r"^/v4/.+/send-test$"},
    ],
)
def test_parse_rule_accepts_boundaries(document: dict[str, Any]):
    assert parse_rule("fault_1", document, VENDORS).id == "fault_1"


def test_rules_get_sequential_ids():
    faults = Faults(seed=0)
    assert faults.add({"status": 500}, VENDORS).id == "fault_1"
    assert faults.add({"status": 502}, VENDORS).id == "fault_2"
    assert [rule.id for rule in faults.rules()] == ["fault_1", "fault_2"]


def test_a_refused_rule_is_not_added():
    faults = Faults(seed=0)
    with pytest.raises(FaultRuleError):
        faults.add({"status": 700}, VENDORS)
    assert faults.rules() == []
    assert faults.pick("qonversion", "GET", REPORTS) is None


def test_matching_by_vendor_method_and_path_regex():
    faults = Faults(seed=0)
    faults.add({"status": 500, "vendor": "qonversion", "method": "post", "path": r"/send-test$"}, VENDORS)
    assert faults.pick("qonversion", "POST", f"{REPORTS}/abc/send-test") is not None
    assert faults.pick("acme", "POST", f"{REPORTS}/abc/send-test") is None  # other vendor
    assert faults.pick(None, "POST", f"{REPORTS}/abc/send-test") is None  # no vendor serves it
    assert faults.pick("qonversion", "GET", f"{REPORTS}/abc/send-test") is None  # other method
    assert faults.pick("qonversion", "POST", f"{REPORTS}/abc") is None  # path does not match


def test_path_regex_is_a_search_not_a_full_match():
    faults = Faults(seed=0)
    faults.add({"status": 500, "path": "scheduled"}, VENDORS)
    assert faults.pick("qonversion", "GET", REPORTS) is not None
    assert faults.pick(None, "GET", "/nope") is None


def test_rule_without_filters_matches_everything():
    faults = Faults(seed=0)
    faults.add({"status": 418}, VENDORS)
    for vendor, method, path in [("qonversion", "GET", REPORTS), ("acme", "DELETE", "/x"), (None, "PUT", "/nope")]:
        rule = faults.pick(vendor, method, path)
        assert rule is not None and rule.status == 418


def test_times_is_exhausted_then_the_next_rule_or_none_applies():
    faults = Faults(seed=0)
    faults.add({"status": 503, "times": 2}, VENDORS)
    faults.add({"status": 429, "path": "^/v4"}, VENDORS)
    statuses = [rule.status if (rule := faults.pick("qonversion", "GET", REPORTS)) else None for _ in range(4)]
    assert statuses == [503, 503, 429, 429]
    assert faults.pick("acme", "GET", "/other") is None
    assert [rule.matched for rule in faults.rules()] == [2, 2]


def test_first_matching_rule_wins():
    faults = Faults(seed=0)
    faults.add({"status": 502, "method": "GET"}, VENDORS)
    faults.add({"status": 500}, VENDORS)
    assert faults.pick("qonversion", "GET", REPORTS).status == 502
    assert faults.pick("qonversion", "POST", REPORTS).status == 500


def test_a_rule_that_does_not_match_does_not_count_a_use():
    faults = Faults(seed=0)
    rule = faults.add({"status": 500, "times": 1, "method": "DELETE"}, VENDORS)
    for _ in range(3):
        assert faults.pick("qonversion", "GET", REPORTS) is None
    assert rule.matched == 0
    assert faults.pick("qonversion", "DELETE", REPORTS) is rule
    assert faults.pick("qonversion", "DELETE", REPORTS) is None


def hit_pattern(seed: int, draws: int = 60, probability: float = 0.4) -> list[bool]:
    faults = Faults(seed=seed)
    faults.add({"status": 500, "probability": probability}, VENDORS)
    return [faults.pick("qonversion", "GET", REPORTS) is not None for _ in range(draws)]


def test_probability_draws_repeat_for_the_same_seed():
    first, second = hit_pattern(7), hit_pattern(7)
    assert first == second
    assert 0 < sum(first) < len(first)  # it really is a draw, not always or never


def test_probability_zero_never_hits_and_one_always_hits():
    assert not any(hit_pattern(7, probability=0.0))
    assert all(hit_pattern(7, probability=1.0))


def test_reseed_restarts_the_draw_sequence():
    faults = Faults(seed=7)
    faults.add({"status": 500, "probability": 0.4}, VENDORS)
    first = [faults.pick("qonversion", "GET", REPORTS) is not None for _ in range(60)]
    faults.reseed(7)
    again = [faults.pick("qonversion", "GET", REPORTS) is not None for _ in range(60)]
    assert first == again == hit_pattern(7)


def test_clear_removes_every_rule():
    faults = Faults(seed=0)
    faults.add({"status": 500}, VENDORS)
    faults.add({"drop_connection": True}, VENDORS)
    faults.clear()
    assert faults.rules() == []
    assert faults.pick("qonversion", "GET", REPORTS) is None
