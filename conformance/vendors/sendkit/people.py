"""Recipient bodies: valid ones (names, emails, optional fields, campaign selections and schedules in
every documented form), invalid ones made by changing exactly one field, and the stored form of a
recipient and its schedule as CONTRACTS 3.3 defines them (defaults, lower-cased email, merges).

Emails are drawn without the run's prefix; `SendKitSession.unique` makes each one the run's own
(`conformance-<run>-<n>-<drawn>`) just before it is sent, so that valid bodies never collide.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from conformance.strategies import NOT_A_STRING, NOT_AN_OBJECT, not_an_integer
from conformance.vendors.sendkit.bodies import HEX24
from conformance.vendors.sendkit.session import PREFIX

NAME_MAX = 200
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
WHITESPACE = " \t\n\r\u00a0\u2003\u3000"
ZONES = (
    "UTC",
    "America/New_York",
    "Europe/London",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/Sao_Paulo",
    "Asia/Tokyo",
    "Etc/GMT+5",
)
FREQUENCIES = ("daily", "weekly", "monthly")
SCHEDULE_FIELDS = ("enabled", "frequency", "dayOfWeek", "dayOfMonth", "timeOfDay", "timezone")
DEFAULTS: dict[str, Any] = {
    "enabled": True,
    "frequency": "weekly",
    "dayOfWeek": 1,
    "dayOfMonth": 1,
    "timeOfDay": "09:00",
    "timezone": "UTC",
}
Body = dict[str, Any]


@dataclass(frozen=True)
class RecipientCase:
    """A recipient body and what must happen: accepted (`field` None) or a 400 naming `field`."""

    body: Any
    field: str | None = None
    change: str = "a valid recipient"

    @property
    def accepted(self) -> bool:
        return self.field is None


# ---------------------------------------------------------------- valid values

NAMES = st.one_of(
    st.text(max_size=30).map(lambda text: PREFIX + text),
    st.text(min_size=NAME_MAX - len(PREFIX), max_size=NAME_MAX - len(PREFIX)).map(lambda text: PREFIX + text),
)
LOCAL = st.from_regex(r"\A[A-Za-z0-9._+-]{1,16}\Z")
DOMAIN = st.from_regex(r"\A[A-Za-z0-9-]{1,10}(\.[A-Za-z0-9-]{1,8}){1,2}\Z")
EMAILS = st.builds(lambda local, domain: f"{local}@{domain}", LOCAL, DOMAIN)
TEXTS = st.one_of(st.none(), st.text(max_size=40), st.text(min_size=NAME_MAX, max_size=NAME_MAX))
TIMES = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))


def whole(values: st.SearchStrategy[int]) -> st.SearchStrategy[int | float]:
    """An integer, now and then written as `3.0` (still an integer in JSON Schema)."""
    return st.one_of(values, values, values.map(float))


SCHEDULE_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "enabled": st.booleans(),
    "frequency": st.sampled_from(FREQUENCIES),
    "dayOfWeek": whole(st.integers(0, 6)),
    "dayOfMonth": st.one_of(st.none(), whole(st.integers(1, 31))),
    "timeOfDay": TIMES,
    "timezone": st.sampled_from(ZONES),
}


def schedules() -> st.SearchStrategy[Body]:
    return st.fixed_dictionaries({}, optional=SCHEDULE_VALUES)


@st.composite
def recipient_bodies(draw: st.DrawFn, campaigns: tuple[str, ...], any_campaign: bool = False) -> Body:
    body: Body = {"name": draw(NAMES), "email": draw(EMAILS)}
    for name in ("company", "role"):
        value = draw(st.one_of(st.just(...), TEXTS))
        if value is not ...:
            body[name] = value
    kind = draw(
        st.sampled_from(["absent", "workspace", "campaign"] if campaigns or any_campaign else ["absent", "workspace"])
    )
    if kind != "absent":
        body["reportType"] = kind
    if kind == "campaign":
        ids = st.one_of(st.sampled_from(campaigns), HEX24) if any_campaign and campaigns else st.sampled_from(campaigns)
        body["campaignIds"] = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    if draw(st.booleans()):
        body["schedule"] = draw(schedules())
    return body


# ---------------------------------------------------------------- invalid values

NAME_MISSES: tuple[Any, ...] = ("", " ", "\t\n", "\u00a0\u3000", PREFIX + "x" * (NAME_MAX + 1 - len(PREFIX)), None, 5)
EMAIL_MISSES: tuple[Any, ...] = (
    "",
    "ana",
    "ana@",
    "@example.com",
    "ana@example",
    "ana@@example.com",
    "an a@example.com",
    "ana@.com",
    None,
    5,
)
PRINTABLE = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20)
BAD_EMAILS = st.one_of(st.sampled_from(EMAIL_MISSES), PRINTABLE, NOT_A_STRING).filter(lambda value: not is_email(value))
BAD_NAMES = st.one_of(
    st.sampled_from(NAME_MISSES),
    st.text(alphabet=WHITESPACE, max_size=5),
    st.text(min_size=NAME_MAX + 1 - len(PREFIX), max_size=NAME_MAX + 20 - len(PREFIX)).map(lambda text: PREFIX + text),
    NOT_A_STRING,
)


def is_email(value: Any) -> bool:
    return isinstance(value, str) and EMAIL.fullmatch(value) is not None


SCHEDULE_MISSES: dict[str, tuple[Any, ...]] = {
    "enabled": (1, "true", None, 0),
    "frequency": ("hourly", "Daily", "", None, 5),
    "dayOfWeek": (-1, 7, 1.5, "1", True, None),
    "dayOfMonth": (0, 32, 1.5, "1", True),
    "timeOfDay": ("24:00", "9:00", "12:60", "12:00:00", "", 900, None, "12:00\n"),
    "timezone": ("Mars/Phobos", "utc", "", "localtime", "+05:00", "America/New York", 5, None),
}
SCHEDULE_BAD: dict[str, st.SearchStrategy[Any]] = {
    "enabled": st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.booleans(), max_size=1)),
    "frequency": st.one_of(st.text(max_size=8), NOT_A_STRING).filter(lambda value: value not in FREQUENCIES),
    "dayOfWeek": st.one_of(st.integers().filter(lambda n: not 0 <= n <= 6), not_an_integer()),
    "dayOfMonth": st.one_of(
        st.integers().filter(lambda n: not 1 <= n <= 31), not_an_integer().filter(lambda v: v is not None)
    ),
    "timeOfDay": st.one_of(st.from_regex(r"\A[0-9]{2}:[0-9]{2}\Z"), st.text(max_size=6), NOT_A_STRING).filter(
        lambda value: not _is_time(value)
    ),
    "timezone": st.one_of(st.text(max_size=10).map(lambda text: "Mars/" + text), NOT_A_STRING),
}


def _is_time(value: Any) -> bool:
    return isinstance(value, str) and TIME.fullmatch(value) is not None


def base_recipient() -> Body:
    return {"name": f"{PREFIX}recipient", "email": "ana@example.com"}


@st.composite
def schedule_changes(draw: st.DrawFn) -> RecipientCase:
    """A valid schedule with one field broken, or not an object at all."""
    schedule = draw(schedules())
    if draw(st.integers(0, 6)) == 0:
        value = draw(NOT_AN_OBJECT)
        return RecipientCase({**base_recipient(), "schedule": value}, "schedule", f"schedule={value!r}")
    name = draw(st.sampled_from(SCHEDULE_FIELDS))
    value = draw(SCHEDULE_BAD[name])
    broken = {**schedule, name: value}
    return RecipientCase({**base_recipient(), "schedule": broken}, f"schedule.{name}", f"schedule.{name}={value!r}")


# ---------------------------------------------------------------- stored form


def stored_schedule(sent: Mapping[str, Any] | None, before: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The schedule as stored: `sent` over the stored one (or the defaults), `null`s ignored;
    `dayOfMonth` only for monthly schedules. With no schedule on create, `enabled` is false."""
    base = dict(before) if before is not None else {**DEFAULTS, "enabled": sent is not None}
    merged = {**base, **{name: value for name, value in (sent or {}).items() if name in base and value is not None}}
    merged["dayOfWeek"] = int(merged["dayOfWeek"])
    merged["dayOfMonth"] = int(merged["dayOfMonth"] or 1) if merged["frequency"] == "monthly" else None
    return {name: merged[name] for name in SCHEDULE_FIELDS}


def stored_recipient(body: Mapping[str, Any]) -> dict[str, Any]:
    """The writable fields of a created recipient, with their defaults."""
    kind = body.get("reportType", "workspace")
    return {
        "name": body["name"],
        "email": str(body["email"]).lower(),
        "company": body.get("company"),
        "role": body.get("role"),
        "reportType": kind,
        "campaignIds": list(body.get("campaignIds", [])) if kind == "campaign" else [],
        "active": True,
        "schedule": stored_schedule(body.get("schedule")),
    }


def updated_recipient(model: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """The model after a valid PATCH (no email or campaign changes are drawn)."""
    result = copy.deepcopy(dict(model))
    for name in ("name", "company", "role", "active"):
        if name in patch:
            result[name] = patch[name]
    if "schedule" in patch:
        result["schedule"] = stored_schedule(patch["schedule"], model["schedule"])
    return result


@st.composite
def valid_patches(draw: st.DrawFn) -> Body:
    """Any subset of name, company, role, active and a partial schedule (never `dayOfMonth: null`)."""
    values: dict[str, st.SearchStrategy[Any]] = {
        "name": NAMES,
        "company": TEXTS,
        "role": TEXTS,
        "active": st.booleans(),
        "schedule": st.fixed_dictionaries({}, optional={**SCHEDULE_VALUES, "dayOfMonth": whole(st.integers(1, 31))}),
    }
    return draw(st.fixed_dictionaries({}, optional=values))
