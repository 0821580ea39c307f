"""Jobs on the clock: created -> processing -> uploading -> done, failures, cancel, delete, retention
(CONTRACTS.md 2.5 "Job and file routes by status", 2.8 and 2.9)."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.talkdesk.support import (
    CALLS,
    advance,
    assert_error,
    bearer,
    configure,
    create,
    download,
    outbox,
    status_of,
    token,
)

DAY = 86400


def test_a_job_walks_every_state_on_the_clock_and_its_file_downloads(client: httpx.Client, access: str) -> None:
    job = create(client, access)
    self_url, files_url = job["_links"]["self"]["href"], job["_links"]["files"]["href"]
    seen = [status_of(client, access, job)]
    for seconds in (4, 1, 19, 1, 4, 1):  # 5 s created, 20 s processing, 5 s uploading
        advance(client, seconds)
        seen.append(status_of(client, access, job))
    assert seen == ["created", "created", "processing", "processing", "uploading", "uploading", "done"]

    redirect = client.get(self_url, headers=bearer(access))
    assert redirect.status_code == 303 and redirect.headers["location"] == files_url
    assert redirect.json() == {"job": {**job["job"], "status": "done"}, "_links": job["_links"]}
    file = download(client, access, job)
    assert file.status_code == 200
    document = json.loads(file.content)
    assert document["type"] == "calls" and document["total"] == 24 == len(document["entries"])

    advance(client, 30 * DAY - 1)
    access = token(client)  # the first one expired long ago
    assert status_of(client, access, job) == "done"
    advance(client, 1)
    assert status_of(client, access, job) == "deleted"
    assert_error(client.get(files_url, headers=bearer(access)), 404, "0330013", [])
    assert client.get(self_url, headers=bearer(access)).status_code == 200


def test_a_client_that_follows_redirects_ends_at_the_file(client: httpx.Client, access: str) -> None:
    job = create(client, access, format="csv")
    advance(client, 30)
    response = client.get(job["_links"]["self"]["href"], headers=bearer(access), follow_redirects=True)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert [r.status_code for r in response.history] == [303, 303]


def test_files_endpoint_while_running_answers_the_status_body(client: httpx.Client, access: str) -> None:
    job = create(client, access)
    for seconds in (0, 5, 20):
        advance(client, seconds)
        response = client.get(job["_links"]["files"]["href"], headers=bearer(access))
        assert response.status_code == 200 and "location" not in response.headers
        assert response.json()["job"]["status"] in ("created", "processing", "uploading")


def test_step_seconds_knob_sets_the_durations(client: httpx.Client, access: str) -> None:
    configure(client, step_seconds={"processing": 100})  # a partial table merges into the defaults
    assert client.get("/_mock/config").json()["talkdesk"]["step_seconds"] == {
        "created": 5,
        "processing": 100,
        "uploading": 5,
    }
    job = create(client, access)
    advance(client, 5 + 99)
    assert status_of(client, access, job) == "processing"
    advance(client, 1)
    assert status_of(client, access, job) == "uploading"


@pytest.mark.parametrize(
    "table", [{"created": -1}, {"queued": 5}, {"created": "5"}], ids=["negative", "unknown-state", "string"]
)
def test_bad_step_seconds_are_refused(client: httpx.Client, table: dict) -> None:
    assert client.put("/_mock/config", json={"talkdesk": {"step_seconds": table}}).status_code == 400


def test_zero_second_steps_finish_before_the_next_request(client: httpx.Client, access: str) -> None:
    configure(client, step_seconds={"created": 0, "processing": 0, "uploading": 0})
    job = create(client, access)
    assert job["status"] == "created"
    assert status_of(client, access, job) == "done"


def test_immediate_mode_is_terminal_on_the_next_request(client: httpx.Client, access: str) -> None:
    configure(client, progression="immediate")
    job = create(client, access)
    assert job["status"] == "created"
    assert status_of(client, access, job) == "done"
    assert [entry["kind"] for entry in outbox(client)] == ["report_ready"]


@pytest.mark.parametrize("reads", [1, 3])
def test_polls_mode_moves_one_step_per_n_reads(client: httpx.Client, access: str, reads: int) -> None:
    configure(client, progression="polls", polls_per_step=reads)
    job = create(client, access)
    advance(client, 3600)
    access = token(client)
    assert client.get(CALLS, headers=bearer(access)).json()["_embedded"]["jobs"][0]["status"] == "created"
    seen = []
    for _ in range(3 * reads):
        url = job["_links"]["self"]["href"] if len(seen) % 2 else job["_links"]["files"]["href"]
        seen.append(client.get(url, headers=bearer(access)).json()["job"]["status"])
    expected = [state for state in ("processing", "uploading", "done") for _ in range(reads)]
    expected = ["created"] * (reads - 1) + expected[: 3 * reads - reads + 1]
    assert seen == expected
    assert download(client, access, job).status_code == 200


def test_a_name_with_the_fail_marker_fails_when_leaving_processing(client: httpx.Client, access: str) -> None:
    job = create(client, access, name="nightly __fail__ run")
    advance(client, 5)
    assert status_of(client, access, job) == "processing"
    advance(client, 20)
    assert status_of(client, access, job) == "failed"
    advance(client, 60)
    assert status_of(client, access, job) == "failed"
    assert_error(client.get(job["_links"]["files"]["href"], headers=bearer(access)), 404, "0330013", [])
    [entry] = outbox(client)
    assert entry["kind"] == "report_failed" and entry["at"] == "2026-11-23T09:00:25Z"
    assert entry["payload"] == {"type": "calls", "job": {**job["job"], "status": "failed"}, "rows": 24}


def test_fail_marker_knob(client: httpx.Client, access: str) -> None:
    configure(client, fail_name_marker="BOOM")
    assert [status_of(client, access, j) for j in _run(client, access, ["__fail__", "a BOOM b"])] == ["done", "failed"]
    configure(client, fail_name_marker=None)
    assert [status_of(client, access, j) for j in _run(client, access, ["BOOM"])] == ["done"]


def _run(client: httpx.Client, access: str, names: list[str]) -> list[dict]:
    jobs = [create(client, access, name=name) for name in names]
    advance(client, 30)
    return jobs


@pytest.mark.parametrize(
    ("step", "path"),
    [
        ("created", ["created", "failed"]),
        ("processing", ["created", "processing", "failed"]),
        ("uploading", ["created", "processing", "uploading", "failed"]),
        (None, ["created", "processing", "failed"]),
    ],
)
def test_a_failure_rule_fails_the_next_job_at_its_step(
    client: httpx.Client, access: str, step: str | None, path: list[str]
) -> None:
    rule = {"vendor": "talkdesk", **({"step": step} if step else {})}
    assert client.post("/_mock/failures", json=rule).status_code == 201
    job, spared = create(client, access), create(client, access)
    seen = [status_of(client, access, job)]
    for _ in range(6):
        advance(client, 5)
        if (status := status_of(client, access, job)) != seen[-1]:
            seen.append(status)
    assert seen == path
    assert status_of(client, access, spared) == "done"


def test_failure_rules_match_names_and_count_uses(client: httpx.Client, access: str) -> None:
    client.post("/_mock/failures", json={"vendor": "talkdesk", "name_contains": "nightly", "times": 2})
    names = ["daily", "nightly 1", "nightly 2", "nightly 3"]
    assert [status_of(client, access, j) for j in _run(client, access, names)] == ["done", "failed", "failed", "done"]
    assert client.get("/_mock/failures").json()["data"][0]["used"] == 2


def test_failure_rule_for_every_job_with_times_null(client: httpx.Client, access: str) -> None:
    client.post("/_mock/failures", json={"vendor": "talkdesk", "times": None})
    assert {status_of(client, access, j) for j in _run(client, access, ["a", "b", "c"])} == {"failed"}


def test_more_rows_than_the_row_limit_fail_the_job(client: httpx.Client, access: str) -> None:
    configure(client, row_limit=24)
    ok = create(client, access)  # 24 hourly rows
    over = create(client, access, timespan={"from": "2026-11-22T00:00:00", "to": "2026-11-23T00:00:01"})
    advance(client, 30)
    assert (status_of(client, access, ok), status_of(client, access, over)) == ("done", "failed")
    assert [(e["kind"], e["payload"]["rows"]) for e in outbox(client)] == [("report_failed", 25), ("report_ready", 24)]


def test_cancel_running_jobs_and_refuse_the_rest(client: httpx.Client, access: str) -> None:
    for wait in (0, 5, 25):
        job = create(client, access)
        advance(client, wait)
        response = client.delete(job["_links"]["self"]["href"], headers=bearer(access))
        assert response.status_code == 200, response.text
        assert response.json() == {"job": {**job["job"], "status": "canceled"}, "_links": job["_links"]}
        advance(client, 60)
        assert status_of(client, access, job) == "canceled"
        assert_error(client.delete(job["_links"]["self"]["href"], headers=bearer(access)), 403, "0330012", [])
        assert_error(client.get(job["_links"]["files"]["href"], headers=bearer(access)), 404, "0330013")
    assert outbox(client) == []


@pytest.mark.parametrize("status", ["done", "failed", "deleted"])
def test_cancel_is_refused_once_the_job_has_ended(client: httpx.Client, access: str, status: str) -> None:
    job = _ended(client, access, status)
    body = assert_error(client.delete(job["_links"]["self"]["href"], headers=bearer(access)), 403, "0330012", [])
    assert body["description"] == "Inputs misconfiguration"


def _ended(client: httpx.Client, access: str, status: str) -> dict:
    job = create(client, access, name="__fail__" if status == "failed" else "ok")
    advance(client, 30)
    if status == "deleted":
        assert client.delete(job["_links"]["files"]["href"], headers=bearer(access)).status_code == 204
    assert status_of(client, access, job) == status
    return job


def test_delete_file_of_a_done_job(client: httpx.Client, access: str) -> None:
    job = create(client, access)
    assert_error(client.delete(job["_links"]["files"]["href"], headers=bearer(access)), 403, "0330012")
    advance(client, 30)
    redirect = client.get(job["_links"]["files"]["href"], headers=bearer(access))
    response = client.delete(job["_links"]["files"]["href"], headers=bearer(access))
    assert response.status_code == 204 and response.content == b""
    assert status_of(client, access, job) == "deleted"
    assert_error(client.delete(job["_links"]["files"]["href"], headers=bearer(access)), 404, "0330013")
    assert_error(client.get(job["_links"]["files"]["href"], headers=bearer(access)), 404, "0330013")
    assert_error(client.get(redirect.headers["location"]), 404, "0330013")


@pytest.mark.parametrize("status", ["failed", "canceled"])
def test_delete_file_is_refused_for_failed_and_canceled_jobs(client: httpx.Client, access: str, status: str) -> None:
    job = create(client, access, name="__fail__")
    if status == "canceled":
        client.delete(job["_links"]["self"]["href"], headers=bearer(access))
    advance(client, 30)
    assert status_of(client, access, job) == status
    assert_error(client.delete(job["_links"]["files"]["href"], headers=bearer(access)), 403, "0330012")


def test_ready_entry_in_the_outbox(client: httpx.Client, access: str) -> None:
    job = create(client, access)
    advance(client, 3600)
    [entry] = outbox(client)
    assert entry == {
        "id": entry["id"],
        "vendor": "talkdesk",
        "tenant": "acme-account",
        "kind": "report_ready",
        "resource_id": job["id"],
        "destination": None,
        "at": "2026-11-23T09:00:30Z",
        "payload": {"type": "calls", "job": {**job["job"], "status": "done"}, "rows": 24},
    }


def test_retention_knob_and_timers_fire_in_one_long_advance(client: httpx.Client, access: str) -> None:
    configure(client, file_retention_seconds=60)
    job = create(client, access)
    assert advance(client, 90)["fired"] == 4  # three steps and the retention
    assert status_of(client, access, job) == "deleted"
    assert [entry["kind"] for entry in outbox(client)] == ["report_ready"]


def test_reset_forgets_jobs_and_timers(client: httpx.Client, access: str) -> None:
    create(client, access)
    client.post("/_mock/reset")
    assert advance(client, 3600)["fired"] == 0
    assert outbox(client) == []
