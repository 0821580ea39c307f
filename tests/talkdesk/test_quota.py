"""TD-QUOTA-15: at most 15 created, processing or uploading jobs per account (CONTRACTS.md 2.8)."""

from __future__ import annotations

import httpx
import pytest

from tests.talkdesk.support import (
    CALLS,
    OTHER_ACCOUNT,
    advance,
    assert_error,
    bearer,
    configure,
    job_body,
    jobs_url,
    status_of,
    token,
)


def post(client: httpx.Client, access: str, n: int, report_type: str = "calls") -> httpx.Response:
    return client.post(jobs_url(report_type), json=job_body(name=f"job {n}"), headers=bearer(access))


def test_sixteen_simultaneous_jobs_the_last_is_429(client: httpx.Client, access: str) -> None:
    responses = [post(client, access, n) for n in range(1, 17)]
    assert [r.status_code for r in responses] == [202] * 15 + [429]
    body = assert_error(responses[-1], 429, "0330029", [])
    assert body["description"] == "Too many requests"
    assert responses[-1].headers["retry-after"] == "30"  # 5 + 20 + 5 s until the first job is done
    assert client.get(CALLS, headers=bearer(access)).json()["total"] == 15


def test_the_quota_spans_report_types_but_not_accounts(client: httpx.Client, access: str) -> None:
    types = ["calls", "contacts", "user_status"]
    assert [post(client, access, n, types[n % 3]).status_code for n in range(15)] == [202] * 15
    assert post(client, access, 15, "ring_attempts").status_code == 429
    assert post(client, token(client, OTHER_ACCOUNT), 0).status_code == 202


def test_finishing_a_job_frees_its_slot(client: httpx.Client, access: str) -> None:
    for n in range(15):
        post(client, access, n)
        advance(client, 1)
    # the first job was created at +0 s; the clock is at +15 s; it is done at +30 s
    response = post(client, access, 99)
    assert response.status_code == 429 and response.headers["retry-after"] == "15"
    advance(client, 14)
    assert post(client, access, 99).headers["retry-after"] == "1"
    advance(client, 1)
    assert post(client, access, 99).status_code == 202
    assert post(client, access, 100).status_code == 429


def test_retry_after_rounds_up_whole_seconds(client: httpx.Client, access: str) -> None:
    for n in range(15):
        post(client, access, n)
    advance(client, 0.25)
    assert post(client, access, 99).headers["retry-after"] == "30"
    advance(client, 29.5)
    assert post(client, access, 99).headers["retry-after"] == "1"


def test_retry_after_counts_to_a_failure_too(client: httpx.Client, access: str) -> None:
    client.post("/_mock/failures", json={"vendor": "talkdesk", "step": "created"})
    for n in range(15):
        post(client, access, n)
    assert post(client, access, 99).headers["retry-after"] == "5"  # the first job fails leaving created
    advance(client, 5)
    assert post(client, access, 99).status_code == 202


def test_canceling_frees_a_slot_at_once(client: httpx.Client, access: str) -> None:
    jobs = [post(client, access, n).json() for n in range(15)]
    assert post(client, access, 99).status_code == 429
    assert client.delete(jobs[7]["_links"]["self"]["href"], headers=bearer(access)).status_code == 200
    assert post(client, access, 99).status_code == 202


@pytest.mark.parametrize("ending", ["done", "failed"])
def test_ended_jobs_do_not_count(client: httpx.Client, access: str, ending: str) -> None:
    for n in range(15):
        client.post(CALLS, json=job_body(name="__fail__" if ending == "failed" else f"job {n}"), headers=bearer(access))
    advance(client, 30)
    assert [post(client, access, n).status_code for n in range(16)] == [202] * 15 + [429]


def test_rejected_requests_never_count(client: httpx.Client, access: str) -> None:
    for _ in range(20):
        assert client.post(CALLS, json=job_body(format="pdf"), headers=bearer(access)).status_code == 400
        assert client.post(CALLS, json=job_body(timezone="Nowhere"), headers=bearer(access)).status_code == 400
    assert [post(client, access, n).status_code for n in range(16)] == [202] * 15 + [429]


def test_validation_comes_before_the_quota(client: httpx.Client, access: str) -> None:
    for n in range(15):
        post(client, access, n)
    assert_error(client.post(CALLS, json=job_body(format="pdf"), headers=bearer(access)), 400, "0330003")
    span = {"from": "2026-12-01T00:00:00Z", "to": "2026-12-02T00:00:00Z"}
    assert_error(client.post(CALLS, json=job_body(timespan=span), headers=bearer(access)), 400, "0330004")


def test_quota_knob(client: httpx.Client, access: str) -> None:
    configure(client, quota_simultaneous=2)
    assert [post(client, access, n).status_code for n in range(3)] == [202, 202, 429]


def test_polls_mode_retry_after_is_60(client: httpx.Client, access: str) -> None:
    configure(client, progression="polls")
    jobs = [post(client, access, n).json() for n in range(15)]
    response = post(client, access, 99)
    assert response.status_code == 429 and response.headers["retry-after"] == "60"
    for _ in range(3):
        status_of(client, access, jobs[0])
    assert post(client, access, 99).status_code == 202
