"""The ledger keeps the suite to what it created, and deletes all of it."""

from __future__ import annotations

import pytest

from conformance.failures import SetupError
from conformance.ledger import Ledger


def test_only_what_the_run_created_or_invented_as_missing_may_be_touched() -> None:
    ledger: Ledger[str] = Ledger("acme widget", "missing-")
    ledger.created("w1", "key-a")
    ledger.guard("w1")
    ledger.guard("missing-123")
    with pytest.raises(SetupError, match="refusing to touch widget 'w2'"):
        ledger.guard("w2")
    ledger.gone("w1")
    ledger.guard("w1")  # deleted by us: a later check may still read or delete it
    assert not ledger.owns("w1") and "w1" in ledger.deleted


def test_a_check_ends_by_discarding_what_it_created_and_cleanup_names_survivors() -> None:
    ledger: Ledger[str] = Ledger("acme widget", "missing-")
    ledger.created("early", "key-a")
    ledger.end_check(lambda resource_id: None)  # the first check's discard failed: still owned
    ledger.created("late", "key-b")
    discarded: list[str] = []
    ledger.end_check(discarded.append)
    assert discarded == ["late"]
    assert ledger.is_owner("late", "key-b") and not ledger.is_owner("late", "key-a")

    def delete(resource_id: str) -> None:
        if resource_id == "late":
            ledger.gone(resource_id)

    assert ledger.cleanup(delete) == ["acme widget early"]
