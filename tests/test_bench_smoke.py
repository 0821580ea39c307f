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
        ("bench_asgi.py", ["--rounds", "1", "--requests", "20", "--cold"], "caches evicted before every request"),
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


def _shape(value: object) -> object:
    """The JSON structure without the values: keys, nesting and types."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value[:1]]
    return type(value).__name__


def test_the_floor_answers_every_route_with_the_mocks_status_and_json_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    """The floor must do the same HTTP and JSON work, or the ratios flatter it or the mock."""
    monkeypatch.syspath_prepend(str(BENCH))
    import bench_asgi
    import floor_app
    from bench_http import routes

    from mockserver import create_app
    from mockserver.inprocess import client_for

    mock = create_app()
    seeded = bench_asgi.seed(mock)
    with client_for(mock) as mock_client, client_for(floor_app.app) as floor_client:
        for route in routes(seeded):
            ours = mock_client.request(route.method, route.path, headers=route.headers, content=route.body)
            floors = floor_client.request(route.method, route.path, headers=route.headers, content=route.body)
            assert floors.status_code == ours.status_code, route.name
            assert _shape(floors.json()) == _shape(ours.json()), route.name
            assert abs(len(floors.content) - len(ours.content)) <= 0.15 * len(ours.content), route.name
