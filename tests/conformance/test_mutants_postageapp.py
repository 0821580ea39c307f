"""The PostageApp checks have teeth: each broken variant of the mock is caught by exactly the check
of the rule it breaks, and the real mock passes every PostageApp check with no failure and no warning."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
from starlette.applications import Starlette

from conformance.context import RunSettings
from conformance.control import detect
from conformance.failures import SetupError
from conformance.runner import Runner, RunResult
from conformance.target import AppTarget, Target
from conformance.vendors import SessionSetup, plugin
from conformance.vendors.postageapp.session import PREFIX, open_session
from mockserver import create_app
from mockserver.inprocess import InProcessTransport
from tests.conformance.helpers import CountingTransport, not_passed, without_control_plane
from tests.conformance.mutants_postageapp import MUTANTS, Mutant

MAIL_SKIP = "sends real mail: opt in with --postageapp-send-to ADDRESS (or POSTAGEAPP_SEND_TO)"

SETTINGS = RunSettings(seed=7, max_examples=3)


def run_postageapp(app: Starlette) -> RunResult:
    with AppTarget(app) as target:
        return Runner(target, SETTINGS, vendors=["postageapp"]).run()


def events_left(app: Starlette) -> dict[str, list[str]]:
    """Every project's remaining event uids, read from the mock's own state."""
    backend = app.state.mock.backends["postageapp"]
    return {key: list(project.events) for key, project in backend.projects.items() if project.events}


def test_the_real_mock_passes_every_postageapp_check() -> None:
    app = create_app()
    result = run_postageapp(app)
    assert not_passed(result) == {}
    assert len(result.results) == len(plugin("postageapp").checks) == 27  # type: ignore[union-attr]
    assert result.exit_code == 0 and not result.leftovers and events_left(app) == {}


@pytest.mark.parametrize("mutant", MUTANTS, ids=[mutant.name for mutant in MUTANTS])
def test_each_mutant_is_caught_by_the_check_of_the_rule_it_breaks(mutant: Mutant) -> None:
    app = mutant.app()
    result = run_postageapp(app)
    assert not_passed(result).keys() == {mutant.rule}, not_passed(result)
    (caught,) = [r for r in result.results if r.rule == mutant.rule]
    assert caught.status == "failed" and caught.failure is not None and caught.failure.rule == mutant.rule
    assert caught.failure.curl.startswith("curl ") and caught.failure.seed == 7
    assert result.exit_code == 1 and events_left(app) == {}


def test_there_are_at_least_six_mutants_each_for_a_different_rule() -> None:
    rules = [mutant.rule for mutant in MUTANTS]
    assert len(rules) >= 6 and len(set(rules)) == len(rules)
    assert set(rules) <= set(plugin("postageapp").checks.rules)  # type: ignore[union-attr]


def test_every_rule_of_the_table_has_a_check() -> None:
    found = plugin("postageapp")
    assert found is not None and found.checks.missing() == []


def test_against_a_target_without_control_plane_nothing_is_mailed_and_nothing_is_left() -> None:
    """A user's fake (or the live API) in real time: clock checks skip, send_message waits for the opt-in."""
    app = create_app(clock="real", start_time=datetime.now(UTC))
    transport = CountingTransport(InProcessTransport(without_control_plane(app)))
    credentials = {"postageapp": {"key": "conformance-fake-project", "second_key": "conformance-fake-other"}}
    with Target(httpx.Client(transport=transport, base_url="http://fake.local")) as target:
        result = Runner(target, SETTINGS, vendors=["postageapp"], credentials=credentials).run()
    skipped = {r.rule: r.reason for r in result.results if r.status == "skipped"}
    assert skipped == {
        "PA-KEY-MERGE": "needs control plane",
        "PA-ONE-OFF-COMPLETE": "needs control plane",
        **{rule: MAIL_SKIP for rule in ("PA-MSG-UID-UNIQUE", "PA-MSG-RECIPIENTS", "PA-MSG-CONTENT")},
    }
    assert not_passed(result).keys() == skipped.keys() and result.exit_code == 0
    assert transport.count == result.requests
    assert sent_messages(app) == [] and events_left(app) == {} and not result.leftovers


def test_the_session_touches_only_what_it_created() -> None:
    app = create_app()
    with AppTarget(app) as target:
        control = detect(target)
        setup = SessionSetup(target, control, {"key": "conformance-k", "second_key": "conformance-k2"}, SETTINGS)
        q = open_session(setup)
        q.call("create_scheduled_event", {"uid": "someone-elses", "schedule": "@daily", "metadata": {}})
        for attempt in (lambda: q.delete("someone-elses"), lambda: q.update({"uid": "someone-elses"})):
            with pytest.raises(SetupError, match="did not create"):
                attempt()
        made = q.make({"uid": q.new_uid("mine"), "schedule": "@daily", "metadata": {}})
        assert made["uid"].startswith(PREFIX) and q.cleanup() == []
    assert events_left(app) == {"conformance-k": ["someone-elses"]}


def sent_messages(app: Starlette) -> list[str]:
    """Messages sent by a direct send_message call (event fires aside)."""
    outbox = app.state.mock.outbox
    return [entry.resource_id for entry in outbox if entry.vendor == "postageapp" and entry.payload["source"] == "api"]


def chose_uid(fields: dict[str, object]) -> bool:
    arguments = fields.get("arguments")
    return "uid" in fields or (isinstance(arguments, dict) and "uid" in arguments)


class Interrupting(httpx.BaseTransport):
    """Passes requests to the app and notes the uids it created; request number `at` raises `error` (once)."""

    def __init__(self, app: Starlette, at: int, error: BaseException) -> None:
        self.inner, self.at, self.error, self.count = InProcessTransport(app), at, error, 0
        self.created: list[tuple[bool, str]] = []  # (the request chose the uid, the uid)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        if self.count == self.at:
            raise self.error
        response = self.inner.handle_request(request)
        if request.url.path.startswith("/v.1.0/create_scheduled_event") and response.status_code == 200:
            sent, body = json.loads(request.content), response.json()
            items = sent.get("events", [sent])
            answered = body["response"].get("message") or [body["data"]]
            self.created += [(chose_uid(item), event["uid"]) for item, event in zip(items, answered, strict=True)]
        return response

    def close(self) -> None:
        self.inner.close()


@pytest.mark.parametrize(("at", "error"), [(150, KeyboardInterrupt()), (400, httpx.ConnectError("connection reset"))])
def test_an_interrupted_or_dropped_run_deletes_everything_it_created(at: int, error: BaseException) -> None:
    app = create_app()
    with Target(httpx.Client(transport=Interrupting(app, at, error), base_url="http://mock.local")) as target:
        result = Runner(target, SETTINGS, vendors=["postageapp"]).run()
    assert result.interrupted or result.exit_code == 2
    assert events_left(app) == {} and result.leftovers == []


def test_every_uid_the_suite_chooses_carries_the_prefix() -> None:
    app = create_app()
    transport = Interrupting(app, 10**9, RuntimeError("unused"))
    with Target(httpx.Client(transport=transport, base_url="http://mock.local")) as target:
        Runner(target, SETTINGS, vendors=["postageapp"]).run()
    chosen = [uid for was_chosen, uid in transport.created if was_chosen]
    generated = [uid for was_chosen, uid in transport.created if not was_chosen]
    assert chosen and all(uid.startswith(PREFIX) for uid in chosen)
    assert len(generated) == 2  # PA-UID-DEFAULT's two events, named by the target
