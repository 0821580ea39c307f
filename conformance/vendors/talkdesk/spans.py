"""Talkdesk timespans as the suite builds them: instants first, then rendered as the API reads them.

A `Draft` holds the two instants of a job's timespan, the zone they resolve in, where that zone is
sent (TD-TZ-PLACEMENT) and how each date-time is written (wall time, `Z` or an offset, with or
without a fraction). Rendering is exact: a wall time that would not resolve back to its instant
(a gap or a fold) is written with `Z` instead, so the target must read the instants the suite meant.
Every valid span ends at or before the `Window`'s anchor: the mock's clock, or, elsewhere, an hour
before the local clock; the suite never sends a `to` in the future to a real endpoint.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import strategies as st

from conformance.strategies import component_schema, schema_values

PREFIX = "conformance-"  # every job the suite creates is named so
MISSING_PREFIX = "conformance-missing-"  # job ids that exist nowhere
FORMATS = ("csv", "json", "json_bulk")
# Zones whose rules are settled for the years the suite uses; the first one is the base body's.
ZONES = (
    "Europe/Lisbon",
    "UTC",
    "America/New_York",
    "America/Sao_Paulo",
    "America/St_Johns",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Tokyo",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Etc/GMT+5",
)
PLACEMENTS = ("top", "inner", "both", "null_top", "none", "null")
UTC_PLACEMENTS = ("none", "null")
SECOND = timedelta(seconds=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
# Against a real endpoint spans end this long before the local clock, and `from` and `to` are written alike:
# an endpoint that ignores offsets (CONTRACTS 2.13) shifts both by at most 38 h, never into the future.
REAL_MARGIN = 2 * DAY
REAL_LONGEST = DAY  # and generated valid spans are at most this long (the 31-day edges still run)


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@cache
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def datetime_pattern() -> re.Pattern[str]:
    """The schema's date-time pattern (TD-DATETIME-FORMAT)."""
    return re.compile(str(component_schema("talkdesk", "DateTime")["pattern"]))


def whole(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(microsecond=0)


def wall(instant: datetime, zone_name: str) -> str:
    """`YYYY-MM-DD HH:MM:SS` in the zone, as file rows show times."""
    return instant.astimezone(zone(zone_name)).replace(tzinfo=None, microsecond=0).isoformat(sep=" ")


def resolve(text: str, zone_name: str) -> datetime:
    """How CONTRACTS 2.5 reads a date-time: an offset is absolute, else a wall time in the zone (fold 0)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(zone_name), fold=0)
    return value.astimezone(UTC)


@dataclass(frozen=True)
class Style:
    """How one date-time is written: `wall`, `z` or `offset` (minutes east), plus zero fraction digits."""

    kind: str = "wall"
    offset_minutes: int = 0
    fraction: int = 0


WALL, ZULU = Style("wall"), Style("z")


def render(instant: datetime, zone_name: str, style: Style) -> str:
    """The instant written in the style; a wall time that would resolve elsewhere falls back to `Z`."""
    fraction = "." + "0" * style.fraction if style.fraction else ""
    if style.kind == "wall":
        local = instant.astimezone(zone(zone_name)).replace(tzinfo=None).isoformat(timespec="seconds")
        if resolve(local, zone_name) == instant:
            return local + fraction
        style = ZULU
    if style.kind == "z":
        return instant.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + fraction + "Z"
    shift = timedelta(minutes=style.offset_minutes)
    sign = "-" if style.offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(style.offset_minutes), 60)
    local = (instant.astimezone(UTC) + shift).replace(tzinfo=None).isoformat(timespec="seconds")
    return f"{local}{fraction}{sign}{hours:02d}:{minutes:02d}"


@dataclass(frozen=True)
class Draft:
    """A valid (or deliberately broken) job body before rendering."""

    start: datetime
    end: datetime
    zone: str = ZONES[0]
    placement: str = "top"
    other_zone: str = "UTC"  # the zone that loses when the placement is `both`
    from_style: Style = WALL
    to_style: Style = WALL
    name: str | None = PREFIX + "calls"
    format: str | None = "json"

    def replace(self, **changes: Any) -> Draft:
        return dataclasses.replace(self, **changes)

    def timespan(self) -> dict[str, Any]:
        span: dict[str, Any] = {
            "from": render(self.start, self.zone, self.from_style),
            "to": render(self.end, self.zone, self.to_style),
        }
        if self.placement in ("inner", "null_top"):
            span["timezone"] = self.zone
        elif self.placement == "both":
            span["timezone"] = self.other_zone
        return span

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {} if self.name is None else {"name": self.name}
        if self.placement in ("top", "both"):
            body["timezone"] = self.zone
        elif self.placement in ("null_top", "null"):
            body["timezone"] = None
        if self.format is not None:
            body["format"] = self.format
        body["timespan"] = self.timespan()
        return body


@dataclass(frozen=True)
class Window:
    """Where valid spans may lie: ending at or before `anchor`, at most `longest` long."""

    anchor: datetime
    longest: timedelta
    max_span: timedelta = timedelta(days=31)
    fail_marker: str | None = "__fail__"
    mixed: bool = True  # `from` and `to` may be written in different styles (only where offsets surely count)

    def base(self, **changes: Any) -> Draft:
        """The fixed valid body: the day before the anchor's date, wall times in Europe/Lisbon."""
        local = self.anchor.astimezone(zone(ZONES[0]))
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
        end = resolve(midnight.isoformat(), ZONES[0])
        start = max(resolve((midnight - DAY).isoformat(), ZONES[0]), end - self.longest)
        return Draft(start=start, end=end).replace(**changes)

    def clean_name(self, name: str) -> str:
        """A prefixed name of at most 256 characters that does not carry the failure marker."""
        if self.fail_marker:
            name = name.replace(self.fail_marker, "")
        return (PREFIX + name)[:256]


def mock_window(now: datetime, knobs: dict[str, Any]) -> Window:
    """Spans that fit the mock's knobs: within its span limit and (so that no job fails) its row limit."""
    rows = timedelta(seconds=int(knobs["row_limit"]) * int(knobs["row_interval_seconds"]))
    return Window(
        anchor=whole(now),
        longest=min(timedelta(days=min(30.0, float(knobs["max_span_days"]))), rows),
        max_span=timedelta(days=float(knobs["max_span_days"])),
        fail_marker=knobs.get("fail_name_marker"),
    )


def real_window(now: datetime) -> Window:
    return Window(anchor=whole(now - REAL_MARGIN).replace(minute=0, second=0), longest=REAL_LONGEST, mixed=False)


# ---------------------------------------------------------------- strategies


def styles() -> st.SearchStrategy[Style]:
    offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda minutes: Style("offset", minutes))
    plain = st.sampled_from([WALL, WALL, ZULU, Style("offset", 60), Style("offset", -330)])
    return st.builds(
        lambda style, fraction: dataclasses.replace(style, fraction=fraction),
        st.one_of(plain, offsets),
        st.sampled_from([0, 0, 0, 1, 3, 9]),
    )


def names(window: Window) -> st.SearchStrategy[str]:
    return schema_values("talkdesk", "JobName").map(window.clean_name)


def formats() -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), schema_values("talkdesk", "ReportFormat"))


def seconds(longest: timedelta) -> st.SearchStrategy[timedelta]:
    top = int(longest.total_seconds())
    edges = st.sampled_from([edge for edge in (0, 1, 3600, top) if edge <= top])
    return st.one_of(edges, st.integers(0, top)).map(lambda n: timedelta(seconds=n))


@st.composite
def placed_zones(draw: st.DrawFn) -> dict[str, Any]:
    placement = draw(st.sampled_from(PLACEMENTS))
    chosen = "UTC" if placement in UTC_PLACEMENTS else draw(st.sampled_from(ZONES))
    return {"placement": placement, "zone": chosen, "other_zone": draw(st.sampled_from(ZONES))}


@st.composite
def drafts(draw: st.DrawFn, window: Window, *, longest: timedelta | None = None) -> Draft:
    """A valid body: a span of 0 to `longest` ending up to 90 days before the anchor, any zone placement."""
    end = window.anchor - draw(seconds(90 * DAY))
    start = end - draw(seconds(longest if longest is not None else window.longest))
    first = draw(styles())
    return Draft(
        start=start,
        end=end,
        from_style=first,
        to_style=draw(styles()) if window.mixed else first,
        name=draw(names(window)),
        format=draw(formats()),
        **draw(placed_zones()),
    )


def valid_bodies(window: Window) -> st.SearchStrategy[dict[str, Any]]:
    return drafts(window).map(Draft.body)
