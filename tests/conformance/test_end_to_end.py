"""End to end over a real socket: `python -m mockserver serve --port 0 --clock frozen`, then
`python -m conformance run --vendor qonversion --base-url ...` in its own process, exit 0."""

from __future__ import annotations

import contextlib
import json
import re
import selectors
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LISTENING = re.compile(r"^mockserver listening on (http://127\.0\.0\.1:\d+)$")


def _first_line(process: subprocess.Popen[str], seconds: float) -> str:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if selector.select(timeout=seconds):
            return process.stdout.readline().rstrip("\n")
    return ""


@contextlib.contextmanager
def served_mock() -> Iterator[str]:
    command = [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--clock", "frozen"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = _first_line(process, 15.0)
        found = LISTENING.match(line)
        assert found, f"unexpected first line {line!r}"
        yield found.group(1)
    finally:
        process.kill()
        process.communicate(timeout=10)


def test_the_cli_passes_against_a_served_mock(tmp_path: Path) -> None:
    report, junit = tmp_path / "report.json", tmp_path / "junit.xml"
    with served_mock() as url:
        command = [sys.executable, "-m", "conformance", "run", "--vendor", "qonversion", "--base-url", url]
        command += ["--seed", "1", "--max-examples", "5", "--report", str(report), "--junit", str(junit)]
        started = time.monotonic()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "29 passed" in done.stdout and "the mock (control plane found)" in done.stdout
    document = json.loads(report.read_text())
    assert document["exit_code"] == 0 and document["base_url"] == url and document["requests"] > 100
    assert ElementTree.parse(junit).getroot().get("tests") == "29"
    assert time.monotonic() - started < 60
