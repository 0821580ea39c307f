"""Hypothesis properties of POST /v1/reports and the report list (CONTRACTS.md 3.3, 3.10).

Valid bodies come from domain strategies refined by the OpenAPI schemas; each invalid body
changes exactly one thing and the answer must name exactly that field. Every example runs
against a fresh in-process mock.
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from tests.sendkit.support import (
    CATALOGUE,
    NOW,
    REPORT_KEYS,
    REPORTS,
    assert_bad_request,
    auth,
    create_recipient,
    fresh_mock,
    schema,
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIELDS = ("reportType", "campaignIds", "periodStart", "periodEnd", "recipientIds", "sections")
SECTION_NAMES = ("executiveSummary", "campaignPerformance", "mailboxHealth")
NOW_DT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
HEX_IDS = st.from_regex(r"[0-9a-f]{24}", fullmatch=True)
CAMPAIGN_IDS = st.one_of(st.sampled_from(sorted(CATALOGUE)), HEX_IDS)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=4,
)
CLOSED_SECTIONS = {**schema("Sections"), "additionalProperties": False}
OFFSETS = st.sampled_from([None, "Z", "+00:00", "+05:30", "-03:00", "+14:00", "-12:00"])
RECIPIENTS_MADE = 3  # each example creates this many recipients first
PLACEHOLDERS = [f"@{n}" for n in range(RECIPIENTS_MADE)]  # replaced by their ids


# ---------------------------------------------------------------- period text and its oracle


def offset_of(suffix: str | None) -> timedelta:
    if suffix in (None, "Z"):
        return timedelta(0)
    sign = 1 if suffix[0] == "+" else -1
    return sign * timedelta(hours=int(suffix[1:3]), minutes=int(suffix[4:6]))


@st.composite
def period_texts(draw: st.DrawFn, *, end: bool) -> tuple[str, datetime]:
    """A period bound as text (date or date-time, any precision, any offset) and its stored instant."""
    local = draw(st.datetimes(datetime(2000, 1, 1), datetime(2035, 12, 31)))
    if draw(st.booleans()):
        stored = datetime.combine(local.date(), datetime.max.time() if end else datetime.min.time(), tzinfo=UTC)
        return local.date().isoformat(), stored.replace(microsecond=999000 if end else 0)
    precision = draw(st.sampled_from(["minutes", "seconds", "milliseconds", "microseconds"]))
    suffix = draw(OFFSETS)
    local = local.replace(microsecond=0) if precision in ("minutes", "seconds") else local
    local = local.replace(second=0) if precision == "minutes" else local
    text = local.isoformat(timespec=precision) + (suffix or "")
    instant = (local - offset_of(suffix)).replace(tzinfo=UTC)
    return text, instant.replace(microsecond=instant.microsecond // 1000 * 1000)


def stamp(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"


# ---------------------------------------------------------------- valid bodies


@st.composite
def valid_bodies(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A valid generate body with unknown extra fields, and what the mock must store."""
    report_type = draw(st.sampled_from(schema("ReportType")["enum"]))
    body: dict[str, Any] = {"reportType": report_type}
    if report_type == "campaign":
        body["campaignIds"] = draw(st.lists(CAMPAIGN_IDS, min_size=1, max_size=10, unique=True))
    elif draw(st.booleans()):
        body["campaignIds"] = draw(st.lists(st.text(max_size=30), max_size=12))  # type-checked, then ignored
    start = draw(st.one_of(st.none(), period_texts(end=False)))
    finish = draw(st.one_of(st.none(), period_texts(end=True)))
    if start and start[1] > (finish[1] if finish else NOW_DT):
        start = None  # the order rule has its own property
    stored_end = finish[1] if finish else NOW_DT
    stored_start = start[1] if start else stored_end - timedelta(days=30)
    if start:
        body["periodStart"] = start[0]
    if finish:
        body["periodEnd"] = finish[0]
    recipients = draw(st.lists(st.sampled_from(PLACEHOLDERS), unique=True, max_size=RECIPIENTS_MADE))
    if recipients or draw(st.booleans()):
        body["recipientIds"] = recipients
    sections = draw(st.one_of(st.none(), from_schema(CLOSED_SECTIONS)))
    if sections is not None:
        body["sections"] = {**draw(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=2)), **sections}
    extra = draw(st.dictionaries(st.text(max_size=8).filter(lambda k: k not in FIELDS), JSON_VALUES, max_size=2))
    expected = {
        "period": (stamp(stored_start), stamp(stored_end)),
        "sections": {name: (sections or {}).get(name, True) for name in SECTION_NAMES},
    }
    return {**extra, **body}, expected


def with_recipients(http: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    """Create the recipients and put their ids where the body has placeholders."""
    made = {f"@{n}": create_recipient(http, email=f"r{n}@example.com")["_id"] for n in range(RECIPIENTS_MADE)}
    body = copy.deepcopy(body)
    if isinstance(body.get("recipientIds"), list):
        body["recipientIds"] = [made.get(i, i) if isinstance(i, str) else i for i in body["recipientIds"]]
    return body


def title(body: dict[str, Any], campaign: str | None) -> str:
    if campaign is not None:
        return f"{CATALOGUE.get(campaign, 'Campaign ' + campaign[-6:])} Report"
    return {"workspace": "Workspace Report", "organizational": "Organizational Report"}[body["reportType"]]


@FAST
@given(case=valid_bodies())
def test_any_valid_body_queues_one_report_per_campaign(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    sent, expected = case
    with fresh_mock() as http:
        body = with_recipients(http, sent)
        response = http.post(REPORTS, json=body, headers=auth())
        assert response.status_code == 201, response.text
        reports = response.json()["data"]["reports"]
        campaigns = body["campaignIds"] if body["reportType"] == "campaign" else [None]
        assert response.json()["data"]["message"] == (
            f"{len(campaigns)} report{'s' if len(campaigns) > 1 else ''} queued for generation"
        )
        assert [(r["title"], r["reportType"], r["status"]) for r in reports] == [
            (title(body, c), body["reportType"], "queued") for c in campaigns
        ]
        assert [r["id"] for r in reports] == sorted(r["id"] for r in reports)
        for report, campaign in zip(reports, campaigns, strict=True):
            stored = http.get(f"{REPORTS}/{report['id']}", headers=auth()).json()["data"]
            assert list(stored) == REPORT_KEYS
            assert stored == {
                **report,
                "campaignId": campaign,
                "periodStart": expected["period"][0],
                "periodEnd": expected["period"][1],
                "sections": expected["sections"],
                "recipientIds": body.get("recipientIds", []),
                "content": None,
                "error": None,
                "createdAt": NOW,
                "updatedAt": NOW,
                "completedAt": None,
            }
            assert re.fullmatch(r"6b040090[0-9a-f]{16}", stored["id"])


# ---------------------------------------------------------------- one invalid thing

NOT_A_LIST = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=5),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)
NOT_A_STRING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=1),
)
BAD_HEX = st.one_of(
    st.from_regex(r"[0-9a-fA-F]{24}", fullmatch=True).filter(lambda s: s != s.lower()),
    st.from_regex(r"[0-9a-f]{1,23}|[0-9a-f]{25,30}", fullmatch=True),
    st.text(max_size=30).filter(lambda s: not re.fullmatch(r"[0-9a-f]{24}", s)),
)
BAD_PERIOD_TEXT = st.one_of(
    st.sampled_from(["2026-02-29", "2026-04-31", "2026-00-10", "2026-1-01", "26-01-01", "2026-01-01T25:00"]),
    st.sampled_from(["2026-01-01T10:00+1:00", "2026-01-01T10:00:00.Z", "2026-01-01T10", "2026-01-01 ", " 2026-01-01"]),
    st.sampled_from(["2026-W01", "now", ""]),
    st.text(max_size=12).filter(lambda s: not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s)),
)
REPORT_TYPE_MISSES = st.one_of(st.text(max_size=14), NOT_A_STRING).filter(
    lambda v: v not in ("campaign", "workspace", "organizational")
)


@st.composite
def one_invalid(draw: st.DrawFn, body: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """`body` (valid, recipient indexes not yet replaced) with exactly one thing broken, and the field it names."""
    body = copy.deepcopy(body)
    kinds = ["reportType_missing", "reportType_bad", "period_bad", "period_not_string", "period_order"]
    kinds += ["sections_not_object", "section_not_bool", "recipients_not_list", "recipient_unknown", "recipient_repeat"]
    kinds += ["recipient_not_string"]
    if body["reportType"] == "campaign":
        kinds += ["campaigns_missing", "campaigns_empty", "campaigns_eleven", "campaign_bad", "campaign_repeat"]
    kinds += ["campaigns_not_list", "campaign_not_string"]
    kind = draw(st.sampled_from(kinds))
    if kind == "reportType_missing":
        del body["reportType"]
        return body, "reportType"
    if kind == "reportType_bad":
        body["reportType"] = draw(REPORT_TYPE_MISSES)
        return body, "reportType"
    if kind.startswith("period"):
        return _broken_period(draw, body, kind)
    if kind.startswith("section"):
        return _broken_sections(draw, body, kind)
    if kind.startswith("recipient"):
        return _broken_recipients(draw, body, kind)
    return _broken_campaigns(draw, body, kind)


def _broken_period(draw: st.DrawFn, body: dict[str, Any], kind: str) -> tuple[dict[str, Any], str]:
    if kind == "period_order":  # the day after, as a start, is after the day's end
        day = draw(st.dates(datetime(2000, 1, 1).date(), datetime(2035, 12, 30).date()))
        body["periodStart"], body["periodEnd"] = (day + timedelta(days=1)).isoformat(), day.isoformat()
        return body, "periodEnd"
    name = draw(st.sampled_from(["periodStart", "periodEnd"]))
    body[name] = draw(BAD_PERIOD_TEXT) if kind == "period_bad" else draw(NOT_A_STRING)
    return body, name


def _broken_sections(draw: st.DrawFn, body: dict[str, Any], kind: str) -> tuple[dict[str, Any], str]:
    if kind == "sections_not_object":
        body["sections"] = draw(
            st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=3), st.lists(st.booleans(), max_size=2))
        )
        return body, "sections"
    name = draw(st.sampled_from(SECTION_NAMES))
    body.setdefault("sections", {})
    if not isinstance(body["sections"], dict):
        body["sections"] = {}
    body["sections"][name] = draw(
        st.one_of(st.none(), st.integers(), st.text(max_size=4), st.lists(st.booleans(), max_size=1))
    )
    return body, f"sections.{name}"


def _broken_recipients(draw: st.DrawFn, body: dict[str, Any], kind: str) -> tuple[dict[str, Any], str]:
    ids = list(body.get("recipientIds") or [PLACEHOLDERS[0]])
    if kind == "recipients_not_list":
        body["recipientIds"] = draw(NOT_A_LIST)
        return body, "recipientIds"
    position = draw(st.integers(0, len(ids)))
    if kind == "recipient_repeat":
        twin = ids[draw(st.integers(0, len(ids) - 1))]
        position = max(position, ids.index(twin) + 1)
        ids.insert(position, twin)
    else:
        ids.insert(position, draw(NOT_A_STRING) if kind == "recipient_not_string" else draw(BAD_HEX | HEX_IDS))
    body["recipientIds"] = ids
    return body, f"recipientIds[{position}]"


def _broken_campaigns(draw: st.DrawFn, body: dict[str, Any], kind: str) -> tuple[dict[str, Any], str]:
    ids = list(body.get("campaignIds") or [])
    if kind == "campaigns_missing":
        body.pop("campaignIds")
        return body, "campaignIds"
    if kind in ("campaigns_empty", "campaigns_eleven", "campaigns_not_list"):
        body["campaignIds"] = {
            "campaigns_empty": [],
            "campaigns_eleven": [f"{n:024x}" for n in range(11, 11 + draw(st.integers(11, 14)))],
            "campaigns_not_list": draw(NOT_A_LIST),
        }[kind]
        return body, "campaignIds"
    ids = ids if body["reportType"] == "campaign" else [i for i in ids if isinstance(i, str)]
    if kind == "campaign_repeat":
        twin = ids[draw(st.integers(0, len(ids) - 1))]
        position = draw(st.integers(ids.index(twin) + 1, len(ids)))
        ids.insert(position, twin)
    else:
        ids = ids[:9] if body["reportType"] == "campaign" else ids
        position = draw(st.integers(0, len(ids)))
        ids.insert(position, draw(NOT_A_STRING) if kind == "campaign_not_string" else draw(BAD_HEX))
    body["campaignIds"] = ids
    return body, f"campaignIds[{position}]"


@FAST
@given(data=st.data(), case=valid_bodies())
@example(data=None, case=({"reportType": "campaign"}, {}))
def test_one_invalid_thing_is_a_400_naming_exactly_it(
    data: st.DataObject | None, case: tuple[dict[str, Any], Any]
) -> None:
    if data is None:  # the explicit example: a campaign report without campaigns
        broken, field = case[0], "campaignIds"
    else:
        broken, field = data.draw(one_invalid(case[0]), label="broken")
    with fresh_mock() as http:
        body = with_recipients(http, broken)
        response = http.post(REPORTS, json=body, headers=auth())
        assert_bad_request(response, [field])
        assert http.get(REPORTS, headers=auth()).json()["pagination"]["total"] == 0


@FAST
@given(start=period_texts(end=False), end=period_texts(end=True))
def test_period_order_is_checked_on_the_normalised_instants(
    start: tuple[str, datetime], end: tuple[str, datetime]
) -> None:
    body = {"reportType": "workspace", "periodStart": start[0], "periodEnd": end[0]}
    with fresh_mock() as http:
        response = http.post(REPORTS, json=body, headers=auth())
    if start[1] <= end[1]:
        assert response.status_code == 201, response.text
    else:
        assert_bad_request(response, ["periodEnd"])


# ---------------------------------------------------------------- the list


@FAST
@given(count=st.integers(0, 12), limit=st.integers(1, 5), data=st.data())
def test_following_next_cursor_walks_every_report_newest_first(count: int, limit: int, data: st.DataObject) -> None:
    with fresh_mock() as http:
        created = []
        for n in range(count):
            created += [
                r["id"]
                for r in http.post(REPORTS, json={"reportType": "workspace"}, headers=auth()).json()["data"]["reports"]
            ]
            if data.draw(st.booleans(), label=f"tick {n}"):
                http.post("/_mock/clock", json={"advance_seconds": data.draw(st.integers(0, 90000))})
        walked, cursor, pages = [], None, 0
        while True:
            params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
            page = http.get(REPORTS, params=params, headers=auth()).json()
            pages += 1
            walked += [r["id"] for r in page["data"]]
            assert page["pagination"]["total"] == count and page["pagination"]["limit"] == limit
            assert len(page["data"]) <= limit
            cursor = page["pagination"]["nextCursor"]
            assert (cursor is not None) == page["pagination"]["hasMore"]
            if cursor is None:
                break
    assert walked == list(reversed(created))
    assert pages == max(1, -(-count // limit))


@FAST
@given(
    limit=st.one_of(st.none(), st.integers(-3, 130).map(str), st.sampled_from(["", "1.0", "ten", "1e2", "+5", " 5"])),
    cursor=st.one_of(st.none(), HEX_IDS, BAD_HEX),
)
def test_list_rejects_bad_limit_or_cursor_naming_each(limit: str | None, cursor: str | None) -> None:
    params = {name: value for name, value in (("limit", limit), ("cursor", cursor)) if value is not None}
    limit_ok = limit is None or (re.fullmatch(r"-?[0-9]+", limit) is not None and 1 <= int(limit) <= 100)
    cursor_ok = cursor is None or re.fullmatch(r"[0-9a-f]{24}", cursor) is not None
    with fresh_mock() as http:
        response = http.get(REPORTS, params=params, headers=auth())
    if limit_ok and cursor_ok:
        assert response.status_code == 200, response.text
    else:
        assert_bad_request(response, [name for name, ok in (("limit", limit_ok), ("cursor", cursor_ok)) if not ok])


@FAST
@given(offset=st.integers(-14 * 60, 14 * 60), day=st.dates(datetime(1990, 1, 1).date(), datetime(2040, 1, 1).date()))
def test_date_times_with_any_offset_convert_to_utc(offset: int, day: Any) -> None:
    zone = timezone(timedelta(minutes=offset))
    local = datetime(day.year, day.month, day.day, 12, 0, tzinfo=zone)
    body = {"reportType": "workspace", "periodStart": local.isoformat(), "periodEnd": "2040-12-31"}
    with fresh_mock() as http:
        [report] = http.post(REPORTS, json=body, headers=auth()).json()["data"]["reports"]
        stored = http.get(f"{REPORTS}/{report['id']}", headers=auth()).json()["data"]["periodStart"]
    assert stored == stamp(local.astimezone(UTC))
