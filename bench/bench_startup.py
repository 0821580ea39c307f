"""Start-up time: from launching `python -m mockserver serve` to its first 200 on /_mock/health.

Run from bench/: python bench_startup.py [--runs 5] [--no-bytecode] [--no-spec-cache]
(target: at most 0.3 s)

The server runs as an installed package would: with compiled bytecode (pip writes `.pyc`
files at install; here a private `PYTHONPYCACHEPREFIX` holds them, so the checkout stays
clean, and an untimed warm-up start fills it and the spec cache). `--no-bytecode` compiles
every module from source on each start instead (as under `PYTHONDONTWRITEBYTECODE=1` with
no `__pycache__`); `--no-spec-cache` parses the OpenAPI YAML on each start.

The server's CPU time (user + system, from `wait4`) is printed too: on a machine shared with
other work it moves far less than the wall-clock figure.

The poller reuses one HTTP client made before the clock starts: a fresh `httpx.get` per
poll builds an SSL context each time (tens of milliseconds of CPU taken from the server
being measured on a small machine, and as much granularity added to the figure).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import httpx
from bench_http import free_port


def server_env(bytecode_dir: str | None, spec_cache: bool) -> dict[str, str]:
    """The environment of the measured server: bytecode in `bytecode_dir` (None: none)."""
    env = dict(os.environ)
    if bytecode_dir is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = bytecode_dir
    if not spec_cache:
        env["MOCKSERVER_SPEC_CACHE"] = "off"
    return env


def one_start(client: httpx.Client, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawning the server to its first 200 on /_mock/health, and the CPU
    seconds the server used in its whole life (start, that request, a graceful stop)."""
    port = free_port()
    command = [sys.executable, "-m", "mockserver", "serve", "--clock", "frozen", "--quiet", "--port", str(port)]
    url = f"http://127.0.0.1:{port}/_mock/health"
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        while True:
            try:
                if client.get(url, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.002)  # polling a starting process
            if time.perf_counter() - started > 30:
                raise RuntimeError("the server did not start")
        elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-bytecode", action="store_true", help="compile every module from source on each start")
    parser.add_argument("--no-spec-cache", action="store_true", help="parse the OpenAPI YAML on each start")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mockserver-bench-pyc-") as bytecode_dir, httpx.Client() as client:
        env = server_env(None if args.no_bytecode else bytecode_dir, not args.no_spec_cache)
        one_start(client, env)  # warm-up: fills the bytecode and spec caches and the OS file cache
        starts = [one_start(client, env) for _ in range(args.runs)]
    times, cpu = [wall for wall, _ in starts], [used for _, used in starts]
    mode = f"bytecode {'off' if args.no_bytecode else 'on'}, spec cache {'off' if args.no_spec_cache else 'on'}"
    print(
        f"start to first 200 on /_mock/health: median {statistics.median(times):.3f} s, "
        f"min {min(times):.3f} s over {args.runs} runs ({mode}); "
        f"server CPU median {statistics.median(cpu):.3f} s"
    )


if __name__ == "__main__":
    main()
