"""The mock's own cost per request, with no network: each route of bench_http.py called
straight through ASGI on the mock and on the floor app, interleaved, median of rounds.

Run from bench/: python bench_asgi.py [--rounds 5] [--requests 2000] [--cold] [--profile ROUTE]

It isolates what the mock adds to a request (the HTTP server's share is the same for both).
Called in a tight loop, each app runs with its code and data in the CPU caches; a served app
does not: between two of its requests the server's own work (parsing, the event loop, the
socket) evicts them. `--cold` evicts the caches before every request (a copy of 8 MiB), which
predicts the ratios `bench_http.py` measures far better than the warm loop does: what a
request costs then grows with how much memory it touches, not only with how many bytecodes
it runs. The mock is measured with the served process's garbage-collector policy.
`--profile "qonversion GET by id"` prints a cProfile of the mock on that route instead.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import floor_app
from bench_http import Route, routes, seed_through

from mockserver import create_app
from mockserver.gctuning import freeze_after_full_collections, freeze_start_up
from mockserver.inprocess import client_for

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def seed(app: Any) -> dict[str, str]:
    """The same data bench_http.py seeds, made in-process."""
    with client_for(app) as client:
        return seed_through(client)


def scope_for(route: Route) -> dict[str, Any]:
    path, _, query = route.path.partition("?")
    headers = [(name.lower().encode(), value.encode()) for name, value in route.headers.items()]
    if route.body is not None:
        headers.append((b"content-length", str(len(route.body.encode())).encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": route.method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8765),
    }


CACHE_EVICTOR = bytearray(8 << 20)  # larger than this machine's last-level cache share


async def call_many(app: ASGIApp, route: Route, count: int, cold: bool = False) -> float:
    """Seconds per request over `count` calls of `route`, each timed alone; `cold` evicts the
    CPU caches before each call."""
    body = (route.body or "").encode()
    statuses: set[int] = set()

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.add(message["status"])

    elapsed = 0.0
    for _ in range(count):
        if cold:
            bytes(CACHE_EVICTOR)
        started = time.perf_counter()
        await app(scope_for(route), receive, send)
        elapsed += time.perf_counter() - started
    elapsed /= count
    if any(status >= 500 for status in statuses):
        raise SystemExit(f"{route.name}: a 5xx answer {statuses}")
    return elapsed


def run(args: argparse.Namespace) -> None:
    mock = create_app()
    chosen = routes(seed(mock))
    freeze_start_up()  # as `python -m mockserver serve` does once the app is built
    freeze_after_full_collections()
    apps: dict[str, ASGIApp] = {"floor": floor_app.app, "mock": mock}
    if args.profile:
        profile(mock, next(route for route in chosen if route.name == args.profile), args.requests)
        return
    timings: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.rounds):
        for route in chosen:
            for name, app in apps.items():
                per_request = asyncio.run(call_many(app, route, args.requests, args.cold))
                timings.setdefault((route.name, name), []).append(per_request)
    print("caches evicted before every request" if args.cold else "caches warm (a tight loop)")
    print(f"{'route':<28}{'floor µs':>10}{'mock µs':>10}{'mock/floor':>12}")
    for route in chosen:
        floor = statistics.median(timings[(route.name, "floor")]) * 1e6
        own = statistics.median(timings[(route.name, "mock")]) * 1e6
        print(f"{route.name:<28}{floor:>10.1f}{own:>10.1f}{own / floor:>11.2f}x")


def profile(app: ASGIApp, route: Route, count: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    asyncio.run(call_many(app, route, count))
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--cold", action="store_true", help="evict the CPU caches before every request")
    parser.add_argument("--profile", metavar="ROUTE", help="print a cProfile of the mock on this route")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
