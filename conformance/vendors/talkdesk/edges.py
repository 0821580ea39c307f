"""The documented edge values of each validation rule: explicit cases that always run before the
generated ones, whatever `--max-examples` is (31 days exactly and one second more, a DST month in
Lisbon, 256 characters, `to == from`, a `to` 300 and 301 seconds after the mock's now).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from conformance.vendors.talkdesk.cases import MISSING, NOT_DATETIMES, Case, drop, refused, valid
from conformance.vendors.talkdesk.spans import (
    DAY,
    FORMATS,
    PREFIX,
    SECOND,
    WALL,
    ZONES,
    ZULU,
    Draft,
    Style,
    Window,
    resolve,
)

OFFSET = Style("offset", 345, 9)
LONGEST_NAME = PREFIX + "\U0001f600" * (256 - len(PREFIX))


def _explicit_structure(window: Window) -> list[Case]:
    base = window.base()
    return [
        refused(base, path, value)
        for path, value in [("name", None), ("format", None), ("timespan", None), ("timespan.from", 1)]
    ]


def _explicit_required(window: Window) -> list[Case]:
    body = window.base().body()
    return [Case(drop(body, *paths), paths, f"{' and '.join(paths)} removed") for paths in MISSING]


def _explicit_datetime(window: Window) -> list[Case]:
    base = window.base()
    cases = [refused(base, "timespan.from", text) for text in NOT_DATETIMES[:6]]
    return cases + [
        valid(
            base.replace(from_style=ZULU if window.mixed else OFFSET, to_style=OFFSET), "+05:45 with nine zero digits"
        )
    ]


def _explicit_format(window: Window) -> list[Case]:
    base = window.base()
    return [refused(base, "format", "CSV"), refused(base, "format", "xml")] + [
        valid(base.replace(format=name), f"format={name!r}") for name in FORMATS
    ]


def _explicit_name(window: Window) -> list[Case]:
    base = window.base()
    return [
        refused(base, "name", ""),
        refused(base, "name", PREFIX + "x" * (257 - len(PREFIX))),
        valid(base.replace(name=LONGEST_NAME), "a name of 256 code points"),
    ]


def _explicit_zone(window: Window) -> list[Case]:
    base = window.base()
    return [
        refused(base, "timezone", "europe/lisbon"),
        refused(base.replace(placement="inner"), "timespan.timezone", "UTC+1"),
    ]


def _explicit_order(window: Window) -> list[Case]:
    base = window.base()
    cases = [
        Case(base.replace(start=base.end, end=base.end - SECOND).body(), ("timespan.to",), "to 1 s before from"),
        valid(base.replace(start=base.end), "to == from"),
    ]
    mixed = base.replace(start=base.end, from_style=ZULU, to_style=Style("offset", -60))
    return cases + ([valid(mixed, "to == from, other offsets")] if window.mixed else [])


def dst_month(window: Window) -> tuple[Draft, Draft]:
    """October and March in Lisbon as wall times: 31 days and an hour (refused), 31 days less an hour (accepted)."""
    year = (
        window.anchor.year
        if window.anchor >= datetime(window.anchor.year, 11, 2, tzinfo=UTC)
        else window.anchor.year - 1
    )
    lisbon = ZONES[0]

    def month(first: str, last: str) -> Draft:
        return Draft(start=resolve(f"{year}-{first}", lisbon), end=resolve(f"{year}-{last}", lisbon), zone=lisbon)

    return month("10-01T00:00:00", "11-01T00:00:00"), month("03-01T00:00:00", "04-01T00:00:00")


def _explicit_span(window: Window) -> list[Case]:
    base = window.base()
    end = base.end
    october, march = dst_month(window)
    cases = [
        Case(base.replace(start=end - window.max_span - SECOND).body(), ("timespan",), "31 days and 1 s"),
        valid(base.replace(start=end - window.max_span, from_style=WALL, zone="UTC"), "exactly 31 days"),
    ]
    if window.max_span == timedelta(days=31):
        cases += [
            Case(october.body(), ("timespan",), "October in Lisbon (31 days + 1 h)"),
            valid(march, "March in Lisbon"),
        ]
    return cases


def _explicit_future(window: Window) -> list[Case]:
    def ahead(by: int) -> Draft:
        end = window.anchor + timedelta(seconds=by)
        return window.base(start=end - DAY, end=end, zone="UTC", from_style=ZULU, to_style=ZULU)

    return [
        Case(ahead(301).body(), ("timespan.to",), "to 301 s after now"),
        valid(ahead(300), "to 300 s after now"),
        Case(ahead(86400).body(), ("timespan.to",), "to a day after now"),
    ]


EXPLICIT: dict[str, Callable[[Window], list[Case]]] = {
    "TD-BODY-STRUCT": _explicit_structure,
    "TD-TIMESPAN-REQUIRED": _explicit_required,
    "TD-DATETIME-FORMAT": _explicit_datetime,
    "TD-FORMAT-ENUM": _explicit_format,
    "TD-NAME-LEN": _explicit_name,
    "TD-TZ-IANA": _explicit_zone,
    "TD-TO-AFTER-FROM": _explicit_order,
    "TD-SPAN-31D": _explicit_span,
    "TD-TO-FUTURE": _explicit_future,
}
