"""Every JSON answer goes through `dump_json`: whatever a user stored comes back intact,
including integers beyond 64 bits (which orjson refuses, so the standard encoder takes over)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mockserver import create_app
from mockserver.core.responses import JSONResponse, dump_json
from mockserver.inprocess import client_for


def json_values(floats: bool) -> st.SearchStrategy[Any]:
    scalars = st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80) | st.text()
    if floats:
        scalars |= st.floats(allow_nan=False, allow_infinity=False)
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
        max_leaves=15,
    )


@given(json_values(floats=True))
def test_any_json_value_round_trips(value: Any) -> None:
    assert json.loads(dump_json(value)) == value


@given(json_values(floats=False))
def test_without_floats_the_bytes_are_the_standard_encoders(value: Any) -> None:
    """Floats may be spelled differently (`1e16` for `1e+16`); everything else is the same bytes."""
    assert dump_json(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def test_big_integers_and_non_ascii_text_are_written_as_the_standard_encoder_would() -> None:
    value = {"n": 2**70, "name": "Zoë ✓"}
    assert dump_json(value) == '{"n":1180591620717411303424,"name":"Zoë ✓"}'.encode()
    assert JSONResponse(value).body == dump_json(value)


def test_a_huge_integer_in_postageapp_metadata_is_echoed_back() -> None:
    event = {"api_key": "k", "uid": "big", "schedule": "every day", "metadata": {"count": 2**70}}
    with client_for(create_app()) as client:
        created = client.post("/v.1.0/create_scheduled_event.json", json=event)
        found = client.post("/v.1.0/get_scheduled_event.json", json={"api_key": "k", "uid": "big"})
    assert created.status_code == 200, created.text
    assert found.json()["data"]["metadata"] == {"count": 2**70}


@given(
    value=json_values(floats=False),
    status=st.sampled_from([100, 200, 201, 202, 204, 304, 400, 401, 404, 413, 429, 500, 503]),
    headers=st.none() | st.dictionaries(st.sampled_from(["Location", "Retry-After", "content-type"]), st.just("v")),
)
def test_status_headers_and_body_are_starlettes(value: Any, status: int, headers: dict[str, str] | None) -> None:
    from starlette.responses import JSONResponse as StarletteJSONResponse

    ours = JSONResponse(value, status_code=status, headers=headers)
    theirs = StarletteJSONResponse(value, status_code=status, headers=headers)
    assert (ours.status_code, ours.raw_headers) == (theirs.status_code, theirs.raw_headers)
    assert json.loads(ours.body) == json.loads(theirs.body)
    assert ours.background is None
