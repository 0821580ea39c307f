"""POST /v1/reports: one example per rule id of the generate table (CONTRACTS.md 3.3, 3.10)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.sendkit.support import (
    BAD_REQUEST,
    FOLLOW_UP,
    KEY,
    NOW,
    Q1,
    REENGAGE,
    REPORT_KEYS,
    REPORTS,
    assert_bad_request,
    auth,
    configure,
    create_recipient,
    generate,
    get_report,
)

UNKNOWN = "0123456789abcdef01234567"


def post(client: httpx.Client, body: Any, key: str = KEY) -> httpx.Response:
    return client.post(REPORTS, json=body, headers=auth(key))


def details(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 400, response.text
    return response.json()["details"]


def test_generate_answers_the_page_body_and_stores_the_full_report(client: httpx.Client) -> None:
    body = {"reportType": "campaign", "campaignIds": [Q1, FOLLOW_UP], "periodStart": "2026-01-01"}
    response = post(client, {**body, "periodEnd": "2026-04-17", "sections": {"mailboxHealth": False}})
    assert response.status_code == 201
    data = response.json()["data"]
    assert [report["title"] for report in data["reports"]] == ["Q1 Outreach Report", "Follow-up Campaign Report"]
    assert data["message"] == "2 reports queued for generation"
    first, second = (get_report(client, report["id"]) for report in data["reports"])
    assert list(first) == REPORT_KEYS
    assert first == {
        "id": data["reports"][0]["id"],
        "title": "Q1 Outreach Report",
        "reportType": "campaign",
        "status": "queued",
        "campaignId": Q1,
        "periodStart": "2026-01-01T00:00:00.000Z",
        "periodEnd": "2026-04-17T23:59:59.999Z",
        "sections": {"executiveSummary": True, "campaignPerformance": True, "mailboxHealth": False},
        "recipientIds": [],
        "content": None,
        "error": None,
        "createdAt": NOW,
        "updatedAt": NOW,
        "completedAt": None,
    }
    assert second["campaignId"] == FOLLOW_UP and second["id"] > first["id"]


@pytest.mark.parametrize(
    ("report_type", "title"), [("workspace", "Workspace Report"), ("organizational", "Organizational Report")]
)
def test_workspace_and_organizational_reports_are_one_report(
    client: httpx.Client, report_type: str, title: str
) -> None:
    ignored = ["x", "not validated", Q1, Q1] + ["y"] * 20
    [report] = generate(client, reportType=report_type, campaignIds=ignored)
    assert report["title"] == title
    stored = get_report(client, report["id"])
    assert stored["campaignId"] is None and stored["reportType"] == report_type


def test_sk_report_type_is_required_and_enumerated(client: httpx.Client) -> None:
    assert details(post(client, {})) == [{"field": "reportType", "message": "This field is required"}]
    for bad in ("Campaign", "weekly", "", None, 1, ["campaign"]):
        assert_bad_request(post(client, {"reportType": bad}), ["reportType"])


def test_sk_campaign_required_and_max_10(client: httpx.Client) -> None:
    message = "A campaign report needs between 1 and 10 campaign ids"
    for body in ({"reportType": "campaign"}, {"reportType": "campaign", "campaignIds": []}):
        assert details(post(client, body)) == [{"field": "campaignIds", "message": message}]
    eleven = [f"{n:024x}" for n in range(11)]
    assert details(post(client, {"reportType": "campaign", "campaignIds": eleven})) == [
        {"field": "campaignIds", "message": message}
    ]
    assert len(generate(client, reportType="campaign", campaignIds=eleven[:10])) == 10


def test_sk_campaign_format_names_each_bad_item(client: httpx.Client) -> None:
    ids = [Q1, Q1.upper(), "664f0a1b2c3d4e5f6a7b8c0", 7, None, FOLLOW_UP + "0"]
    found = details(post(client, {"reportType": "campaign", "campaignIds": ids}))
    assert [item["field"] for item in found] == [f"campaignIds[{n}]" for n in range(1, 6)]
    for bad in ("664f0a1b2c3d4e5f6a7b8c01", {"id": Q1}, None, 3):
        assert_bad_request(post(client, {"reportType": "campaign", "campaignIds": bad}), ["campaignIds"])
    for report_type in ("workspace", "organizational"):  # type-checked, not otherwise
        assert_bad_request(post(client, {"reportType": report_type, "campaignIds": "x"}), ["campaignIds"])
        assert_bad_request(post(client, {"reportType": report_type, "campaignIds": [1]}), ["campaignIds[0]"])


def test_sk_campaign_unique_names_every_repeat(client: httpx.Client) -> None:
    found = details(post(client, {"reportType": "campaign", "campaignIds": [Q1, FOLLOW_UP, Q1, Q1, FOLLOW_UP]}))
    assert found == [{"field": f"campaignIds[{n}]", "message": "Duplicate campaign id"} for n in (2, 3, 4)]


def test_sk_campaign_known_only_with_strict_campaigns(client: httpx.Client) -> None:
    [report] = generate(client, reportType="campaign", campaignIds=[UNKNOWN])
    assert report["title"] == "Campaign 234567 Report"
    configure(client, strict_campaigns=True)
    found = details(post(client, {"reportType": "campaign", "campaignIds": [Q1, UNKNOWN, REENGAGE]}))
    assert found == [{"field": "campaignIds[1]", "message": "Unknown campaign"}]
    configure(client, campaigns=[{"id": UNKNOWN, "name": "Winter"}])  # the catalogue is read live
    [report] = generate(client, reportType="campaign", campaignIds=[UNKNOWN])
    assert report["title"] == "Winter Report"
    assert_bad_request(post(client, {"reportType": "campaign", "campaignIds": [Q1]}), ["campaignIds[0]"])


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("2026-01-01", "2026-01-01T00:00:00.000Z"),
        ("2026-01-01T10:20", "2026-01-01T10:20:00.000Z"),
        ("2026-01-01T10:20:30Z", "2026-01-01T10:20:30.000Z"),
        ("2026-01-01T10:20:30.123456789Z", "2026-01-01T10:20:30.123Z"),
        ("2026-01-01T01:00:00+02:00", "2025-12-31T23:00:00.000Z"),
        ("2026-01-01T22:30:00.5-03:30", "2026-01-02T02:00:00.500Z"),
        ("2030-06-01", "2030-06-01T00:00:00.000Z"),  # future dates are allowed
    ],
)
def test_period_start_is_normalised_to_utc_milliseconds(client: httpx.Client, sent: str, stored: str) -> None:
    [report] = generate(client, periodStart=sent, periodEnd="2030-12-31")
    got = get_report(client, report["id"])
    assert (got["periodStart"], got["periodEnd"]) == (stored, "2030-12-31T23:59:59.999Z")


def test_period_defaults_to_the_30_days_before_now(client: httpx.Client) -> None:
    [report] = generate(client)
    got = get_report(client, report["id"])
    assert (got["periodStart"], got["periodEnd"]) == ("2026-10-24T09:00:00.000Z", NOW)
    [report] = generate(client, periodEnd="2026-03-01")
    got = get_report(client, report["id"])
    assert (got["periodStart"], got["periodEnd"]) == ("2026-01-30T23:59:59.999Z", "2026-03-01T23:59:59.999Z")
    [report] = generate(client, periodStart="2026-11-23T09:00:00Z")  # equal to the defaulted end
    assert get_report(client, report["id"])["periodEnd"] == NOW


BAD_PERIODS = [
    *("2026-02-30", "2026-13-01", "0000-01-01", "2026-1-1", "20260101", "2026-01-01T24:00", "2026-01-01 10:00"),
    *("2026-01-01T10:00+24:00", "2026-01-01t10:00", "yesterday", "", "2026-01-01\n", 20260101, None),
    *("0001-01-01T00:00+01:00", "9999-12-31T23:00-02:00"),  # outside the calendar once in UTC
]


def test_sk_period_format(client: httpx.Client) -> None:
    for bad in BAD_PERIODS:
        found = details(post(client, {"reportType": "workspace", "periodStart": bad}))
        assert [item["field"] for item in found] == ["periodStart"], bad
        assert_bad_request(post(client, {"reportType": "workspace", "periodEnd": bad}), ["periodEnd"])


def test_sk_period_order(client: httpx.Client) -> None:
    body = {"reportType": "workspace", "periodStart": "2026-01-02", "periodEnd": "2026-01-01"}
    assert details(post(client, body)) == [{"field": "periodEnd", "message": "Must not be before periodStart"}]
    same_day = {**body, "periodStart": "2026-01-01T23:59:59.999Z"}
    assert post(client, same_day).status_code == 201
    later = {**body, "periodStart": "2026-01-01T23:59:59.9995Z"}  # the same millisecond once normalised
    assert post(client, later).status_code == 201
    future_start = {"reportType": "workspace", "periodStart": "2026-11-23T09:00:00.001Z"}  # after the defaulted end
    assert details(post(client, future_start)) == [
        {"field": "periodStart", "message": "Must not be after periodEnd (now)"}
    ]


def test_sk_sections_default_true_drop_unknown_keys_and_type_check(client: httpx.Client) -> None:
    [report] = generate(client, sections={"mailboxHealth": False, "extra": "anything", "executivesummary": 1})
    assert get_report(client, report["id"])["sections"] == {
        "executiveSummary": True,
        "campaignPerformance": True,
        "mailboxHealth": False,
    }
    found = details(
        post(client, {"reportType": "workspace", "sections": {"executiveSummary": "yes", "mailboxHealth": 0}})
    )
    assert found == [
        {"field": "sections.executiveSummary", "message": "Must be a boolean"},
        {"field": "sections.mailboxHealth", "message": "Must be a boolean"},
    ]
    for bad in (None, [], "all", True):
        assert_bad_request(post(client, {"reportType": "workspace", "sections": bad}), ["sections"])


def test_sk_recipients_known_and_unique(client: httpx.Client) -> None:
    ana = create_recipient(client)
    [report] = generate(client, recipientIds=[ana["_id"]])
    assert get_report(client, report["id"])["recipientIds"] == [ana["_id"]]
    found = details(post(client, {"reportType": "workspace", "recipientIds": [ana["_id"], UNKNOWN, "x", ana["_id"]]}))
    assert found == [{"field": "recipientIds[3]", "message": "Duplicate recipient id"}]
    found = details(post(client, {"reportType": "workspace", "recipientIds": [UNKNOWN, ana["_id"], "x"]}))
    assert [item["field"] for item in found] == ["recipientIds[0]", "recipientIds[2]"]
    assert {item["message"] for item in found} == {"Unknown recipient"}
    for bad in ("x", [1], None):
        assert details(post(client, {"reportType": "workspace", "recipientIds": bad}))


def test_every_problem_is_listed_in_field_order(client: httpx.Client) -> None:
    body = {
        "sections": {"mailboxHealth": "no"},
        "recipientIds": "all",
        "periodEnd": "2026-02-30",
        "periodStart": "soon",
        "campaignIds": [Q1, "bad", Q1],
        "reportType": "campaign",
    }
    fields = [item["field"] for item in details(post(client, body))]
    assert fields == [
        "campaignIds[1]",
        "campaignIds[2]",
        "periodStart",
        "periodEnd",
        "recipientIds",
        "sections.mailboxHealth",
    ]


def test_domain_rules_run_after_the_schema(client: httpx.Client) -> None:
    configure(client, strict_campaigns=True)
    body = {"reportType": "campaign", "campaignIds": [UNKNOWN], "recipientIds": [UNKNOWN], "sections": 1}
    assert_bad_request(post(client, body), ["sections"])
    body = {"reportType": "campaign", "campaignIds": [UNKNOWN], "recipientIds": [UNKNOWN], "periodStart": "2099-01-01"}
    assert_bad_request(post(client, body), ["campaignIds[0]", "periodStart", "recipientIds[0]"])
    assert client.get(REPORTS, headers=auth()).json()["pagination"]["total"] == 0


def test_unknown_and_read_only_fields_are_ignored(client: httpx.Client) -> None:
    body = {"reportType": "workspace", "id": "x", "status": "completed", "content": {}, "title": "Mine", "zzz": [1]}
    [report] = post(client, body).json()["data"]["reports"]
    assert report["status"] == "queued" and report["title"] == "Workspace Report"


def test_body_must_be_a_json_object_with_a_json_content_type(client: httpx.Client) -> None:
    cases = [
        (b'{"reportType": "workspace"}', "text/plain"),
        (b'{"reportType": "workspace"}', None),
        (b"{", "application/json"),
        (b"", "application/json"),
        (b"[]", "application/json"),
        (b'"workspace"', "application/json"),
        (b"\xff\xfe", "application/json"),
        (b'{"reportType": NaN}', "application/json"),
    ]
    for raw, content_type in cases:
        headers = {**auth(), **({"Content-Type": content_type} if content_type else {})}
        response = client.post(REPORTS, content=raw, headers=headers)
        assert response.status_code == 400, raw
        body = response.json()
        assert {key: body[key] for key in ("error", "message", "code")} == BAD_REQUEST
        assert [item["field"] for item in body["details"]] == ["body"]
    ok = client.post(
        REPORTS,
        content=b'{"reportType":"workspace"}',
        headers={**auth(), "Content-Type": "application/vnd.x+json; charset=utf-8"},
    )
    assert ok.status_code == 201
