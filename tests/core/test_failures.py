"""Failure rules: claim the next item (or items by name) of a vendor, `times` times."""

from __future__ import annotations

import httpx
import pytest

from mockserver.core.failures import FailureRuleError, Failures

VENDORS = ["acme", "other"]


def test_next_item_rule_is_used_once_and_only_for_its_vendor() -> None:
    failures = Failures()
    rule = failures.add({"vendor": "acme"}, VENDORS)
    assert failures.take("other", "x") is None
    assert failures.take("acme", None) is rule
    assert failures.take("acme", None) is None
    assert rule.used == 1


def test_name_rule_matches_by_substring_and_null_times_means_always() -> None:
    failures = Failures()
    rule = failures.add({"vendor": "acme", "name_contains": "nightly", "step": "uploading", "times": None}, VENDORS)
    assert failures.take("acme", "daily") is None
    assert failures.take("acme", None) is None
    assert [failures.take("acme", "nightly calls") for _ in range(3)] == [rule, rule, rule]
    assert rule.step == "uploading"


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"vendor": "nope"},
        {"vendor": "acme", "times": 0},
        {"vendor": "acme", "times": True},
        {"vendor": "acme", "step": 3},
    ],
)
def test_bad_rules_are_refused(document: dict) -> None:
    with pytest.raises(FailureRuleError):
        Failures().add(document, VENDORS)


def test_control_plane_routes(client: httpx.Client) -> None:
    created = client.post("/_mock/failures", json={"vendor": "qonversion", "name_contains": "x"})
    assert created.status_code == 201
    assert created.json() == {
        "id": "failure_1",
        "vendor": "qonversion",
        "name_contains": "x",
        "step": None,
        "times": 1,
        "used": 0,
    }
    assert client.post("/_mock/failures", json={"vendor": "nope"}).status_code == 400
    assert [rule["id"] for rule in client.get("/_mock/failures").json()["data"]] == ["failure_1"]
    assert client.delete("/_mock/failures").status_code == 204
    assert client.get("/_mock/failures").json()["data"] == []
    client.post("/_mock/failures", json={"vendor": "qonversion"})
    client.post("/_mock/reset")
    assert client.get("/_mock/failures").json()["data"] == []
