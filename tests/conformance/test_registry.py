"""Checks as named plug-ins: every Qonversion rule id has exactly one check; curl masks credentials."""

from __future__ import annotations

import importlib
from pathlib import Path

import httpx
import pytest

from conformance.curl import Masker, render_curl
from conformance.registry import Registry
from conformance.vendors import PLUGIN_MODULES, VENDORS, plugin
from conformance.vendors.qonversion import RULES
from mockserver.core.spec import load_spec


def test_every_rule_of_contracts_1_10_has_a_check_and_nothing_else_does() -> None:
    checks = plugin("qonversion").checks
    assert checks.missing() == [] and [check.rule for check in checks] == list(RULES) and len(RULES) == 29


def test_every_rule_the_schema_names_is_a_known_rule() -> None:
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            rule = node.get("x-rule")
            found.update([rule] if isinstance(rule, str) else list(rule.values()) if isinstance(rule, dict) else [])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(load_spec("qonversion").document)
    assert found and found <= set(RULES)


def test_check_declarations_match_what_they_need() -> None:
    checks = plugin("qonversion").checks
    needs_control = {check.rule for check in checks if check.needs_control}
    assert needs_control == {"QON-AUTH-FORBIDDEN", "QON-DAILY-DELIVERY", "QON-RANGE-WINDOW", "QON-RUNS-COUNT"}
    assert {check.rule for check in checks if not check.writes} == {
        "QON-AUTH-BEARER",
        "QON-AUTH-FORBIDDEN",
        "QON-ID-FORMAT",
    }
    assert {check.rule for check in checks if check.soft} == {"QON-LIST-ORDER"}
    assert all(check.plan and check.title for check in checks)


def test_the_registry_refuses_unknown_and_duplicate_rule_ids() -> None:
    registry = Registry("demo", ["DEMO-A"])
    registry.check("DEMO-A", "a")(lambda context: None)
    with pytest.raises(ValueError, match="already has a check"):
        registry.check("DEMO-A", "again")
    with pytest.raises(ValueError, match="not a demo rule id"):
        registry.check("DEMO-B", "b")
    assert registry.select(["DEMO-A"])[0].rule == "DEMO-A" and registry.select(["X"]) == []


def test_vendors_without_checks_report_none() -> None:
    assert VENDORS == ("qonversion", "talkdesk", "sendkit", "postageapp")
    assert set(PLUGIN_MODULES) <= set(VENDORS)
    assert [vendor for vendor in VENDORS if plugin(vendor) is None] == [v for v in VENDORS if v not in PLUGIN_MODULES]


def test_curl_masks_credential_headers_and_every_known_secret() -> None:
    masker = Masker(["sk_live_abc123", "proj-key-9"])
    request = httpx.Request(
        "POST",
        "http://api.example/v.1.0/x.json?token=sk_live_abc123",
        headers={"Authorization": "Bearer sk_live_abc123", "X-Api-Key": "other", "Content-Type": "application/json"},
        json={"api_key": "proj-key-9", "name": "it's"},
    )
    command = render_curl(request, masker)
    assert "sk_live_abc123" not in command and "proj-key-9" not in command and "other" not in command
    assert "-H 'Authorization: Bearer ***'" in command and "-H 'X-Api-Key: ***'" in command
    assert command.startswith("curl -sS -i -X POST 'http://api.example/v.1.0/x.json?token=***'")
    assert "'\"'\"'" in command  # the quote inside the body survives shell quoting


def test_a_key_minted_during_the_run_is_masked_from_then_on() -> None:
    masker = Masker()
    assert masker.masked("sk_minted_1") == "sk_minted_1"
    assert masker.text("key=sk_minted_1") == "key=***"


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_guide_describes_every_check_and_every_mutant(vendor: str) -> None:
    guide = (Path(__file__).parents[2] / "docs" / "conformance.md").read_text()
    mutants_module = "tests.conformance.mutants" + ("" if vendor == "qonversion" else f"_{vendor}")
    mutants = importlib.import_module(mutants_module).MUTANTS
    undocumented_rules = [check.rule for check in plugin(vendor).checks if check.rule not in guide]  # type: ignore[union-attr]
    undocumented_mutants = [mutant.name for mutant in mutants if f"`{mutant.name}`" not in guide]
    assert (undocumented_rules, undocumented_mutants) == ([], [])
