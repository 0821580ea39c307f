"""Hypothesis properties of report recipients: create, PATCH, uniqueness, search (CONTRACTS.md 3.3).

Valid schedules are generated from the spec's ScheduleInput schema (zones drawn from the
tzdata list); each invalid body changes exactly one thing and must name exactly that field.
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from mockserver.vendors.sendkit.schedule import next_fire, zone_names
from tests.sendkit.support import (
    CATALOGUE,
    CONFLICT,
    NOW,
    RECIPIENT_KEYS,
    RECIPIENTS,
    assert_bad_request,
    auth,
    fresh_mock,
    schema,
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIELDS = ("name", "email", "company", "role", "reportType", "campaignIds", "schedule")
ZONES = sorted(zone_names())
SCHEDULE_INPUT = {**schema("ScheduleInput"), "additionalProperties": False}
SCHEDULE_INPUT["properties"] = {**SCHEDULE_INPUT["properties"], "timezone": {"enum": ZONES[::7] + ["UTC"]}}
DEFAULTS = {
    "enabled": True,
    "frequency": "weekly",
    "dayOfWeek": 1,
    "dayOfMonth": 1,
    "timeOfDay": "09:00",
    "timezone": "UTC",
}
NAMES = st.text(min_size=1, max_size=200).filter(lambda s: not s.isspace() and re.search(r"\S", s))
EMAILS = st.from_regex(r"[a-zA-Z0-9._%+-]{1,12}@[a-zA-Z0-9-]{1,10}\.[a-zA-Z]{2,6}", fullmatch=True)
OPTIONAL_TEXT = st.one_of(st.none(), st.text(max_size=200))
HEX_IDS = st.from_regex(r"[0-9a-f]{24}", fullmatch=True)
NOT_A_STRING = st.one_of(
    st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.lists(st.integers(), max_size=1)
)
NOT_AN_OBJECT = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=4), st.lists(st.integers(), max_size=1)
)


@st.composite
def valid_bodies(draw: st.DrawFn) -> dict[str, Any]:
    body: dict[str, Any] = {"name": draw(NAMES), "email": draw(EMAILS)}
    for name in ("company", "role"):
        if draw(st.booleans()):
            body[name] = draw(OPTIONAL_TEXT)
    report_type = draw(st.sampled_from([None, "workspace", "campaign"]))
    if report_type:
        body["reportType"] = report_type
    if report_type == "campaign":
        body["campaignIds"] = draw(
            st.lists(st.one_of(st.sampled_from(sorted(CATALOGUE)), HEX_IDS), min_size=1, max_size=10, unique=True)
        )
    elif draw(st.booleans()):
        body["campaignIds"] = draw(st.lists(st.text(max_size=5), max_size=3))
    if draw(st.booleans()):
        body["schedule"] = draw(from_schema(SCHEDULE_INPUT))
    extra = draw(
        st.dictionaries(st.sampled_from(["_id", "totalReportsSent", "createdAt", "x"]), st.integers(), max_size=2)
    )
    return {**extra, **body}


def expected_recipient(body: dict[str, Any], recipient_id: str) -> dict[str, Any]:
    sent = body.get("schedule")
    schedule = {**DEFAULTS, "enabled": sent is not None, **{k: v for k, v in (sent or {}).items() if v is not None}}
    schedule["dayOfWeek"] = int(schedule["dayOfWeek"])
    schedule["dayOfMonth"] = int(schedule["dayOfMonth"]) if schedule["frequency"] == "monthly" else None
    fires = schedule["enabled"]
    upcoming = next_fire(schedule, datetime(2026, 11, 23, 9, 0, tzinfo=UTC)) if fires else None
    report_type = body.get("reportType", "workspace")
    return {
        "_id": recipient_id,
        "name": body["name"],
        "email": body["email"].lower(),
        "company": body.get("company"),
        "role": body.get("role"),
        "reportType": report_type,
        "campaignIds": body["campaignIds"] if report_type == "campaign" else [],
        "active": True,
        "schedule": {**schedule, "nextScheduledAt": upcoming and upcoming.strftime("%Y-%m-%dT%H:%M:%S.000Z")},
        "totalReportsSent": 0,
        "createdAt": NOW,
        "updatedAt": NOW,
    }


@FAST
@given(body=valid_bodies())
def test_any_valid_recipient_round_trips(body: dict[str, Any]) -> None:
    with fresh_mock() as http:
        response = http.post(RECIPIENTS, json=body, headers=auth())
        assert response.status_code == 201, response.text
        created = response.json()["data"]
        assert list(created) == RECIPIENT_KEYS
        assert created == expected_recipient(body, created["_id"])
        assert http.get(f"{RECIPIENTS}/{created['_id']}", headers=auth()).json() == response.json()
        assert http.get(RECIPIENTS, headers=auth()).json()["data"] == [created]


SCHEDULE_BAD = {
    "enabled": st.one_of(st.none(), st.integers(), st.text(max_size=3)),
    "frequency": st.one_of(NOT_A_STRING, st.text(max_size=8).filter(lambda v: v not in ("daily", "weekly", "monthly"))),
    "dayOfWeek": st.one_of(st.integers().filter(lambda n: not 0 <= n <= 6), st.sampled_from([1.5, "1", True, None])),
    "dayOfMonth": st.one_of(st.integers().filter(lambda n: not 1 <= n <= 31), st.sampled_from([2.5, "1", False])),
    "timeOfDay": st.one_of(
        NOT_A_STRING, st.text(max_size=6).filter(lambda v: not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", v))
    ),
    "timezone": st.one_of(NOT_A_STRING, st.text(max_size=20).filter(lambda v: v not in zone_names())),
}
ELEVEN = [f"{n:024x}" for n in range(11)]
Q1 = next(iter(CATALOGUE))
# (campaignIds or None for missing, the field the error names) for a campaign recipient
CAMPAIGN_MISTAKES = [
    (None, "campaignIds"), ([], "campaignIds"), ("x", "campaignIds"), (ELEVEN, "campaignIds"),
    ([Q1, "x"], "campaignIds[1]"), ([Q1, Q1], "campaignIds[1]"), ([7], "campaignIds[0]"),
]  # fmt: skip
BAD_VALUES = {
    "name": st.one_of(
        st.just(""), st.text(" \t\n\u3000", min_size=1, max_size=4), st.text(min_size=201, max_size=210), NOT_A_STRING
    ),
    "email": st.one_of(
        st.text(max_size=12).filter(lambda s: not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", s)), NOT_A_STRING
    ),
    "company": st.one_of(st.text(min_size=201, max_size=205), NOT_A_STRING),
    "role": st.one_of(st.text(min_size=201, max_size=205), NOT_A_STRING),
    "reportType": st.one_of(st.sampled_from(["organizational", "Campaign", ""]), NOT_A_STRING, st.none()),
    "schedule": NOT_AN_OBJECT,
}


@st.composite
def one_invalid(draw: st.DrawFn, body: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """`body` with exactly one thing broken, and the field the 400 must name."""
    body = copy.deepcopy(body)
    kind = draw(st.sampled_from([*BAD_VALUES, "schedule_field", "campaigns"]))
    if kind == "schedule_field":
        name = draw(st.sampled_from(sorted(SCHEDULE_BAD)))
        body["schedule"] = {**(body.get("schedule") or {}), name: draw(SCHEDULE_BAD[name])}
        return body, f"schedule.{name}"
    if kind == "campaigns":
        ids, field = draw(st.sampled_from(CAMPAIGN_MISTAKES))
        body["reportType"] = "campaign"
        body.pop("campaignIds", None)
        if ids is not None:
            body["campaignIds"] = ids
        return body, field
    body[kind] = draw(BAD_VALUES[kind])
    return body, kind


@FAST
@given(body=valid_bodies(), data=st.data())
def test_one_invalid_field_on_create_is_a_400_naming_it(body: dict[str, Any], data: st.DataObject) -> None:
    broken, field = data.draw(one_invalid(body), label="broken")
    with fresh_mock() as http:
        assert_bad_request(http.post(RECIPIENTS, json=broken, headers=auth()), [field])
        assert http.get(RECIPIENTS, headers=auth()).json()["data"] == []


@FAST
@given(original=valid_bodies(), update=valid_bodies(), data=st.data())
def test_one_invalid_field_on_patch_changes_nothing(
    original: dict[str, Any], update: dict[str, Any], data: st.DataObject
) -> None:
    broken, field = data.draw(one_invalid(update), label="broken")
    head = re.split(r"[.\[]", field, maxsplit=1)[0]
    keep = {head, "reportType"} if head == "campaignIds" else {head}
    broken = {k: v for k, v in broken.items() if k in keep}
    if head == "campaignIds" and "campaignIds" not in broken:
        broken["campaignIds"] = []  # a PATCH to campaign with no ids at all is the same mistake
    with fresh_mock() as http:
        created = http.post(RECIPIENTS, json=original, headers=auth()).json()["data"]
        url = f"{RECIPIENTS}/{created['_id']}"
        assert_bad_request(http.patch(url, json=broken, headers=auth()), [field])
        assert http.get(url, headers=auth()).json()["data"] == created


CHANGES = {
    "name": NAMES,
    "email": EMAILS.map(lambda e: "new." + e),
    "company": OPTIONAL_TEXT,
    "role": OPTIONAL_TEXT,
    "active": st.booleans(),
    "schedule": from_schema(SCHEDULE_INPUT),
    "reportType": st.sampled_from(["workspace", "campaign"]),
}
LATER = "2026-11-23T09:01:00.000Z"


def expected_schedule(stored: dict[str, Any], sent: dict[str, Any]) -> dict[str, Any]:
    schedule = {**stored, **{k: v for k, v in sent.items() if v is not None}}
    schedule["dayOfWeek"] = int(schedule["dayOfWeek"])
    monthly = schedule["frequency"] == "monthly"
    schedule["dayOfMonth"] = int(schedule["dayOfMonth"] or 1) if monthly else None
    return schedule


@FAST
@given(original=valid_bodies(), data=st.data())
def test_valid_patch_changes_exactly_what_is_sent(original: dict[str, Any], data: st.DataObject) -> None:
    sent = data.draw(st.sets(st.sampled_from(sorted(CHANGES))), label="fields sent")
    body = {name: data.draw(CHANGES[name], label=name) for name in sorted(sent)}
    if body.get("reportType") == "campaign":
        body["campaignIds"] = data.draw(st.lists(HEX_IDS, min_size=1, max_size=10, unique=True), label="campaignIds")
    with fresh_mock() as http:
        created = http.post(RECIPIENTS, json=original, headers=auth()).json()["data"]
        http.post("/_mock/clock", json={"advance_seconds": 60})
        response = http.patch(f"{RECIPIENTS}/{created['_id']}", json=body, headers=auth())
        assert response.status_code == 200, response.text
        got = response.json()["data"]
        assert http.get(f"{RECIPIENTS}/{created['_id']}", headers=auth()).json()["data"] == got
    expected = {**created, **{k: v for k, v in body.items() if k != "schedule"}}
    expected["email"] = expected["email"].lower()
    if "reportType" in body:
        expected["campaignIds"] = body.get("campaignIds", [])
    stored = {k: v for k, v in created["schedule"].items() if k != "nextScheduledAt"}
    schedule = expected_schedule(stored, body.get("schedule", {}))
    expected["schedule"] = {**schedule, "nextScheduledAt": got["schedule"]["nextScheduledAt"]}
    changed = {k for k in RECIPIENT_KEYS if k != "updatedAt" and expected[k] != created[k]}
    expected["updatedAt"] = LATER if changed else NOW
    assert got == expected
    if not (schedule["enabled"] and expected["active"]):
        assert got["schedule"]["nextScheduledAt"] is None
    elif changed & {"schedule", "active"}:  # re-armed from the PATCH's time
        upcoming = next_fire(schedule, datetime(2026, 11, 23, 9, 1, tzinfo=UTC))
        assert got["schedule"]["nextScheduledAt"] == upcoming.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    else:
        assert got["schedule"]["nextScheduledAt"] == created["schedule"]["nextScheduledAt"]


@FAST
@given(email=EMAILS, data=st.data())
def test_an_email_is_taken_whatever_its_case(email: str, data: st.DataObject) -> None:
    other = "".join(data.draw(st.sampled_from([c.lower(), c.upper()])) for c in email)
    with fresh_mock() as http:
        assert http.post(RECIPIENTS, json={"name": "A", "email": email}, headers=auth()).status_code == 201
        response = http.post(RECIPIENTS, json={"name": "B", "email": other}, headers=auth())
        assert (response.status_code, response.json()) == (409, CONFLICT)
        assert http.post(RECIPIENTS, json={"name": "B", "email": other}, headers=auth("sk_other")).status_code == 201


PEOPLE = st.lists(
    st.tuples(
        st.text("abcAB é", min_size=1, max_size=6),
        st.text("abAB", min_size=1, max_size=4),
        st.one_of(st.none(), st.text("abcAB", max_size=4)),
    ),
    max_size=8,
)


@FAST
@given(people=PEOPLE, search=st.text("abcAB@.é", max_size=3), limit=st.integers(1, 4))
def test_search_matches_name_email_or_company_case_insensitively(people: list, search: str, limit: int) -> None:
    with fresh_mock() as http:
        made = []
        for n, (name, local, company) in enumerate(people):
            body = {"name": name if name.strip() else "x", "email": f"{local}{n}@ex.io", "company": company}
            made.append(http.post(RECIPIENTS, json=body, headers=auth()).json()["data"])
        page = http.get(RECIPIENTS, params={"search": search, "limit": limit}, headers=auth()).json()
    needle = search.lower()
    fields = ("name", "email", "company")
    matches = [r for r in reversed(made) if any(needle in (r[f] or "").lower() for f in fields)]
    assert page["pagination"]["total"] == len(matches)
    assert [r["_id"] for r in page["data"]] == [r["_id"] for r in matches[:limit]]
    assert page["pagination"]["hasMore"] is (len(matches) > limit)
