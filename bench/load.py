"""Load generators for bench_http.py: wrk (pinned to CPU 1) or a Python fallback."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass

import httpx

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class LoadResult:
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    cpu_per_request_us: float = 0.0


def _lua(method: str, headers: dict[str, str], body: str | None) -> str:
    lines = [f"wrk.method = {json.dumps(method)}"]
    lines += [f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}" for name, value in headers.items()]
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(body)}")
    return "\n".join(lines) + "\n"


def _latency(output: str, percentile: str) -> float:
    found = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    return float(found.group(1)) * UNITS_MS[found.group(2)] if found else float("nan")


def wrk_load(
    url: str, method: str, headers: dict[str, str], body: str | None, seconds: float, connections: int
) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(method, headers, body))
    pinned = ["taskset", "-c", "1"] if shutil.which("taskset") else []
    command = pinned + [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(seconds, 1):g}s",
        "--latency",
        "-s",
        script.name,
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    total = re.search(r"(\d+) requests in", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    return LoadResult(
        requests=int(total.group(1)) if total else 0,
        requests_per_second=float(rate.group(1)) if rate else 0.0,
        p50_ms=_latency(output, "50"),
        p99_ms=_latency(output, "99"),
    )


def python_load(
    url: str, method: str, headers: dict[str, str], body: str | None, seconds: float, connections: int
) -> LoadResult:
    """The fallback when wrk is missing: asyncio httpx clients, same shape of result."""
    latencies: list[float] = []

    async def worker(client: httpx.AsyncClient, deadline: float) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            await client.request(method, url, headers=headers, content=body)
            latencies.append((time.perf_counter() - started) * 1000)

    async def run() -> float:
        limits = httpx.Limits(max_connections=connections)
        async with httpx.AsyncClient(limits=limits) as client:
            started = time.perf_counter()
            await asyncio.gather(*(worker(client, started + seconds) for _ in range(connections)))
            return time.perf_counter() - started

    elapsed = asyncio.run(run())
    latencies.sort()
    pick = lambda share: latencies[min(len(latencies) - 1, int(share * len(latencies)))] if latencies else 0.0  # noqa: E731
    return LoadResult(len(latencies), len(latencies) / elapsed, pick(0.5), pick(0.99))
