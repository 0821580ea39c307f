"""The control plane's protection: loopback by default, a token or an explicit flag beyond it."""

from __future__ import annotations

import signal

import httpx
import pytest

from mockserver import create_app
from mockserver.cli import main
from mockserver.core.guard import exposure_problem, is_loopback
from mockserver.inprocess import client_for
from tests.test_cli import FROZEN_ARGS, STARTUP_SECONDS, running

TOKEN = "s3cret-token"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "localhost", "::1", "[::1]"])
def test_loopback_hosts_need_nothing(host: str) -> None:
    assert is_loopback(host)
    assert exposure_problem(host, None, False) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "mock.example.com"])
def test_other_hosts_need_a_token_or_the_unsafe_flag(host: str) -> None:
    assert not is_loopback(host)
    assert "--control-token" in (exposure_problem(host, None, False) or "")
    assert exposure_problem(host, TOKEN, False) is None
    assert exposure_problem(host, None, True) is None


def test_serve_refuses_to_open_the_control_plane_without_a_token(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "--control-token" in capsys.readouterr().err


def test_with_a_token_every_control_route_needs_it() -> None:
    with client_for(create_app(control_token=TOKEN)) as client:
        refused = client.get("/_mock/health")
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "control_token_required"
        assert client.post("/_mock/reset").status_code == 401
        assert client.get("/_mock/ui").status_code == 401
        assert client.get("/_mock/health", headers={"X-Control-Token": "wrong"}).status_code == 401
        assert client.get("/_mock/health", headers={"X-Control-Token": TOKEN}).status_code == 200
        assert client.get("/_mock/ui", params={"control_token": TOKEN}).status_code == 200
        listing = client.get("/v4/scheduled-reports", headers={"Authorization": "Bearer sk_vendor_routes_are_open"})
        assert listing.status_code == 200


def test_signed_file_urls_stay_open_with_a_token() -> None:
    with client_for(create_app(control_token=TOKEN), follow_redirects=False) as client:
        form = {"grant_type": "client_credentials"}
        token = client.post("/oauth/token", data=form, auth=("acme", "secret")).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        job = {"timespan": {"from": "2026-11-22T00:00:00Z", "to": "2026-11-22T03:00:00Z"}}
        created = client.post("/data/reports/calls/jobs", json=job, headers=bearer).json()
        client.post("/_mock/clock", json={"advance_seconds": 60}, headers={"X-Control-Token": TOKEN})
        files = client.get(created["_links"]["files"]["href"], headers=bearer)
        assert files.status_code == 303
        download = client.get(files.headers["Location"])
        assert download.status_code == 200 and download.text.startswith("call_id,")


def test_a_real_process_with_a_token() -> None:
    with running(*FROZEN_ARGS, "--control-token", TOKEN) as (process, url):
        assert httpx.get(f"{url}/_mock/health").status_code == 401
        assert httpx.get(f"{url}/_mock/health", headers={"X-Control-Token": TOKEN}).status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STARTUP_SECONDS) == 0
        assert process.stdout is not None
        assert "control plane: /_mock needs the control token" in process.stdout.read()
