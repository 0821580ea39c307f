"""The fast path (jsonschema-rs) and the detailed path (jsonschema) agree on every verdict.

A body the fast path calls valid skips the detailed check, so a disagreement would let an
invalid body through: this property compares both on bodies from every vendor's schemas,
mutated bodies and arbitrary JSON.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from mockserver.core.spec import SchemaChecker
from mockserver.vendors import REGISTRY

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=12,
)


def checkers() -> list[tuple[str, SchemaChecker, Any]]:
    found = []
    for name, vendor in REGISTRY.items():
        spec = vendor.spec
        for route in spec.routes:
            for operation in route.operations.values():
                schema = spec.inline(spec.resolve(operation.body_schema)) if operation.body_schema else None
                if operation.body is not None and schema is not None:
                    found.append((f"{name} {operation.operation_id}", operation.body, schema))
    return found


CHECKERS = checkers()


def verdicts(checker: SchemaChecker, instance: Any) -> tuple[bool, bool]:
    fast = checker._fast.is_valid(instance)
    detailed = next(iter(checker._validator.iter_errors(instance)), None) is None
    return fast, detailed


def test_every_body_schema_has_a_fast_path() -> None:
    assert CHECKERS and all(checker._fast is not None for _, checker, _ in CHECKERS)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fast_and_detailed_paths_agree(data: st.DataObject) -> None:
    label, checker, schema = data.draw(st.sampled_from(CHECKERS), label="operation")
    valid = data.draw(from_schema(schema), label="valid body")
    key = data.draw(st.sampled_from(sorted(valid)) if isinstance(valid, dict) and valid else st.none())
    mutated = {**valid, key: data.draw(JSON)} if key is not None else data.draw(JSON)
    for instance in (valid, mutated, data.draw(JSON, label="any JSON")):
        fast, detailed = verdicts(checker, instance)
        assert fast == detailed, f"{label}: jsonschema-rs says {fast}, jsonschema says {detailed} for {instance!r}"
