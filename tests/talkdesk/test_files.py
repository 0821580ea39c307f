"""Files: the signed download URL and the seeded, deterministic report it serves (CONTRACTS.md 2.7)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest

from mockserver import create_app
from mockserver.inprocess import client_for
from tests.talkdesk.support import (
    OTHER_ACCOUNT,
    advance,
    assert_error,
    bearer,
    configure,
    create,
    download,
    token,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
USERS = [("user-1", "Alice Eve"), ("user-2", "Mark Jones"), ("user-3", "Rita Lopes"), ("user-4", "Tom Berg")]
COLUMNS = {
    "calls": ["call_id", "type", "start_at", "end_at", "total_time", "user_id", "user_name"],
    "explore_calls": ["call_id", "type", "start_at", "end_at", "total_time", "user_id", "user_name"],
    "contacts": ["contact_id", "interaction_id", "direction", "started_at", "finished_at", "duration"],
    "user_status": ["user_id", "user_name", "status_label", "status_start_at", "status_end_at", "status_time"],
    "studio_flow_execution": [
        "flow_id",
        "interaction_id",
        "flow_name",
        "step_name",
        "timestamp",
        "studio_flow_executions_aggregated.flow_execution_finished_time",
        "step_execution_order",
    ],
    "ring_attempts": [
        "ring_attempt_id",
        "interaction_id",
        "contact_id",
        "ring_started_at_time",
        "ring_finished_at_time",
        "ring_attempt_duration",
    ],
    "wfm_timeseries": ["row_id", "interval_start", "interval_end", "count", "duration"],
}


def ready_file(http: httpx.Client, report_type: str = "calls", **overrides: Any) -> tuple[dict, httpx.Response]:
    job = create(http, token(http), report_type, **overrides)
    advance(http, 30)
    return job, download(http, token(http), job)


def expected_calls_row(seed: int, start: datetime, zone: str) -> dict[str, Any]:
    """CONTRACTS.md 2.7 written out: H(["talkdesk", "calls", r]) and its words."""
    digest = hashlib.sha256(f"{seed}|talkdesk|calls|{start:%Y-%m-%dT%H:%M:%SZ}".encode()).digest()

    def u(k: int) -> int:
        return int.from_bytes(digest[4 * k : 4 * k + 4], "big")

    dur = 1 + u(0) % 600
    local = ZoneInfo(zone)
    user_id, user_name = USERS[u(1) % 4]
    return {
        "call_id": digest.hex()[:32],
        "type": ("inbound", "outbound", "missed")[u(2) % 3],
        "start_at": start.astimezone(local).strftime("%Y-%m-%d %H:%M:%S"),
        "end_at": (start + timedelta(seconds=dur)).astimezone(local).strftime("%Y-%m-%d %H:%M:%S"),
        "total_time": dur,
        "user_id": user_id,
        "user_name": user_name,
    }


def test_json_file_rows_follow_the_contract_formula(client: httpx.Client) -> None:
    job, file = ready_file(client)
    assert file.headers["content-type"] == "application/json"
    assert file.headers["content-disposition"] == f'attachment; filename="calls-{job["id"]}.json"'
    document = json.loads(file.content)
    assert list(document) == ["type", "version", "entries", "total"]
    start = datetime(2026, 11, 22, tzinfo=UTC)  # Europe/Lisbon is on UTC in November
    expected = [expected_calls_row(0, start + timedelta(hours=k), "Europe/Lisbon") for k in range(24)]
    assert document == {"type": "calls", "version": "v1", "entries": expected, "total": 24}
    assert file.content == json.dumps(document, separators=(",", ":")).encode()


def test_csv_file(client: httpx.Client) -> None:
    job, file = ready_file(client, format="csv")
    assert file.headers["content-type"] == "text/csv; charset=utf-8"
    assert file.headers["content-disposition"] == f'attachment; filename="calls-{job["id"]}.csv"'
    text = file.content.decode("utf-8")
    assert text.endswith("\n") and "\r" not in text and not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == COLUMNS["calls"] and len(rows) == 25
    first = expected_calls_row(0, datetime(2026, 11, 22, tzinfo=UTC), "Europe/Lisbon")
    assert rows[1] == [str(value) for value in first.values()]


def test_csv_quotes_minimally(client: httpx.Client) -> None:
    _, file = ready_file(client, "studio_flow_execution", format="csv")
    lines = file.content.decode().splitlines()
    assert lines[0] == ",".join(COLUMNS["studio_flow_execution"])
    assert '"' not in file.content.decode()


def test_json_bulk_file(client: httpx.Client) -> None:
    job, file = ready_file(client, format="json_bulk")
    assert file.headers["content-type"] == "application/x-ndjson"
    assert file.headers["content-disposition"] == f'attachment; filename="calls-{job["id"]}.jsonl"'
    lines = file.content.decode().split("\n")
    assert lines[-1] == "" and len(lines) == 25
    entries = [json.loads(line) for line in lines[:-1]]
    assert entries[0] == expected_calls_row(0, datetime(2026, 11, 22, tzinfo=UTC), "Europe/Lisbon")
    assert lines[0] == json.dumps(entries[0], separators=(",", ":"))


@pytest.mark.parametrize("report_type", sorted(COLUMNS))
def test_columns_by_report_type(client: httpx.Client, report_type: str) -> None:
    _, file = ready_file(client, report_type, format="csv")
    assert file.content.decode().split("\n", 1)[0].split(",") == COLUMNS[report_type]
    _, file = ready_file(client, report_type, format="json")
    assert all(list(entry) == COLUMNS[report_type] for entry in json.loads(file.content)["entries"])


def test_values_of_each_type_are_in_range(client: httpx.Client) -> None:
    _, file = ready_file(client, "ring_attempts", format="json")
    for entry in json.loads(file.content)["entries"]:
        assert len(entry["ring_attempt_id"]) == 40 and entry["ring_attempt_id"][:32] == entry["contact_id"]
        assert entry["interaction_id"] == entry["ring_attempt_id"][32:40] + entry["interaction_id"][8:]
        assert 1 <= entry["ring_attempt_duration"] <= 600
    _, file = ready_file(client, "audit_logs", format="json")
    assert {0 <= entry["count"] < 100 for entry in json.loads(file.content)["entries"]} == {True}


@pytest.mark.parametrize(
    ("file_format", "empty"),
    [("csv", b"call_id,type,start_at,end_at,total_time,user_id,user_name\n"), ("json", None), ("json_bulk", b"")],
)
def test_an_empty_timespan_gives_an_empty_file(client: httpx.Client, file_format: str, empty: bytes | None) -> None:
    span = {"from": "2026-11-22T00:00:00Z", "to": "2026-11-22T00:00:00Z"}
    _, file = ready_file(client, format=file_format, timespan=span)
    if empty is None:
        assert file.content == b'{"type":"calls","version":"v1","entries":[],"total":0}'
    else:
        assert file.content == empty


def test_rows_cover_exactly_the_timespan_in_the_jobs_zone(client: httpx.Client) -> None:
    # New York leaves summer time on 2026-11-01 at 02:00 local: the wall clock repeats 01:00
    span = {"from": "2026-10-31T22:30:00", "to": "2026-11-01T03:30:00"}
    _, file = ready_file(client, timezone="America/New_York", timespan=span)
    starts = [entry["start_at"] for entry in json.loads(file.content)["entries"]]
    assert starts == [
        "2026-10-31 22:30:00",
        "2026-10-31 23:30:00",
        "2026-11-01 00:30:00",
        "2026-11-01 01:30:00",
        "2026-11-01 01:30:00",
        "2026-11-01 02:30:00",
    ]


def test_absolute_instants_render_in_the_jobs_zone(client: httpx.Client) -> None:
    span = {"from": "2026-11-22T00:00:00Z", "to": "2026-11-22T01:00:00+00:00"}
    _, file = ready_file(client, timezone="Asia/Kolkata", timespan=span)
    [entry] = json.loads(file.content)["entries"]
    assert entry["start_at"] == "2026-11-22 05:30:00"


def test_a_partial_last_interval_still_starts_a_row(client: httpx.Client) -> None:
    span = {"from": "2026-11-22T00:00:00Z", "to": "2026-11-22T02:00:00.000001Z"}
    _, file = ready_file(client, timespan=span)
    assert json.loads(file.content)["total"] == 3


def test_row_interval_knob_is_read_when_the_job_is_created(client: httpx.Client) -> None:
    configure(client, row_interval_seconds=900)
    job = create(client, token(client))
    configure(client, row_interval_seconds=3600)
    advance(client, 30)
    assert json.loads(download(client, token(client), job).content)["total"] == 96


# determinism


def _session(seed: int, warm_up: int = 0) -> list[bytes]:
    with client_for(create_app(seed=seed)) as http:
        access = token(http)
        for n in range(warm_up):
            create(http, token(http, OTHER_ACCOUNT), "contacts", name=f"noise {n}")
        jobs = [create(http, access, kind, format=fmt) for kind, fmt in [("calls", "csv"), ("contacts", "json_bulk")]]
        advance(http, 30)
        access = token(http)
        return [download(http, access, job).content for job in jobs]


def test_same_seed_and_request_give_the_same_bytes() -> None:
    assert _session(3) == _session(3)


def test_contents_do_not_depend_on_other_requests() -> None:
    assert _session(3) == _session(3, warm_up=4)


def test_another_seed_gives_other_contents() -> None:
    first, second = _session(3), _session(4)
    assert first[0] != second[0] and first[1] != second[1]


def test_the_same_request_twice_gives_the_same_file(client: httpx.Client) -> None:
    _, first = ready_file(client)
    _, second = ready_file(client)
    assert first.content == second.content


# the signed URL


def _signed(client: httpx.Client, access: str, job: dict) -> str:
    response = client.get(job["_links"]["files"]["href"], headers=bearer(access))
    assert response.status_code == 303
    assert response.json()["job"]["status"] == "done"
    return response.headers["location"]


def test_signed_url_form(client: httpx.Client) -> None:
    job = create(client, token(client))
    advance(client, 30)
    url = urlsplit(_signed(client, token(client), job))
    assert (url.scheme, url.netloc, url.path) == ("http", "mock.local", f"/_mock/files/talkdesk/{job['id']}")
    query = parse_qs(url.query)
    expires = int((NOW + timedelta(seconds=30 + 300)).timestamp())
    signature = hashlib.sha256(f"0|talkdesk|{job['id']}|{expires}".encode()).hexdigest()[:32]
    assert query == {"expires": [str(expires)], "signature": [signature]}


def test_signed_url_needs_no_auth_and_expires_after_300_seconds(client: httpx.Client) -> None:
    job = create(client, token(client))
    advance(client, 30)
    url = _signed(client, token(client), job)
    advance(client, 299)
    assert client.get(url).status_code == 200
    advance(client, 1)
    body = assert_error(client.get(url), 403, "0330016", [])
    assert body["description"] == "Forbidden"
    fresh = _signed(client, token(client), job)
    assert client.get(fresh).status_code == 200


def test_signed_url_ttl_knob(client: httpx.Client) -> None:
    configure(client, signed_url_ttl_seconds=10)
    job = create(client, token(client))
    advance(client, 30)
    url = _signed(client, token(client), job)
    advance(client, 10)
    assert_error(client.get(url), 403, "0330016")


def test_tampered_signed_urls_are_403(client: httpx.Client) -> None:
    first, second = create(client, token(client)), create(client, token(client))
    advance(client, 30)
    url = urlsplit(_signed(client, token(client), first))
    query = parse_qs(url.query)
    expires, signature = query["expires"][0], query["signature"][0]
    path = url.path
    tampered = [
        f"{path}?expires={int(expires) + 60}&signature={signature}",
        f"{path}?expires={expires}&signature={signature[:-1]}0",
        f"{path}?expires={expires}&signature={signature.upper()}",
        f"{path}?expires={expires}",
        f"{path}?signature={signature}",
        f"{path}?expires=-1&signature={signature}",
        f"{path}?expires=１２&signature={signature}",
        f"{path}?expires={'9' * 5000}&signature={signature}",
        path,
        f"/_mock/files/talkdesk/{second['id']}?expires={expires}&signature={signature}",
    ]
    for target in tampered:
        assert_error(client.get(target), 403, "0330016", [])


def test_a_deleted_file_is_404_at_its_signed_url(client: httpx.Client) -> None:
    job = create(client, token(client))
    advance(client, 30)
    access = token(client)
    url = _signed(client, access, job)
    client.delete(job["_links"]["files"]["href"], headers=bearer(access))
    body = assert_error(client.get(url), 404, "0330013", [])
    assert body["message"] == "The report file is not available"


def test_a_new_seed_invalidates_signed_urls(client: httpx.Client) -> None:
    job = create(client, token(client))
    advance(client, 30)
    url = _signed(client, token(client), job)
    client.put("/_mock/config", json={"seed": 5})
    assert_error(client.get(url), 403, "0330016")
