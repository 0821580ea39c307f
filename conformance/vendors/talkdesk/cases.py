"""Create bodies with exactly one thing changed, one strategy per validation rule, each case tagged with
the fields the error must name; now and then a valid variant of the same field, which must pass.
The documented edge values of each rule are in `edges`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from hypothesis import strategies as st

from conformance.strategies import NOT_A_STRING, NOT_AN_OBJECT
from conformance.vendors.talkdesk.spans import (
    DAY,
    FORMATS,
    PREFIX,
    SECOND,
    ZONES,
    Draft,
    Window,
    datetime_pattern,
    drafts,
    known_zones,
    seconds,
    styles,
)

Body = dict[str, Any]


@dataclass(frozen=True)
class Case:
    """A body to send and what must happen: accepted (`fields` None) or refused naming `fields`."""

    body: Any
    fields: tuple[str, ...] | None = None
    change: str = "a valid body"

    @property
    def accepted(self) -> bool:
        return self.fields is None


def valid(draft: Draft, change: str) -> Case:
    return Case(draft.body(), None, change)


def _set(body: Body, path: str, value: Any) -> Body:
    changed = copy.deepcopy(body)
    *parents, last = path.split(".")
    target = changed
    for part in parents:
        target = target[part]
    target[last] = value
    return changed


def drop(body: Body, *paths: str) -> Body:
    changed = copy.deepcopy(body)
    for path in paths:
        *parents, last = path.split(".")
        target = changed
        for part in parents:
            target = target[part]
        target.pop(last, None)
    return changed


def refused(draft: Draft, path: str, value: Any) -> Case:
    return Case(_set(draft.body(), path, value), (path,), f"{path}={value!r}")


Changer = Callable[[Draft, Window], st.SearchStrategy[Case]]


# ---------------------------------------------------------------- TD-BODY-STRUCT

NOT_A_STRING_OR_NULL = NOT_A_STRING.filter(lambda value: value is not None)
WRONG_TYPES: dict[str, st.SearchStrategy[Any]] = {
    "name": NOT_A_STRING,
    "timezone": NOT_A_STRING_OR_NULL,
    "format": NOT_A_STRING,
    "timespan": NOT_AN_OBJECT,
    "timespan.from": NOT_A_STRING,
    "timespan.to": NOT_A_STRING,
    "timespan.timezone": NOT_A_STRING_OR_NULL,
}
EXTRA_FIELDS = st.dictionaries(
    st.sampled_from(["extra", "id", "status", "rows", "timespan_extra"]), st.integers(), max_size=2
)


def _structure(draft: Draft, window: Window) -> st.SearchStrategy[Case]:
    wrong = st.sampled_from(sorted(WRONG_TYPES)).flatmap(
        lambda path: WRONG_TYPES[path].map(lambda value: refused(draft, path, value))
    )
    extras = EXTRA_FIELDS.map(
        lambda extra: Case({**extra, **draft.body()}, None, f"with unknown fields {sorted(extra)}")
    )
    return st.one_of(wrong, wrong, extras)


# ---------------------------------------------------------------- TD-TIMESPAN-REQUIRED

MISSING = (("timespan",), ("timespan.from",), ("timespan.to",), ("timespan.from", "timespan.to"))


def _required(draft: Draft, window: Window) -> st.SearchStrategy[Case]:
    gone = st.sampled_from(MISSING).map(
        lambda paths: Case(drop(draft.body(), *paths), paths, f"{' and '.join(paths)} removed")
    )
    optional = st.sampled_from(
        [
            valid(draft.replace(format=None), "format removed"),
            valid(draft.replace(placement="none", zone="UTC"), "timezone removed"),
        ]
    )
    return st.one_of(gone, gone, optional)


# ---------------------------------------------------------------- TD-DATETIME-FORMAT

NOT_DATETIMES = (
    "2026-11-22",
    "2026-11-22 00:00:00",
    "2026-11-22t00:00:00",
    "2026-11-22T00:00:00z",
    "2026-11-22T00:00",
    "2026-11-22T24:00:00",
    "2026-02-30T00:00:00",
    "2026-13-01T00:00:00",
    "2026-11-22T00:00:00.0000000000",
    "2026-11-22T00:00:00+0100",
    "2026-11-22T00:00:00+24:00",
    "2026-11-22T00:00:00 ",
    "0000-01-01T00:00:00",
    "22/11/2026 00:00",
    "",
    "now",
)


def malformed() -> st.SearchStrategy[str]:
    near = st.sampled_from(NOT_DATETIMES)
    shaped = st.from_regex(r"\A\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,10})?([Zz]|[+-]\d\d:?\d\d)?\Z")
    noise = st.text(max_size=25)
    return st.one_of(near, shaped, noise).filter(lambda text: not datetime_pattern().fullmatch(text))


def _datetime(draft: Draft, window: Window) -> st.SearchStrategy[Case]:
    bad = st.tuples(st.sampled_from(["timespan.from", "timespan.to"]), malformed()).map(
        lambda pair: refused(draft, *pair)
    )
    restyled = st.tuples(styles(), styles()).map(
        lambda pair: valid(
            draft.replace(from_style=pair[0], to_style=pair[1] if window.mixed else pair[0]), f"written as {pair}"
        )
    )
    return st.one_of(bad, bad, restyled)


# ---------------------------------------------------------------- TD-FORMAT-ENUM


def _format(draft: Draft, window: Window) -> st.SearchStrategy[Case]:
    near = st.sampled_from(["CSV", "Json", "xml", "jsonl", "json-bulk", "json_bulk ", "", "pdf"])
    bad = st.one_of(near, st.text(max_size=10)).filter(lambda text: text not in FORMATS)
    good = st.sampled_from(FORMATS).map(lambda name: valid(draft.replace(format=name), f"format={name!r}"))
    return st.one_of(bad.map(lambda value: refused(draft, "format", value)), good)


# ---------------------------------------------------------------- TD-NAME-LEN


def _name(draft: Draft, window: Window) -> st.SearchStrategy[Case]:
    too_long = st.text(min_size=257 - len(PREFIX), max_size=300 - len(PREFIX)).map(lambda text: PREFIX + text)
    bad = st.one_of(st.just(""), too_long).map(lambda value: refused(draft, "name", value))
    fits = st.one_of(st.text(max_size=40), st.text(min_size=256 - len(PREFIX), max_size=256 - len(PREFIX))).map(
        window.clean_name
    )
    good = fits.filter(lambda name: len(name) <= 256).map(
        lambda name: valid(draft.replace(name=name), f"name of {len(name)}")
    )
    return st.one_of(bad, bad, good)


# ---------------------------------------------------------------- TD-TZ-IANA

NOT_ZONES = (
    "utc",
    "europe/lisbon",
    "Europe/Lisboa",
    "GMT+1",
    "+01:00",
    "UTC+1",
    "Lisbon",
    "America/New York",
    "",
    " UTC",
)


def not_zones() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NOT_ZONES), st.text(max_size=16)).filter(lambda text: text not in known_zones())


def _zone(draft: Draft, window: Window) -> st.SearchStrategy[Case]:
    top = not_zones().map(lambda value: refused(draft.replace(placement="top"), "timezone", value))
    inner = not_zones().map(lambda value: refused(draft.replace(placement="inner"), "timespan.timezone", value))
    good = st.tuples(st.sampled_from(ZONES), st.sampled_from(["top", "inner"])).map(
        lambda pair: valid(draft.replace(zone=pair[0], placement=pair[1]), f"timezone {pair[0]} ({pair[1]})")
    )
    return st.one_of(top, inner, good)


# ---------------------------------------------------------------- TD-TO-AFTER-FROM


def _order(draft: Draft, window: Window) -> st.SearchStrategy[Case]:
    def reversed_by(gap: timedelta) -> Case:
        start = draft.end
        return Case(draft.replace(start=start, end=start - gap).body(), ("timespan.to",), f"to {gap} before from")

    bad = seconds(window.max_span).filter(lambda gap: gap > timedelta(0)).map(reversed_by)
    equal = styles().map(
        lambda style: valid(draft.replace(start=draft.end, from_style=style, to_style=style), "to == from")
    )
    return st.one_of(bad, bad, equal)


# ---------------------------------------------------------------- TD-SPAN-31D


def _span(draft: Draft, window: Window) -> st.SearchStrategy[Case]:
    def long_by(extra: timedelta) -> Case:
        body = draft.replace(start=draft.end - window.max_span - extra).body()
        return Case(body, ("timespan",), f"a span of {window.max_span + extra}")

    bad = st.one_of(st.just(SECOND), seconds(60 * DAY).filter(lambda extra: extra > timedelta(0))).map(long_by)
    fits = seconds(window.max_span).map(
        lambda length: valid(draft.replace(start=draft.end - length), f"a span of {length}")
    )
    return st.one_of(bad, bad, fits)


# ---------------------------------------------------------------- TD-TO-FUTURE (mock only)

TOLERANCE = timedelta(seconds=300)


def _future(draft: Draft, window: Window) -> st.SearchStrategy[Case]:
    def ahead(by: timedelta, length: timedelta) -> Draft:
        return draft.replace(start=window.anchor + by - length, end=window.anchor + by)

    lengths = seconds(DAY)
    bad = st.tuples(seconds(30 * DAY).filter(lambda by: by > TOLERANCE), lengths).map(
        lambda pair: Case(ahead(*pair).body(), ("timespan.to",), f"to {pair[0]} after now")
    )
    good = st.tuples(seconds(TOLERANCE), lengths).map(lambda pair: valid(ahead(*pair), f"to {pair[0]} after now"))
    return st.one_of(bad, bad, good)


CHANGES: dict[str, Changer] = {
    "TD-BODY-STRUCT": _structure,
    "TD-TIMESPAN-REQUIRED": _required,
    "TD-DATETIME-FORMAT": _datetime,
    "TD-FORMAT-ENUM": _format,
    "TD-NAME-LEN": _name,
    "TD-TZ-IANA": _zone,
    "TD-TO-AFTER-FROM": _order,
    "TD-SPAN-31D": _span,
    "TD-TO-FUTURE": _future,
}


def cases(rule: str, window: Window) -> st.SearchStrategy[Case]:
    """A valid body with exactly one change for `rule` (or, now and then, a valid variant that must pass)."""
    longest = min(window.longest, window.max_span - DAY)  # a zone change must not push it over the limit
    return drafts(window, longest=longest).flatmap(lambda draft: CHANGES[rule](draft, window))
