"""Runs the selected checks of each vendor against one target and collects their results.

Per vendor: resolve credentials (fresh ones from the mock's documented forms when the control
plane is there), open a session, run each check (skipping what the target cannot support),
and delete what each check created as soon as it ends; whatever is left is deleted at the
end of the vendor, also after a failure or Ctrl-C.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from conformance.context import CheckContext, RunSettings
from conformance.control import ControlPlane, detect
from conformance.failures import CheckSkipped, ConformanceFailure, SetupError, SoftMismatch, UsageError
from conformance.registry import Check
from conformance.shapes import ResponseShapes
from conformance.target import BudgetExhausted, Target
from conformance.vendors import VENDORS, SessionSetup, VendorPlugin, plugin
from mockserver.core.spec import load_spec

PASSED, WARNING, FAILED, ERROR = "passed", "warning", "failed", "error"
SKIPPED, BUDGET, NO_CHECKS = "skipped", "budget exhausted", "no checks yet"


@dataclass
class CheckResult:
    vendor: str
    rule: str
    title: str
    status: str
    reason: str = ""
    requests: int = 0
    seconds: float = 0.0
    failure: ConformanceFailure | None = None
    warnings: list[SoftMismatch] = field(default_factory=list)
    connection_error: bool = False


@dataclass
class RunResult:
    base_url: str
    vendors: list[str]
    settings: RunSettings
    budget: int | None
    control_plane: bool = False
    results: list[CheckResult] = field(default_factory=list)
    requests: int = 0
    leftovers: list[str] = field(default_factory=list)
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def exit_code(self) -> int:
        """0 when every hard check passed, 1 on a failure, 2 when the target stopped answering."""
        if any(result.connection_error for result in self.results):
            return 2
        return 1 if self.count(FAILED) or self.count(ERROR) else 0


Listener = Callable[[int, int, Check], None]
ResultListener = Callable[[CheckResult], None]


def select_vendors(name: str) -> list[str]:
    if name == "all":
        return list(VENDORS)
    if name not in VENDORS:
        raise UsageError(f"unknown vendor {name!r}; choose one of {', '.join(VENDORS)} or all")
    return [name]


def validate_only(vendors: Iterable[str], only: Iterable[str] | None) -> None:
    if only is None:
        return
    known = {check.rule for vendor in vendors if (found := plugin(vendor)) for check in found.checks}
    unknown = sorted(set(only) - known)
    if unknown:
        raise UsageError(f"no check for rule id(s) {', '.join(unknown)} in the selected vendor(s)")


def resolve_credentials(found: VendorPlugin, given: Mapping[str, str], control: ControlPlane | None) -> dict[str, str]:
    """Given credentials, else (against the mock) fresh ones in the vendor's documented form."""
    values = {credential.name: given[credential.name] for credential in found.credentials if given.get(credential.name)}
    missing = [credential for credential in found.credentials if credential.name not in values]
    if missing and control is not None:
        fresh = found.fresh_credentials()
        values.update({credential.name: fresh[credential.name] for credential in missing})
        missing = []
    needed = [credential for credential in missing if credential.primary]
    if needed:
        names = ", ".join(f"--{found.name}-{c.name.replace('_', '-')} (or ${c.env})" for c in needed)
        raise UsageError(f"{found.name} needs {names}: the target has no /_mock control plane to default them")
    return values


class Runner:
    def __init__(
        self,
        target: Target,
        settings: RunSettings,
        *,
        vendors: list[str],
        only: Iterable[str] | None = None,
        credentials: Mapping[str, Mapping[str, str]] | None = None,
        on_start: Listener | None = None,
        on_result: ResultListener | None = None,
    ) -> None:
        self.target = target
        self.settings = settings
        self.vendors = vendors
        self.only = None if only is None else list(only)
        self.credentials = credentials or {}
        self.on_start = on_start
        self.on_result = on_result
        validate_only(vendors, self.only)

    def run(self) -> RunResult:
        """Raises UsageError (and httpx.TransportError) before any check when the run cannot start."""
        result = RunResult(self.target.base_url, self.vendors, self.settings, self.target.budget.limit)
        control = detect(self.target)
        result.control_plane = control is not None
        prepared = [(vendor, self._prepare(vendor, control)) for vendor in self.vendors]
        try:
            for vendor, (found, credentials) in prepared:
                self._run_vendor(vendor, found, credentials, control, result)
        except KeyboardInterrupt:
            result.interrupted = True
        result.requests = self.target.sent
        return result

    def _prepare(self, vendor: str, control: ControlPlane | None) -> tuple[VendorPlugin | None, dict[str, str]]:
        found = plugin(vendor)
        if found is None or not found.checks.select(self.only):
            return found, {}
        credentials = resolve_credentials(found, self.credentials.get(vendor, {}), control)
        for value in credentials.values():
            self.target.masker.add(value)
        return found, credentials

    def _run_vendor(
        self,
        vendor: str,
        found: VendorPlugin | None,
        credentials: dict[str, str],
        control: ControlPlane | None,
        result: RunResult,
    ) -> None:
        if found is None:
            self._record(result, CheckResult(vendor, vendor, "no checks yet", NO_CHECKS))
            return
        checks = found.checks.select(self.only)
        if control is not None and vendor not in control.vendors:
            for check in checks:
                self._record(result, CheckResult(vendor, check.rule, check.title, SKIPPED, "not served by this mock"))
            return
        session = self._open(found, SessionSetup(self.target, control, credentials, self.settings), checks, result)
        if session is None:
            return
        shapes = ResponseShapes(load_spec(found.spec_name)) if found.spec_name else None
        try:
            for index, check in enumerate(checks, start=1):
                if self.on_start is not None:
                    self.on_start(index, len(checks), check)
                self._record(result, self._execute(check, session, control, shapes))
        finally:
            result.leftovers.extend(_safe_cleanup(session))

    def _open(self, found: VendorPlugin, setup: SessionSetup, checks: list[Check], result: RunResult) -> Any:
        """The vendor's session; when its setup fails, every check ends with that reason."""
        try:
            return found.open_session(setup)
        except BudgetExhausted:
            status, reason = BUDGET, "the budget was spent before the checks could start"
        except SetupError as error:
            status, reason = ERROR, f"setup: {error}"
        for check in checks:
            self._record(result, CheckResult(check.vendor, check.rule, check.title, status, reason))
        return None

    def _record(self, result: RunResult, check_result: CheckResult) -> None:
        result.results.append(check_result)
        if self.on_result is not None:
            self.on_result(check_result)

    def _skip_reason(self, check: Check, control: ControlPlane | None) -> str | None:
        if self.settings.read_only and check.writes and not check.read_only_part:
            return "read-only run"
        if check.needs_control and control is None:
            return "needs control plane"
        return None

    def _execute(
        self, check: Check, session: Any, control: ControlPlane | None, shapes: ResponseShapes | None
    ) -> CheckResult:
        outcome = CheckResult(check.vendor, check.rule, check.title, SKIPPED)
        reason = self._skip_reason(check, control)
        if reason is not None:
            outcome.reason = reason
            return outcome
        context = CheckContext(check, self.settings, self.target, session, control, shapes)
        started, sent = time.perf_counter(), self.target.sent
        try:
            self._attempt(check, context, outcome)
        finally:
            _safe_end(session)
            outcome.requests = self.target.sent - sent
            outcome.seconds = time.perf_counter() - started
            outcome.warnings = context.warnings
            if context.more_warnings:
                outcome.warnings.append(
                    SoftMismatch(check.rule, f"and {context.more_warnings} more warnings like these")
                )
        return outcome

    def _attempt(self, check: Check, context: CheckContext, outcome: CheckResult) -> None:
        try:
            check(context)
            outcome.status = WARNING if context.warnings else PASSED
        except ConformanceFailure as failure:
            failure.replay = self._replay(check)
            outcome.status, outcome.reason, outcome.failure = FAILED, failure.message, failure
        except CheckSkipped as skipped:
            outcome.status, outcome.reason = SKIPPED, skipped.reason
        except BudgetExhausted:
            outcome.status, outcome.reason = BUDGET, f"the budget of {self.target.budget.limit} requests is spent"
        except SetupError as error:
            outcome.status, outcome.reason = ERROR, f"setup: {error}"
        except httpx.TransportError as error:
            outcome.status, outcome.reason, outcome.connection_error = ERROR, f"connection: {error!r}", True
        except Exception as error:  # a check bug or an answer too strange to parse: never a pass
            frame = traceback.extract_tb(error.__traceback__)[-1]
            outcome.status = ERROR
            outcome.reason = f"{type(error).__name__}: {error} ({frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})"

    def _replay(self, check: Check) -> str:
        return (
            f"python -m conformance run --vendor {check.vendor} --base-url {self.target.base_url} "
            f"--only {check.rule} --seed {self.settings.seed} --max-examples {self.settings.max_examples}"
        )


def _safe_end(session: Any) -> None:
    try:
        session.end_check()
    except (BudgetExhausted, httpx.TransportError, SetupError):
        pass  # what could not be deleted now is retried by cleanup() and reported as left over


def _safe_cleanup(session: Any) -> list[str]:
    try:
        return list(session.cleanup())
    except (BudgetExhausted, httpx.TransportError, SetupError) as error:
        return [f"cleanup stopped: {error}"]
