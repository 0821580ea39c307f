"""The target: the budget is never exceeded (cleanup included), retries honour Retry-After with a fake
sleeper and never hit the mock, read-only refuses writes, and the control plane is detected."""

from __future__ import annotations

import httpx
import pytest

from conformance.context import RunSettings
from conformance.control import detect
from conformance.runner import Runner
from conformance.target import (
    AppTarget,
    Backoff,
    Budget,
    BudgetExhausted,
    HttpTarget,
    ReadOnlyViolation,
    parse_retry_after,
)
from mockserver import create_app
from mockserver.inprocess import InProcessTransport
from tests.conformance.helpers import CountingTransport, reports_left, run_suite

# ---------------------------------------------------------------- budget


def test_budget_refuses_before_sending_and_keeps_reservations_for_cleanup() -> None:
    budget = Budget(limit=3)
    budget.take(reserve=1)  # a create: 1 sent, 1 held for its delete
    budget.take()
    with pytest.raises(BudgetExhausted):
        budget.take()  # 2 used + 1 reserved: no room
    budget.take(from_reserve=True)  # the delete is paid from the reservation
    assert (budget.used, budget.reserved) == (3, 0)
    with pytest.raises(BudgetExhausted):
        budget.take()


@pytest.mark.parametrize("limit", [1, 4, 25, 120])
def test_a_whole_run_never_sends_more_than_the_budget_and_still_cleans_up(limit: int) -> None:
    app = create_app()
    counting = CountingTransport(InProcessTransport(app))
    with HttpTarget("http://mock.local", transport=counting, budget=limit) as target:
        result = Runner(target, RunSettings(seed=3, max_examples=3), vendors=["qonversion"]).run()
    assert counting.count <= limit and target.sent == counting.count
    statuses = {r.status for r in result.results}
    assert statuses <= {"passed", "budget exhausted"} and "budget exhausted" in statuses
    assert reports_left(app) == {} and result.leftovers == []


# ---------------------------------------------------------------- retries


def scripted(statuses: list[tuple[int, dict[str, str]]]) -> tuple[httpx.MockTransport, list[str]]:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        status, headers = statuses[min(len(calls), len(statuses)) - 1]
        return httpx.Response(status, headers=headers, json={})

    return httpx.MockTransport(handler), calls


def target_for(transport: httpx.MockTransport, slept: list[float], **options: object) -> HttpTarget:
    return HttpTarget("http://api.example", transport=transport, sleep=slept.append, **options)  # type: ignore[arg-type]


def test_429_is_retried_after_the_seconds_retry_after_gives() -> None:
    transport, calls = scripted([(429, {"Retry-After": "7"}), (429, {"Retry-After": "2"}), (200, {})])
    slept: list[float] = []
    response = target_for(transport, slept).request("POST", "/v4/scheduled-reports", json={})
    assert response.status_code == 200 and calls == ["POST"] * 3 and slept == [7.0, 2.0]


def test_5xx_backs_off_exponentially_but_only_for_methods_safe_to_repeat() -> None:
    transport, calls = scripted([(503, {})])
    slept: list[float] = []
    target = target_for(transport, slept, backoff=Backoff(max_retries=3, base_seconds=0.5))
    assert target.request("GET", "/v4/scheduled-reports").status_code == 503
    assert slept == [0.5, 1.0, 2.0] and len(calls) == 4
    assert target.request("POST", "/v4/scheduled-reports", json={}).status_code == 503
    assert len(calls) == 5 and len(slept) == 3  # a POST that got a 5xx may have half-happened: not repeated


def test_no_retry_when_asked_when_the_wait_is_too_long_or_against_the_mock() -> None:
    transport, calls = scripted([(429, {"Retry-After": "3600"}), (429, {"Retry-After": "1"})])
    slept: list[float] = []
    target = target_for(transport, slept)
    assert target.request("GET", "/x").status_code == 429 and slept == []  # an hour is beyond max_wait_seconds
    assert target.request("GET", "/x", retry=False).status_code == 429 and slept == []
    target.is_mock = True
    assert target.request("GET", "/x").status_code == 429 and slept == [] and len(calls) == 3


def test_retries_count_against_the_budget() -> None:
    transport, calls = scripted([(429, {"Retry-After": "1"})])
    slept: list[float] = []
    with pytest.raises(BudgetExhausted):
        target_for(transport, slept, budget=2).request("GET", "/x")
    assert len(calls) == 2


def test_retry_after_parses_seconds_and_http_dates() -> None:
    assert parse_retry_after("60") == 60.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=lambda: 1445412480.0) == 10.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


# ---------------------------------------------------------------- read-only, detection, curl


def test_read_only_refuses_every_vendor_write_before_sending() -> None:
    transport, calls = scripted([(200, {})])
    target = target_for(transport, [], read_only=True)
    with pytest.raises(ReadOnlyViolation):
        target.request("DELETE", "/v4/scheduled-reports/abc")
    target.request("GET", "/v4/scheduled-reports")
    target.request("POST", "/_mock/clock", json={"advance_seconds": 1})  # the mock's own control plane is fine
    assert calls == ["GET", "POST"]


def test_the_control_plane_is_detected_only_on_the_mock() -> None:
    with AppTarget(create_app()) as mock:
        control = detect(mock)
        assert control is not None and mock.is_mock and "qonversion" in control.vendors
    transport, _ = scripted([(404, {})])
    other = target_for(transport, [])
    assert detect(other) is None and not other.is_mock


def test_read_only_runs_send_only_gets_to_the_vendor() -> None:
    app = create_app()
    counting = CountingTransport(InProcessTransport(app))
    result = run_suite(app, RunSettings(seed=1, max_examples=3, read_only=True), read_only=True)
    assert result.exit_code == 0
    ran = {r.rule for r in result.results if r.status == "passed"}
    assert {"QON-AUTH-BEARER", "QON-ID-FORMAT", "QON-NOT-FOUND", "QON-LIST-PAGING", "QON-ROUTE"} <= ran
    skipped = {r.rule: r.reason for r in result.results if r.status == "skipped"}
    assert skipped["QON-CREATE-201"] == "read-only run"
    with HttpTarget("http://mock.local", transport=counting, read_only=True) as target:
        Runner(target, RunSettings(seed=1, max_examples=2, read_only=True), vendors=["qonversion"]).run()
    vendor_calls = [call for call in counting.methods if not call.split(" ")[1].startswith("/_mock")]
    assert vendor_calls and all(call.startswith("GET ") for call in vendor_calls)
