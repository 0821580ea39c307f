"""Qonversion bodies: valid ones from the OpenAPI create schema, refined to the target's destination
catalogue and to real 30-minute slots; invalid ones made by changing exactly one thing, each
tagged with the field the error must name and the message CONTRACTS.md 1.4 gives.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from hypothesis import strategies as st

from conformance.strategies import NOT_A_STRING, NOT_AN_ARRAY, NOT_AN_OBJECT, not_an_integer, schema_values

PREFIX = "conformance-"  # every report the suite creates is named so
MISSING_PREFIX = "conformance-missing-"  # ids that exist nowhere
UNKNOWN_DESTINATION = "conformance-unknown-"
FIELDS = ("report_name", "send_at", "included_range_days", "status", "environment", "destinations")
SLOTS = tuple(f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in (0, 30))
DESTINATION_TYPE = "target_integration"

MSG_REQUIRED = "Required"
MSG_NAME = "Must be a string of 1 to 255 characters"
MSG_SEND_AT = "Must be HH:MM on a 30-minute slot between 00:00 and 23:30"
MSG_RANGE = "Must be one of: 1, 3, 7"
MSG_STATUS = "Must be one of: draft, active"
MSG_ENV = "Must be one of: sandbox, production"
MSG_MIN_1 = "Must contain at least one destination"
MSG_ARRAY = "Must be an array of destinations"
MSG_ITEM = "Must be an object with string type and id"
MSG_STRING = "Must be a string"
MSG_TYPE = "Unsupported destination type"
MSG_DUPLICATE = "Duplicate destination"
MSG_UNKNOWN = "Unknown destination"

Catalogue = Sequence[Mapping[str, str]]
Body = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """A body to send and what must happen: accepted (`field` None) or rejected naming `field`."""

    body: Any
    field: str | None = None
    message: str = ""
    change: str = "a valid body"

    @property
    def accepted(self) -> bool:
        return self.field is None


# ---------------------------------------------------------------- valid bodies


def destination(entry: Mapping[str, str], label: str | None = None) -> dict[str, str]:
    item = {"type": entry["type"], "id": entry["id"]}
    return item if label is None else {**item, "label": label}


def base_body(catalogue: Catalogue, **overrides: Any) -> Body:
    """A fixed valid body (the vendor page's example, named with the prefix)."""
    body: Body = {
        "report_name": f"{PREFIX}daily-revenue",
        "send_at": "09:00",
        "included_range_days": 1,
        "status": "active",
        "environment": "production",
        "destinations": [destination(catalogue[0])],
    }
    return {**body, **overrides}


def slots() -> st.SearchStrategy[str]:
    return st.sampled_from(SLOTS)


@st.composite
def destination_lists(draw: st.DrawFn, catalogue: Catalogue) -> list[dict[str, str]]:
    """1 to 3 distinct catalogue destinations, each with or without its own label."""
    indexes = draw(
        st.lists(st.sampled_from(range(len(catalogue))), min_size=1, max_size=min(3, len(catalogue)), unique=True)
    )
    return [destination(catalogue[i], draw(st.one_of(st.none(), st.text(max_size=12)))) for i in indexes]


@st.composite
def valid_bodies(draw: st.DrawFn, catalogue: Catalogue) -> Body:
    """A body valid by the schema and by the catalogue, named with the prefix."""
    body: Body = dict(draw(schema_values("qonversion", "ScheduledReportCreate")))
    body["report_name"] = PREFIX + body["report_name"][: 255 - len(PREFIX)]
    body["send_at"] = draw(slots())
    body["destinations"] = draw(destination_lists(catalogue))
    return body


@st.composite
def valid_updates(draw: st.DrawFn, catalogue: Catalogue) -> Body:
    """Any subset of a valid body's fields (`{}` included)."""
    body = draw(valid_bodies(catalogue))
    kept = draw(st.sets(st.sampled_from(FIELDS)))
    return {name: body[name] for name in FIELDS if name in kept}


def slot_at_or_before(instant: datetime) -> str:
    return f"{instant.hour:02d}:{0 if instant.minute < 30 else 30:02d}"


def next_occurrence(send_at: str, now: datetime) -> datetime:
    """The next `HH:MM` UTC strictly after `now` (CONTRACTS 0.3)."""
    hours, minutes = (int(part) for part in send_at.split(":"))
    candidate = datetime.combine(now.date(), time(hours, minutes), tzinfo=now.tzinfo)
    return candidate if candidate > now else candidate + timedelta(days=1)


# ---------------------------------------------------------------- one change


def _set(body: Body, name: str, value: Any) -> Body:
    changed = copy.deepcopy(body)
    changed[name] = value
    return changed


def _without(body: Body, name: str) -> Body:
    return {key: copy.deepcopy(value) for key, value in body.items() if key != name}


def _field_value(name: str, invalid: st.SearchStrategy[Any], valid: st.SearchStrategy[Any], message: str) -> Changer:
    def change(body: Body, catalogue: Catalogue) -> st.SearchStrategy[Case]:
        rejected = invalid.map(lambda v: Case(_set(body, name, v), name, message, f"{name}={v!r}"))
        accepted = valid.map(lambda v: Case(_set(body, name, v), change=f"{name}={v!r} (valid)"))
        return st.one_of(rejected, rejected, accepted)

    return change


Changer = Callable[[Body, Catalogue], st.SearchStrategy[Case]]

SEND_AT_MISSES = ("12:15", "23:45", "24:00", "9:00", "09:00\n", " 09:00", "0900", "09:0", "00:60")
NAME_TOO_LONG = st.text(min_size=256 - len(PREFIX), max_size=290 - len(PREFIX)).map(lambda t: PREFIX + t)
NAME_OK = st.one_of(
    st.text(max_size=40).map(lambda t: PREFIX + t),
    st.text(min_size=255 - len(PREFIX), max_size=255 - len(PREFIX)).map(lambda t: PREFIX + t),
)


def _enum_misses(values: tuple[str, ...], near: tuple[str, ...]) -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(near), st.text(max_size=10), NOT_A_STRING).filter(lambda v: v not in values)


def _item_change(body: Body, catalogue: Catalogue) -> st.SearchStrategy[Case]:
    """One destination item broken in shape: not an object, a member missing or of the wrong type."""
    size = len(body["destinations"])

    def build(index: int, kind: str, value: Any) -> Case:
        changed = copy.deepcopy(body)
        item = changed["destinations"][index]
        where = f"destinations[{index}]"
        if kind == "not_object":
            changed["destinations"][index] = value
            return Case(changed, where, MSG_ITEM, f"{where}={value!r}")
        member, action = kind.split(":")
        if action == "missing":
            item.pop(member, None)
            return Case(changed, f"{where}.{member}", MSG_REQUIRED, f"{where}.{member} removed")
        item[member] = value
        return Case(changed, f"{where}.{member}", MSG_STRING, f"{where}.{member}={value!r}")

    def for_kind(kind: str) -> st.SearchStrategy[Case]:
        values = NOT_AN_OBJECT if kind == "not_object" else NOT_A_STRING
        return st.builds(build, st.integers(0, size - 1), st.just(kind), values)

    kinds = ["not_object", "type:missing", "id:missing", "type:wrong", "id:wrong", "label:wrong"]
    return st.sampled_from(kinds).flatmap(for_kind)


def _shape_change(body: Body, catalogue: Catalogue) -> st.SearchStrategy[Case]:
    not_array = NOT_AN_ARRAY.map(
        lambda v: Case(_set(body, "destinations", v), "destinations", MSG_ARRAY, f"destinations={v!r}")
    )
    with_labels = destination_lists(catalogue).map(
        lambda d: Case(_set(body, "destinations", d), change="valid destinations")
    )
    return st.one_of(not_array, _item_change(body, catalogue), _item_change(body, catalogue), with_labels)


def _type_change(body: Body, catalogue: Catalogue) -> st.SearchStrategy[Case]:
    def build(index: int, value: str) -> Case:
        changed = copy.deepcopy(body)
        changed["destinations"][index]["type"] = value
        return Case(changed, f"destinations[{index}].type", MSG_TYPE, f"destinations[{index}].type={value!r}")

    others = st.text(max_size=20).filter(lambda t: t != DESTINATION_TYPE)
    return st.builds(build, st.integers(0, len(body["destinations"]) - 1), others)


def _unique_change(body: Body, catalogue: Catalogue) -> st.SearchStrategy[Case]:
    def build(index: int, offset: int, label: str | None) -> Case:
        changed = copy.deepcopy(body)
        items = changed["destinations"]
        twin = destination(items[index], label if label is not None else items[index].get("label"))
        position = min(index + 1 + offset, len(items))
        items.insert(position, twin)
        return Case(changed, f"destinations[{position}]", MSG_DUPLICATE, f"destinations[{index}] repeated")

    size = len(body["destinations"])
    return st.builds(build, st.integers(0, size - 1), st.integers(0, size), st.one_of(st.none(), st.text(max_size=8)))


def _known_change(body: Body, catalogue: Catalogue) -> st.SearchStrategy[Case]:
    def build(index: int, suffix: str) -> Case:
        changed = copy.deepcopy(body)
        changed["destinations"][index]["id"] = UNKNOWN_DESTINATION + suffix
        return Case(changed, f"destinations[{index}].id", MSG_UNKNOWN, f"destinations[{index}].id unknown")

    known = {entry["id"] for entry in catalogue}
    suffixes = st.text(max_size=12).filter(lambda s: UNKNOWN_DESTINATION + s not in known)
    return st.builds(build, st.integers(0, len(body["destinations"]) - 1), suffixes)


def _required_change(body: Body, catalogue: Catalogue) -> st.SearchStrategy[Case]:
    return st.sampled_from(FIELDS).map(lambda name: Case(_without(body, name), name, MSG_REQUIRED, f"{name} removed"))


def _min_one_change(body: Body, catalogue: Catalogue) -> st.SearchStrategy[Case]:
    everything = [destination(entry) for entry in catalogue]
    return st.sampled_from(
        [
            Case(_set(body, "destinations", []), "destinations", MSG_MIN_1, "destinations=[]"),
            Case(_set(body, "destinations", everything), change="the whole catalogue"),
        ]
    )


CHANGES: dict[str, Changer] = {
    "QON-CREATE-REQUIRED": _required_change,
    "QON-NAME-LEN": _field_value("report_name", st.one_of(st.just(""), NAME_TOO_LONG, NOT_A_STRING), NAME_OK, MSG_NAME),
    "QON-SEND-AT-SLOT": _field_value(
        "send_at",
        st.one_of(
            st.sampled_from(SEND_AT_MISSES), st.from_regex(r"\A\d\d:\d\d\Z"), st.text(max_size=6), NOT_A_STRING
        ).filter(lambda v: v not in SLOTS),
        slots(),
        MSG_SEND_AT,
    ),
    "QON-RANGE-DAYS": _field_value(
        "included_range_days",
        st.one_of(
            st.integers().filter(lambda n: n not in (1, 3, 7)), st.sampled_from(["1", "3", "7"]), not_an_integer()
        ),
        st.sampled_from([1, 3, 7]),
        MSG_RANGE,
    ),
    "QON-STATUS-ENUM": _field_value(
        "status",
        _enum_misses(("draft", "active"), ("Active", "DRAFT", "paused", "")),
        st.sampled_from(["draft", "active"]),
        MSG_STATUS,
    ),
    "QON-ENV-ENUM": _field_value(
        "environment",
        _enum_misses(("sandbox", "production"), ("Production", "prod", "test", "")),
        st.sampled_from(["sandbox", "production"]),
        MSG_ENV,
    ),
    "QON-DEST-MIN-1": _min_one_change,
    "QON-DEST-SHAPE": _shape_change,
    "QON-DEST-TYPE": _type_change,
    "QON-DEST-UNIQUE": _unique_change,
    "QON-DEST-KNOWN": _known_change,
}


def cases(rule: str, catalogue: Catalogue) -> st.SearchStrategy[Case]:
    """A valid body with exactly one change for `rule` (or, now and then, a valid variant that must pass)."""
    return valid_bodies(catalogue).flatmap(lambda body: CHANGES[rule](body, catalogue))


# ---------------------------------------------------------------- updates (QON-PUT-PARTIAL)

UPDATE_RULES = (
    "QON-NAME-LEN",
    "QON-SEND-AT-SLOT",
    "QON-RANGE-DAYS",
    "QON-STATUS-ENUM",
    "QON-ENV-ENUM",
    "QON-DEST-MIN-1",
    "QON-DEST-SHAPE",
    "QON-DEST-TYPE",
    "QON-DEST-UNIQUE",
)
NULL_MESSAGES = {
    "report_name": MSG_NAME,
    "send_at": MSG_SEND_AT,
    "included_range_days": MSG_RANGE,
    "status": MSG_STATUS,
    "environment": MSG_ENV,
    "destinations": MSG_ARRAY,
}


def head(field: str) -> str:
    """`"destinations[0].id"` -> `"destinations"`."""
    return field.split("[", 1)[0].split(".", 1)[0]


@st.composite
def invalid_updates(draw: st.DrawFn, catalogue: Catalogue) -> Case:
    """A partial update with exactly one invalid (or `null`) field among valid ones."""
    if draw(st.booleans()):
        name = draw(st.sampled_from(FIELDS))
        broken = Case({name: None}, name, NULL_MESSAGES[name], f"{name}=null")
    else:
        rule = draw(st.sampled_from(UPDATE_RULES))
        broken = draw(cases(rule, catalogue).filter(lambda case: not case.accepted))
    assert broken.field is not None
    changed = head(broken.field)
    others = draw(valid_updates(catalogue))
    body = {**{k: v for k, v in others.items() if k != changed}, changed: broken.body[changed]}
    return Case(body, broken.field, broken.message, broken.change)
