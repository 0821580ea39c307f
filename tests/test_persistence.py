"""--state-file: what survives a stop (SIGTERM, SIGINT) and a crash (SIGKILL), and what is refused."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import httpx
import pytest

from mockserver import create_app
from mockserver.cli import main
from mockserver.inprocess import client_for
from mockserver.persistence import StateFileError, read_state, restore_state, save_state
from tests.conftest import REPORTS, auth, create_report, report_body
from tests.test_cli import FROZEN_ARGS, STARTUP_SECONDS, running


def test_round_trip_keeps_tenants_timers_clock_and_outbox(tmp_path: Path) -> None:
    path = tmp_path / "state.bin"
    app = create_app()
    with client_for(app) as client:
        report = create_report(client)
        client.post("/_mock/clock", json={"advance_seconds": 86400})
        save_state(app.state.mock, path)
    assert [p.name for p in tmp_path.iterdir()] == ["state.bin"]  # no temporary file left behind
    again = create_app()
    assert restore_state(again.state.mock, path)
    with client_for(again) as client:
        assert client.get(f"{REPORTS}/{report['id']}", headers=auth()).json()["runs"] == 1
        assert client.get("/_mock/clock").json()["now"] == "2026-11-24T09:00:00Z"
        assert client.post("/_mock/clock", json={"advance_seconds": 86400}).json()["fired"] == 1
        assert len(client.get("/_mock/outbox").json()["data"]) == 2
        assert create_report(client)["id"] != report["id"]  # the id stream went on, no reuse


def test_a_missing_file_is_a_new_state(tmp_path: Path) -> None:
    assert restore_state(create_app().state.mock, tmp_path / "absent.bin") is False


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, world\n", "not a mockserver state file"),
        (b'{"format": "mockserver-state", "version": 99, "vendors": []}\n', "state format 99"),
        (b'{"format": "mockserver-state", "version": 1, "vendors": ["qonversion"]}\n', "holds vendors"),
        (b"", "not a mockserver state file"),
    ],
)
def test_foreign_or_other_files_are_refused_and_left_alone(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "state.bin"
    path.write_bytes(content)
    with pytest.raises(StateFileError, match=message):
        read_state(path, ["qonversion", "talkdesk", "sendkit", "postageapp"])
    assert path.read_bytes() == content


def test_a_damaged_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "state.bin"
    save_state(create_app().state.mock, path)
    damaged = path.read_bytes()[:-40]
    path.write_bytes(damaged)
    with pytest.raises(StateFileError, match="damaged"):
        restore_state(create_app().state.mock, path)
    assert path.read_bytes() == damaged


def test_serve_refuses_a_foreign_file_without_touching_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my precious notes\n")
    assert main(["serve", "--port", "0", "--state-file", str(path)]) == 2
    assert "not a mockserver state file" in capsys.readouterr().err
    assert path.read_text() == "my precious notes\n"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_what_a_graceful_stop_saves_comes_back(tmp_path: Path, stop: signal.Signals) -> None:
    path = tmp_path / "state.bin"
    with running(*FROZEN_ARGS, "--state-file", str(path), "--quiet") as (process, url):
        created = httpx.post(url + REPORTS, json=report_body(), headers=auth()).json()
        httpx.post(url + "/_mock/clock", json={"advance_seconds": 86400})
        process.send_signal(stop)
        assert process.wait(timeout=STARTUP_SECONDS) == 0
    with running("--state-file", str(path), "--quiet") as (process, url):
        assert httpx.get(f"{url}{REPORTS}/{created['id']}", headers=auth()).json()["runs"] == 1
        assert httpx.get(url + "/_mock/clock").json() == {"now": "2026-01-02T00:00:00Z", "mode": "frozen"}
        assert len(httpx.get(url + "/_mock/outbox").json()["data"]) == 1
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STARTUP_SECONDS) == 0


def test_a_crash_keeps_what_the_periodic_save_wrote(tmp_path: Path) -> None:
    path = tmp_path / "state.bin"
    with running(*FROZEN_ARGS, "--state-file", str(path), "--state-save-seconds", "0.2", "--quiet") as (process, url):
        created = httpx.post(url + REPORTS, json=report_body(), headers=auth()).json()
        wait_for_a_save_after(path, time.time())
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=STARTUP_SECONDS)
    with running("--state-file", str(path), "--quiet") as (process, url):
        assert httpx.get(f"{url}{REPORTS}/{created['id']}", headers=auth()).status_code == 200
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=STARTUP_SECONDS)


def wait_for_a_save_after(path: Path, moment: float) -> None:
    """Wait (bounded) for the server's periodic save, a real-time event of another process."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_mtime > moment:
            return
        time.sleep(0.05)
    pytest.fail("the server did not save its state in time")


OLD_STATE = Path(__file__).parent / "data" / "state-saved-by-f4fb846.state"


def test_a_state_file_saved_by_the_previous_version_loads_and_goes_on(tmp_path: Path) -> None:
    """Saved at commit f4fb846 (journal entries frozen, daily timers one-shots that re-armed
    themselves): three Qonversion reports of `sk_old` one day in, a PostageApp event, a SendKit
    report. Upgrading must lose nothing: the data, the journal, and deliveries every day after."""
    path = tmp_path / "old.state"
    path.write_bytes(OLD_STATE.read_bytes())
    app = create_app()
    assert restore_state(app.state.mock, path)
    old_key = {"Authorization": "Bearer sk_old"}
    with client_for(app) as client:
        assert len(client.get("/_mock/requests").json()["data"]) == 5
        assert len(client.get("/_mock/outbox").json()["data"]) == 5
        assert client.post("/_mock/clock", json={"advance_seconds": 3 * 86400}).json()["fired"] == 12
        assert [r["runs"] for r in client.get(REPORTS, headers=old_key).json()["data"]] == [4, 4, 4]
        assert client.post("/_mock/clock", json={"advance_seconds": 365 * 86400}).json()["fired"] == 4 * 365
        assert [r["runs"] for r in client.get(REPORTS, headers=old_key).json()["data"]] == [369, 369, 369]
        save_state(app.state.mock, path)  # and the upgraded state saves and loads again
    again = create_app()
    assert restore_state(again.state.mock, path)
    with client_for(again) as client:
        assert client.post("/_mock/clock", json={"advance_seconds": 86400}).json()["fired"] == 4
