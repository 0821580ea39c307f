"""The `mockserver` command: a real process on a real socket, its signals, exit codes and flags."""

from __future__ import annotations

import contextlib
import re
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mockserver import create_app
from mockserver.cli import main
from mockserver.inprocess import client_for
from mockserver.vendors import REGISTRY
from tests.conftest import auth, create_report

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 10.0
LISTENING = re.compile(r"^mockserver listening on (http://127\.0\.0\.1:(\d+))$")
FROZEN_ARGS = ["--clock", "frozen", "--start-time", "2026-01-01T00:00:00Z"]


def _read_line(process: subprocess.Popen[str], deadline: float) -> str:
    """One stdout line, waiting on the pipe (never a fixed sleep) until `deadline`."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if selector.select(timeout=min(0.2, max(0.0, deadline - time.monotonic()))):
                return process.stdout.readline()
            if process.poll() is not None:
                break
    return ""


def _wait_healthy(process: subprocess.Popen[str], url: str, deadline: float) -> httpx.Response:
    """Poll /_mock/health until it answers; between attempts, wait on the process itself."""
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            return httpx.get(f"{url}/_mock/health", timeout=1.0)
        except httpx.TransportError as error:
            last_error = error
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.05)
            pytest.fail(f"mockserver exited with {process.returncode} before answering")
    pytest.fail(f"mockserver did not answer within {STARTUP_SECONDS}s: {last_error!r}")


@contextlib.contextmanager
def running(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`python -m mockserver serve --port 0 ...` until healthy; always killed and reaped afterwards."""
    command = [sys.executable, "-m", "mockserver", "serve", "--port", "0", *args]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        line = _read_line(process, deadline).rstrip("\n")
        found = LISTENING.match(line)
        assert found, f"unexpected first line {line!r}"
        assert int(found.group(2)) > 0
        url = found.group(1)
        _wait_healthy(process, url, deadline)
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def test_serve_answers_health_on_a_real_socket_with_a_frozen_clock():
    with running(*FROZEN_ARGS) as (_, url):
        health = httpx.get(f"{url}/_mock/health", timeout=5.0)
        assert health.status_code == 200
        assert health.json() == {"status": "ok", "vendors": list(REGISTRY), "now": "2026-01-01T00:00:00Z"}
        assert httpx.get(f"{url}/_mock/clock", timeout=5.0).json() == {"now": "2026-01-01T00:00:00Z", "mode": "frozen"}
        moved = httpx.post(f"{url}/_mock/clock", json={"advance_seconds": 86400}, timeout=5.0)
        assert moved.json()["now"] == "2026-01-02T00:00:00Z"
        unknown = httpx.get(f"{url}/v4/nope", headers=auth(), timeout=5.0)
        assert unknown.status_code == 404
        assert unknown.json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_shuts_down_cleanly_with_exit_code_0(signum: signal.Signals):
    with running(*FROZEN_ARGS) as (process, _):
        process.send_signal(signum)
        assert process.wait(timeout=10) == 0
        _, stderr = process.communicate(timeout=10)
        assert "Traceback" not in stderr


def test_seed_changes_report_ids():
    ids = {}
    for seed in ("0", "5"):
        with running(*FROZEN_ARGS, "--seed", seed) as (_, url):
            with httpx.Client(base_url=url, timeout=5.0) as client:
                ids[seed] = create_report(client)["id"]
    assert ids["0"] != ids["5"]
    # the same seed gives the same ids as an in-process app
    for seed in ("0", "5"):
        with client_for(create_app(seed=int(seed))) as client:
            assert create_report(client)["id"] == ids[seed]


def test_unknown_vendor_is_an_argparse_error(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as caught:
        main(["serve", "--vendor", "nope"])
    assert caught.value.code == 2
    assert "nope" in capsys.readouterr().err


def test_config_with_an_unknown_knob_exits_2_with_an_error(tmp_path: Path):
    config = tmp_path / "mock.yaml"
    config.write_text("qonversion:\n  no_such_knob: 1\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=20,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert "no_such_knob" in result.stderr
    assert "mockserver listening" not in result.stdout


def test_config_errors_return_2_from_main(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    missing = tmp_path / "missing.yaml"
    assert main(["serve", "--port", "0", "--config", str(missing)]) == 2
    assert "error" in capsys.readouterr().err
    not_a_mapping = tmp_path / "list.yaml"
    not_a_mapping.write_text("- 1\n", encoding="utf-8")
    assert main(["serve", "--port", "0", "--config", str(not_a_mapping)]) == 2
    assert "error" in capsys.readouterr().err


def test_bad_start_time_returns_2(capsys: pytest.CaptureFixture[str]):
    assert main(["serve", "--port", "0", "--clock", "frozen", "--start-time", "not-a-time"]) == 2
    assert "error" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    assert "serve" in capsys.readouterr().out


def test_serve_help_lists_the_flags(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as caught:
        main(["serve", "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    for flag in ("--host", "--port", "--clock", "--start-time", "--seed", "--config", "--vendor"):
        assert flag in out


def test_no_command_is_a_usage_error():
    with pytest.raises(SystemExit) as caught:
        main([])
    assert caught.value.code == 2
