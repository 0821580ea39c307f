"""Conformance as pytest tests: the documented pattern, here against the real mock in-process, and in
a separate pytest process against a broken mock (one failure, named by its rule id) and a fake
without a control plane (clock-dependent checks skipped)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conformance.context import RunSettings
from conformance.failures import SoftMismatch
from conformance.runner import CheckResult
from conformance.testing import ConformanceWarning, assert_conforms, conformance_tests, credentials_from_env
from mockserver import create_app

ROOT = Path(__file__).resolve().parents[2]

test_qonversion_mock_conforms = conformance_tests(
    "qonversion", app_factory=create_app, settings=RunSettings(seed=2, max_examples=3)
)

USER_TESTS = textwrap.dedent(
    """
    from conformance.context import RunSettings
    from conformance.testing import conformance_tests
    from mockserver import create_app
    from tests.conformance.helpers import without_control_plane
    from tests.conformance.mutants import MUTANTS

    FAST = RunSettings(seed=3, max_examples=3)
    off_slot = next(m for m in MUTANTS if m.rule == "QON-SEND-AT-SLOT")
    test_broken = conformance_tests("qonversion", app_factory=off_slot.app, settings=FAST)
    test_fake = conformance_tests(
        "qonversion",
        app_factory=lambda: without_control_plane(create_app()),
        credentials={"key": "sk_my_own_fake_key"},
        settings=FAST,
    )
    """
)


def test_a_users_pytest_run_fails_the_broken_rule_and_skips_what_the_target_cannot_support(tmp_path: Path) -> None:
    (tmp_path / "test_user_conformance.py").write_text(USER_TESTS, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "test_user_conformance.py"]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 52 passed, 5 skipped" in done.stdout
    assert "test_broken[QON-SEND-AT-SLOT]" in done.stdout and "request:  curl" in done.stdout
    assert "needs control plane" in done.stdout and "needs second key" in done.stdout
    assert "sk_my_own_fake_key" not in done.stdout


def test_soft_mismatches_become_warnings_and_skips_become_skips() -> None:
    result = CheckResult(
        "qonversion", "QON-LIST-ORDER", "order", "warning", warnings=[SoftMismatch("QON-LIST-ORDER", "newest first")]
    )
    with pytest.warns(ConformanceWarning, match="newest first"):
        assert_conforms(result)
    with pytest.raises(pytest.skip.Exception, match="needs control plane"):
        assert_conforms(CheckResult("qonversion", "QON-RUNS-COUNT", "runs", "skipped", reason="needs control plane"))


def test_credentials_can_come_from_the_environment() -> None:
    env = {"QONVERSION_API_KEY": "sk_a", "QONVERSION_SECOND_API_KEY": "sk_b", "OTHER": "x"}
    assert credentials_from_env("qonversion", env) == {"key": "sk_a", "second_key": "sk_b"}
