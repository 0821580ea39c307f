"""Start-up time: from launching `python -m mockserver serve` to its first 200 on /_mock/health.

Run from bench/: python bench_startup.py [--runs 5]   (target: at most 0.3 s)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import httpx
from bench_http import free_port


def one_start() -> float:
    port = free_port()
    started = time.perf_counter()
    command = [sys.executable, "-m", "mockserver", "serve", "--clock", "frozen", "--quiet", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/_mock/health", timeout=1).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                time.sleep(0.002)  # polling a starting process
            if time.perf_counter() - started > 30:
                raise RuntimeError("the server did not start")
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times = [one_start() for _ in range(args.runs)]
    print(f"start to first 200 on /_mock/health: median {statistics.median(times):.3f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
