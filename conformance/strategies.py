"""Strategies every vendor's checks share: request schemas from the OpenAPI documents turned into
Hypothesis strategies (hypothesis-jsonschema's `from_schema`), and values of the wrong JSON type.

Vendor modules refine these with domain strategies (valid slots, spans, schedules) and build
invalid bodies by changing exactly one thing, so each failure names one rule.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from mockserver.core.spec import load_spec


def inline(node: Any, document: Mapping[str, Any]) -> Any:
    """`node` with every local `$ref` replaced by its target and the `x-` annotations dropped."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = document
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return inline(target, document)
        return {key: inline(value, document) for key, value in node.items() if not key.startswith("x-")}
    if isinstance(node, list):
        return [inline(value, document) for value in node]
    return node


def close_objects(schema: Any) -> Any:
    """Every object schema with `additionalProperties: false` (generates far faster; extras are added on purpose)."""
    if isinstance(schema, dict):
        closed = {key: close_objects(value) for key, value in schema.items()}
        if closed.get("type") == "object" and "additionalProperties" not in closed:
            closed["additionalProperties"] = False
        return closed
    if isinstance(schema, list):
        return [close_objects(value) for value in schema]
    return schema


def component_schema(vendor: str, name: str, *, closed: bool = True) -> dict[str, Any]:
    """A named component schema of the vendor's OpenAPI document, self-contained."""
    document = load_spec(vendor).document
    schema = inline(document["components"]["schemas"][name], document)
    return close_objects(schema) if closed else copy.deepcopy(schema)


def object_strategy(schema: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    """`from_schema`, but a closed object is built member by member (`fixed_dictionaries`).

    hypothesis-jsonschema re-resolves a whole object schema on every draw; drawing each member from
    its own prepared strategy gives the same values an order of magnitude faster.
    """
    properties = schema.get("properties")
    if schema.get("type") != "object" or schema.get("additionalProperties") is not False or not properties:
        return from_schema(dict(schema))
    required = set(schema.get("required", []))
    members = {name: from_schema(dict(value)) for name, value in properties.items()}
    return st.fixed_dictionaries(
        {name: strategy for name, strategy in members.items() if name in required},
        optional={name: strategy for name, strategy in members.items() if name not in required},
    )


@functools.cache
def _cached_strategy(vendor: str, name: str) -> st.SearchStrategy[Any]:
    return object_strategy(component_schema(vendor, name))


def schema_values(vendor: str, name: str) -> st.SearchStrategy[Any]:
    """Values valid against a component schema (the strategy is built once per process)."""
    return _cached_strategy(vendor, name)


NOT_A_STRING = st.one_of(
    st.none(),
    st.integers(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
NOT_AN_OBJECT = st.one_of(
    st.none(), st.integers(), st.booleans(), st.text(max_size=5), st.lists(st.integers(), max_size=2)
)
NOT_AN_ARRAY = st.one_of(
    st.none(),
    st.integers(),
    st.booleans(),
    st.text(max_size=5),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def not_an_integer() -> st.SearchStrategy[Any]:
    """JSON values that are not integers (`true` and `"1"` included; `1.0` excluded, it is an integer)."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.text(max_size=4),
        st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not float(x).is_integer()),
        st.lists(st.integers(), max_size=2),
    )
