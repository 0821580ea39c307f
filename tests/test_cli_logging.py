"""`mockserver serve` logs one line per request unless --quiet."""

from __future__ import annotations

import signal
import subprocess

import httpx

from tests.test_cli import FROZEN_ARGS, STARTUP_SECONDS, running


def lines_after_stop(process: subprocess.Popen[str]) -> list[str]:
    """Everything printed after the first line (read through the pipe's own buffer)."""
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=STARTUP_SECONDS) == 0
    assert process.stdout is not None
    return process.stdout.read().splitlines()


def test_one_log_line_per_request_with_status_tenant_and_time() -> None:
    with running(*FROZEN_ARGS) as (process, url):
        httpx.get(f"{url}/v4/scheduled-reports?limit=5", headers={"Authorization": "Bearer sk_logged"})
        httpx.get(f"{url}/v4/nope")
        lines = lines_after_stop(process)
    assert lines[0].startswith("vendors: ")
    vendor_lines = [line for line in lines if "/v4/" in line]
    assert vendor_lines[0].startswith("2026-01-01T00:00:00Z GET /v4/scheduled-reports?limit=5 200 tenant=sk_logged ")
    assert vendor_lines[0].endswith("ms")
    assert vendor_lines[1].startswith("2026-01-01T00:00:00Z GET /v4/nope 404 tenant=- ")
    assert any(" GET /_mock/health 200 " in line for line in lines)


def test_quiet_logs_nothing_per_request() -> None:
    with running(*FROZEN_ARGS, "--quiet") as (process, url):
        httpx.get(f"{url}/v4/scheduled-reports", headers={"Authorization": "Bearer sk_quiet"})
        lines = lines_after_stop(process)
    assert lines[0].startswith("vendors: ")  # the output was read: only the summary is there
    assert not any("/v4/" in line or "/_mock/" in line for line in lines)
