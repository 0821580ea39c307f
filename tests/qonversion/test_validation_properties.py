"""Hypothesis properties of Qonversion v4 request validation (CONTRACTS.md 1.2 to 1.4, 1.10).

Every example runs against a fresh in-process mock (`create_app()` costs well under a
millisecond), so no function-scoped fixture is shared between examples.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from mockserver import create_app
from mockserver.core.spec import load_spec
from mockserver.inprocess import client_for
from tests.conftest import REPORTS, auth, report_body

NOW = "2026-11-23T09:00:00Z"
FIELDS = ("report_name", "send_at", "included_range_days", "status", "environment", "destinations")
REPORT_KEYS = ["object", "id", "url", *FIELDS[:5], "runs", "destinations", "created_at", "updated_at"]
# The catalogue of CONTRACTS.md 1.3 (the `qonversion.destinations` default), written out as the oracle.
CATALOGUE = {
    "int-wh-01": "Webhooks: Release alerts",
    "int-slack-01": "Slack: #revenue",
    "int-email-01": "Email: finance team",
}
SLOTS = frozenset(f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30))
ID_CHARS = re.compile(r"[a-zA-Z0-9._-]+")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------- schema -> strategy


def _inlined(node: Any, document: dict[str, Any]) -> Any:
    """The schema with every local `$ref` replaced by its target and the `x-` annotations dropped."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = document
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return _inlined(target, document)
        return {key: _inlined(value, document) for key, value in node.items() if not key.startswith("x-")}
    if isinstance(node, list):
        return [_inlined(value, document) for value in node]
    return node


_DOCUMENT = load_spec("qonversion").document
CREATE_SCHEMA = _inlined(_DOCUMENT["components"]["schemas"]["ScheduledReportCreate"], _DOCUMENT)
# Closed objects generate several times faster; unknown fields are added below, on our terms.
CLOSED_CREATE_SCHEMA = copy.deepcopy(CREATE_SCHEMA)
CLOSED_CREATE_SCHEMA["additionalProperties"] = False
CLOSED_CREATE_SCHEMA["properties"]["destinations"]["items"]["additionalProperties"] = False

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=4,
)
READ_ONLY = ["object", "id", "url", "runs", "created_at", "updated_at", "label", "type"]


def unknown_fields(known: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    names = st.one_of(st.sampled_from(READ_ONLY), st.text(max_size=8)).filter(lambda name: name not in known)
    return st.dictionaries(names, JSON_VALUES, max_size=3)


@st.composite
def valid_bodies(draw: st.DrawFn) -> dict[str, Any]:
    """A schema-valid create body, with unknown extra fields, and a duplicate-free catalogue subset."""
    body = draw(from_schema(CLOSED_CREATE_SCHEMA))
    ids = draw(st.lists(st.sampled_from(sorted(CATALOGUE)), min_size=1, max_size=3, unique=True))
    generated = body["destinations"]
    body["destinations"] = [
        {
            **draw(unknown_fields(("type", "id", "label"))),
            **(generated[i] if i < len(generated) else {"type": "target_integration"}),
            "id": dest_id,
        }
        for i, dest_id in enumerate(ids)
    ]
    return {**draw(unknown_fields(FIELDS)), **body}


def expected_report(body: dict[str, Any], report_id: str, stamp: str = NOW) -> dict[str, Any]:
    destinations = [
        {"type": item["type"], "id": item["id"], "label": item.get("label", CATALOGUE[item["id"]])}
        for item in body["destinations"]
    ]
    return {
        "object": "scheduled_report",
        "id": report_id,
        "url": f"{REPORTS}/{report_id}",
        "report_name": body["report_name"],
        "send_at": body["send_at"],
        "included_range_days": body["included_range_days"],
        "status": body["status"],
        "environment": body["environment"],
        "runs": 0,
        "destinations": destinations,
        "created_at": stamp,
        "updated_at": stamp,
    }


# ---------------------------------------------------------------- invalid values

NOT_A_STRING = st.one_of(
    st.integers(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
NOT_AN_OBJECT = st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2))
SEND_AT_NEAR_MISSES = [
    "9:00",
    "09:00 ",
    " 09:00",
    "24:00",
    "23:45",
    "12:15",
    "09:00\n",
    "0900",
    "09:0",
    "9:30",
    "00:60",
]
OFF_SLOT = st.one_of(st.sampled_from(SEND_AT_NEAR_MISSES), st.text(max_size=8)).filter(lambda s: s not in SLOTS)
TOO_LONG_NAME = st.one_of(
    st.sampled_from(["x" * 256, "é" * 256, "😀" * 256, "a" * 255 + "ß"]),
    st.text(min_size=256, max_size=300),
)
BAD_FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "report_name": st.one_of(NOT_A_STRING, st.just(""), TOO_LONG_NAME),
    "send_at": st.one_of(NOT_A_STRING, OFF_SLOT),
    "included_range_days": st.one_of(
        st.text(max_size=3),
        st.sampled_from(["1", "3", "7", True, False, 1.5, 2.0, 0, -1, 5, 30]),
        st.integers().filter(lambda n: n not in (1, 3, 7)),
        st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: x not in (1, 3, 7)),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
    ),
    "status": st.one_of(NOT_A_STRING, st.sampled_from(["Active", "DRAFT", "paused", ""]), st.text(max_size=8)).filter(
        lambda v: v not in ("draft", "active")
    ),
    "environment": st.one_of(
        NOT_A_STRING, st.sampled_from(["Production", "prod", "test", ""]), st.text(max_size=8)
    ).filter(lambda v: v not in ("sandbox", "production")),
    "destinations": st.one_of(
        st.just([]), st.text(max_size=5), st.integers(), st.booleans(), st.dictionaries(st.text(max_size=3), st.text())
    ),
}


@st.composite
def one_invalid_field(draw: st.DrawFn, body: dict[str, Any], *, partial: bool) -> tuple[dict[str, Any], str]:
    """`body` with exactly one field made invalid, and the field path the error must name."""
    body = copy.deepcopy(body)
    destinations = body["destinations"]
    kinds = ["null", "bad_value", "item_not_object", "type_missing", "type_value", "type_json", "id_missing"]
    kinds += ["id_json", "label_json", "duplicate"] + ([] if partial else ["missing"])
    kind = draw(st.sampled_from(kinds))
    index = draw(st.integers(0, len(destinations) - 1))
    item = destinations[index]
    if kind in ("missing", "null", "bad_value"):
        name = draw(st.sampled_from(FIELDS))
        if kind == "missing":
            del body[name]
        else:
            body[name] = None if kind == "null" else draw(BAD_FIELD_VALUES[name])
        return body, name
    if kind == "item_not_object":
        destinations[index] = draw(NOT_AN_OBJECT)
        return body, f"destinations[{index}]"
    if kind == "duplicate":
        # ids are unique, so the copy of item `index` is the only repeat, wherever it goes after it
        twin = {**item, "label": draw(st.text(max_size=10))} if draw(st.booleans()) else {**item}
        position = draw(st.integers(index + 1, len(destinations)))
        destinations.insert(position, twin)
        return body, f"destinations[{position}]"
    attribute = kind.split("_")[0]  # type, id or label
    if kind.endswith("_missing"):
        del item[attribute]
    elif kind == "type_value":
        item["type"] = draw(st.text(max_size=20).filter(lambda s: s != "target_integration"))
    else:
        item[attribute] = draw(st.one_of(st.none(), NOT_A_STRING))
    return body, f"destinations[{index}].{attribute}"


# ---------------------------------------------------------------- helpers


@contextmanager
def fresh_mock() -> Iterator[httpx.Client]:
    with client_for(create_app()) as http:
        yield http


def listed(http: httpx.Client, **params: Any) -> dict[str, Any]:
    response = http.get(REPORTS, params=params, headers=auth())
    assert response.status_code == 200, response.text
    return response.json()


def assert_invalid_data(response: httpx.Response, fields: list[str]) -> None:
    """400 `invalid_data` in the v4 envelope, whose details name exactly `fields`, in that order."""
    assert response.status_code == 400, response.text
    payload = response.json()
    assert list(payload) == ["error"]
    error = payload["error"]
    assert {k: error[k] for k in ("type", "code", "message")} == {
        "type": "request",
        "code": "invalid_data",
        "message": "Validation failed",
    }
    assert set(error) == {"type", "code", "message", "details"}
    details = error["details"]
    assert details and all(set(d) == {"field", "message"} and d["message"] for d in details)
    # Each problem once is asserted in test_validation_rules; here: the fields named, in order.
    assert list(dict.fromkeys(d["field"] for d in details)) == fields


def path_segment(text: str) -> str:
    """Percent-encode every byte, so the client neither normalises nor splits the segment."""
    return "".join(f"%{byte:02X}" for byte in text.encode("utf-8"))


# ---------------------------------------------------------------- 1. round trip


@FAST
@given(body=valid_bodies())
def test_any_valid_create_body_round_trips(body: dict[str, Any]) -> None:
    with fresh_mock() as http:
        created = http.post(REPORTS, json=body, headers=auth())
        assert created.status_code == 201, created.text
        report = created.json()
        assert re.fullmatch(r"[A-Za-z0-9]{8}", report["id"])
        expected = expected_report(body, report["id"])
        assert report == expected
        assert list(report) == REPORT_KEYS
        assert type(report["included_range_days"]) is int
        assert [list(d) for d in report["destinations"]] == [["type", "id", "label"]] * len(body["destinations"])
        assert created.headers["location"] == expected["url"]

        fetched = http.get(expected["url"], headers=auth())
        assert fetched.status_code == 200 and fetched.json() == expected
        assert [r["id"] for r in listed(http)["data"]] == [report["id"]]
        assert listed(http)["data"] == [expected]


# ---------------------------------------------------------------- 2. one invalid field


@FAST
@given(data=st.data(), body=valid_bodies())
def test_create_with_one_invalid_field_names_exactly_that_field(data: st.DataObject, body: dict[str, Any]) -> None:
    broken, field = data.draw(one_invalid_field(body, partial=False), label="broken body")
    with fresh_mock() as http:
        response = http.post(REPORTS, json=broken, headers=auth())
        assert_invalid_data(response, [field])
        assert listed(http)["data"] == []


@FAST
@given(data=st.data(), original=valid_bodies(), update=valid_bodies())
def test_update_with_one_invalid_field_names_it_and_changes_nothing(
    data: st.DataObject, original: dict[str, Any], update: dict[str, Any]
) -> None:
    broken, field = data.draw(one_invalid_field(update, partial=True), label="broken update")
    head = re.split(r"[.\[]", field, maxsplit=1)[0]
    kept = data.draw(st.sets(st.sampled_from([f for f in FIELDS if f != head])), label="other fields kept")
    broken = {k: v for k, v in broken.items() if k == head or k in kept or k not in FIELDS}
    with fresh_mock() as http:
        report = http.post(REPORTS, json=original, headers=auth()).json()
        response = http.put(report["url"], json=broken, headers=auth())
        assert_invalid_data(response, [field])
        assert http.get(report["url"], headers=auth()).json() == report


@FAST
@given(data=st.data(), original=valid_bodies(), update=valid_bodies())
def test_valid_partial_update_changes_exactly_the_fields_sent(
    data: st.DataObject, original: dict[str, Any], update: dict[str, Any]
) -> None:
    sent = data.draw(st.sets(st.sampled_from(FIELDS)), label="fields sent")
    body = {k: v for k, v in update.items() if k in sent or k not in FIELDS}
    with fresh_mock() as http:
        report = http.post(REPORTS, json=original, headers=auth()).json()
        response = http.put(report["url"], json=body, headers=auth())
        assert response.status_code == 200, response.text
        expected = expected_report({**original, **{k: update[k] for k in sent}}, report["id"])
        assert response.json() == expected
        assert http.get(report["url"], headers=auth()).json() == expected


@FAST
@given(body=valid_bodies(), chosen=st.sets(st.sampled_from(FIELDS), min_size=2), data=st.data())
def test_several_invalid_fields_are_all_reported_in_field_order(
    body: dict[str, Any], chosen: set[str], data: st.DataObject
) -> None:
    for name in chosen:
        if data.draw(st.booleans(), label=f"drop {name}"):
            del body[name]
        else:
            body[name] = data.draw(st.one_of(st.none(), BAD_FIELD_VALUES[name]), label=name)
    with fresh_mock() as http:
        assert_invalid_data(http.post(REPORTS, json=body, headers=auth()), [f for f in FIELDS if f in chosen])


# ---------------------------------------------------------------- 3 to 5. single-field oracles


def _create_with(http: httpx.Client, **overrides: Any) -> httpx.Response:
    return http.post(REPORTS, json=report_body(**overrides), headers=auth())


@FAST
@given(
    send_at=st.one_of(
        st.text(max_size=8),
        st.from_regex(r"\d\d:\d\d", fullmatch=True),
        st.sampled_from(SEND_AT_NEAR_MISSES),
        st.sampled_from(sorted(SLOTS)),
    )
)
@example(send_at="09:00\n")
@example(send_at="23:30")
@example(send_at="24:00")
def test_send_at_is_accepted_iff_it_is_one_of_the_48_slots(send_at: str) -> None:
    with fresh_mock() as http:
        response = _create_with(http, send_at=send_at)
        if send_at in SLOTS:
            assert response.status_code == 201, response.text
            assert response.json()["send_at"] == send_at
        else:
            assert_invalid_data(response, ["send_at"])
            assert listed(http)["data"] == []


@FAST
@given(
    days=st.one_of(
        st.integers(-10, 10),
        st.integers(),
        st.sampled_from([1.0, 3.0, 7.0, 2.0, 1.5, 7.000001, True, False, "1", "3", "7", "7.0"]),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=3),
    )
)
@example(days=7.0)
@example(days=True)
@example(days="3")
def test_included_range_days_is_accepted_iff_a_json_integer_of_1_3_or_7(days: Any) -> None:
    is_number = isinstance(days, int | float) and not isinstance(days, bool)
    with fresh_mock() as http:
        response = _create_with(http, included_range_days=days)
        if is_number and days in (1, 3, 7):
            assert response.status_code == 201, response.text
            stored = http.get(response.json()["url"], headers=auth()).json()["included_range_days"]
            assert type(stored) is int and stored == days
            assert type(response.json()["included_range_days"]) is int
        else:
            assert_invalid_data(response, ["included_range_days"])


@FAST
@given(
    name=st.one_of(
        st.text(max_size=300),
        st.text(min_size=250, max_size=260),
        st.sampled_from(["", "é" * 255, "é" * 256, "😀" * 255, "😀" * 256, "x" * 255, "x" * 256]),
    )
)
@example(name="é" * 255)
@example(name="😀" * 256)
@example(name="")
def test_report_name_is_accepted_iff_1_to_255_code_points(name: str) -> None:
    with fresh_mock() as http:
        response = _create_with(http, report_name=name)
        if 1 <= len(name) <= 255:
            assert response.status_code == 201, response.text
            assert http.get(response.json()["url"], headers=auth()).json()["report_name"] == name
        else:
            assert_invalid_data(response, ["report_name"])


# ---------------------------------------------------------------- 6. paging


@FAST
@given(
    count=st.integers(0, 30),
    limit=st.one_of(st.none(), st.integers(1, 100), st.integers(1, 12)),
    offset=st.one_of(st.none(), st.integers(0, 40), st.integers(2**62, 10**30)),  # no upper bound: past sys.maxsize too
)
def test_list_pages_are_creation_ordered_slices(count: int, limit: int | None, offset: int | None) -> None:
    params: dict[str, Any] = {"starting_after": "ignored"}
    if limit is not None:
        params["limit"] = limit
    if offset is not None:
        params["offset"] = offset
    with fresh_mock() as http:
        created = [_create_with(http, report_name=f"r{i}").json() for i in range(count)]
        page = listed(http, **params)
    start, size = offset or 0, 20 if limit is None else limit
    assert page["object"] == "list" and page["url"] == REPORTS
    assert page["data"] == created[start : start + size]
    assert page["has_more"] is (start + len(page["data"]) < count)


@FAST
@given(
    limit=st.one_of(st.none(), st.integers(-5, 130).map(str), st.sampled_from(["0", "101", "-1", "abc", "1.5", ""])),
    offset=st.one_of(st.none(), st.integers(-5, 50).map(str), st.sampled_from(["-1", "abc", "1.5", ""])),
)
def test_list_rejects_out_of_range_paging_naming_the_parameter(limit: str | None, offset: str | None) -> None:
    params = {name: value for name, value in (("limit", limit), ("offset", offset)) if value is not None}
    limit_ok = limit is None or (re.fullmatch(r"-?[0-9]+", limit) is not None and 1 <= int(limit) <= 100)
    offset_ok = offset is None or (re.fullmatch(r"-?[0-9]+", offset) is not None and int(offset) >= 0)
    with fresh_mock() as http:
        _create_with(http)
        response = http.get(REPORTS, params=params, headers=auth())
    if limit_ok and offset_ok:
        assert response.status_code == 200, response.text
    else:
        assert_invalid_data(response, [name for name, ok in (("limit", limit_ok), ("offset", offset_ok)) if not ok])


# ---------------------------------------------------------------- 7. report_id format

WELL_FORMED_IDS = st.one_of(
    st.from_regex(r"[a-zA-Z0-9._-]{1,20}", fullmatch=True),
    st.from_regex(r"[a-zA-Z0-9._-]{240,256}", fullmatch=True),
    st.sampled_from([".", "..", "-", "x" * 256, "a.b_c-d"]),
)
MALFORMED_IDS = st.one_of(
    st.sampled_from(["a b", "a!", "~x", "é", "x" * 257, "abc\n", "a+b", "a%b", "a?b", "a#b", "日本"]),
    st.from_regex(r"[a-zA-Z0-9._-]{257,270}", fullmatch=True),
    st.text(min_size=1, max_size=20).filter(lambda s: "/" not in s and not ID_CHARS.fullmatch(s)),
)
ID_CALLS = [("GET", None), ("PUT", {}), ("DELETE", None), ("POST", "send-test")]


@FAST
@given(report_id=st.one_of(WELL_FORMED_IDS, MALFORMED_IDS), call=st.sampled_from(ID_CALLS))
@example(report_id="x" * 256, call=("GET", None))
@example(report_id="x" * 257, call=("GET", None))
@example(report_id="..", call=("DELETE", None))
@example(report_id="abc\n", call=("GET", None))
@example(report_id="a\nb", call=("PUT", {}))
def test_report_id_format_decides_between_400_and_404(report_id: str, call: tuple[str, Any]) -> None:
    method, extra = call
    url = f"{REPORTS}/{path_segment(report_id)}" + ("/send-test" if extra == "send-test" else "")
    with fresh_mock() as http:
        _create_with(http)
        kwargs: dict[str, Any] = {"json": extra} if isinstance(extra, dict) else {}
        response = http.request(method, url, headers=auth(), **kwargs)
    if ID_CHARS.fullmatch(report_id) and len(report_id) <= 256:
        assert response.status_code == 404, response.text
        assert response.json() == {
            "error": {"type": "resource", "code": "not_found", "message": "Requested resource not found"}
        }
    else:
        assert_invalid_data(response, ["report_id"])
