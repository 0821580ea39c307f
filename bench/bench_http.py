"""Side-by-side HTTP benchmark: the mock against the floor (and Prism, when present).

Run from bench/: python bench_http.py [--rounds 5] [--seconds 3] [--connections 50] [--quick]

Each server runs in its own process pinned to CPU 0; the load generator (wrk, or a Python
fallback) runs pinned to CPU 1. Rounds are interleaved (every route on every server, then
the next round) and the table reports medians over rounds: requests/s, p50, p99, server CPU
per request, and the mock's throughput as a ratio of the floor's (and of Prism's).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from load import LoadResult, python_load, wrk_load

from mockserver import create_app
from mockserver.inprocess import client_for
from mockserver.persistence import save_state

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
KEY = {"Authorization": "Bearer sk_bench"}
PRELOAD_HEADERS = {"Authorization": "Bearer sk_preloaded", "Content-Type": "application/json"}
CREATE = (
    '{"report_name": "Daily Revenue", "send_at": "09:00", "included_range_days": 1, "status": "active", '
    '"environment": "production", "destinations": [{"type": "target_integration", "id": "int-wh-01"}]}'
)
REJECTED = CREATE.replace('"09:00"', '"12:15"')


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    prism: bool = False  # Prism serves the Qonversion document only


@dataclass
class Server:
    name: str
    command: list[str]
    url: str = ""
    process: subprocess.Popen[bytes] | None = None

    def start(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        pinned = ["taskset", "-c", "0"] if shutil.which("taskset") else []
        command = [part.replace("{port}", str(port)) for part in self.command]
        self.process = subprocess.Popen(
            pinned + command, cwd=HERE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until_up(self.url + ("/v4/scheduled-reports/destinations" if self.name == "prism" else "/_mock/health"))

    def cpu_seconds(self) -> float:
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process is not None:
            if "--state-file" in self.command:
                self.process.kill()  # a preloaded copy: nothing to save, and saving 100k+ reports takes seconds
            else:
                self.process.terminate()
            self.process.wait(timeout=10)


def wait_until_up(url: str, timeout: float = 20.0) -> float:
    """Seconds until `url` first answers (any status)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            httpx.get(url, headers=KEY, timeout=0.5)
            return time.perf_counter() - started
        except httpx.TransportError:
            time.sleep(0.002)  # polling a starting process, not the mock's clock
    raise RuntimeError(f"{url} did not come up")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed_mock(url: str) -> dict[str, str]:
    """Data the read routes need on the served mock at `url`."""
    with httpx.Client(base_url=url) as client:
        return seed_through(client)


def seed_through(client: httpx.Client) -> dict[str, str]:
    """Data the read routes need on the mock: reports, a Talkdesk job, a SendKit report, an event."""
    ids = [client.post("/v4/scheduled-reports", content=CREATE, headers=json_headers()).json()["id"] for _ in range(25)]
    form = {"grant_type": "client_credentials"}
    token = client.post("/oauth/token", data=form, auth=("bench", "secret")).json()["access_token"]
    job = {"timespan": {"from": "2026-11-22T00:00:00Z", "to": "2026-11-22T01:00:00Z"}}
    job_id = client.post("/data/reports/calls/jobs", json=job, headers={"Authorization": f"Bearer {token}"})
    sendkit = client.post("/v1/reports", json={"reportType": "workspace"}, headers={"X-Api-Key": "sk_bench"})
    event = {"api_key": "bench", "uid": "bench-event", "schedule": "every day", "metadata": {}}
    client.post("/v.1.0/create_scheduled_event.json", json=event)
    return {
        "report": ids[0],
        "token": token,
        "job": job_id.json()["id"],
        "sendkit": sendkit.json()["data"]["reports"][0]["id"],
    }


def json_headers() -> dict[str, str]:
    return {**KEY, "Content-Type": "application/json"}


def routes(seeded: dict[str, str]) -> list[Route]:
    return [
        Route("qonversion GET by id", "GET", f"/v4/scheduled-reports/{seeded['report']}", KEY, prism=True),
        Route("qonversion create", "POST", "/v4/scheduled-reports", json_headers(), CREATE, prism=True),
        Route("qonversion list of 20", "GET", "/v4/scheduled-reports?limit=20", KEY, prism=True),
        Route("qonversion rejected create", "POST", "/v4/scheduled-reports", json_headers(), REJECTED, prism=True),
        Route(
            "talkdesk GET job",
            "GET",
            f"/data/reports/calls/jobs/{seeded['job']}",
            {"Authorization": f"Bearer {seeded['token']}"},
        ),
        Route("sendkit GET report", "GET", f"/v1/reports/{seeded['sendkit']}", {"X-Api-Key": "sk_bench"}),
        Route(
            "postageapp get event",
            "POST",
            "/v.1.0/get_scheduled_event.json",
            {"Content-Type": "application/json"},
            '{"api_key": "bench", "uid": "bench-event"}',
        ),
    ]


def servers(with_prism: bool, state_file: Path | None = None) -> list[Server]:
    mock = [sys.executable, "-m", "mockserver", "serve", "--clock", "frozen", "--quiet", "--port", "{port}"]
    if state_file is not None:
        mock += ["--state-file", str(state_file), "--state-save-seconds", "86400"]  # no save during the run
    found = [Server("floor", [sys.executable, "floor_app.py", "{port}"]), Server("mock", mock)]
    prism = shutil.which("prism") or str(HERE / "node_modules" / ".bin" / "prism")
    if with_prism and Path(prism).exists():
        spec = str(ROOT / "schemas" / "qonversion.openapi.yaml")
        found.append(Server("prism", [prism, "mock", spec, "-p", "{port}", "-v", "error"]))
    return found


def measure(server: Server, route: Route, seconds: float, connections: int) -> LoadResult:
    before = server.cpu_seconds()
    if shutil.which("wrk"):
        result = wrk_load(server.url + route.path, route.method, route.headers, route.body, seconds, connections)
    else:
        result = python_load(server.url + route.path, route.method, route.headers, route.body, seconds, connections)
    result.cpu_per_request_us = (server.cpu_seconds() - before) / max(result.requests, 1) * 1e6
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--no-prism", action="store_true")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1 round of 0.5 s, no Prism")
    parser.add_argument("--only", metavar="TEXT", help="measure the routes whose name contains TEXT")
    parser.add_argument(
        "--stored", type=int, default=0, metavar="N", help="start the mock with N Qonversion reports already stored"
    )
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds, args.no_prism = 1, 0.5, True
    with tempfile.TemporaryDirectory() as folder:
        state_file = preloaded_state(args.stored, Path(folder)) if args.stored else None
        running = servers(with_prism=not args.no_prism, state_file=state_file)
        for server in running:
            server.start(free_port())
        try:
            chosen = [route for route in routes(seed_mock(running[1].url)) if (args.only or "") in route.name]
            table = run_rounds(running, chosen, args)
        finally:
            for server in running:
                server.stop()
    if args.stored:
        print(f"the mock holds {args.stored} more Qonversion reports (one tenant) than the floor")
    print_table(table, [server.name for server in running], args)


def preloaded_state(count: int, folder: Path) -> Path:
    """A --state-file holding `count` reports of another tenant, made in-process (seconds, not minutes)."""
    app = create_app()
    with client_for(app) as client:
        for _ in range(count):
            client.post("/v4/scheduled-reports", content=CREATE, headers=PRELOAD_HEADERS)
    path = folder / "preloaded.state"
    save_state(app.state.mock, path)
    return path


def run_rounds(running: list[Server], chosen: list[Route], args: argparse.Namespace) -> dict:
    results: dict[tuple[str, str], list[LoadResult]] = {}
    for _ in range(args.rounds):
        for route in chosen:
            for server in running:
                if server.name == "prism" and not route.prism:
                    continue
                result = measure(server, route, args.seconds, args.connections)
                results.setdefault((route.name, server.name), []).append(result)
    return results


def median(results: list[LoadResult], attribute: str) -> float:
    return statistics.median(getattr(result, attribute) for result in results)


def print_table(results: dict, names: list[str], args: argparse.Namespace) -> None:
    print(f"{args.rounds} interleaved rounds of {args.seconds:g} s, {args.connections} connections; medians")
    columns = f"{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'cpu us/req':>12}{'vs floor':>10}{'vs prism':>10}"
    print(f"{'route':<28}{'server':<8}{columns}")
    for route_name in dict.fromkeys(route for route, _ in results):
        floor = median(results[(route_name, "floor")], "requests_per_second")
        prism_results = results.get((route_name, "prism"))
        for name in names:
            if (route_name, name) not in results:
                continue
            rows = results[(route_name, name)]
            rps = median(rows, "requests_per_second")
            vs_prism = f"{rps / median(prism_results, 'requests_per_second'):.2f}" if prism_results else "-"
            print(
                f"{route_name:<28}{name:<8}{rps:>10.0f}{median(rows, 'p50_ms'):>9.2f}{median(rows, 'p99_ms'):>9.2f}"
                f"{median(rows, 'cpu_per_request_us'):>12.0f}{rps / floor:>10.2f}{vs_prism:>10}"
            )


if __name__ == "__main__":
    main()
