"""Safety: what the suite creates carries the prefix and is deleted after its check, also when the check
fails, the connection drops or the run is interrupted; it never touches what it did not create."""

from __future__ import annotations

import httpx
import pytest

from conformance.context import RunSettings
from conformance.failures import SetupError
from conformance.runner import Runner
from conformance.target import HttpTarget
from conformance.vendors import SessionSetup
from conformance.vendors.qonversion.session import QonversionSession
from mockserver import create_app
from mockserver.inprocess import InProcessTransport
from tests.conformance.helpers import reports_left
from tests.conformance.mutants import MUTANTS

URL = "http://mock.local"
SETTINGS = RunSettings(seed=11, max_examples=3)


class Failing(httpx.BaseTransport):
    """Passes requests to the app; request number `at` raises `error` instead (once)."""

    def __init__(self, app: object, at: int, error: BaseException) -> None:
        self.inner, self.at, self.error, self.count = InProcessTransport(app), at, error, 0  # type: ignore[arg-type]
        self.names: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        if self.count == self.at:
            raise self.error
        response = self.inner.handle_request(request)
        if request.method == "POST" and request.url.path == "/v4/scheduled-reports" and response.status_code == 201:
            self.names.append(response.json()["report_name"])
        return response

    def close(self) -> None:
        self.inner.close()


def run_with(transport: httpx.BaseTransport, app: object | None = None):
    with HttpTarget(URL, transport=transport) as target:
        return Runner(target, SETTINGS, vendors=["qonversion"]).run()


@pytest.mark.parametrize("at", [40, 150, 260])
def test_a_dropped_connection_mid_check_is_a_connection_error_and_nothing_is_left(at: int) -> None:
    app = create_app()
    transport = Failing(app, at, httpx.ConnectError("connection reset"))
    result = run_with(transport)
    errored = [r for r in result.results if r.status == "error"]
    assert len(errored) == 1 and errored[0].connection_error and result.exit_code == 2
    assert reports_left(app) == {} and result.leftovers == []


@pytest.mark.parametrize("at", [30, 200])
def test_ctrl_c_stops_the_run_and_still_deletes_everything(at: int) -> None:
    app = create_app()
    transport = Failing(app, at, KeyboardInterrupt())
    result = run_with(transport)
    assert result.interrupted and len(result.results) < 29
    assert reports_left(app) == {}


def test_a_failing_mutant_leaves_nothing_behind_and_every_created_name_has_the_prefix() -> None:
    mutant = next(m for m in MUTANTS if m.rule == "QON-PUT-PARTIAL")
    app = mutant.app()
    transport = Failing(app, 10**9, RuntimeError("unused"))
    result = run_with(transport)
    assert result.exit_code == 1 and reports_left(app) == {}
    assert transport.names and all(name.startswith("conformance-") for name in transport.names)


def test_the_session_refuses_to_touch_reports_it_did_not_create() -> None:
    app = create_app()
    with HttpTarget(URL, transport=InProcessTransport(app)) as target:
        session = QonversionSession(SessionSetup(target, None, {"key": "sk_user"}, SETTINGS))
        for call in (session.delete, session.send_test, lambda report_id: session.put(report_id, {})):
            with pytest.raises(SetupError, match="did not create"):
                call("AbCd1234")
        assert target.sent == 0
