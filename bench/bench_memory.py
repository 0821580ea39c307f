"""Resident memory of the served mock over a long run: it must stay flat (journal and outbox
are capped rings; nothing else may grow with traffic that stores nothing new).

Run from bench/: python bench_memory.py [--requests 1000000] [--segment-seconds 2]

The load cycles through bench_http.py's routes except the create (which stores reports, data
the mock must keep): reads, lists, rejected creates, other vendors' reads. The server's RSS is
read from /proc after each segment; the report compares the end with the RSS once the first
tenth of the requests (the warm-up) has been served.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench_http import Server, free_port, measure, routes, seed_mock


def rss_mib(server: Server) -> float:
    assert server.process is not None
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def run(total: int, segment_seconds: float, connections: int) -> tuple[float, float, int, list[str]]:
    server = Server(
        "mock", [sys.executable, "-m", "mockserver", "serve", "--clock", "frozen", "--quiet", "--port", "{port}"]
    )
    server.start(free_port())
    log: list[str] = []
    try:
        chosen = [route for route in routes(seed_mock(server.url)) if route.name != "qonversion create"]
        served, warm_rss, turn = 0, 0.0, 0
        while served < total:
            route = chosen[turn % len(chosen)]
            served += measure(server, route, segment_seconds, connections).requests
            turn += 1
            rss = rss_mib(server)
            if not warm_rss and served >= total / 10:
                warm_rss = rss
            log.append(f"{served:>9} requests  {rss:7.1f} MiB  ({route.name})")
        return warm_rss, rss_mib(server), served, log
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--segment-seconds", type=float, default=2.0)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    warm, end, served, log = run(args.requests, args.segment_seconds, args.connections)
    print("\n".join(log))
    growth = (end - warm) / warm * 100
    verdict = "flat" if growth <= 10 else "GROWING"
    print(f"RSS after warm-up {warm:.1f} MiB, after {served} requests {end:.1f} MiB: {growth:+.1f} % ({verdict})")


if __name__ == "__main__":
    main()
