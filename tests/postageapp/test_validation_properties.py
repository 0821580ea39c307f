"""Hypothesis properties of PostageApp request validation (CONTRACTS.md 4.4 to 4.6, 4.12).

Valid bodies come from the spec's own `x-fields` schemas (hypothesis_jsonschema), with
schedules drawn from the documented forms; invalid ones change exactly one field and the
error must name that field alone. Every example runs against a fresh in-process mock.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from mockserver import create_app
from mockserver.core.spec import load_spec
from mockserver.inprocess import client_for
from tests.conftest import shape_checked_client
from tests.postageapp.support import CREATE_FAILED, KEY, TAKEN, UPDATE_FAILED, url

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DOCUMENT = load_spec("postageapp").document
METHODS = ["create_scheduled_event", "create_scheduled_events", "get_scheduled_event", "update_scheduled_event"]
METHODS += ["list_scheduled_events", "delete_scheduled_event", "send_message"]
STATUSES = {"bad_request", "unauthorized", "not_found", "call_error", "invalid_json", "invalid_utf8"}


def _inlined(node: Any) -> Any:
    """A component schema with its local `$ref`s replaced and the `x-` annotations dropped."""
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = DOCUMENT
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return _inlined(target)
        return {key: _inlined(value) for key, value in node.items() if not key.startswith("x-")}
    if isinstance(node, list):
        return [_inlined(value) for value in node]
    return node


def _closed(name: str) -> dict[str, Any]:
    schema = copy.deepcopy(_inlined(DOCUMENT["components"]["schemas"][name]))
    schema["additionalProperties"] = False
    return schema


SCHEDULES = st.sampled_from(
    ["every 5 mins", "every 3 hours", "every day at 1am", "0 * * * *", "0 0 * * *", "*/15 9-17 * * 1-5", "@hourly"]
    + ["@monthly", "@yearly", "in 5 minutes", "in 1 month", "5 days from now", "tomorrow", "2026-12-01"]
    + ["2026-12-01 14:30:00", "2026-12-01T14:30Z", "2027-01-01T00:00:00+02:00", "every monday at 9:30am"]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=4,
)
METADATA = st.fixed_dictionaries(
    {}, optional={"arguments": st.dictionaries(st.text(max_size=4), JSON_VALUES, max_size=3)}
)


@st.composite
def create_fields(draw: st.DrawFn) -> dict[str, Any]:
    """Valid create fields: shape from the spec, schedule from the documented forms."""
    fields = draw(from_schema(_closed("CreateEventFields")))
    fields["schedule"] = draw(SCHEDULES)
    fields["metadata"] = draw(METADATA)
    return fields


@st.composite
def wire_body(draw: st.DrawFn, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields at the top level, inside `arguments`, or split between them (PA-ARGUMENTS)."""
    inner = {name: value for name, value in fields.items() if draw(st.booleans())}
    top = {name: value for name, value in fields.items() if name not in inner}
    return {"api_key": KEY, **top, **({"arguments": inner} if inner or draw(st.booleans()) else {})}


def _fresh() -> httpx.Client:
    return shape_checked_client(create_app())


# ---------------------------------------------------------------- create


@FAST
@given(data=st.data())
def test_valid_create_fields_are_created_and_echoed(data: st.DataObject) -> None:
    fields = data.draw(create_fields())
    with _fresh() as client:
        response = client.post(url("create_scheduled_event"), json=data.draw(wire_body(fields)))
        assert response.status_code == 200, response.text
        event = response.json()["data"]
        assert event["schedule"] == event["frequency"] == fields["schedule"]
        assert event["metadata"] == fields["metadata"]
        assert event["uid"] == fields.get("uid", event["uid"]) == response.json()["response"]["uid"]
        assert event["status"] == "activated" and event["scheduled_at"] > "2026-11-23T09:00:00+00:00"


NOT_A_STRING = st.one_of(st.none(), st.integers(), st.booleans(), st.lists(st.text(max_size=2), max_size=2))
NOT_AN_OBJECT = st.one_of(st.none(), st.integers(), st.text(max_size=4), st.lists(st.integers(), max_size=2))
BAD_SCHEDULES = st.sampled_from(["every 60 minutes", "0 0 * * * *", "@reboot", "0 0 L * *", "yesterday", "in 0 days"])
# field -> (strategy of a bad value, the one error it must produce)
BREAKERS: dict[str, list[tuple[st.SearchStrategy[Any], str]]] = {
    "uid": [
        (NOT_A_STRING | st.just("") | st.text(min_size=256, max_size=300), "[:uid] is invalid"),
        (st.just("taken"), TAKEN),
    ],
    "schedule": [
        (st.sampled_from(["", "   "]), "[:schedule] can't be blank"),
        (NOT_A_STRING | BAD_SCHEDULES | st.text(min_size=256, max_size=300), "[:schedule] is invalid"),
        (st.sampled_from(["2026-11-23", "2001-01-01 00:00", "2026-11-23T09:00:00Z"]), "[:schedule] is in the past"),
        (st.none(), "[:schedule] is invalid"),
    ],
    "metadata": [
        (NOT_AN_OBJECT, "[:metadata] is invalid"),
        (NOT_AN_OBJECT.filter(lambda v: v is not None).map(lambda v: {"arguments": v}), "[:metadata] is invalid"),
    ],
}


@FAST
@given(data=st.data())
def test_one_broken_create_field_gives_exactly_its_error(data: st.DataObject) -> None:
    fields = data.draw(create_fields())
    name = data.draw(st.sampled_from([*BREAKERS, "missing"]))
    if name == "missing":
        name = data.draw(st.sampled_from(["schedule", "metadata"]))
        del fields[name]
        expected = f"[:{name}] can't be blank"
    else:
        strategy, expected = data.draw(st.sampled_from(BREAKERS[name]))
        fields[name] = data.draw(strategy)
    with _fresh() as client:
        client.post(
            url("create_scheduled_event"), json={"api_key": KEY, "uid": "taken", "schedule": "@daily", "metadata": {}}
        )
        response = client.post(url("create_scheduled_event"), json=data.draw(wire_body(fields)))
        assert response.status_code == 400, response.text
        body = response.json()
        assert body["response"]["message"] == CREATE_FAILED
        assert body["data"]["errors"] == [expected]


@FAST
@given(data=st.data())
def test_batch_reports_the_broken_events_by_index_and_creates_nothing(data: st.DataObject) -> None:
    events = data.draw(st.lists(create_fields(), min_size=1, max_size=5))
    for index, event in enumerate(events):
        event["uid"] = f"event-{index}"
    broken = data.draw(st.sets(st.integers(0, len(events) - 1), min_size=1))
    for index in broken:
        events[index]["schedule"] = data.draw(BAD_SCHEDULES)
    with _fresh() as client:
        response = client.post(url("create_scheduled_events"), json={"api_key": KEY, "events": events})
        assert response.status_code == 400, response.text
        assert response.json()["data"]["errors"] == [
            f"events[{index}]: [:schedule] is invalid" for index in sorted(broken)
        ]
        listing = client.post(url("list_scheduled_events"), json={"api_key": KEY}).json()
        assert listing["data"]["scheduled_events"] == []


# ---------------------------------------------------------------- update


UPDATE_BREAKERS = {
    "schedule": BREAKERS["schedule"][:3],
    "metadata": BREAKERS["metadata"],
    "status": [
        (
            st.text(max_size=8).filter(lambda s: s not in ("active", "activated", "suspend")) | NOT_A_STRING,
            "[:status] is not included in the list",
        ),
    ],
}


@FAST
@given(data=st.data())
def test_one_broken_update_field_gives_exactly_its_error_and_changes_nothing(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(UPDATE_BREAKERS)))
    strategy, expected = data.draw(st.sampled_from(UPDATE_BREAKERS[name]))
    fields = {"uid": "e", name: data.draw(strategy)}
    with _fresh() as client:
        created = client.post(
            url("create_scheduled_event"), json={"api_key": KEY, "uid": "e", "schedule": "@daily", "metadata": {}}
        ).json()["data"]
        response = client.post(url("update_scheduled_event"), json=data.draw(wire_body(fields)))
        assert response.status_code == 400, response.text
        assert response.json()["response"]["message"] == UPDATE_FAILED
        assert response.json()["data"]["errors"] == [expected]
        after = client.post(url("get_scheduled_event"), json={"api_key": KEY, "uid": "e"}).json()["data"]
        assert after == created


# ---------------------------------------------------------------- send_message


MESSAGE_PROPERTIES = _inlined(DOCUMENT["components"]["schemas"]["SendMessageFields"])["properties"]
OPTIONAL_ARGUMENTS = {
    name: from_schema(schema)
    for name, schema in MESSAGE_PROPERTIES["arguments"]["properties"].items()
    if name != "recipients"
}


@st.composite
def messages(draw: st.DrawFn) -> dict[str, Any]:
    """A valid send_message body: each optional field from its spec schema, real addresses, content or template."""
    arguments = draw(st.fixed_dictionaries({}, optional=OPTIONAL_ARGUMENTS))
    addresses = draw(st.lists(st.emails(), min_size=1, max_size=3, unique=True))
    arguments["recipients"] = draw(
        st.sampled_from([", ".join(addresses), addresses, {address: {} for address in addresses}])
    )
    if "content" not in arguments and "template" not in arguments:
        arguments["template"] = "welcome"
    uid = draw(st.none() | from_schema(MESSAGE_PROPERTIES["uid"]))
    return {"arguments": arguments} if uid is None else {"uid": uid, "arguments": arguments}


@FAST
@given(body=messages())
def test_valid_messages_are_sent_and_recorded(body: dict[str, Any]) -> None:
    with _fresh() as client:
        response = client.post(url("send_message"), json={"api_key": KEY, **body})
        assert response.status_code == 200, response.text
        uid = response.json()["response"]["uid"]
        assert uid == body.get("uid", uid)
        (entry,) = client.get("/_mock/outbox", params={"vendor": "postageapp"}).json()["data"]
        assert entry["payload"]["request"] == {"api_key": KEY, "uid": uid, "arguments": body["arguments"]}
        assert entry["payload"]["message_id"] == response.json()["data"]["message"]["id"] == "1000000001"


MESSAGE_BREAKERS: list[tuple[str, st.SearchStrategy[Any], str]] = [
    ("recipients", st.sampled_from(["", " ", [], {}]), "Recipients are missing"),
    ("recipients", st.sampled_from(["nobody", ["a@b", "c"], {"x": 1}, 5, None, [None]]), "Recipients are invalid"),
    ("content", NOT_AN_OBJECT, "Message content must be an object"),
    ("headers", NOT_AN_OBJECT, "Headers must be an object"),
]


@FAST
@given(body=messages(), data=st.data())
def test_one_broken_message_field_is_named(body: dict[str, Any], data: st.DataObject) -> None:
    name, strategy, expected = data.draw(st.sampled_from(MESSAGE_BREAKERS))
    body["arguments"][name] = data.draw(strategy)
    with _fresh() as client:
        response = client.post(url("send_message"), json={"api_key": KEY, **body})
        assert response.status_code == 400, response.text
        assert response.json()["response"]["message"] == expected
        assert client.get("/_mock/outbox").json()["data"] == []


# ---------------------------------------------------------------- hostile input


HOSTILE = st.one_of(
    st.binary(max_size=40),
    JSON_VALUES.map(lambda value: json.dumps(value).encode()),
    st.dictionaries(
        st.sampled_from(["api_key", "uid", "schedule", "metadata", "events", "arguments", "page"]), JSON_VALUES
    )
    .map(lambda body: {"api_key": KEY, **body} if "api_key" not in body else body)
    .map(lambda body: json.dumps(body).encode()),
)


@FAST
@given(method=st.sampled_from(METHODS), version=st.sampled_from(["/v.1.0/{}.json", "/v.1.1/{}"]), content=HOSTILE)
def test_hostile_bodies_get_the_vendor_envelope_never_a_5xx(method: str, version: str, content: bytes) -> None:
    with client_for(create_app()) as client:
        response = client.post(version.format(method), content=content)
        assert response.status_code < 500
        if response.status_code != 200:
            body = response.json()["response"]
            assert body["status"] in STATUSES
            assert set(body) == {"status", "uid", "message"}


# ---------------------------------------------------------------- list paging and uids


@FAST
@given(
    count=st.integers(0, 7),
    page=st.integers(1, 10) | st.integers(1, 5).map(float) | st.integers(2**62, 10**30),  # no upper bound
    per_page=st.integers(1, 400),
    limit=st.integers(1, 5),
)
def test_list_pages_slice_creation_order_with_per_page_clamped(
    count: int, page: Any, per_page: int, limit: int
) -> None:
    with _fresh() as client:
        client.put("/_mock/config", json={"postageapp": {"list_max_per_page": limit}})
        events = [{"uid": f"e{n}", "schedule": "@daily", "metadata": {}} for n in range(count)]
        if events:
            client.post(url("create_scheduled_events"), json={"api_key": KEY, "events": events})
        body = {"api_key": KEY, "page": page, "per_page": per_page}
        listed = client.post(url("list_scheduled_events"), json=body).json()["data"]["scheduled_events"]
        size = min(per_page, limit)
        start = (int(page) - 1) * size
        assert [event["uid"] for event in listed] == [f"e{n}" for n in range(count)][start : start + size]


NOT_A_PAGE = st.one_of(
    st.integers(max_value=0),
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer() or x < 1),
    NOT_A_STRING.filter(lambda v: not isinstance(v, int) or isinstance(v, bool)),
    st.text(max_size=3),
)


@FAST
@given(name=st.sampled_from(["page", "per_page"]), value=NOT_A_PAGE)
def test_a_bad_page_or_per_page_is_named(name: str, value: Any) -> None:
    with _fresh() as client:
        response = client.post(url("list_scheduled_events"), json={"api_key": KEY, name: value})
        assert response.status_code == 400, response.text
        assert response.json()["data"]["errors"] == [f"[:{name}] is invalid"]


@FAST
@given(
    method=st.sampled_from(["get_scheduled_event", "delete_scheduled_event", "update_scheduled_event"]),
    uid=NOT_A_STRING | st.just("") | st.text(min_size=256, max_size=260),
)
def test_a_malformed_uid_is_invalid_on_every_event_method(method: str, uid: Any) -> None:
    with _fresh() as client:
        response = client.post(url(method), json={"api_key": KEY, "uid": uid})
        assert response.status_code == 400, response.text
        assert response.json()["data"]["errors"] == ["[:uid] is invalid"]
