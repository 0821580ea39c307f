"""`RequestHeaders` answers every lookup exactly as Starlette's `Headers` does (it only indexes
the names), so vendors reading credentials and content types see no difference."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import Headers

from mockserver.core.dispatch import RequestHeaders

raw_names = st.sampled_from([b"host", b"content-type", b"authorization", b"x-api-key", b"content-length"])
raw_headers = st.lists(st.tuples(raw_names, st.binary(max_size=6)), max_size=8)
asked = st.sampled_from(["host", "Content-Type", "AUTHORIZATION", "x-api-key", "X-Workspace-Id", "missing"])


@given(raw=raw_headers, key=asked)
def test_lookups_answer_as_starlette_headers(raw: list[tuple[bytes, bytes]], key: str) -> None:
    reference, indexed = Headers(raw=list(raw)), RequestHeaders({"headers": list(raw)})
    assert indexed.get(key) == reference.get(key)
    assert indexed.get(key, "fallback") == reference.get(key, "fallback")
    assert (key in indexed) == (key in reference)
    assert indexed.getlist(key) == reference.getlist(key)
    assert list(indexed.items()) == list(reference.items())


@given(raw=raw_headers, key=asked)
def test_a_missing_name_raises_key_error_as_starlette_headers(raw: list[tuple[bytes, bytes]], key: str) -> None:
    reference, indexed = Headers(raw=list(raw)), RequestHeaders({"headers": list(raw)})
    if key in reference:
        assert indexed[key] == reference[key]
    else:
        with pytest.raises(KeyError):
            indexed[key]


def test_a_header_iterable_in_the_scope_is_read_once_as_a_list() -> None:
    scope = {"headers": iter([(b"host", b"a"), (b"host", b"b")])}
    assert RequestHeaders(scope)["host"] == "a" and scope["headers"] == [(b"host", b"a"), (b"host", b"b")]
