"""PostageApp request fields: event definitions (uid, schedule, metadata) and send_message bodies,
valid ones from the OpenAPI schemas refined by domain strategies, and invalid ones made by changing
exactly one thing, each tagged with the error string CONTRACTS.md 4.5 gives.

Events the suite creates carry recipients at `example.invalid` (RFC 2606: never deliverable), so a
fire a real endpoint makes before the suite deletes the event reaches no one.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from conformance.strategies import NOT_A_STRING, NOT_AN_OBJECT, schema_values
from conformance.vendors.postageapp.session import PREFIX

EVENT_RECIPIENT = "conformance@example.invalid"
REPEATING = "@yearly"  # a schedule for events whose schedule does not matter: far from firing
UID_INVALID = "[:uid] is invalid"
SCHEDULE_BLANK = "[:schedule] can't be blank"
SCHEDULE_INVALID = "[:schedule] is invalid"
SCHEDULE_PAST = "[:schedule] is in the past"
METADATA_BLANK = "[:metadata] can't be blank"
METADATA_INVALID = "[:metadata] is invalid"
UID_TAKEN = "[:uid, :project id] is already taken"
STATUS_INVALID = "[:status] is not included in the list"
JSON_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.text(max_size=12))

Fields = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """Fields to send and what must happen: accepted (`errors` None) or refused with these errors."""

    fields: Any
    errors: tuple[str, ...] | None = None
    change: str = "a valid body"
    soft: bool = False  # refused by the mock; a real endpoint may accept it (CONTRACTS 4.13)

    @property
    def accepted(self) -> bool:
        return self.errors is None


def message_arguments(label: str = "event", recipients: Any = EVENT_RECIPIENT) -> dict[str, Any]:
    return {
        "recipients": recipients,
        "headers": {"subject": f"{PREFIX}{label}"},
        "content": {"text/plain": "Sent by the conformance suite."},
    }


def metadata(label: str = "event") -> dict[str, Any]:
    return {"arguments": message_arguments(label)}


def event(uid: str, schedule: Any = REPEATING, **extra: Any) -> Fields:
    return {"uid": uid, "schedule": schedule, "metadata": metadata(), **extra}


# ---------------------------------------------------------------- generated values


def uid_texts() -> st.SearchStrategy[str]:
    """Valid uids from the schema, 1 to 255 characters."""
    return schema_values("postageapp", "Uid").filter(lambda uid: isinstance(uid, str) and 1 <= len(uid) <= 255)


def own_uid(run_prefix: str, text: str) -> str:
    """A generated uid made the suite's own: the run's prefix, then as much of `text` as fits."""
    return (run_prefix + text)[:255]


@st.composite
def recipients(draw: st.DrawFn, address: str = EVENT_RECIPIENT) -> Any:
    """One address as a string, an array or an object keyed by address."""
    form = draw(st.sampled_from(["string", "array", "object"]))
    if form == "string":
        return address
    if form == "array":
        return [address]
    return {address: draw(st.dictionaries(st.sampled_from(["name", "var"]), st.text(max_size=8), max_size=2))}


@st.composite
def metadatas(draw: st.DrawFn) -> dict[str, Any]:
    """Any object; usually a message (arguments with recipients and content), plus other members."""
    extra = draw(
        st.dictionaries(
            st.text(max_size=8).filter(lambda k: k not in ("arguments", "api_key", "uid")), JSON_LEAVES, max_size=3
        )
    )
    if draw(st.integers(0, 4)) == 0:
        return extra
    arguments = message_arguments(draw(st.text(max_size=10)), draw(recipients()))
    arguments.update(
        draw(
            st.dictionaries(
                st.sampled_from(["variables", "headers"]),
                st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
                max_size=1,
            )
        )
    )
    return {**extra, "arguments": arguments}


# ---------------------------------------------------------------- one change


def _set(fields: Fields, name: str, value: Any) -> Fields:
    changed = copy.deepcopy(fields)
    changed[name] = value
    return changed


def _without(fields: Fields, name: str) -> Fields:
    return {key: copy.deepcopy(value) for key, value in fields.items() if key != name}


UidMaker = Callable[[], str]


def uid_cases(fields: Fields, make_uid: UidMaker) -> st.SearchStrategy[Case]:
    """PA-UID-FORMAT: "", 256 characters or more, or not a string; valid: any text after the run's prefix, to 255."""
    too_long = st.text(min_size=256, max_size=270).map(lambda text: PREFIX + text)
    refused = st.one_of(st.just(""), too_long, NOT_A_STRING).map(
        lambda uid: Case(_set(fields, "uid", uid), (UID_INVALID,), f"uid={uid!r}"[:80])
    )
    valid = uid_texts().map(lambda text: own_uid(make_uid()[:30], text))
    accepted = valid.map(lambda uid: Case(_set(fields, "uid", uid), change=f"uid={uid!r}"[:80]))
    return st.one_of(refused, refused, accepted)


BLANKS = st.text(alphabet=" \t\n\r", max_size=8)


def schedule_required_cases(fields: Fields) -> st.SearchStrategy[Case]:
    """PA-SCHEDULE-REQUIRED: missing, empty or whitespace only."""
    missing = st.just(Case(_without(fields, "schedule"), (SCHEDULE_BLANK,), "schedule removed"))
    blank = BLANKS.map(lambda text: Case(_set(fields, "schedule", text), (SCHEDULE_BLANK,), f"schedule={text!r}"))
    padded = BLANKS.map(lambda text: Case(_set(fields, "schedule", text + REPEATING + text), change="padded schedule"))
    return st.one_of(missing, blank, blank, padded)


def metadata_cases(fields: Fields) -> st.SearchStrategy[Case]:
    """PA-METADATA-OBJECT: missing is blank; not an object, or `arguments` not an object, is invalid."""
    missing = st.just(Case(_without(fields, "metadata"), (METADATA_BLANK,), "metadata removed"))
    not_object = NOT_AN_OBJECT.map(
        lambda value: Case(_set(fields, "metadata", value), (METADATA_INVALID,), f"metadata={value!r}")
    )
    bad_arguments = NOT_AN_OBJECT.map(
        lambda value: Case(
            _set(fields, "metadata", {"arguments": value}), (METADATA_INVALID,), f"metadata.arguments={value!r}"
        )
    )
    accepted = metadatas().map(lambda value: Case(_set(fields, "metadata", value), change="another metadata"))
    return st.one_of(missing, not_object, bad_arguments, accepted, accepted)
