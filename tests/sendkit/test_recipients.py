"""Report recipients: create, defaults, get, PATCH merges, delete, list, search (CONTRACTS.md 3.3)."""

from __future__ import annotations

import httpx
import pytest

from tests.sendkit.support import (
    CONFLICT,
    FOLLOW_UP,
    NOT_FOUND,
    NOW,
    OTHER_KEY,
    Q1,
    RECIPIENT_KEYS,
    RECIPIENTS,
    advance,
    assert_bad_request,
    auth,
    configure,
    create_recipient,
)

OFF_SCHEDULE = {
    "enabled": False,
    "frequency": "weekly",
    "dayOfWeek": 1,
    "dayOfMonth": None,
    "timeOfDay": "09:00",
    "timezone": "UTC",
    "nextScheduledAt": None,
}


def url(recipient: dict) -> str:
    return f"{RECIPIENTS}/{recipient['_id']}"


def patch(client: httpx.Client, recipient: dict, body: object) -> httpx.Response:
    return client.patch(url(recipient), json=body, headers=auth())


def test_minimal_recipient_gets_the_defaults(client: httpx.Client) -> None:
    response = client.post(RECIPIENTS, json={"name": "Ana Costa", "email": "Ana@Example.COM"}, headers=auth())
    assert response.status_code == 201
    body = response.json()
    assert list(body) == ["success", "data"] and body["success"] is True
    recipient = body["data"]
    assert list(recipient) == RECIPIENT_KEYS
    assert recipient == {
        "_id": recipient["_id"],
        "name": "Ana Costa",
        "email": "ana@example.com",
        "company": None,
        "role": None,
        "reportType": "workspace",
        "campaignIds": [],
        "active": True,
        "schedule": OFF_SCHEDULE,
        "totalReportsSent": 0,
        "createdAt": NOW,
        "updatedAt": NOW,
    }
    assert client.get(url(recipient), headers=auth()).json() == body


def test_a_sent_schedule_is_enabled_with_defaults(client: httpx.Client) -> None:
    recipient = create_recipient(client, schedule={})
    assert recipient["schedule"] == {**OFF_SCHEDULE, "enabled": True, "nextScheduledAt": "2026-11-30T09:00:00.000Z"}
    monthly = create_recipient(client, email="m@example.com", schedule={"frequency": "monthly", "dayOfWeek": 3.0})
    assert monthly["schedule"]["dayOfMonth"] == 1 and monthly["schedule"]["dayOfWeek"] == 3
    assert monthly["schedule"]["nextScheduledAt"] == "2026-12-01T09:00:00.000Z"
    weekly = create_recipient(client, email="w@example.com", schedule={"dayOfMonth": 15, "nextScheduledAt": "x"})
    assert weekly["schedule"]["dayOfMonth"] is None  # only monthly schedules keep a day of month
    assert weekly["schedule"]["nextScheduledAt"] == "2026-11-30T09:00:00.000Z"  # read-only: ignored


def test_campaign_recipients_keep_their_campaigns_and_workspace_ones_drop_them(client: httpx.Client) -> None:
    campaign = create_recipient(client, reportType="campaign", campaignIds=[FOLLOW_UP, Q1])
    assert campaign["campaignIds"] == [FOLLOW_UP, Q1]
    workspace = create_recipient(client, email="w@example.com", campaignIds=["anything"])
    assert workspace["campaignIds"] == [] and workspace["reportType"] == "workspace"


def test_recipient_rules(client: httpx.Client) -> None:
    post = lambda body: client.post(RECIPIENTS, json=body, headers=auth())  # noqa: E731
    assert_bad_request(post({}), ["name", "email"])
    for name in ("", "   ", "\t\n", "x" * 201, None, 5):
        assert_bad_request(post({"name": name, "email": "a@b.co"}), ["name"])
    assert post({"name": "😀" * 200, "email": "a@b.co"}).status_code == 201
    for email in ("ana", "ana@example", "@example.com", "ana@@example.com", "ana @example.com", "a@b.c\n", "", 7):
        assert_bad_request(post({"name": "Ana", "email": email}), ["email"])
    for field in ("company", "role"):
        assert_bad_request(post({"name": "Ana", "email": "c@d.co", field: "x" * 201}), [field])
        assert_bad_request(post({"name": "Ana", "email": "c@d.co", field: 3}), [field])
    assert_bad_request(post({"name": "Ana", "email": "c@d.co", "reportType": "organizational"}), ["reportType"])
    assert_bad_request(post({"name": "Ana", "email": "c@d.co", "reportType": "campaign"}), ["campaignIds"])
    body = {"name": "Ana", "email": "c@d.co", "reportType": "campaign", "campaignIds": [Q1, Q1, "x"]}
    assert_bad_request(post(body), ["campaignIds[1]", "campaignIds[2]"])
    assert_bad_request(post({"name": "Ana", "email": "c@d.co", "schedule": None}), ["schedule"])


@pytest.mark.parametrize(
    ("schedule", "field"),
    [
        ({"enabled": "yes"}, "schedule.enabled"),
        ({"frequency": "hourly"}, "schedule.frequency"),
        ({"dayOfWeek": 7}, "schedule.dayOfWeek"),
        ({"dayOfWeek": -1}, "schedule.dayOfWeek"),
        ({"dayOfWeek": 1.5}, "schedule.dayOfWeek"),
        ({"dayOfWeek": True}, "schedule.dayOfWeek"),
        ({"dayOfMonth": 0}, "schedule.dayOfMonth"),
        ({"dayOfMonth": 32}, "schedule.dayOfMonth"),
        ({"timeOfDay": "24:00"}, "schedule.timeOfDay"),
        ({"timeOfDay": "9:00"}, "schedule.timeOfDay"),
        ({"timeOfDay": "09:60"}, "schedule.timeOfDay"),
        ({"timeOfDay": "09:00:00"}, "schedule.timeOfDay"),
        ({"timezone": "Mars/Olympus"}, "schedule.timezone"),
        ({"timezone": "america/new_york"}, "schedule.timezone"),
        ({"timezone": "localtime"}, "schedule.timezone"),
        ({"timezone": "../../etc/passwd"}, "schedule.timezone"),
        ({"timezone": ""}, "schedule.timezone"),
        ({"timezone": "UTC\x00"}, "schedule.timezone"),
        ({"timezone": 0}, "schedule.timezone"),
    ],
)
def test_sk_rcpt_schedule_fields(client: httpx.Client, schedule: dict, field: str) -> None:
    response = client.post(RECIPIENTS, json={"name": "A", "email": "a@b.co", "schedule": schedule}, headers=auth())
    assert assert_bad_request(response, [field])


def test_sk_rcpt_email_unique_per_workspace_case_insensitively(client: httpx.Client) -> None:
    ana = create_recipient(client, email="ana@example.com")
    bob = create_recipient(client, name="Bob", email="bob@example.com")
    for email in ("ana@example.com", "ANA@EXAMPLE.COM"):
        response = client.post(RECIPIENTS, json={"name": "X", "email": email}, headers=auth())
        assert (response.status_code, response.json()) == (409, CONFLICT)
    assert patch(client, bob, {"email": "Ana@example.com"}).json() == CONFLICT
    assert patch(client, ana, {"email": "ANA@example.com"}).status_code == 200  # its own address
    create_recipient(client, OTHER_KEY, email="ana@example.com")
    client.delete(url(ana), headers=auth())
    create_recipient(client, email="ana@example.com")  # free again


def test_patch_changes_only_what_is_sent_and_merges_the_schedule(client: httpx.Client) -> None:
    ana = create_recipient(client, company="Acme", schedule={"timezone": "Europe/Lisbon", "timeOfDay": "07:30"})
    advance(client, 60)
    response = patch(client, ana, {"role": "CFO", "schedule": {"frequency": "daily"}})
    assert response.status_code == 200
    got = response.json()["data"]
    assert got["role"] == "CFO" and got["company"] == "Acme" and got["name"] == ana["name"]
    assert got["schedule"] == {
        **ana["schedule"],
        "frequency": "daily",
        "nextScheduledAt": "2026-11-24T07:30:00.000Z",
    }
    assert (got["createdAt"], got["updatedAt"]) == (NOW, "2026-11-23T09:01:00.000Z")
    assert client.get(url(ana), headers=auth()).json()["data"] == got
    advance(client, 60)
    unchanged = patch(client, ana, {"role": "CFO", "unknown": 1}).json()["data"]
    assert unchanged == got  # nothing changed: updatedAt stays
    cleared = patch(client, ana, {"company": None}).json()["data"]
    assert cleared["company"] is None


def test_patch_validates_each_field_as_on_create(client: httpx.Client) -> None:
    ana = create_recipient(client)
    assert_bad_request(
        patch(client, ana, {"name": " ", "email": "x", "schedule": {"dayOfWeek": 9}}),
        ["name", "email", "schedule.dayOfWeek"],
    )
    assert_bad_request(patch(client, ana, {"active": "no"}), ["active"])
    assert_bad_request(patch(client, ana, {"reportType": "campaign"}), ["campaignIds"])
    assert_bad_request(patch(client, ana, {"reportType": "campaign", "campaignIds": []}), ["campaignIds"])
    assert client.get(url(ana), headers=auth()).json()["data"] == ana


def test_patch_campaign_rules_follow_the_stored_type(client: httpx.Client) -> None:
    campaign = create_recipient(client, reportType="campaign", campaignIds=[Q1])
    assert_bad_request(patch(client, campaign, {"campaignIds": []}), ["campaignIds"])
    assert_bad_request(patch(client, campaign, {"campaignIds": [Q1, "bad", Q1]}), ["campaignIds[1]", "campaignIds[2]"])
    eleven = [f"{n:024x}" for n in range(11)]
    assert_bad_request(patch(client, campaign, {"campaignIds": eleven}), ["campaignIds"])
    assert patch(client, campaign, {"campaignIds": [FOLLOW_UP]}).json()["data"]["campaignIds"] == [FOLLOW_UP]
    assert patch(client, campaign, {"name": "Still campaign"}).json()["data"]["campaignIds"] == [FOLLOW_UP]
    to_workspace = patch(client, campaign, {"reportType": "workspace"}).json()["data"]
    assert (to_workspace["reportType"], to_workspace["campaignIds"]) == ("workspace", [])
    assert patch(client, campaign, {"campaignIds": ["ignored"]}).status_code == 200
    configure(client, strict_campaigns=True)
    body = {"reportType": "campaign", "campaignIds": [Q1, "0" * 24]}
    assert_bad_request(patch(client, campaign, body), ["campaignIds[1]"])


def test_delete_answers_the_id_and_forgets_the_recipient(client: httpx.Client) -> None:
    ana = create_recipient(client, schedule={"frequency": "daily"})
    response = client.delete(url(ana), headers=auth())
    assert response.json() == {"success": True, "data": {"_id": ana["_id"], "deleted": True}}
    for method in ("GET", "DELETE", "PATCH"):
        assert client.request(method, url(ana), headers=auth(), json={}).json() == NOT_FOUND
    assert advance(client, 7 * 86400) == 0  # its schedule is gone


@pytest.mark.parametrize(
    "bad_id", ["x", "6B0400903C1D9E2F7A000001", "6b0400903c1d9e2f7a00000", "recipients", "%20", "a" * 25]
)
def test_malformed_recipient_ids_are_404_even_with_a_bad_body(client: httpx.Client, bad_id: str) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        response = client.request(method, f"{RECIPIENTS}/{bad_id}", headers=auth(), json={"name": ""})
        assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_list_is_newest_first_with_search(client: httpx.Client) -> None:
    ana = create_recipient(client, name="Ana Costa", email="ana@acme.io", company="Acme")
    bob = create_recipient(client, name="Bob", email="bob@other.io", company="Globex")
    cid = create_recipient(client, name="Cid", email="cid@x.io")
    listed = client.get(RECIPIENTS, headers=auth()).json()
    assert [r["_id"] for r in listed["data"]] == [cid["_id"], bob["_id"], ana["_id"]]
    assert listed["pagination"] == {"limit": 25, "total": 3, "hasMore": False, "nextCursor": None}
    for search, expected in (
        ("ACME", [ana]),
        ("globex", [bob]),
        ("C", [cid, ana]),
        (".io", [cid, bob, ana]),
        ("zz", []),
    ):
        page = client.get(RECIPIENTS, params={"search": search}, headers=auth()).json()
        assert [r["_id"] for r in page["data"]] == [r["_id"] for r in expected], search
        assert page["pagination"]["total"] == len(expected)
    page = client.get(RECIPIENTS, params={"search": "io", "limit": 1, "cursor": cid["_id"]}, headers=auth()).json()
    assert [r["_id"] for r in page["data"]] == [bob["_id"]]
    assert page["pagination"] == {"limit": 1, "total": 3, "hasMore": True, "nextCursor": bob["_id"]}


def test_a_deleted_cursor_still_works_by_position(client: httpx.Client) -> None:
    made = [create_recipient(client, email=f"r{n}@example.com")["_id"] for n in range(5)]
    first = client.get(RECIPIENTS, params={"limit": 2}, headers=auth()).json()
    assert [r["_id"] for r in first["data"]] == [made[4], made[3]]
    client.delete(f"{RECIPIENTS}/{made[3]}", headers=auth())
    rest = client.get(RECIPIENTS, params={"limit": 2, "cursor": first["pagination"]["nextCursor"]}, headers=auth())
    assert [r["_id"] for r in rest.json()["data"]] == [made[2], made[1]]
    assert rest.json()["pagination"] == {"limit": 2, "total": 4, "hasMore": True, "nextCursor": made[1]}
