"""`--plan`: the requests a run would send, check by check, without sending any."""

from __future__ import annotations

from collections.abc import Iterable

from conformance.context import RunSettings
from conformance.registry import Check
from conformance.vendors import plugin


def _note(check: Check, settings: RunSettings) -> str:
    if settings.read_only and check.writes:
        return "  [GET-only part with --read-only]" if check.read_only_part else "  [skipped: --read-only]"
    if check.needs_control:
        return "  [only against the mock: needs its /_mock control plane]"
    return "  [writes]" if check.writes else ""


def plan_lines(
    vendors: Iterable[str], only: Iterable[str] | None, settings: RunSettings, budget: int | None
) -> list[str]:
    lines = [
        "Plan (nothing is sent). Every request counts against --budget"
        + ("" if budget is None else f" ({budget})")
        + f"; {{n}} = --max-examples = {settings.max_examples}.",
        "GET /_mock/health  detect the mock's control plane",
    ]
    for vendor in vendors:
        found = plugin(vendor)
        if found is None:
            lines.append(f"\n{vendor}: no checks yet")
            continue
        lines.append(f"\n{vendor} (set-up):")
        lines += [f"    {line}" for line in found.setup_plan]
        for check in found.checks.select(only):
            lines.append(f"{check.rule}: {check.title}{_note(check, settings)}")
            lines += [f"    {line.replace('{n}', str(settings.max_examples))}" for line in check.plan]
        lines.append(f"{vendor} (clean-up): DELETE every resource this run created and has not deleted yet")
    return lines
