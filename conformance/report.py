"""What a run tells people and machines: a live progress line per check on a terminal, the summary
table, the failure details, a JSON report and JUnit XML. Everything written passes through the
run's `Masker`, so no credential is ever printed or stored.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections import Counter
from typing import Any, TextIO

from conformance.curl import Masker
from conformance.registry import Check
from conformance.runner import BUDGET, ERROR, FAILED, NO_CHECKS, SKIPPED, CheckResult, RunResult

VERSION = "0.1.0"


class Progress:
    """One line per check, rewritten in place while it runs; silent unless the stream is a terminal."""

    def __init__(self, stream: TextIO, masker: Masker) -> None:
        self.stream = stream
        self.masker = masker
        self.live = stream.isatty()
        self.prefix = ""

    def start(self, index: int, total: int, check: Check) -> None:
        if self.live:
            self.prefix = f"[{index:>2}/{total}] {check.vendor} {check.rule}"
            self.stream.write(f"\r\x1b[K{self.prefix} ...")
            self.stream.flush()

    def done(self, result: CheckResult) -> None:
        if not self.live:
            return
        prefix = self.prefix or f"{result.vendor} {result.rule}"
        line = f"{prefix} {result.status} ({result.requests} requests, {result.seconds:.2f}s)"
        self.stream.write(self.masker.text(f"\r\x1b[K{line}\n"))
        self.stream.flush()
        self.prefix = ""


def _result_text(result: CheckResult) -> str:
    return (
        result.status
        if not result.reason or result.status in (FAILED, NO_CHECKS)
        else f"{result.status}: {result.reason}"
    )


def summary_table(run: RunResult) -> str:
    """Rule id, result, requests and time, one row per check, then the totals."""
    rows = [("rule id", "result", "requests", "time")]
    rows += [(r.rule, _result_text(r)[:70], str(r.requests), f"{r.seconds:.2f}s") for r in run.results]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    lines = [
        f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]:>{widths[3]}}".rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines + ["", totals_line(run)])


def totals_line(run: RunResult) -> str:
    counts = Counter(result.status for result in run.results)
    parts = [f"{count} {status}" for status, count in counts.items()]
    mode = "the mock (control plane found)" if run.control_plane else "no control plane"
    tail = "; interrupted" if run.interrupted else ""
    budget = "" if run.budget is None else f" of a budget of {run.budget}"
    return f"{', '.join(parts)} | {run.requests} requests{budget} | seed {run.settings.seed} | {mode}{tail}"


def details(run: RunResult) -> str:
    """Each failure (rule, message, expected, actual, curl, seed, replay), then each warning and error."""
    blocks = [f"FAILED {result.failure.details()}" for result in run.results if result.failure is not None]
    blocks += [f"ERROR {result.rule}: {result.reason}" for result in run.results if result.status == ERROR]
    blocks += [f"WARNING {warning.details()}" for result in run.results for warning in result.warnings]
    if run.leftovers:
        blocks.append("NOT DELETED (remove by hand): " + ", ".join(run.leftovers))
    return "\n\n".join(blocks)


def render(run: RunResult, masker: Masker) -> str:
    text = details(run)
    return masker.text(summary_table(run) + (f"\n\n{text}" if text else ""))


def to_json(run: RunResult) -> dict[str, Any]:
    return {
        "tool": "conformance",
        "version": VERSION,
        "base_url": run.base_url,
        "vendors": run.vendors,
        "seed": run.settings.seed,
        "max_examples": run.settings.max_examples,
        "strict": run.settings.strict,
        "read_only": run.settings.read_only,
        "budget": run.budget,
        "control_plane": run.control_plane,
        "requests": run.requests,
        "interrupted": run.interrupted,
        "exit_code": 130 if run.interrupted else run.exit_code,
        "summary": dict(Counter(result.status for result in run.results)),
        "results": [_result_json(result) for result in run.results],
        "leftovers": run.leftovers,
    }


def _result_json(result: CheckResult) -> dict[str, Any]:
    failure = result.failure
    return {
        "vendor": result.vendor,
        "rule": result.rule,
        "title": result.title,
        "status": result.status,
        "reason": result.reason,
        "requests": result.requests,
        "seconds": round(result.seconds, 3),
        "failure": None
        if failure is None
        else {
            "message": failure.message,
            "expected": failure.expected,
            "actual": failure.actual,
            "curl": failure.curl,
            "seed": failure.seed,
            "replay": failure.replay,
        },
        "warnings": [
            {"message": w.message, "expected": w.expected, "actual": w.actual, "curl": w.curl} for w in result.warnings
        ],
    }


def json_report(run: RunResult, masker: Masker) -> str:
    return masker.text(json.dumps(to_json(run), indent=2, ensure_ascii=False)) + "\n"


def junit_report(run: RunResult, masker: Masker) -> str:
    """JUnit XML: a suite per vendor, a test case per rule id; warnings go to system-out."""
    root = ElementTree.Element("testsuites", name="conformance")
    for vendor in run.vendors:
        results = [result for result in run.results if result.vendor == vendor]
        suite = ElementTree.SubElement(root, "testsuite", name=vendor)
        for result in results:
            _testcase(suite, result)
        _count(suite, results)
    _count(root, run.results)
    return masker.text(ElementTree.tostring(root, encoding="unicode", xml_declaration=True)) + "\n"


def _testcase(suite: ElementTree.Element, result: CheckResult) -> None:
    case = ElementTree.SubElement(
        suite, "testcase", classname=f"conformance.{result.vendor}", name=result.rule, time=f"{result.seconds:.3f}"
    )
    if result.failure is not None:
        ElementTree.SubElement(case, "failure", message=result.failure.message).text = result.failure.details()
    elif result.status == ERROR:
        ElementTree.SubElement(case, "error", message=result.reason).text = result.reason
    elif result.status in (SKIPPED, BUDGET, NO_CHECKS):
        ElementTree.SubElement(case, "skipped", message=result.reason or result.status)
    if result.warnings:
        ElementTree.SubElement(case, "system-out").text = "\n\n".join(w.details() for w in result.warnings)


def _count(element: ElementTree.Element, results: list[CheckResult]) -> None:
    counts = Counter(result.status for result in results)
    element.set("tests", str(len(results)))
    element.set("failures", str(counts[FAILED]))
    element.set("errors", str(counts[ERROR]))
    element.set("skipped", str(counts[SKIPPED] + counts[BUDGET] + counts[NO_CHECKS]))
    element.set("time", f"{sum(result.seconds for result in results):.3f}")
