"""The pytest plugin, as a user's test suite sees it (run through pytester)."""

from __future__ import annotations

import pytest

HEADER = """
import httpx
import pytest

KEY = {"Authorization": "Bearer sk_plugin_user"}
BODY = {
    "report_name": "Daily Revenue", "send_at": "09:00", "included_range_days": 1, "status": "active",
    "environment": "production", "destinations": [{"type": "target_integration", "id": "int-wh-01"}],
}
"""


def run(pytester: pytest.Pytester, body: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_user=HEADER + body)
    return pytester.runpytest("-p", "no:cacheprovider", *args)


def test_mock_api_gives_a_client_and_moves_the_clock(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_daily_delivery(mock_api):
    report = mock_api.client.post("/v4/scheduled-reports", json=BODY, headers=KEY).json()
    assert mock_api.advance(hours=25) == 1
    (entry,) = mock_api.outbox(kind="scheduled")
    assert entry["resource_id"] == report["id"] and entry["at"] == "2026-11-24T09:00:00Z"
    assert mock_api.requests()[-1]["path"] == "/v4/scheduled-reports"
""",
    )
    result.assert_outcomes(passed=1)


def test_each_test_gets_a_fresh_mock(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_first(mock_api):
    mock_api.client.post("/v4/scheduled-reports", json=BODY, headers=KEY)
    mock_api.advance(days=3)
    mock_api.add_fault(status=503, path="/never")

def test_second_sees_nothing_of_the_first(mock_api):
    assert mock_api.client.get("/v4/scheduled-reports", headers=KEY).json()["data"] == []
    assert mock_api.outbox() == [] and mock_api.requests() != []  # only its own request below
    assert mock_api.now.isoformat() == "2026-11-23T09:00:00+00:00"
    assert mock_api.client.get("/_mock/faults").json()["data"] == []
""",
        "-p",
        "no:randomly",
    )
    result.assert_outcomes(passed=2)


def test_marker_sets_start_time_seed_and_config(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
from mockserver import create_app
from mockserver.inprocess import client_for

DELAY = {"qonversion": {"delivery_delay_seconds": 60}}

@pytest.mark.mockserver(start_time="2027-03-01T08:00:00Z", seed=7, config=DELAY)
def test_marked(mock_api):
    report = mock_api.client.post("/v4/scheduled-reports", json=BODY, headers=KEY).json()
    assert report["created_at"] == "2027-03-01T08:00:00Z"
    with client_for(create_app(seed=7)) as other:
        assert other.post("/v4/scheduled-reports", json=BODY, headers=KEY).json()["id"] == report["id"]
    mock_api.advance(hours=1, minutes=1)
    assert [e["at"] for e in mock_api.outbox()] == ["2027-03-01T09:01:00Z"]

def test_unmarked_is_back_to_defaults(mock_api):
    assert mock_api.client.get("/_mock/config").json()["qonversion"]["delivery_delay_seconds"] == 0
    assert mock_api.now.year == 2026
""",
        "-p",
        "no:randomly",
    )
    result.assert_outcomes(passed=2)


def test_mock_api_server_serves_a_real_url(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_over_a_socket(mock_api_server):
    url = mock_api_server.url("qonversion")
    assert url.startswith("http://127.0.0.1:")
    response = httpx.post(url + "/v4/scheduled-reports", json=BODY, headers=KEY)
    assert response.status_code == 201
    mock_api_server.set("2026-11-24T09:00:00Z")
    assert len(mock_api_server.outbox()) == 1

def test_live_server_is_fresh_too(mock_api_server):
    assert httpx.get(mock_api_server.base_url + "/v4/scheduled-reports", headers=KEY).json()["data"] == []
""",
        "-p",
        "no:randomly",
    )
    result.assert_outcomes(passed=2)


def test_helpers_for_faults_failures_config_and_errors(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
from mockserver.testing import MockControlError

def test_helpers(mock_api):
    mock_api.add_fault(vendor="qonversion", status=503, times=1)
    assert mock_api.client.get("/v4/scheduled-reports", headers=KEY).status_code == 503
    assert mock_api.client.get("/v4/scheduled-reports", headers=KEY).status_code == 200
    rule = mock_api.fail_next_job("qonversion", name_contains="nightly")
    assert rule["vendor"] == "qonversion" and rule["times"] == 1
    mock_api.configure({"qonversion": {"send_test_window_seconds": 5}})
    assert mock_api.client.get("/_mock/config").json()["qonversion"]["send_test_window_seconds"] == 5
    with pytest.raises(MockControlError):
        mock_api.set("2020-01-01T00:00:00Z")
    with pytest.raises(KeyError):
        mock_api.url("nope")
""",
    )
    result.assert_outcomes(passed=1)


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["*mockserver(start_time=None, seed=0, config=None, vendors=None, clock='frozen')*"])


def test_safe_under_xdist(pytester: pytest.Pytester) -> None:
    tests = "\n".join(
        f"""
def test_worker_{n}(mock_api_server, mock_api):
    key = {{"Authorization": "Bearer sk_same_key_everywhere"}}
    assert httpx.post(mock_api_server.base_url + "/v4/scheduled-reports", json=BODY, headers=key).status_code == 201
    assert len(httpx.get(mock_api_server.base_url + "/v4/scheduled-reports", headers=key).json()["data"]) == 1
    assert mock_api.client.post("/v4/scheduled-reports", json=BODY, headers=key).status_code == 201
    assert len(mock_api.client.get("/v4/scheduled-reports", headers=key).json()["data"]) == 1
"""
        for n in range(8)
    )
    result = run(pytester, tests, "-n", "2", "-p", "no:benchmark")  # pytest-benchmark, if present, warns on xdist
    result.assert_outcomes(passed=8)
