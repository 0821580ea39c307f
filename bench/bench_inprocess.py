"""Per-request cost of the mock against a plain Starlette app, both called in-process.

Run: python bench/bench_inprocess.py [--requests N]
Prints the median microseconds per request of each and their ratio (mock / baseline).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from mockserver import create_app
from mockserver.inprocess import client_for

HEADERS = {"Authorization": "Bearer sk_bench"}
BODY = {
    "report_name": "Daily Revenue",
    "send_at": "09:00",
    "included_range_days": 1,
    "status": "active",
    "environment": "production",
    "destinations": [{"type": "target_integration", "id": "int-wh-01"}],
}


def baseline_app() -> Starlette:
    """The same routes, answering a stored dict with no validation, auth or journal."""
    stored: dict[str, dict] = {}

    async def create(request: Request) -> JSONResponse:
        body = await request.json()
        stored["r1"] = {"object": "scheduled_report", "id": "r1", **body}
        return JSONResponse(stored["r1"], status_code=201)

    async def get(request: Request) -> JSONResponse:
        return JSONResponse(stored[request.path_params["report_id"]])

    return Starlette(
        routes=[
            Route("/v4/scheduled-reports", create, methods=["POST"]),
            Route("/v4/scheduled-reports/{report_id}", get, methods=["GET"]),
        ]
    )


def median_us(call: Callable[[], httpx.Response], requests: int) -> float:
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1e6)
    return statistics.median(samples)


def measure(requests: int) -> dict[str, tuple[float, float]]:
    results = {}
    with client_for(baseline_app()) as base, client_for(create_app()) as mock:
        report_id = mock.post("/v4/scheduled-reports", json=BODY, headers=HEADERS).json()["id"]
        base.post("/v4/scheduled-reports", json=BODY)
        results["GET report"] = (
            median_us(lambda: base.get("/v4/scheduled-reports/r1"), requests),
            median_us(lambda: mock.get(f"/v4/scheduled-reports/{report_id}", headers=HEADERS), requests),
        )
        results["POST report"] = (
            median_us(lambda: base.post("/v4/scheduled-reports", json=BODY), requests),
            median_us(lambda: mock.post("/v4/scheduled-reports", json=BODY, headers=HEADERS), requests),
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    print(f"{'operation':<14}{'starlette us':>14}{'mock us':>10}{'ratio':>8}")
    for name, (base, mock) in measure(args.requests).items():
        print(f"{name:<14}{base:>14.1f}{mock:>10.1f}{mock / base:>8.2f}")


if __name__ == "__main__":
    main()
