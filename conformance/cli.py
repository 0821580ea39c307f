"""`python -m conformance run ...`: parse options, run the checks, print and write the reports.

Exit status: 0 when every hard check passed, 1 on a failure, 2 on a usage or connection error,
130 when interrupted (after deleting what the run created). Credentials come from flags or
environment variables and are masked wherever they would be shown.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

import httpx

from conformance.context import RunSettings
from conformance.curl import Masker
from conformance.failures import UsageError
from conformance.plan import plan_lines
from conformance.report import Progress, json_report, junit_report, render
from conformance.runner import Runner, RunResult, select_vendors
from conformance.target import Backoff, HttpTarget, Sleeper
from conformance.vendors import PLUGIN_MODULES, VENDORS, plugin

INTERRUPTED = 130


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m conformance", description="Check an API implementation against CONTRACTS.md."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the checks against a base URL")
    run.add_argument("--vendor", default="all", choices=[*VENDORS, "all"], help="which API to check (default all)")
    run.add_argument("--base-url", help="the implementation to check, e.g. http://127.0.0.1:8765")
    run.add_argument("--key", help="the one vendor's primary credential (env: e.g. QONVERSION_API_KEY)")
    run.add_argument("--second-key", help="a second tenant's credential, for tenant isolation")
    for vendor in PLUGIN_MODULES:
        for credential in plugin(vendor).credentials:  # type: ignore[union-attr]
            flag = f"--{vendor}-{credential.name.replace('_', '-')}"
            run.add_argument(
                flag, dest=f"cred__{vendor}__{credential.name}", help=f"{credential.help} (env {credential.env})"
            )
    run.add_argument("--seed", type=int, help="Hypothesis seed (default: random, printed); the same seed replays")
    run.add_argument("--max-examples", type=_positive, default=25, help="generated examples per check (default 25)")
    run.add_argument("--budget", type=_positive, help="hard cap on requests sent, cleanup and control plane included")
    run.add_argument("--read-only", action="store_true", help="GET-only checks")
    run.add_argument(
        "--strict", action="store_true", help="make every check hard (no warnings for real-endpoint leeway)"
    )
    run.add_argument("--only", help="comma-separated rule ids, e.g. QON-SEND-AT-SLOT,QON-ROUTE")
    run.add_argument("--plan", action="store_true", help="list the requests the run would send, and send nothing")
    run.add_argument("--report", type=Path, help="write a JSON report here")
    run.add_argument("--junit", type=Path, help="write JUnit XML here")
    run.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    run.add_argument("--max-retries", type=int, default=3, help="retries on 429/5xx from non-mock targets (default 3)")
    commands.add_parser("list", help="list the rule ids that have checks")
    return parser


def _only(text: str | None) -> list[str] | None:
    return None if text is None else [part.strip() for part in text.split(",") if part.strip()]


def gather_credentials(
    args: argparse.Namespace, vendors: Sequence[str], env: Mapping[str, str]
) -> dict[str, dict[str, str]]:
    """Per vendor: `--<vendor>-<name>`, else `--key`/`--second-key` (one-vendor runs), else the environment."""
    shortcuts = {"key": args.key, "second_key": args.second_key}
    if len(vendors) > 1 and any(shortcuts.values()):
        raise UsageError("--key and --second-key need one --vendor; with --vendor all use --<vendor>-key")
    found: dict[str, dict[str, str]] = {}
    for vendor in vendors:
        vendor_plugin = plugin(vendor)
        for credential in vendor_plugin.credentials if vendor_plugin else ():
            value = getattr(args, f"cred__{vendor}__{credential.name}") or shortcuts.get(credential.name)
            value = value or env.get(credential.env)
            if value:
                found.setdefault(vendor, {})[credential.name] = value
    return found


def _settings(args: argparse.Namespace) -> RunSettings:
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    return RunSettings(seed=seed, max_examples=args.max_examples, strict=args.strict, read_only=args.read_only)


def _list(out: TextIO) -> int:
    for vendor in VENDORS:
        found = plugin(vendor)
        if found is None:
            out.write(f"{vendor}: no checks yet\n")
            continue
        for check in found.checks:
            flags = [
                name for name, on in (("writes", check.writes), ("needs control plane", check.needs_control)) if on
            ]
            out.write(f"{check.rule:<24} {check.title}{'  [' + ', '.join(flags) + ']' if flags else ''}\n")
    return 0


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    env: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    sleep: Sleeper | None = None,
) -> int:
    """The command line; `transport` and `sleep` let tests run it in-process without real waits."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    args = build_parser().parse_args(argv)
    if args.command == "list":
        return _list(out)
    masker = Masker()
    try:
        vendors = select_vendors(args.vendor)
        settings = _settings(args)
        if args.plan:
            out.write("\n".join(plan_lines(vendors, _only(args.only), settings, args.budget)) + "\n")
            return 0
        credentials = gather_credentials(args, vendors, os.environ if env is None else env)
        for values in credentials.values():
            for value in values.values():
                masker.add(value)
        result = _run(args, vendors, settings, credentials, masker, out, transport, sleep)
    except UsageError as error:
        err.write(f"conformance: error: {masker.text(str(error))}\n")
        return 2
    except httpx.TransportError as error:
        err.write(f"conformance: cannot reach {args.base_url}: {masker.text(repr(error))}\n")
        return 2
    except KeyboardInterrupt:
        err.write("conformance: interrupted\n")
        return INTERRUPTED
    _write_reports(args, result, masker, out)
    return INTERRUPTED if result.interrupted else result.exit_code


def _run(
    args: argparse.Namespace,
    vendors: list[str],
    settings: RunSettings,
    credentials: dict[str, dict[str, str]],
    masker: Masker,
    out: TextIO,
    transport: httpx.BaseTransport | None,
    sleep: Sleeper | None,
) -> RunResult:
    if not args.base_url:
        raise UsageError("--base-url is required (except with --plan)")
    options = {"sleep": sleep} if sleep is not None else {}
    backoff = Backoff(max_retries=max(0, args.max_retries))
    progress = Progress(out, masker)
    with HttpTarget(
        args.base_url,
        timeout=args.timeout,
        transport=transport,
        budget=args.budget,
        read_only=args.read_only,
        backoff=backoff,
        masker=masker,
        **options,
    ) as target:
        runner = Runner(
            target,
            settings,
            vendors=vendors,
            only=_only(args.only),
            credentials=credentials,
            on_start=progress.start,
            on_result=progress.done,
        )
        return runner.run()


def _write_reports(args: argparse.Namespace, result: RunResult, masker: Masker, out: TextIO) -> None:
    out.write(render(result, masker) + "\n")
    if args.report is not None:
        args.report.write_text(json_report(result, masker), encoding="utf-8")
    if args.junit is not None:
        args.junit.write_text(junit_report(result, masker), encoding="utf-8")
