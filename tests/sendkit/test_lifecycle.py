"""Report lifecycle, failure injection, outbox deliveries and contents (CONTRACTS.md 3.6, 3.7)."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest

from tests.sendkit.support import (
    CATALOGUE,
    FOLLOW_UP,
    KEY,
    NOW,
    PLATFORM_KEY,
    Q1,
    REPORTS,
    WORKSPACE,
    advance,
    auth,
    configure,
    create_recipient,
    generate,
    get_report,
    outbox,
)

PERIOD = ("2026-01-01T00:00:00.000Z", "2026-04-17T23:59:59.999Z")


def h(seed: int, *parts: str) -> list[int]:
    """The oracle of CONTRACTS.md 0.4: u(0..7) of SHA-256("|".join([seed, "sendkit", *parts]))."""
    digest = hashlib.sha256("|".join([str(seed), "sendkit", *parts]).encode()).digest()
    return [int.from_bytes(digest[4 * k : 4 * k + 4], "big") for k in range(8)]


def counts(u: list[int]) -> dict[str, int]:
    sent = 500 + u[0] % 9500
    opened = u[1] % (sent + 1)
    return {"emailsSent": sent, "opened": opened, "replied": u[2] % (opened + 1), "bounced": u[3] % (sent // 20 + 1)}


def health(u: list[int]) -> dict[str, int]:
    boxes = 1 + u[0] % 10
    warning = u[1] % (boxes + 1)
    critical = u[2] % (boxes - warning + 1)
    return {"mailboxes": boxes, "healthy": boxes - warning - critical, "warning": warning, "critical": critical}


def expected_content(subject: str, campaigns: list[tuple[str, str]], period: tuple[str, str]) -> dict[str, Any]:
    return {
        "executiveSummary": counts(h(0, subject, *period)),
        "campaignPerformance": [{"campaignId": c, "name": n, **counts(h(0, c, *period))} for c, n in campaigns],
        "mailboxHealth": health(h(0, subject, *period, "mailboxes")),
    }


def statuses(client: httpx.Client, report_id: str) -> str:
    return get_report(client, report_id)["status"]


def test_time_progression_queued_5s_then_generating_20s(client: httpx.Client) -> None:
    [report] = generate(client)
    advance(client, 4.999)
    assert statuses(client, report["id"]) == "queued"
    advance(client, 0.001)
    got = get_report(client, report["id"])
    assert (got["status"], got["updatedAt"]) == ("generating", "2026-11-23T09:00:05.000Z")
    advance(client, 19.999)
    assert statuses(client, report["id"]) == "generating"
    assert outbox(client) == []
    advance(client, 0.001)
    got = get_report(client, report["id"])
    assert got["status"] == "completed" and got["error"] is None
    assert got["completedAt"] == got["updatedAt"] == "2026-11-23T09:00:25.000Z"
    assert got["createdAt"] == NOW


def test_step_seconds_are_knobs(client: httpx.Client) -> None:
    configure(client, step_seconds={"queued": 0, "generating": 60})
    [report] = generate(client)
    assert statuses(client, report["id"]) == "generating"
    advance(client, 60)
    assert statuses(client, report["id"]) == "completed"
    configure(client, step_seconds={"queued": 1})  # a table knob merges
    assert client.get("/_mock/config").json()["sendkit"]["step_seconds"] == {"queued": 1, "generating": 60}
    for bad in ({"done": 1}, {"queued": -1}, {"generating": "5"}):
        assert client.put("/_mock/config", json={"sendkit": {"step_seconds": bad}}).status_code == 400


def test_polls_mode_moves_one_step_per_polls_per_step_reads(client: httpx.Client) -> None:
    configure(client, progression="polls", polls_per_step=2)
    [report] = generate(client)
    advance(client, 3600)
    seen = [statuses(client, report["id"]) for _ in range(6)]
    assert seen == ["queued", "generating", "generating", "completed", "completed", "completed"]
    assert client.get(REPORTS, headers=auth()).json()["data"][0]["status"] == "completed"


def test_immediate_mode_is_terminal_by_the_next_request(client: httpx.Client) -> None:
    configure(client, progression="immediate")
    [report] = generate(client)
    assert report["status"] == "queued"  # the answer to generate itself
    got = get_report(client, report["id"])
    assert got["status"] == "completed" and got["completedAt"] == NOW


def test_report_ready_webhook_carries_the_completed_report(client: httpx.Client) -> None:
    body = {"campaignIds": [Q1, FOLLOW_UP], "periodStart": "2026-01-01", "periodEnd": "2026-04-17"}
    first, second = generate(client, reportType="campaign", **body)
    advance(client, 25)
    entries = outbox(client)
    assert [(e["kind"], e["resource_id"], e["destination"], e["at"]) for e in entries] == [
        ("report_ready", first["id"], "webhook", "2026-11-23T09:00:25Z"),
        ("report_ready", second["id"], "webhook", "2026-11-23T09:00:25Z"),
    ]
    assert entries[0]["tenant"] == KEY
    assert entries[0]["payload"] == {"event": "report.completed", "data": get_report(client, first["id"])}
    assert get_report(client, first["id"])["content"] == {
        **expected_content(Q1, [(Q1, CATALOGUE[Q1])], PERIOD),
    }


def test_content_of_workspace_and_organizational_reports(client: httpx.Client) -> None:
    period = {"periodStart": "2026-01-01", "periodEnd": "2026-04-17"}
    [workspace] = generate(client, reportType="workspace", **period)
    response = client.post(
        REPORTS, json={"reportType": "organizational", **period}, headers=auth(PLATFORM_KEY, WORKSPACE)
    )
    [org] = response.json()["data"]["reports"]
    advance(client, 25)
    workspace_id = hashlib.sha256(KEY.encode()).hexdigest()[:24]
    catalogue = list(CATALOGUE.items())
    assert get_report(client, workspace["id"])["content"] == expected_content(workspace_id, catalogue, PERIOD)
    org_content = client.get(f"{REPORTS}/{org['id']}", headers=auth(PLATFORM_KEY, WORKSPACE)).json()["data"]["content"]
    assert org_content == expected_content(f"org:{WORKSPACE}", catalogue, PERIOD)


def test_content_has_only_the_enabled_sections(client: httpx.Client) -> None:
    for sections, keys in (
        ({"executiveSummary": False}, ["campaignPerformance", "mailboxHealth"]),
        ({"campaignPerformance": False, "mailboxHealth": False}, ["executiveSummary"]),
        ({"executiveSummary": False, "campaignPerformance": False, "mailboxHealth": False}, []),
    ):
        [report] = generate(client, sections=sections)
        advance(client, 25)
        assert list(get_report(client, report["id"])["content"]) == keys


def test_unknown_campaigns_get_their_fallback_name_in_content(client: httpx.Client) -> None:
    unknown = "0123456789abcdef01234567"
    [report] = generate(
        client, reportType="campaign", campaignIds=[unknown], periodStart="2026-01-01", periodEnd="2026-04-17"
    )
    advance(client, 25)
    content = get_report(client, report["id"])["content"]
    assert content["campaignPerformance"] == [
        {"campaignId": unknown, "name": "Campaign 234567", **counts(h(0, unknown, *PERIOD))}
    ]


def test_contents_depend_on_seed_and_inputs_only() -> None:
    from mockserver import create_app
    from mockserver.inprocess import client_for

    def content(seed: int, noise: int) -> dict[str, Any]:
        with client_for(create_app(seed=seed)) as http:
            for _ in range(noise):
                generate(http, "sk_noise", reportType="organizational")
            [report] = generate(
                http, reportType="campaign", campaignIds=[Q1], periodStart="2026-01-01", periodEnd="2026-04-17"
            )
            advance(http, 25 + noise)
            return get_report(http, report["id"])["content"]

    assert content(3, 0) == content(3, 4) != content(4, 0)


@pytest.mark.parametrize("knob", ["fail_campaign_ids", "fail_report_types"])
def test_fail_knobs_fail_matching_reports_after_generating(client: httpx.Client, knob: str) -> None:
    configure(client, **{knob: [FOLLOW_UP] if knob == "fail_campaign_ids" else ["campaign"]})
    ana = create_recipient(client)
    first, second = generate(client, reportType="campaign", campaignIds=[FOLLOW_UP, Q1], recipientIds=[ana["_id"]])
    advance(client, 5)
    assert statuses(client, first["id"]) == "generating"
    advance(client, 20)
    failed = get_report(client, first["id"])
    assert (failed["status"], failed["error"], failed["content"]) == ("failed", "Report generation failed", None)
    assert failed["completedAt"] == "2026-11-23T09:00:25.000Z"
    kinds = [(e["kind"], e["resource_id"]) for e in outbox(client)]
    if knob == "fail_campaign_ids":
        assert kinds == [("report_failed", first["id"]), ("report_ready", second["id"]), ("report_email", second["id"])]
    else:
        assert kinds == [("report_failed", first["id"]), ("report_failed", second["id"])]
    assert outbox(client, kind="report_failed")[0]["payload"] == {"event": "report.failed", "data": failed}


def test_failure_rules_from_the_control_plane(client: httpx.Client) -> None:
    rule = {"vendor": "sendkit", "name_contains": "Follow-up", "step": "queued", "times": 1}
    assert client.post("/_mock/failures", json=rule).status_code == 201
    assert client.post("/_mock/failures", json={"vendor": "sendkit", "name_contains": "Workspace"}).status_code == 201
    q1, follow_up, again = generate(client, reportType="campaign", campaignIds=[Q1, FOLLOW_UP, "0" * 24])
    [second_follow_up] = generate(client, reportType="campaign", campaignIds=[FOLLOW_UP])
    [workspace] = generate(client)
    advance(client, 5)
    assert statuses(client, follow_up["id"]) == "failed"  # failed on leaving queued
    assert statuses(client, workspace["id"]) == "generating"
    advance(client, 20)
    assert [statuses(client, r["id"]) for r in (q1, again, second_follow_up, workspace)] == [
        "completed", "completed", "completed", "failed"
    ]  # fmt: skip


def test_report_email_per_recipient_counts_total_reports_sent(client: httpx.Client) -> None:
    ana = create_recipient(client)
    bob = create_recipient(client, name="Bob", email="Bob@Example.com")
    [report] = generate(client, recipientIds=[bob["_id"], ana["_id"]])
    advance(client, 25)
    emails = outbox(client, kind="report_email")
    completed = get_report(client, report["id"])
    assert [(e["destination"], e["resource_id"], e["at"]) for e in emails] == [
        ("bob@example.com", report["id"], "2026-11-23T09:00:25Z"),
        ("ana@example.com", report["id"], "2026-11-23T09:00:25Z"),
    ]
    assert emails[0]["payload"] == {
        "recipientId": bob["_id"],
        "reportId": report["id"],
        "title": "Workspace Report",
        "content": completed["content"],
    }
    for recipient in (ana, bob):
        got = client.get(f"{REPORTS}/recipients/{recipient['_id']}", headers=auth()).json()["data"]
        assert got["totalReportsSent"] == 1 and got["updatedAt"] == NOW


def test_inactive_recipients_still_get_reports_but_deleted_ones_do_not(client: httpx.Client) -> None:
    ana = create_recipient(client)
    bob = create_recipient(client, name="Bob", email="bob@example.com")
    client.patch(f"{REPORTS}/recipients/{ana['_id']}", json={"active": False}, headers=auth())
    [report] = generate(client, recipientIds=[ana["_id"], bob["_id"]])
    client.delete(f"{REPORTS}/recipients/{bob['_id']}", headers=auth())
    advance(client, 25)
    assert [e["destination"] for e in outbox(client, kind="report_email")] == ["ana@example.com"]
    assert get_report(client, report["id"])["recipientIds"] == [ana["_id"], bob["_id"]]  # the report is untouched
