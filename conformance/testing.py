"""Conformance as pytest tests: one parametrised test per rule id, against a URL or an in-process app.

In a test module of your own::

    from conformance.testing import conformance_tests
    from mockserver import create_app

    test_qonversion_mock = conformance_tests("qonversion", app_factory=create_app)
    test_my_fake = conformance_tests("qonversion", base_url="http://127.0.0.1:9000", credentials={"key": "sk_x"})

A broken rule fails its test with the rule id, the curl of the request, the expected and the actual
answer and the seed; a check the target cannot support (no control plane, no second key) is skipped;
a behaviour a real endpoint may differ on is a `ConformanceWarning`.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pytest
from starlette.types import ASGIApp

from conformance.context import RunSettings
from conformance.failures import UsageError
from conformance.runner import BUDGET, ERROR, FAILED, SKIPPED, CheckResult, Runner
from conformance.target import AppTarget, HttpTarget, Target
from conformance.vendors import plugin

DEFAULT_SETTINGS = RunSettings(seed=0, max_examples=10)


class ConformanceWarning(UserWarning):
    """A behaviour CONTRACTS.md allows a real endpoint to differ on did differ."""


def credentials_from_env(vendor: str, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The vendor's credentials from their environment variables (e.g. QONVERSION_API_KEY)."""
    found = plugin(vendor)
    source = os.environ if env is None else env
    return {c.name: source[c.env] for c in (found.credentials if found else ()) if source.get(c.env)}


def run_check(
    vendor: str,
    rule: str,
    target: Target,
    *,
    credentials: Mapping[str, str] | None = None,
    settings: RunSettings = DEFAULT_SETTINGS,
) -> tuple[CheckResult, list[str]]:
    """Run one rule's check (set-up and clean-up included); returns its result and anything left undeleted."""
    runner = Runner(target, settings, vendors=[vendor], only=[rule], credentials={vendor: dict(credentials or {})})
    run = runner.run()
    if run.interrupted:
        raise KeyboardInterrupt
    (result,) = run.results
    return result, run.leftovers


def assert_conforms(result: CheckResult, leftovers: Iterable[str] = (), target: Target | None = None) -> None:
    """Fail, skip or warn the current pytest test as the check's result says."""
    mask = target.masker.text if target is not None else str
    if result.status == FAILED and result.failure is not None:
        pytest.fail(mask(result.failure.details()), pytrace=False)
    if result.status == ERROR:
        pytest.fail(mask(f"{result.rule}: {result.reason}"), pytrace=False)
    for warning in result.warnings:
        warnings.warn(ConformanceWarning(mask(warning.details())), stacklevel=2)
    if list(leftovers):
        pytest.fail(mask(f"not deleted: {', '.join(leftovers)}"), pytrace=False)
    if result.status in (SKIPPED, BUDGET):
        pytest.skip(f"{result.rule}: {result.reason}")


def conformance_tests(
    vendor: str,
    *,
    base_url: str | None = None,
    app: ASGIApp | None = None,
    app_factory: Callable[[], ASGIApp] | None = None,
    credentials: Mapping[str, str] | None = None,
    settings: RunSettings = DEFAULT_SETTINGS,
    only: Iterable[str] | None = None,
    budget: int | None = None,
) -> Callable[[str], None]:
    """A test function parametrised over the vendor's rule ids; bind it to a `test_...` name.

    Args:
        base_url: check a server at this URL; or `app`: one ASGI app in-process (shared by the tests);
            or `app_factory`: a fresh app per test.
        credentials: e.g. {"key": "sk_..."}; default: the vendor's environment variables, else (against
            the mock) fresh ones.
    """
    found = plugin(vendor)
    if found is None:
        raise ValueError(f"{vendor} has no checks yet")
    if sum(option is not None for option in (base_url, app, app_factory)) != 1:
        raise ValueError("give exactly one of base_url, app and app_factory")
    rules = [check.rule for check in found.checks.select(only)]

    def make_target() -> Target:
        options: dict[str, Any] = {"budget": budget, "read_only": settings.read_only}
        if base_url is not None:
            return HttpTarget(base_url, **options)
        return AppTarget(app if app is not None else app_factory(), **options)  # type: ignore[misc]

    @pytest.mark.parametrize("rule", rules)
    def test_conformance(rule: str) -> None:
        with make_target() as target:
            given = credentials if credentials is not None else credentials_from_env(vendor)
            try:
                result, leftovers = run_check(vendor, rule, target, credentials=given, settings=settings)
            except UsageError as error:
                pytest.fail(f"cannot run {rule}: {target.masker.text(str(error))}", pytrace=False)
            assert_conforms(result, leftovers, target)

    test_conformance.__doc__ = f"{vendor} conformance, one test per rule id"
    return test_conformance
