"""The bench scripts run (quick mode); their timings are never asserted here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize(
    ("script", "args", "expected"),
    [
        ("bench_inprocess.py", ["--requests", "50"], "GET report"),
        ("bench_plugin.py", ["--tests", "50"], "per-test set-up"),
        ("fuzz_long.py", ["--requests", "1500", "--seed", "3"], "no 5xx"),
        ("bench_asgi.py", ["--rounds", "1", "--requests", "20"], "mock/floor"),
        ("bench_http.py", ["--quick"], "vs floor"),
        ("bench_startup.py", ["--runs", "1"], "first 200 on /_mock/health"),
        ("bench_clock.py", ["--quick"], "one year over 500 active schedules"),
        ("bench_memory.py", ["--requests", "3000", "--segment-seconds", "0.5"], "RSS after warm-up"),
    ],
)
def test_bench_script_runs(script: str, args: list[str], expected: str) -> None:
    result = subprocess.run(
        [sys.executable, script, *args], cwd=BENCH, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
