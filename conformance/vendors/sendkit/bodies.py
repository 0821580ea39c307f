"""Generate-report bodies: valid ones (the OpenAPI `Sections` schema plus domain strategies for report
types, campaign lists and period bounds in every documented form), and invalid ones made by changing
exactly one thing, each tagged with the field the 400 must name.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from hypothesis import strategies as st

from conformance.strategies import NOT_A_STRING, NOT_AN_ARRAY, NOT_AN_OBJECT, schema_values
from conformance.vendors.sendkit.oracle import SECTIONS, period_bound

OBJECT_ID = re.compile(r"[0-9a-f]{24}")
HEX24 = st.from_regex(r"\A[0-9a-f]{24}\Z")
Body = dict[str, Any]


@dataclass(frozen=True)
class World:
    """What valid bodies may use on this target."""

    campaigns: tuple[str, ...]  # catalogue ids
    any_campaign: bool  # well-formed ids outside the catalogue are accepted (the mock, strict_campaigns off)
    latest: date  # the last day a lone periodStart may fall on (before "now")
    recipients: tuple[str, ...] = ()  # existing recipients of the workspace

    @property
    def has_campaigns(self) -> bool:
        return bool(self.campaigns) or self.any_campaign


@dataclass(frozen=True)
class Case:
    """A body and what must happen: accepted (`field` None) or a 400 naming `field`."""

    body: Any
    field: str | None = None
    change: str = "a valid body"
    soft: bool = False  # CONTRACTS 3.11 lets a real endpoint differ on this case
    explicit: bool = False  # a documented edge value (drawn examples of accepted bodies stay on the mock)

    @property
    def accepted(self) -> bool:
        return self.field is None

    @property
    def reports(self) -> int:
        """How many reports the body generates when accepted."""
        body = self.body if isinstance(self.body, dict) else {}
        ids = body.get("campaignIds")
        return len(ids) if body.get("reportType") == "campaign" and isinstance(ids, list) else 1


def changed(body: Body, **values: Any) -> Body:
    result = copy.deepcopy(body)
    result.update(values)
    return result


def without(body: Body, name: str) -> Body:
    return {key: copy.deepcopy(value) for key, value in body.items() if key != name}


def synthetic_ids(count: int, start: int = 1) -> list[str]:
    return [f"c0f0{number:020x}" for number in range(start, start + count)]


# ---------------------------------------------------------------- campaign ids


def campaign_id(world: World) -> st.SearchStrategy[str]:
    known = st.sampled_from(world.campaigns) if world.campaigns else st.nothing()
    return st.one_of(known, HEX24) if world.any_campaign else known


def campaign_lists(world: World, max_size: int = 3) -> st.SearchStrategy[list[str]]:
    size = max_size if world.any_campaign else min(max_size, len(world.campaigns))
    return st.lists(campaign_id(world), min_size=1, max_size=max(1, size), unique=True)


MALFORMED_ID_MISSES = (
    "",
    "664F0A1B2C3D4E5F6A7B8C01",
    "664f0a1b2c3d4e5f6a7b8c0",
    "664f0a1b2c3d4e5f6a7b8c011",
    "664f0a1b2c3d4e5f6a7b8c0g",
    " 664f0a1b2c3d4e5f6a7b8c01",
    "campaign-1",
)
MALFORMED_IDS = st.one_of(
    st.sampled_from(MALFORMED_ID_MISSES),
    st.from_regex(r"\A[0-9a-fA-F]{20,28}\Z"),
    st.text(max_size=26),
).filter(lambda text: not OBJECT_ID.fullmatch(text))


# ---------------------------------------------------------------- periods

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LAST_END = datetime(2099, 12, 31, tzinfo=UTC)
STYLES = ("date", "minutes", "seconds", "fraction")


def format_bound(instant: datetime, style: str, zone: str, offset_minutes: int, digits: str) -> str:
    """`instant` written as `YYYY-MM-DD` or a date-time in one of its documented forms."""
    if style == "date":
        return instant.date().isoformat()
    if zone in ("", "Z"):
        offset_minutes = 0
    local = instant + timedelta(minutes=offset_minutes)
    text = local.strftime("%Y-%m-%dT%H:%M")
    if style != "minutes":
        text += local.strftime(":%S")
    if style == "fraction":
        text += "." + (f"{local.microsecond // 1000:03d}" + digits)[: max(1, len(digits))]
    if zone == "offset":
        sign = "-" if offset_minutes < 0 else "+"
        hours, minutes = divmod(abs(offset_minutes), 60)
        zone = f"{sign}{hours:02d}:{minutes:02d}"
    return text + zone


def instants(earliest: datetime, latest: datetime) -> st.SearchStrategy[datetime]:
    naive = st.datetimes(min_value=earliest.replace(tzinfo=None), max_value=latest.replace(tzinfo=None))
    return naive.map(lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000, tzinfo=UTC))


def bounds(earliest: datetime, latest: datetime) -> st.SearchStrategy[str]:
    """Period bounds between two instants, in every documented form."""
    return st.builds(
        format_bound,
        instants(earliest, latest),
        st.sampled_from(STYLES),
        st.sampled_from(["", "Z", "offset"]),
        st.integers(-23 * 60 - 59, 23 * 60 + 59),
        st.from_regex(r"\A[0-9]{1,9}\Z"),
    )


def ordered(start: str, end: str) -> bool:
    first, last = period_bound(start, end=False), period_bound(end, end=True)
    return first is not None and last is not None and first <= last


def latest_start(world: World) -> datetime:
    return datetime.combine(world.latest, time(0), tzinfo=UTC)


@st.composite
def periods(draw: st.DrawFn, world: World) -> Body:
    """No bound, a lone start (before now), a lone end, or an ordered pair."""
    kind = draw(st.sampled_from(["none", "start", "end", "both"]))
    if kind == "start":
        return {"periodStart": draw(bounds(EARLIEST, latest_start(world)))}
    if kind == "end":
        return {"periodEnd": draw(bounds(EARLIEST, LAST_END))}
    if kind == "both":
        start, end = draw(
            st.tuples(bounds(EARLIEST, LAST_END), bounds(EARLIEST, LAST_END)).filter(lambda p: ordered(*p))
        )
        return {"periodStart": start, "periodEnd": end}
    return {}


def sections() -> st.SearchStrategy[Any]:
    return schema_values("sendkit", "Sections")


# ---------------------------------------------------------------- valid bodies


@st.composite
def valid_bodies(draw: st.DrawFn, world: World, report_type: str | None = None) -> Body:
    types = ["workspace", "organizational"] + (["campaign"] if world.has_campaigns else [])
    kind = report_type or draw(st.sampled_from(types))
    body: Body = {"reportType": kind}
    if kind == "campaign":
        body["campaignIds"] = draw(campaign_lists(world))
    body.update(draw(periods(world)))
    toggles = draw(st.one_of(st.none(), sections()))
    if toggles is not None:
        body["sections"] = toggles
    with_recipients: bool = draw(st.booleans())
    if world.recipients and with_recipients:
        body["recipientIds"] = draw(st.lists(st.sampled_from(world.recipients), max_size=2, unique=True))
    return body


def campaign_body(world: World, count: int) -> Body:
    """A fixed campaign body of `count` ids: catalogue ids first, then well-formed synthetic ones."""
    ids = list(world.campaigns[:count])
    return {"reportType": "campaign", "campaignIds": ids + synthetic_ids(count - len(ids))}


def campaign_bodies(world: World, min_size: int = 1, max_size: int = 5) -> st.SearchStrategy[Body]:
    if world.any_campaign or len(world.campaigns) >= min_size:
        return st.lists(campaign_id(world), min_size=min_size, max_size=max_size, unique=True).map(
            lambda ids: {"reportType": "campaign", "campaignIds": ids}
        )
    return st.integers(min_size, max_size).map(lambda count: campaign_body(world, count))  # rejected cases only


# ---------------------------------------------------------------- one change

Changer = Callable[[World], st.SearchStrategy[Case]]


def _report_type(world: World) -> st.SearchStrategy[Case]:
    misses = st.one_of(
        st.sampled_from(["Campaign", "WORKSPACE", "org", "organisational", "", "workspace "]),
        st.text(max_size=12),
        NOT_A_STRING,
    ).filter(lambda value: value not in ("campaign", "workspace", "organizational"))
    bodies = valid_bodies(world)
    wrong = st.tuples(bodies, misses).map(
        lambda pair: Case(changed(pair[0], reportType=pair[1]), "reportType", f"reportType={pair[1]!r}")
    )
    missing = bodies.map(lambda body: Case(without(body, "reportType"), "reportType", "reportType removed"))
    return st.one_of(wrong, wrong, missing, bodies.map(Case))


def _campaign_required(world: World) -> st.SearchStrategy[Case]:
    base = campaign_bodies(world)
    missing = base.map(lambda body: Case(without(body, "campaignIds"), "campaignIds", "campaignIds removed"))
    empty = base.map(lambda body: Case(changed(body, campaignIds=[]), "campaignIds", "campaignIds=[]"))
    kinds = st.sampled_from(["campaign", "workspace", "organizational"])
    not_array = st.tuples(kinds, NOT_AN_ARRAY).map(
        lambda pair: Case({"reportType": pair[0], "campaignIds": pair[1]}, "campaignIds", f"campaignIds={pair[1]!r}")
    )
    one = campaign_bodies(world, 1, 1).map(lambda body: Case(body, change="one campaign id"))
    return st.one_of(missing, empty, not_array, *([one] if world.has_campaigns else []))


def _max_10(world: World) -> st.SearchStrategy[Case]:
    many = st.integers(11, 14).map(
        lambda count: Case(campaign_body(world, count), "campaignIds", f"{count} campaign ids")
    )
    ten = [campaign_bodies(world, 10, 10).map(lambda body: Case(body, change="10 campaign ids"))]
    return st.one_of(many, *(ten if world.any_campaign or len(world.campaigns) >= 10 else []))


@st.composite
def _format(draw: st.DrawFn, world: World) -> Case:
    kind = draw(st.sampled_from(["campaign", "campaign", "workspace", "workspace-ok"]))
    if kind == "workspace-ok":
        unchecked = draw(st.lists(st.one_of(MALFORMED_IDS, HEX24), min_size=1, max_size=4))
        return Case({"reportType": "workspace", "campaignIds": unchecked}, change="workspace report, unchecked ids")
    body = draw(campaign_bodies(world, 1, 4)) if kind == "campaign" else {"reportType": kind, "campaignIds": []}
    ids: list[Any] = list(body["campaignIds"])
    index = draw(st.integers(0, len(ids)))
    value: Any = draw(MALFORMED_IDS if kind == "campaign" else st.one_of(st.integers(), st.booleans(), st.none()))
    if kind == "campaign" and draw(st.booleans()):
        value = draw(st.one_of(st.integers(), st.none(), st.lists(st.integers(), max_size=1)))
    ids.insert(index, value)
    return Case(changed(body, campaignIds=ids), f"campaignIds[{index}]", f"campaignIds[{index}]={value!r}")


@st.composite
def _unique(draw: st.DrawFn, world: World) -> Case:
    body = draw(campaign_bodies(world, 1, 9))
    ids = list(body["campaignIds"])
    source = draw(st.integers(0, len(ids) - 1))
    position = draw(st.integers(source + 1, len(ids)))
    ids.insert(position, ids[source])
    if draw(st.integers(0, 3)) == 0:
        return Case({"reportType": "workspace", "campaignIds": ids}, change="workspace report, repeated ids")
    return Case(changed(body, campaignIds=ids), f"campaignIds[{position}]", f"campaignIds[{source}] repeated")


@st.composite
def _known(draw: st.DrawFn, world: World) -> Case:
    ids = draw(
        st.lists(st.sampled_from(world.campaigns), min_size=1, max_size=min(4, len(world.campaigns)), unique=True)
    )
    if draw(st.integers(0, 2)) == 0:
        return Case({"reportType": "campaign", "campaignIds": ids}, change="catalogue campaign ids")
    index = draw(st.integers(0, len(ids)))
    unknown = draw(HEX24.filter(lambda text: text not in world.campaigns))
    ids.insert(index, unknown)
    return Case({"reportType": "campaign", "campaignIds": ids}, f"campaignIds[{index}]", f"unknown campaign {unknown}")


PERIOD_MISSES = (
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "2025-02-29",
    "2026-04-31",
    "26-01-01",
    "2026-1-1",
    "2026/01/01",
    "2026-01-01T24:00",
    "2026-01-01T10:60",
    "2026-01-01 10:00",
    "2026-01-01T10",
    "2026-01-01T10:00:00+0200",
    "2026-01-01T10:00:00.1234567890Z",
    "2026-01-01Z",
    "",
    "yesterday",
)
BAD_BOUNDS = st.one_of(
    st.sampled_from(PERIOD_MISSES),
    st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
    st.text(max_size=24),
    NOT_A_STRING,
).filter(lambda value: not isinstance(value, str) or period_bound(value, end=False) is None)


@st.composite
def _period_format(draw: st.DrawFn, world: World) -> Case:
    body = draw(valid_bodies(world, "workspace"))
    if draw(st.integers(0, 3)) == 0:
        return Case(body, change=f"period {body.get('periodStart')!r} to {body.get('periodEnd')!r}")
    name = draw(st.sampled_from(["periodStart", "periodEnd"]))
    value = draw(BAD_BOUNDS)
    other = "periodEnd" if name == "periodStart" else "periodStart"
    kept = {other: body[other]} if other in body else {}
    return Case({"reportType": "workspace", **kept, name: value}, name, f"{name}={value!r}")


@st.composite
def _period_order(draw: st.DrawFn, world: World) -> Case:
    pair = draw(st.tuples(bounds(EARLIEST, LAST_END), bounds(EARLIEST, LAST_END)))
    start, end = pair if ordered(*pair) or draw(st.booleans()) else pair[::-1]
    body = {"reportType": "workspace", "periodStart": start, "periodEnd": end}
    if ordered(start, end):
        return Case(body, change=f"period {start!r} to {end!r}")
    return Case(body, "periodEnd", f"periodStart {start!r} after periodEnd {end!r}")


def _sections(world: World) -> st.SearchStrategy[Case]:
    base = {"reportType": "workspace"}
    not_object = NOT_AN_OBJECT.map(lambda value: Case({**base, "sections": value}, "sections", f"sections={value!r}"))
    not_bool = st.one_of(
        st.none(),
        st.integers(),
        st.text(max_size=5),
        st.floats(allow_nan=False, allow_infinity=False),
        st.lists(st.booleans(), max_size=1),
    )
    toggle = st.tuples(sections(), st.sampled_from(SECTIONS), not_bool).map(
        lambda t: Case({**base, "sections": {**t[0], t[1]: t[2]}}, f"sections.{t[1]}", f"sections.{t[1]}={t[2]!r}")
    )
    valid = sections().map(lambda toggles: Case({**base, "sections": toggles}, change=f"sections={toggles!r}"))
    unknown = st.tuples(sections(), st.text(min_size=1, max_size=8).filter(lambda k: k not in SECTIONS), not_bool).map(
        lambda t: Case({**base, "sections": {**t[0], t[1]: t[2]}}, change=f"unknown section key {t[1]!r}", soft=True)
    )
    return st.one_of(not_object, toggle, toggle, valid, unknown)


@st.composite
def _recipients(draw: st.DrawFn, world: World) -> Case:
    known = list(world.recipients)
    base: Body = {"reportType": "workspace"}
    ids: list[Any] = draw(st.lists(st.sampled_from(known), max_size=len(known), unique=True)) if known else []
    kind = draw(st.sampled_from(["unknown", "malformed", "not_string", "not_array", "duplicate", "valid"]))
    if kind == "not_array":
        value = draw(NOT_AN_ARRAY)
        return Case({**base, "recipientIds": value}, "recipientIds", f"recipientIds={value!r}")
    if kind == "valid" or (kind == "duplicate" and not ids):
        return Case({**base, "recipientIds": ids}, change=f"recipientIds={ids}")
    if kind == "duplicate":
        source = draw(st.integers(0, len(ids) - 1))
        position = draw(st.integers(source + 1, len(ids)))
        ids.insert(position, ids[source])
        return Case({**base, "recipientIds": ids}, f"recipientIds[{position}]", f"recipientIds[{source}] repeated")
    values = {
        "unknown": HEX24.filter(lambda text: text not in known),
        "malformed": MALFORMED_IDS.filter(lambda text: text not in known),
        "not_string": st.one_of(st.integers(), st.none(), st.booleans()),
    }
    value = draw(values[kind])
    index = draw(st.integers(0, len(ids)))
    ids.insert(index, value)
    return Case({**base, "recipientIds": ids}, f"recipientIds[{index}]", f"recipientIds[{index}]={value!r}")


CHANGES: dict[str, Changer] = {
    "SK-REPORT-TYPE": _report_type,
    "SK-CAMPAIGN-REQUIRED": _campaign_required,
    "SK-CAMPAIGN-MAX-10": _max_10,
    "SK-CAMPAIGN-FORMAT": _format,
    "SK-CAMPAIGN-UNIQUE": _unique,
    "SK-CAMPAIGN-KNOWN": _known,
    "SK-PERIOD-FORMAT": _period_format,
    "SK-PERIOD-ORDER": _period_order,
    "SK-SECTIONS": _sections,
    "SK-RECIPIENTS-KNOWN": _recipients,
}


def cases(rule: str, world: World) -> st.SearchStrategy[Case]:
    return CHANGES[rule](world)
