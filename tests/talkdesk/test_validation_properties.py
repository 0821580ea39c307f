"""Hypothesis properties of Talkdesk job creation and listing, one per rule (CONTRACTS.md 2.5, 2.6, 2.12).

Each example runs against a fresh in-process mock. The oracles are written from the contract,
not from the mock: a date-time is well formed when it has the documented shape and Python
parses it; a zone is valid when the tz database lists it; instants resolve as `zoneinfo` does.
"""

from __future__ import annotations

import copy
import importlib.resources
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from mockserver import create_app
from mockserver.core.spec import load_spec
from mockserver.inprocess import client_for
from tests.talkdesk.support import CALLS, assert_error, bearer, token

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
FIELDS = ("name", "timezone", "format", "timespan")
TIMESPAN_FIELDS = ("timespan.from", "timespan.to", "timespan.timezone")
JOB_KEYS = ["id", "name", "timezone", "status", "format", "timespan"]
FORMATS = ("csv", "json", "json_bulk")
IANA = frozenset(importlib.resources.files("tzdata").joinpath("zones").read_text("utf-8").split())
# zones whose rules have not changed for years: the host's zoneinfo and the tzdata package agree on them
STABLE_ZONES = ["UTC", "Europe/Lisbon", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Pacific/Chatham"]
SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})?")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SPAN = {"from": "2026-11-22T00:00:00Z", "to": "2026-11-23T00:00:00Z"}

_SCHEMAS = load_spec("talkdesk").document["components"]["schemas"]


def _plain(name: str) -> dict[str, Any]:
    return {key: value for key, value in _SCHEMAS[name].items() if not key.startswith("x-")}


# ---------------------------------------------------------------- oracles


def well_formed(text: str) -> bool:
    """The documented shape `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]`, and a real date, time and offset."""
    found = SHAPE.fullmatch(text)
    if found is None:
        return False
    offset = found.group(2)
    if offset and offset != "Z" and (int(offset[1:3]) > 23 or int(offset[4:6]) > 59):
        return False
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def instant(text: str, zone: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(zone))
    return value.astimezone(UTC)


def expected_domain_problems(start: datetime, end: datetime) -> list[tuple[str, str]]:
    """(field, code) of TD-TO-AFTER-FROM, TD-SPAN-31D and TD-TO-FUTURE, in that order."""
    problems = []
    if end < start:
        problems.append(("timespan.to", "0330004"))
    elif end - start > timedelta(days=31):
        problems.append(("timespan", "0330005"))
    if end - NOW > timedelta(seconds=300) and not problems[:1] == [("timespan.to", "0330004")]:
        problems.append(("timespan.to", "0330004"))
    return problems


# ---------------------------------------------------------------- strategies

INSTANTS = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 11, 24), timezones=st.just(UTC)).map(
    lambda value: value.replace(microsecond=value.microsecond // 1000 * 1000)
)
OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda minutes: timedelta(minutes=minutes))


@st.composite
def written(draw: st.DrawFn, moment: datetime, zone: str) -> str:
    """`moment` written one of the documented ways: with Z, with an offset, or as a wall time in `zone`."""
    style = draw(st.sampled_from(["Z", "offset", "wall"]))
    fraction = draw(st.booleans()) and moment.microsecond
    if style == "Z":
        local, suffix = moment, "Z"
    elif style == "offset":
        delta = draw(OFFSETS)
        local = moment + delta
        sign = "-" if delta < timedelta(0) else "+"
        minutes = abs(int(delta.total_seconds())) // 60
        suffix = f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    else:
        local, suffix = moment.astimezone(ZoneInfo(zone)), ""
    text = local.replace(tzinfo=None).isoformat(timespec="milliseconds" if fraction else "seconds")
    return text + suffix


@st.composite
def valid_bodies(draw: st.DrawFn) -> dict[str, Any]:
    """A body every rule accepts: any documented field layout, a span of at most 31 days ending by now."""
    zone = draw(st.sampled_from(STABLE_ZONES))
    placement = draw(st.sampled_from(["top", "inside", "both", "null", "none"]))
    resolved = "UTC" if placement in ("null", "none") else zone
    end = draw(
        st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 11, 23, 9), timezones=st.just(UTC))
    )
    end = end.replace(microsecond=0)
    start = end - timedelta(seconds=draw(st.integers(0, 31 * 86400)))
    body: dict[str, Any] = {"timespan": {"from": draw(written(start, resolved)), "to": draw(written(end, resolved))}}
    # a wall time in a repeated hour resolves to its first occurrence: keep only spans that stay valid
    start, end = (instant(body["timespan"][name], resolved) for name in ("from", "to"))
    assume(timedelta(0) <= end - start <= timedelta(days=31))
    if placement in ("top", "both"):
        body["timezone"] = zone
    if placement in ("inside", "both"):
        body["timespan"]["timezone"] = zone if placement == "inside" else draw(st.sampled_from(STABLE_ZONES))
    if placement == "null":
        body["timezone"] = None
    if draw(st.booleans()):
        body["name"] = draw(from_schema(_plain("JobName")))
    if draw(st.booleans()):
        body["format"] = draw(st.sampled_from(FORMATS))
    return body


def resolved_zone(body: dict[str, Any]) -> str:
    return body.get("timezone") or body["timespan"].get("timezone") or "UTC"


NOT_A_STRING = st.one_of(
    st.integers(),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
WRONG_TYPES: dict[str, st.SearchStrategy[Any]] = {
    "name": st.one_of(st.none(), NOT_A_STRING),
    "timezone": NOT_A_STRING,
    "format": st.one_of(st.none(), NOT_A_STRING),
    "timespan": st.one_of(st.none(), st.text(max_size=5), st.integers(), st.lists(st.text(max_size=3), max_size=2)),
    "timespan.from": st.one_of(st.none(), NOT_A_STRING),
    "timespan.to": st.one_of(st.none(), NOT_A_STRING),
    "timespan.timezone": NOT_A_STRING,
}
BAD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "name": st.one_of(st.just(""), st.text(min_size=257, max_size=300)),
    "timezone": st.text(max_size=12).filter(lambda text: text not in IANA),
    "format": st.text(max_size=10).filter(lambda text: text not in FORMATS),
    "timespan": st.just({}),
}
BAD_CODES = {"name": "0330003", "timezone": "0330006", "format": "0330003", "timespan": "0330002"}


def put(body: dict[str, Any], path: str, value: Any) -> None:
    head, _, rest = path.partition(".")
    if rest:
        body[head][rest] = value
    else:
        body[head] = value


# ---------------------------------------------------------------- helpers


@contextmanager
def fresh_mock() -> Iterator[tuple[httpx.Client, str]]:
    with client_for(create_app()) as http:
        yield http, token(http)


def post(http: httpx.Client, access: str, body: Any) -> httpx.Response:
    return http.post(CALLS, json=body, headers=bearer(access))


def total(http: httpx.Client, access: str) -> int:
    return http.get(CALLS, headers=bearer(access)).json()["total"]


# ---------------------------------------------------------------- round trip


@FAST
@given(body=valid_bodies())
def test_any_valid_body_is_accepted_and_echoed(body: dict[str, Any]) -> None:
    with fresh_mock() as (http, access):
        response = post(http, access, body)
        assert response.status_code == 202, response.text
        job = response.json()
        expected = {
            "id": job["id"],
            "name": body.get("name"),
            "timezone": resolved_zone(body),
            "status": "created",
            "format": body.get("format", "csv"),
            "timespan": {"from": body["timespan"]["from"], "to": body["timespan"]["to"]},
        }
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", job["id"])
        assert list(job) == [*JOB_KEYS, "job", "_links"] and list(job["job"]) == JOB_KEYS
        assert {key: job[key] for key in JOB_KEYS} == expected == job["job"]
        assert response.headers["location"] == job["_links"]["self"]["href"]
        status = http.get(response.headers["location"], headers=bearer(access))
        assert status.json() == {"job": expected, "_links": job["_links"]}
        [listed] = http.get(CALLS, headers=bearer(access)).json()["_embedded"]["jobs"]
        assert listed == {**expected, "_links": job["_links"]}


# ---------------------------------------------------------------- one field at a time


@FAST
@given(name=st.one_of(st.text(max_size=300), st.text(min_size=250, max_size=260), st.sampled_from(["", "😀" * 256])))
@example(name="é" * 256)
@example(name="😀" * 257)
def test_name_is_accepted_iff_1_to_256_code_points(name: str) -> None:
    with fresh_mock() as (http, access):
        response = post(http, access, {"name": name, "timespan": SPAN})
        if 1 <= len(name) <= 256:
            assert response.status_code == 202, response.text
            assert response.json()["name"] == name
        else:
            assert_error(response, 400, "0330003", ["name"])
            assert total(http, access) == 0


@FAST
@given(value=st.one_of(st.sampled_from(FORMATS), st.text(max_size=10), NOT_A_STRING, st.none()))
@example(value="JSON")
@example(value="json ")
def test_format_is_accepted_iff_csv_json_or_json_bulk(value: Any) -> None:
    with fresh_mock() as (http, access):
        response = post(http, access, {"format": value, "timespan": SPAN})
        if value in FORMATS and isinstance(value, str):
            assert response.status_code == 202 and response.json()["format"] == value
        else:
            assert_error(response, 400, "0330003" if isinstance(value, str) else "0330001", ["format"])


NEAR_DATETIMES = st.one_of(
    st.from_regex(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,10})?(Z|[+-][0-9]{2}:[0-9]{2})?",
        fullmatch=True,
    ),
    st.from_regex(r"[0-9]{4}-(0[1-9]|1[0-2])-(2[89]|3[01])T(2[0-4]|[01][0-9]):[0-6][0-9]:[0-6][0-9]Z?", fullmatch=True),
    st.from_regex(r"[0-9T:.Z+ -]{8,30}", fullmatch=True),
    st.text(max_size=30),
    INSTANTS.map(lambda value: value.isoformat()),
    INSTANTS.map(lambda value: value.isoformat(sep=" ")),
    INSTANTS.map(lambda value: value.strftime("%Y-%m-%dT%H:%M:%S%z")),
)


@FAST
@given(value=NEAR_DATETIMES, which=st.sampled_from(["from", "to"]))
@example(value="2024-02-29T12:00:00Z", which="from")
@example(value="2023-02-29T12:00:00Z", which="from")
@example(value="2026-11-22T00:00:00+12:60", which="to")
@example(value="0001-01-01T00:00:00+01:00", which="from")
def test_datetime_is_accepted_iff_well_formed(value: str, which: str) -> None:
    other = "to" if which == "from" else "from"
    # the other end equals this one when it parses, so the order and span rules cannot object
    body = {"timespan": {which: value, other: value if well_formed(value) else SPAN[other]}}
    with fresh_mock() as (http, access):
        response = post(http, access, body)
    if not well_formed(value):
        fields = [f"timespan.{name}" for name in ("from", "to") if not well_formed(body["timespan"][name])]
        assert_error(response, 400, "0330003", fields)
        return
    try:
        moment = instant(value, "UTC")
    except OverflowError:
        assert_error(response, 400, "0330003")
        return
    if moment - NOW > timedelta(seconds=300):
        assert_error(response, 400, "0330004", ["timespan.to"])
    else:
        assert response.status_code == 202, response.text


ZONE_CANDIDATES = st.one_of(
    st.sampled_from(sorted(IANA)),
    st.sampled_from(sorted(IANA)).map(str.lower),
    st.sampled_from(sorted(IANA)).map(str.upper),
    st.sampled_from(sorted(IANA)).map(lambda zone: zone + " "),
    st.sampled_from(["CET", "EST", "PST", "CEST", "GMT+1", "Etc/GMT+1", "UTC+01:00", "Z", "utc", "localtime", ""]),
    st.text(max_size=20),
)


@FAST
@given(zone=ZONE_CANDIDATES, inside=st.booleans())
@example(zone="Europe/Lisbon", inside=False)
@example(zone="europe/lisbon", inside=True)
def test_timezone_is_accepted_iff_the_tz_database_lists_it(zone: str, inside: bool) -> None:
    body: dict[str, Any] = {"timespan": {**SPAN, "timezone": zone}} if inside else {"timezone": zone, "timespan": SPAN}
    with fresh_mock() as (http, access):
        response = post(http, access, body)
    if zone in IANA:
        assert response.status_code == 202, response.text
        assert response.json()["timezone"] == zone
    else:
        assert_error(response, 400, "0330006", ["timespan.timezone" if inside else "timezone"])


# ---------------------------------------------------------------- the timespan's instants


@FAST
@given(
    data=st.data(),
    zone=st.sampled_from(STABLE_ZONES),
    start=INSTANTS,
    length=st.one_of(
        st.integers(-3 * 86400, 40 * 86400),
        st.sampled_from([0, -1, 31 * 86400, 31 * 86400 + 1]),
    ),
)
def test_order_span_and_end_rules_on_resolved_instants(
    data: st.DataObject, zone: str, start: datetime, length: int
) -> None:
    end = start + timedelta(seconds=length)
    body = {
        "timezone": zone,
        "timespan": {"from": data.draw(written(start, zone)), "to": data.draw(written(end, zone))},
    }
    start_at, end_at = instant(body["timespan"]["from"], zone), instant(body["timespan"]["to"], zone)
    problems = expected_domain_problems(start_at, end_at)
    with fresh_mock() as (http, access):
        response = post(http, access, body)
        if not problems:
            assert response.status_code == 202, response.text
            return
        assert_error(response, 400, problems[0][1], [field for field, _ in problems])
        assert total(http, access) == 0


# ---------------------------------------------------------------- required, types, several fields


@FAST
@given(body=valid_bodies(), missing=st.sets(st.sampled_from(["timespan", "timespan.from", "timespan.to"]), min_size=1))
def test_missing_timespan_parts_are_0330002_naming_each(body: dict[str, Any], missing: set[str]) -> None:
    if "timespan" in missing:
        del body["timespan"]
        fields = ["timespan"]
    else:
        fields = [name for name in ("timespan.from", "timespan.to") if name in missing]
        for name in fields:
            del body["timespan"][name.split(".")[1]]
    with fresh_mock() as (http, access):
        assert_error(post(http, access, body), 400, "0330002", fields)


@FAST
@given(
    body=valid_bodies(),
    field=st.sampled_from([*FIELDS, "timespan.from", "timespan.to", "timespan.timezone"]),
    data=st.data(),
)
def test_a_field_of_the_wrong_json_type_is_0330001_naming_it(
    body: dict[str, Any], field: str, data: st.DataObject
) -> None:
    put(body, field, data.draw(WRONG_TYPES[field], label=field))
    with fresh_mock() as (http, access):
        assert_error(post(http, access, body), 400, "0330001", [field])


@FAST
@given(body=valid_bodies(), chosen=st.sets(st.sampled_from(FIELDS), min_size=2), data=st.data())
def test_several_invalid_fields_are_listed_in_field_order(
    body: dict[str, Any], chosen: set[str], data: st.DataObject
) -> None:
    fields, codes = [], []
    for field in (name for name in FIELDS if name in chosen):
        if data.draw(st.booleans(), label=f"wrong type for {field}"):
            body[field] = data.draw(WRONG_TYPES[field], label=field)
            fields.append(field)
            codes.append("0330001")
        else:
            body[field] = data.draw(BAD_VALUES[field], label=field)
            fields.extend(["timespan.from", "timespan.to"] if field == "timespan" else [field])
            codes.append(BAD_CODES[field])
    with fresh_mock() as (http, access):
        assert_error(post(http, access, body), 400, codes[0], fields)


@FAST
@given(
    raw=st.one_of(
        st.binary(max_size=30),
        st.text(max_size=30).map(str.encode),
        st.sampled_from([b"[]", b"null", b"1", b'"x"', b"{", b'{"timespan":}', b"\xef\xbb\xbf{}"]),
        st.lists(st.integers(), max_size=3).map(lambda items: json.dumps(items).encode()),
    )
)
def test_a_body_that_is_no_json_object_is_0330001(raw: bytes) -> None:
    try:
        is_object = isinstance(json.loads(raw.decode("utf-8")), dict)
    except (UnicodeDecodeError, ValueError):
        is_object = False
    with fresh_mock() as (http, access):
        response = http.post(CALLS, content=raw, headers={**bearer(access), "Content-Type": "application/json"})
    if is_object:
        assert response.status_code == 400 and response.json()["code"] in ("0330001", "0330002")
    else:
        assert_error(response, 400, "0330001", [])


# ---------------------------------------------------------------- paging


@FAST
@given(
    count=st.integers(0, 15),
    page=st.one_of(st.none(), st.integers(1, 8)),
    per_page=st.one_of(st.none(), st.integers(1, 7)),
)
def test_list_pages_are_creation_ordered_slices(count: int, page: int | None, per_page: int | None) -> None:
    params = {name: value for name, value in (("page", page), ("per_page", per_page)) if value is not None}
    with fresh_mock() as (http, access):
        ids = [post(http, access, {"name": f"job {n}", "timespan": SPAN}).json()["id"] for n in range(count)]
        listing = http.get(CALLS, params=params, headers=bearer(access)).json()
    number, size = page or 1, per_page or 50
    assert [job["id"] for job in listing["_embedded"]["jobs"]] == ids[(number - 1) * size : number * size]
    assert listing["total"] == count and listing["count"] == len(listing["_embedded"]["jobs"])
    assert (listing["page"], listing["per_page"]) == (number, size)
    assert listing["total_pages"] == -(-count // size)
    assert ("next" in listing["_links"]) is (number < listing["total_pages"])
    assert ("prev" in listing["_links"]) is (number > 1)


@FAST
@given(
    page=st.one_of(st.none(), st.integers(-3, 5).map(str), st.sampled_from(["x", "1.0", "", " 1", "01"])),
    per_page=st.one_of(st.none(), st.integers(-3, 120).map(str), st.sampled_from(["x", "50.0", ""])),
)
def test_paging_parameters_are_checked_naming_each(page: str | None, per_page: str | None) -> None:
    params = {name: value for name, value in (("page", page), ("per_page", per_page)) if value is not None}
    page_ok = page is None or (re.fullmatch(r"-?[0-9]+", page) is not None and int(page) >= 1)
    per_page_ok = per_page is None or (re.fullmatch(r"-?[0-9]+", per_page) is not None and 1 <= int(per_page) <= 100)
    with fresh_mock() as (http, access):
        response = http.get(CALLS, params=params, headers=bearer(access))
    if page_ok and per_page_ok:
        assert response.status_code == 200, response.text
    else:
        bad = [name for name, ok in (("page", page_ok), ("per_page", per_page_ok)) if not ok]
        assert_error(response, 400, "0330003", bad)


def test_oracles_agree_with_the_schema_pattern() -> None:
    """The DateTime pattern of the spec and the oracle above accept the same strings."""
    pattern = re.compile(_SCHEMAS["DateTime"]["pattern"].replace("$", r"\Z"))
    samples = [
        "2024-02-29T00:00:00",
        "2023-02-29T00:00:00",
        "2026-11-22T00:00:00.123456789+05:45",
        "2026-11-22T24:00:00",
    ]
    for sample in samples:
        assert bool(pattern.match(sample)) is well_formed(sample), sample
    assert copy.deepcopy(_plain("JobName")) == {"type": "string", "minLength": 1, "maxLength": 256}
