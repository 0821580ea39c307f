"""SendKit's checks have teeth: each broken variant of the mock is caught by exactly the check of the
rule it breaks, the real mock passes every check with no failure and no warning, and the suite stays
safe against a target without a control plane (budget kept, recipients deleted, reports capped)."""

from __future__ import annotations

import re

import httpx
import pytest
from starlette.applications import Starlette
from starlette.types import ASGIApp

from conformance.context import RunSettings
from conformance.failures import SetupError
from conformance.runner import Runner, RunResult
from conformance.target import AppTarget, HttpTarget
from conformance.vendors import SessionSetup, plugin
from conformance.vendors.sendkit import RULES
from conformance.vendors.sendkit.session import MISSING_PREFIX, PREFIX, RECIPIENTS, REPORT_ALLOWANCE, SendKitSession
from mockserver import create_app
from mockserver.core.spec import load_spec
from mockserver.inprocess import InProcessTransport
from tests.conformance.helpers import CountingTransport, not_passed, without_control_plane
from tests.conformance.mutants_sendkit import MUTANTS, Mutant

SETTINGS = RunSettings(seed=7, max_examples=3)
OBJECT_ID = re.compile(r"[0-9a-f]{24}")
FAKE_KEYS = {"key": "sk_my_fake", "second_key": "sk_my_other_fake"}


def run_sendkit(app: ASGIApp, credentials: dict[str, str] | None = None, **options: object) -> RunResult:
    with AppTarget(app, **options) as target:
        runner = Runner(target, SETTINGS, vendors=["sendkit"], credentials={"sendkit": credentials or {}})
        return runner.run()


def recipients_left(app: Starlette) -> dict[str, list[str]]:
    """Every workspace's remaining recipient ids, read from the mock's own state."""
    backend = app.state.mock.backends["sendkit"]
    return {tenant: list(space.recipients) for tenant, space in backend.workspaces.items() if space.recipients}


def reports_made(app: Starlette) -> int:
    return sum(len(space.reports) for _, space in app.state.mock.backends["sendkit"].workspaces.items())


def test_every_rule_of_contracts_3_10_has_one_check() -> None:
    checks = plugin("sendkit").checks  # type: ignore[union-attr]
    assert checks.missing() == [] and [check.rule for check in checks] == list(RULES) and len(RULES) == 24
    assert {check.rule for check in checks if check.needs_control} == {"SK-QUEUED", "SK-RATE-LIMIT"}
    assert {check.rule for check in checks if not check.writes} == {"SK-AUTH-KEY", "SK-RATE-LIMIT"}
    assert all(check.plan and check.title for check in checks)


def test_every_rule_the_schema_names_is_a_sendkit_rule() -> None:
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

    walk(load_spec("sendkit").document)
    assert found and found <= set(RULES)


def test_the_real_mock_passes_every_sendkit_check() -> None:
    app = create_app()
    result = run_sendkit(app)
    assert not_passed(result) == {}
    assert len(result.results) == 24 and result.exit_code == 0
    assert not result.leftovers and recipients_left(app) == {}


@pytest.mark.parametrize("mutant", MUTANTS, ids=[mutant.name for mutant in MUTANTS])
def test_each_sendkit_mutant_is_caught_by_the_check_of_the_rule_it_breaks(mutant: Mutant) -> None:
    app = mutant.app()
    result = run_sendkit(app)
    assert not_passed(result).keys() == {mutant.rule}, not_passed(result)
    (caught,) = [r for r in result.results if r.rule == mutant.rule]
    assert caught.status == "failed" and caught.failure is not None and caught.failure.rule == mutant.rule
    assert caught.failure.curl.startswith("curl ") and caught.failure.seed == 7
    assert result.exit_code == 1 and recipients_left(app) == {}


def test_there_are_at_least_six_mutants_each_for_a_different_rule() -> None:
    rules = [mutant.rule for mutant in MUTANTS]
    assert len(rules) >= 6 and len(set(rules)) == len(rules) and set(rules) <= set(RULES)


def test_without_a_control_plane_clock_checks_skip_and_reports_stay_within_the_allowance() -> None:
    app = create_app()
    result = run_sendkit(without_control_plane(app), FAKE_KEYS)
    statuses = {r.rule: r.status for r in result.results}
    assert statuses["SK-QUEUED"] == statuses["SK-RATE-LIMIT"] == "skipped"
    assert statuses["SK-WORKSPACE-HEADER"] == statuses["SK-CAMPAIGN-ONE-REPORT"] == "skipped"
    assert result.exit_code == 0 and "failed" not in statuses.values()
    assert statuses["SK-CAMPAIGN-KNOWN"] == "warning"  # the mock accepts unknown campaigns unless strict
    assert 0 < reports_made(app) <= REPORT_ALLOWANCE and recipients_left(app) == {}


def test_the_budget_is_never_exceeded_and_what_was_created_is_deleted() -> None:
    app = create_app()
    result = run_sendkit(without_control_plane(app), FAKE_KEYS, budget=90)
    assert result.requests <= 90 and "budget exhausted" in {r.status for r in result.results}
    assert recipients_left(app) == {} and not result.leftovers


def test_an_interrupted_run_deletes_its_recipients() -> None:
    app = create_app()
    counting = CountingTransport(InProcessTransport(app), stop_at=400)
    with HttpTarget("http://mock.local", transport=counting) as target:
        result = Runner(target, SETTINGS, vendors=["sendkit"]).run()
    assert result.interrupted and recipients_left(app) == {}


class Recording(httpx.BaseTransport):
    """Passes requests to the app and remembers the recipients created and the ids written to."""

    def __init__(self, app: ASGIApp) -> None:
        self.inner = InProcessTransport(app)
        self.created: dict[str, tuple[str, str]] = {}  # id -> (name, email)
        self.written: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        path = request.url.path
        if request.method == "POST" and path == RECIPIENTS and response.status_code == 201:
            data = response.json()["data"]
            self.created[data["_id"]] = (data["name"], data["email"])
        if request.method in ("PATCH", "DELETE") and path.startswith(f"{RECIPIENTS}/"):
            self.written.append(request.url.raw_path.decode().rsplit("/", 1)[1])
        return response

    def close(self) -> None:
        self.inner.close()


def test_patch_and_delete_go_only_to_recipients_the_run_created_and_everything_carries_the_prefix() -> None:
    recording = Recording(create_app())
    with HttpTarget("http://mock.local", transport=recording) as target:
        Runner(target, SETTINGS, vendors=["sendkit"]).run()
    assert recording.created and recording.written
    for name, email in recording.created.values():
        assert email.startswith(PREFIX) and name.startswith(PREFIX)
    for written in recording.written:
        assert written in recording.created or written.startswith(MISSING_PREFIX) or not OBJECT_ID.fullmatch(written)


def test_the_session_refuses_to_touch_recipients_it_did_not_create() -> None:
    with HttpTarget("http://mock.local", transport=InProcessTransport(create_app())) as target:
        session = SendKitSession(SessionSetup(target, None, {"key": "sk_user_x"}, SETTINGS))
        for call in (session.delete_recipient, lambda recipient_id: session.patch_recipient(recipient_id, {})):
            with pytest.raises(SetupError, match="did not create"):
                call("6b040090000074d1e1b21d79")
        assert target.sent == 0
