"""Checks as named plug-ins: one function per rule id, registered with what it needs.

A vendor module owns one `Registry` and decorates its check functions with
`@CHECKS.check("QON-SEND-AT-SLOT", ...)`. The same rule ids select checks in the CLI
(`--only`), in pytest parameters and in reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conformance.context import CheckContext

CheckFunction = Callable[["CheckContext"], None]


@dataclass(frozen=True)
class Check:
    """One rule's check and what it needs.

    Attributes:
        writes: it sends more than GETs (skipped by `--read-only` unless `read_only_part`).
        read_only_part: under `--read-only` it still runs its GET-only part.
        needs_control: it needs the `/_mock` control plane (clock, outbox, knobs).
        soft: the whole rule may differ on a real endpoint (CONTRACTS 0.7): a warning there.
        plan: the requests it sends, one line each, for `--plan` (`{n}` is `--max-examples`).
    """

    rule: str
    vendor: str
    title: str
    function: CheckFunction
    writes: bool = False
    read_only_part: bool = False
    needs_control: bool = False
    soft: bool = False
    plan: tuple[str, ...] = ()

    def __call__(self, context: CheckContext) -> None:
        self.function(context)


class Registry:
    """The checks of one vendor, in the order of its rule table."""

    def __init__(self, vendor: str, rules: Sequence[str]) -> None:
        self.vendor = vendor
        self.rules = tuple(rules)
        self._checks: dict[str, Check] = {}

    def check(
        self,
        rule: str,
        title: str,
        *,
        writes: bool = False,
        read_only_part: bool = False,
        needs_control: bool = False,
        soft: bool = False,
        plan: Iterable[str] = (),
    ) -> Callable[[CheckFunction], CheckFunction]:
        if rule not in self.rules:
            raise ValueError(f"{rule} is not a {self.vendor} rule id")
        if rule in self._checks:
            raise ValueError(f"{rule} already has a check")

        def register(function: CheckFunction) -> CheckFunction:
            self._checks[rule] = Check(
                rule, self.vendor, title, function, writes, read_only_part, needs_control, soft, tuple(plan)
            )
            return function

        return register

    def __iter__(self) -> Iterator[Check]:
        return iter(sorted(self._checks.values(), key=lambda check: self.rules.index(check.rule)))

    def __len__(self) -> int:
        return len(self._checks)

    def __contains__(self, rule: object) -> bool:
        return rule in self._checks

    def __getitem__(self, rule: str) -> Check:
        return self._checks[rule]

    def missing(self) -> list[str]:
        """Rule ids of the vendor's table that have no check yet."""
        return [rule for rule in self.rules if rule not in self._checks]

    def select(self, only: Iterable[str] | None = None) -> list[Check]:
        wanted = None if only is None else set(only)
        return [check for check in self if wanted is None or check.rule in wanted]
