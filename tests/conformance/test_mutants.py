"""The suite has teeth: each broken variant of the mock is caught by exactly the check of the rule it
breaks, and the real mock passes every check with no failure and no warning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance.vendors import plugin
from mockserver import create_app
from tests.conformance.helpers import not_passed, reports_left, run_suite
from tests.conformance.mutants import MUTANTS, Mutant

DOCS = Path(__file__).resolve().parents[2] / "docs" / "conformance.md"


def test_the_real_mock_passes_every_check() -> None:
    app = create_app()
    result = run_suite(app)
    assert not_passed(result) == {}
    assert len(result.results) == len(plugin("qonversion").checks) == 29
    assert result.exit_code == 0 and not result.leftovers and reports_left(app) == {}


@pytest.mark.parametrize("mutant", MUTANTS, ids=[mutant.name for mutant in MUTANTS])
def test_each_mutant_is_caught_by_the_check_of_the_rule_it_breaks(mutant: Mutant) -> None:
    app = mutant.app()
    result = run_suite(app)
    assert not_passed(result).keys() == {mutant.rule}, not_passed(result)
    (caught,) = [r for r in result.results if r.rule == mutant.rule]
    assert caught.status == "failed" and caught.failure is not None and caught.failure.rule == mutant.rule
    assert caught.failure.curl.startswith("curl ") and caught.failure.seed == 7
    assert result.exit_code == 1 and reports_left(app) == {}


def test_there_are_at_least_six_mutants_each_for_a_different_rule() -> None:
    rules = [mutant.rule for mutant in MUTANTS]
    assert len(rules) >= 6 and len(set(rules)) == len(rules)
    assert set(rules) <= set(plugin("qonversion").checks.rules)


def test_the_docs_kill_table_lists_every_mutant_and_its_rule() -> None:
    rows = dict(
        re.findall(r"^\| `([a-z0-9-]+)` \| (QON-[A-Z0-9-]+) \|", DOCS.read_text(encoding="utf-8"), re.MULTILINE)
    )
    assert rows == {mutant.name: mutant.rule for mutant in MUTANTS}
