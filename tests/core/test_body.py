"""Request bodies: JSON content types, strict JSON parsing and the size cap."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.requests import Request
from starlette.types import Message

from mockserver.core.body import _parse_json_strictly, is_json_content_type, parse_json, parse_json_object, read_body
from mockserver.core.errors import BodyTooLarge, MalformedBody


@pytest.mark.parametrize(
    "header",
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "  application/json  ",
        "APPLICATION/JSON",
        "Application/Json; charset=utf-8",
        "application/problem+json",
        "application/vnd.api+json",
        "application/merge-patch+json; charset=utf-8",
    ],
)
def test_json_content_types_are_accepted(header: str):
    assert is_json_content_type(header)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "text/plain",
        "text/json",
        "application/jsonx",
        "application/json-seq",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/+json",
        "application/xml",
        "json",
    ],
)
def test_other_content_types_are_rejected(header: str | None):
    assert not is_json_content_type(header)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (b'{"a": 1}', {"a": 1}),
        (b"[1, 2.5, null, true]", [1, 2.5, None, True]),
        (b'  "x"  ', "x"),
        ('{"name": "Café ☕"}'.encode(), {"name": "Café ☕"}),
    ],
)
def test_parse_json_accepts_valid_utf8_json(raw: bytes, value: object):
    assert parse_json(raw) == value


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"NaN", "json"),
        (b'{"a": NaN}', "json"),
        (b"Infinity", "json"),
        (b'{"a": -Infinity}', "json"),
        (b"[Infinity]", "json"),
        (b"\xff\xfe{}", "utf8"),
        (b'{"a": "\xc3"}', "utf8"),
        (b"", "empty"),
        (b"   \n\t", "empty"),
        (b"{", "json"),
        (b"{'a': 1}", "json"),
        (b'{"a": 1,}', "json"),
        (b"[" * 100_000 + b"]" * 100_000, "json"),  # deep enough to hit RecursionError
    ],
)
def test_parse_json_rejects_with_malformed_body(raw: bytes, reason: str):
    with pytest.raises(MalformedBody) as caught:
        parse_json(raw)
    assert caught.value.reason == reason


def test_parse_json_object_checks_content_type_then_shape():
    with pytest.raises(MalformedBody) as caught:
        parse_json_object(b'{"a": 1}', {"content-type": "text/plain"})
    assert caught.value.reason == "content_type"
    with pytest.raises(MalformedBody) as caught:
        parse_json_object(b"[1]", {"content-type": "application/json"})
    assert caught.value.reason == "not_object"
    assert parse_json_object(b'{"a": 1}', {"content-type": "application/json"}) == {"a": 1}
    assert parse_json_object(b'{"a": 1}', {}, require_content_type=False) == {"a": 1}


def _request(
    chunks: Iterable[bytes], headers: dict[str, str] | None = None, http_version: str = "2"
) -> tuple[Request, list[int]]:
    """A request whose body arrives in `chunks`; the list counts how many receive() calls were made."""
    pending = list(chunks)
    calls = [0]

    async def receive() -> Message:
        calls[0] += 1
        if not pending:
            return {"type": "http.request", "body": b"", "more_body": False}
        chunk = pending.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "http_version": http_version,
        "query_string": b"",
        "headers": [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()],
    }
    return Request(scope, receive), calls


def test_read_body_joins_chunks_within_the_limit():
    request, _ = _request([b"ab", b"cd", b"ef"])
    assert asyncio.run(read_body(request, 6)) == b"abcdef"


def test_an_http1_request_without_length_or_chunking_has_no_body_to_wait_for():
    request, calls = _request([b"never sent"], http_version="1.1")
    assert asyncio.run(read_body(request, 100)) == b"" and calls[0] == 0


def test_a_chunked_http1_body_is_read():
    request, _ = _request([b"ab", b"cd"], {"transfer-encoding": "chunked"}, http_version="1.1")
    assert asyncio.run(read_body(request, 4)) == b"abcd"


def test_read_body_of_an_empty_request():
    request, _ = _request([])
    assert asyncio.run(read_body(request, 0)) == b""


def test_declared_length_over_the_limit_is_refused_before_reading():
    request, calls = _request([b"x" * 10], {"content-length": "101"})
    with pytest.raises(BodyTooLarge):
        asyncio.run(read_body(request, 100))
    assert calls[0] == 0


def test_declared_length_at_the_limit_is_read():
    request, _ = _request([b"x" * 100], {"content-length": "100"})
    assert asyncio.run(read_body(request, 100)) == b"x" * 100


def test_streamed_body_over_the_limit_is_refused_without_a_declared_length():
    request, calls = _request([b"x" * 60, b"x" * 60, b"x" * 60, b"x" * 60])
    with pytest.raises(BodyTooLarge):
        asyncio.run(read_body(request, 100))
    assert calls[0] == 2  # stopped as soon as the cap was crossed


def test_streamed_body_that_lies_about_its_length_is_still_capped():
    request, _ = _request([b"x" * 80, b"x" * 80], {"content-length": "10"})
    with pytest.raises(BodyTooLarge):
        asyncio.run(read_body(request, 100))


def test_non_numeric_content_length_falls_back_to_counting():
    request, _ = _request([b"x" * 50], {"content-length": "lots"})
    assert asyncio.run(read_body(request, 100)) == b"x" * 50


@pytest.mark.parametrize("raw", [b'{"x": 1e400}', b"[-1e999]", b'{"a": {"b": [2.5e308]}}'])
def test_numbers_that_overflow_a_float_are_malformed(raw: bytes) -> None:
    """`1e400` would parse to infinity, which no JSON response could echo back."""
    with pytest.raises(MalformedBody):
        parse_json(raw)


def test_an_echoed_overflowing_number_is_a_4xx_not_a_5xx() -> None:
    from mockserver import create_app
    from mockserver.inprocess import client_for

    body = b'{"api_key": "k", "schedule": "every day", "metadata": {"n": 1e400}}'
    with client_for(create_app()) as client:
        response = client.post("/v.1.0/create_scheduled_event.json", content=body)
    assert 400 <= response.status_code < 500


# The fast path (orjson) must read every body exactly as the standard parser does.

_NUMBER_TOKENS = st.sampled_from(
    ["0", "-0", "1", "-1", "9223372036854775807", "-9223372036854775808", "18446744073709551615",
     "123456789012345678901234567890", "-9223372036854775809", "1.0", "1e2", "1E400", "-1e999",
     "1e-400", "2.5e308", "0.1", "1.7976931348623157e308", "5e-324", "NaN", "Infinity", "-Infinity",
     "01", "1.", ".5", "+1"]
)  # fmt: skip
_STRING_TOKENS = st.one_of(
    st.text(max_size=8).map(json.dumps),
    st.sampled_from(['"\\ud800"', '"\\udfff x"', '"\\ud83d\\ude00"', '"\\u0000"', '"tab\there"', '"\\/"']),
)


def _json_like(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(_NUMBER_TOKENS, _STRING_TOKENS, st.sampled_from(["true", "false", "null"]))
    if depth == 0:
        return leaf
    inner = _json_like(depth - 1)
    array = st.lists(inner, max_size=4).map(lambda items: "[" + ",".join(items) + "]")
    members = st.lists(st.tuples(st.sampled_from(['"a"', '"b"', '"\\ud800"']), inner), max_size=4)
    obj = members.map(lambda pairs: "{" + ",".join(f"{key}:{value}" for key, value in pairs) + "}")
    return st.one_of(leaf, array, obj)


def _outcome(parse: Callable[[bytes], Any], raw: bytes) -> tuple[str, str]:
    """What a parser makes of `raw`, typed strictly: repr tells 1 from 1.0 and keeps key order."""
    try:
        return "value", repr(parse(raw))
    except MalformedBody as error:
        return "malformed", error.reason


@settings(max_examples=400)
@given(
    st.one_of(
        _json_like(3).map(str.encode),
        _json_like(2).map(lambda text: (" \t\n" + text + "\r\n").encode()),
        st.binary(max_size=40),
        _json_like(2).map(lambda text: text.encode("utf-16")),
    )
)
def test_the_fast_parser_reads_every_body_as_the_standard_parser_does(raw: bytes) -> None:
    assert _outcome(parse_json, raw) == _outcome(_parse_json_strictly, raw)


@pytest.mark.parametrize("depth", [100, 511, 600, 1000, 5000])
def test_deep_nesting_is_read_the_same_either_way(depth: int) -> None:
    raw = b"[" * depth + b"]" * depth
    assert _outcome(parse_json, raw) == _outcome(_parse_json_strictly, raw)


def test_integers_beyond_64_bits_stay_exact() -> None:
    assert parse_json(b'{"n": 123456789012345678901234567890}') == {"n": 123456789012345678901234567890}


def test_a_common_body_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(raw: bytes) -> Any:
        raise AssertionError("the standard parser was asked")

    monkeypatch.setattr("mockserver.core.body._parse_json_strictly", refuse)
    assert parse_json(b'{"report_name": "Daily", "send_at": "09:00", "runs": [1, 2.5]}') == {
        "report_name": "Daily",
        "send_at": "09:00",
        "runs": [1, 2.5],
    }
