"""What the `mock_api` fixture costs a test: set-up per test and a request through its client.

Run: python bench/bench_plugin.py [--tests N]
Set-up is `MockFactory.in_process()` (restart: new clock, default config, no data); the
request is a Qonversion GET through `mock_api.client`, next to the same GET on a bare
Starlette app through the same transport.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench_inprocess import HEADERS, baseline_app, median_us

from mockserver.inprocess import client_for
from mockserver.pytest_plugin import MockFactory, MockSettings


def setup_us(factory: MockFactory, tests: int) -> float:
    settings = MockSettings()
    samples = []
    for _ in range(tests):
        started = time.perf_counter()
        factory.in_process(settings)
        samples.append((time.perf_counter() - started) * 1e6)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tests", type=int, default=2000)
    args = parser.parse_args()
    factory = MockFactory()
    setup = setup_us(factory, args.tests)
    mock = factory.in_process(MockSettings())
    with client_for(baseline_app()) as base:
        base.post("/v4/scheduled-reports", json={"report_name": "x"})
        baseline = median_us(lambda: base.get("/v4/scheduled-reports/r1"), args.tests)
    request = median_us(lambda: mock.client.get("/v4/scheduled-reports", headers=HEADERS), args.tests)
    factory.close()
    print(f"per-test set-up     {setup:8.1f} us")
    print(f"request via mock    {request:8.1f} us   (bare Starlette {baseline:.1f} us, ratio {request / baseline:.2f})")


if __name__ == "__main__":
    main()
