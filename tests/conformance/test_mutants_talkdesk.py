"""The Talkdesk checks have teeth: each broken variant of the mock is caught by exactly the check of
the rule it breaks, and the real mock passes every Talkdesk check with no failure and no warning."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.types import ASGIApp

from conformance.context import RunSettings
from conformance.failures import SetupError
from conformance.runner import Runner, RunResult
from conformance.target import AppTarget, HttpTarget
from conformance.vendors import SessionSetup, plugin
from conformance.vendors.talkdesk.session import JobRef, TalkdeskSession, fresh_credentials
from mockserver import create_app
from mockserver.inprocess import InProcessTransport
from tests.conformance.helpers import CountingTransport, not_passed, without_control_plane
from tests.conformance.mutants_talkdesk import MUTANTS, Mutant

SETTINGS = RunSettings(seed=7, max_examples=3)
HOLDING = ("created", "processing", "uploading", "done")  # a job in these still holds a quota slot or a file


def run_talkdesk(
    app: ASGIApp, settings: RunSettings = SETTINGS, credentials: dict[str, str] | None = None, **options: Any
) -> RunResult:
    with AppTarget(app, **options) as target:
        return Runner(target, settings, vendors=["talkdesk"], credentials={"talkdesk": credentials or {}}).run()


def jobs_left(app: Starlette) -> dict[str, list[str]]:
    """Every account's jobs that still run or still hold a file, read from the mock's own state."""
    backend = app.state.mock.backends["talkdesk"]
    left = {
        account: [job.id for job in jobs.values() if job.status in HOLDING]
        for account, jobs in backend.accounts.items()
    }
    return {account: ids for account, ids in left.items() if ids}


def test_the_real_mock_passes_every_talkdesk_check() -> None:
    app = create_app()
    result = run_talkdesk(app)
    assert not_passed(result) == {}
    assert len(result.results) == len(plugin("talkdesk").checks) == 25
    assert result.exit_code == 0 and not result.leftovers and jobs_left(app) == {}


@pytest.mark.parametrize("mutant", MUTANTS, ids=[mutant.name for mutant in MUTANTS])
def test_each_talkdesk_mutant_is_caught_by_the_check_of_the_rule_it_breaks(mutant: Mutant) -> None:
    app = mutant.app()
    result = run_talkdesk(app)
    assert not_passed(result).keys() == {mutant.rule}, not_passed(result)
    (caught,) = [r for r in result.results if r.rule == mutant.rule]
    assert caught.status == "failed" and caught.failure is not None and caught.failure.rule == mutant.rule
    assert caught.failure.curl.startswith("curl ") and caught.failure.seed == 7
    assert result.exit_code == 1 and jobs_left(app) == {}


def test_there_are_at_least_six_talkdesk_mutants_each_for_a_different_rule() -> None:
    rules = [mutant.rule for mutant in MUTANTS]
    assert len(rules) >= 6 and len(set(rules)) == len(rules)
    assert set(rules) <= set(plugin("talkdesk").checks.rules)


CLOCK_RULES = {"TD-TO-FUTURE", "TD-TIMESPAN-SEMANTICS", "TD-JOB-303", "TD-FILE-30D", "TD-ROW-LIMIT", "TD-SIGNED-URL"}


def test_without_a_control_plane_the_clock_checks_are_skipped_and_the_rest_pass() -> None:
    app = create_app(start_time=datetime.now(UTC))  # a fake of the user's own, whose clock is today
    result = run_talkdesk(without_control_plane(app), credentials=fresh_credentials())
    assert {r.rule for r in result.results if r.status == "skipped"} == CLOCK_RULES
    assert all(r.reason == "needs control plane" for r in result.results if r.rule in CLOCK_RULES)
    assert not_passed(result).keys() <= CLOCK_RULES | {"TD-OAUTH"}  # OAuth: a fake may take any secret (a warning)
    assert result.exit_code == 0 and not result.leftovers and jobs_left(app) == {}


@pytest.mark.parametrize("limit", [30, 250])
def test_a_capped_run_never_exceeds_the_budget_and_still_disposes_of_every_job(limit: int) -> None:
    app = create_app()
    result = run_talkdesk(app, budget=limit)
    assert result.requests <= limit and not result.leftovers and jobs_left(app) == {}
    assert "budget exhausted" in {r.status for r in result.results}


def test_a_read_only_run_sends_only_reads_token_requests_and_control_plane_calls() -> None:
    counting = CountingTransport(InProcessTransport(create_app()))
    settings = RunSettings(seed=7, max_examples=3, read_only=True)
    with HttpTarget("http://mock.local", transport=counting, read_only=True) as target:
        result = Runner(target, settings, vendors=["talkdesk"]).run()
    assert {r.rule for r in result.results if r.status == "passed"} == {
        "TD-OAUTH", "TD-AUTH-TOKEN", "TD-TYPE-KNOWN", "TD-LIST-PAGE"
    }  # fmt: skip
    writes = {call for call in counting.methods if not call.startswith("GET ") and "/_mock/" not in call}
    assert writes == {"POST /oauth/token"} and result.exit_code == 0


class Failing(httpx.BaseTransport):
    """Passes requests to the app and notes the names of the jobs it creates; request number `at` raises `error`."""

    def __init__(self, app: Starlette, at: int, error: BaseException) -> None:
        self.inner, self.at, self.error, self.count = InProcessTransport(app), at, error, 0
        self.names: list[str | None] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        if self.count == self.at:
            raise self.error
        response = self.inner.handle_request(request)
        if request.method == "POST" and request.url.path.endswith("/jobs") and response.status_code == 202:
            response.read()
            self.names.append(response.json()["name"])
        return response

    def close(self) -> None:
        self.inner.close()


def run_through(transport: Failing) -> RunResult:
    with HttpTarget("http://mock.local", transport=transport) as target:
        return Runner(target, SETTINGS, vendors=["talkdesk"]).run()


@pytest.mark.parametrize("at", [40, 300])
def test_ctrl_c_stops_the_run_and_still_disposes_of_every_job(at: int) -> None:
    app = create_app()
    result = run_through(Failing(app, at, KeyboardInterrupt()))
    assert result.interrupted and len(result.results) < 25 and jobs_left(app) == {}


def test_a_dropped_connection_is_a_connection_error_and_nothing_is_left() -> None:
    app = create_app()
    result = run_through(Failing(app, 120, httpx.ConnectError("connection reset")))
    errored = [r for r in result.results if r.status == "error"]
    assert len(errored) == 1 and errored[0].connection_error and result.exit_code == 2
    assert jobs_left(app) == {} and result.leftovers == []


def test_every_job_the_suite_creates_carries_the_prefix() -> None:
    transport = Failing(create_app(), 10**9, RuntimeError("unused"))
    run_through(transport)
    unnamed = [name for name in transport.names if name is None]
    assert len(unnamed) == 1  # TD-NAME-LEN's default (null), probed against the mock only
    assert len(transport.names) > 50 and all(name.startswith("conformance-") for name in transport.names if name)


def test_the_session_refuses_to_touch_jobs_it_did_not_create() -> None:
    with HttpTarget("http://mock.local", transport=InProcessTransport(create_app())) as target:
        credentials = {"client_id": "conformance-user", "client_secret": "secret"}
        talkdesk = TalkdeskSession(SessionSetup(target, None, credentials, SETTINGS))
        job = JobRef("calls", "0b7e5a52-6f0e-4d0b-9c43-0e6f1f7a2b11", talkdesk.client)
        for call in (talkdesk.cancel, talkdesk.delete_file):
            with pytest.raises(SetupError, match="did not create"):
                call(job)
        assert target.sent == 0
