"""Hypothesis, as checks use it: seeded by `--seed`, sized by `--max-examples`, quiet, no example
database, and never longer than the budget allows.

A check states a property (`run_property`) or a rule-based state machine (`run_machine`).
Explicit cases (the documented edge values) always run first, whatever `--max-examples` is.
Against a non-mock target nothing is shrunk, so a failure costs no extra requests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, example, given, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, get_state_machine_test

from conformance.context import CheckContext
from conformance.failures import ConformanceFailure


def check_settings(context: CheckContext, *, max_examples: int | None = None) -> settings:
    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if context.target.is_mock else [])
    return settings(
        max_examples=max(1, max_examples if max_examples is not None else context.settings.max_examples),
        stateful_step_count=context.settings.stateful_steps,
        deadline=None,
        database=None,
        derandomize=False,
        phases=phases,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
    )


def run_property(
    context: CheckContext,
    strategy: st.SearchStrategy[Any],
    test: Callable[[Any], None],
    *,
    explicit: Iterable[Any] = (),
    max_examples: int | None = None,
) -> None:
    """Run `test` on the explicit values, then on up to `max_examples` values drawn from `strategy`."""

    def prop(value: Any) -> None:
        test(value)

    wrapped = given(strategy)(prop)
    for value in reversed(list(explicit)):
        wrapped = example(value)(wrapped)
    wrapped = seed(context.seed)(check_settings(context, max_examples=max_examples)(wrapped))
    _run(context, wrapped)


def run_machine(
    context: CheckContext, factory: Callable[[], RuleBasedStateMachine], *, max_examples: int | None = None
) -> None:
    """Run a rule-based state machine for up to `max_examples` programs of `--stateful-steps` steps."""
    test = get_state_machine_test(factory, settings=check_settings(context, max_examples=max_examples))  # type: ignore[no-untyped-call]
    _run(context, seed(context.seed)(test))


def _run(context: CheckContext, test: Callable[[], None]) -> None:
    """Hypothesis raises the (shrunk) failure. When it raises something else (the budget ran out while
    shrinking, a replay did not reproduce, a set-up step broke later), a rule failure seen first wins."""
    try:
        test()
    except ConformanceFailure:
        raise
    except Exception:
        if context.first_failure is not None:
            raise context.first_failure from None
        raise
