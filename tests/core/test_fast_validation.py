"""The fast path (jsonschema-rs) and the reference (jsonschema) agree on every verdict and on
every problem they report: the same fields, in the same order, with the same rule ids and
messages. A disagreement would let an invalid body through or name another rule than the
documented one: these properties compare both on bodies from every vendor's schemas, bodies
with one field changed, bodies with several fields changed, and arbitrary JSON.
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


def broken_bodies(data: st.DataObject, schema: Any) -> list[Any]:
    valid = data.draw(from_schema(schema), label="valid body")
    if not isinstance(valid, dict) or not valid:
        return [valid, data.draw(JSON, label="any JSON")]
    keys = data.draw(st.lists(st.sampled_from(sorted(valid)), min_size=1, max_size=3, unique=True), label="keys")
    several = {**valid, **{key: data.draw(JSON) for key in keys}}
    dropped = {key: value for key, value in valid.items() if key not in keys}
    nested = {**valid, keys[0]: data.draw(from_schema(schema)) if data.draw(st.booleans()) else [data.draw(JSON)]}
    return [valid, several, dropped, nested, {**valid, "unexpected field": 1}, data.draw(JSON, label="any JSON")]


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_fast_problems_are_the_reference_problems_in_the_same_order(data: st.DataObject) -> None:
    label, checker, schema = data.draw(st.sampled_from(CHECKERS), label="operation")
    for instance in broken_bodies(data, schema):
        fast, reference = checker.problems(instance), checker.reference_problems(instance)
        assert fast == reference, f"{label}: {instance!r}"


def test_fast_problems_match_on_a_documented_case() -> None:
    """Several broken fields of a Qonversion create: each named once, in the schema's order."""
    checker = REGISTRY["qonversion"].spec.operation("createScheduledReport").body
    assert checker is not None
    body = {"report_name": 5, "send_at": "12:15", "destinations": [{"type": "x"}, {}], "status": "on"}
    problems = checker.problems(body)
    assert problems == checker.reference_problems(body)
    assert [problem.field for problem in problems][:2] == ["report_name", "send_at"]


def parameter_checkers() -> list[tuple[str, SchemaChecker]]:
    return [
        (f"{name} {operation.operation_id} {parameter.name}", parameter.checker)
        for name, vendor in REGISTRY.items()
        for route in vendor.spec.routes
        for operation in route.operations.values()
        for parameter in operation.parameters
    ]


PARAMETER_CHECKERS = parameter_checkers()
SCALARS = st.text(max_size=12) | st.integers() | st.booleans() | st.sampled_from(["abcd1234", "1", "20", "calls"])


@settings(max_examples=150, deadline=None)
@given(data=st.data(), values=st.lists(SCALARS, min_size=1, max_size=8))
def test_remembered_valid_scalars_answer_as_the_reference_every_time(data: st.DataObject, values: list[Any]) -> None:
    """A checker remembers the strings and integers it found valid (path ids polled again and
    again); asking twice, or asking about `True` after `1`, still gives the reference's answer."""
    label, checker = data.draw(st.sampled_from(PARAMETER_CHECKERS), label="parameter")
    for value in [*values, *values]:
        assert checker.problems(value) == checker.reference_problems(value), f"{label}: {value!r}"
