"""Create and list validation, rule by rule, with the page's error body (CONTRACTS.md 2.5, 2.6, 2.12)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from mockserver import create_app
from mockserver.inprocess import client_for
from tests.talkdesk.support import CALLS, advance, assert_error, bearer, configure, create, job_body, token

SPAN = {"from": "2026-11-22T00:00:00Z", "to": "2026-11-23T00:00:00Z"}


def post(http: httpx.Client, access: str, body: Any, **kwargs: Any) -> httpx.Response:
    return http.post(CALLS, json=body, headers=bearer(access), **kwargs)


def listed(http: httpx.Client, access: str) -> int:
    return http.get(CALLS, headers=bearer(access)).json()["total"]


# defaults and echo


def test_defaults_name_null_timezone_utc_format_csv(client: httpx.Client, access: str) -> None:
    response = post(client, access, {"timespan": SPAN})
    assert response.status_code == 202, response.text
    job = response.json()
    assert (job["name"], job["timezone"], job["format"], job["status"]) == (None, "UTC", "csv", "created")
    assert job["job"] == {key: job[key] for key in ("id", "name", "timezone", "status", "format", "timespan")}


def test_timespan_is_echoed_byte_for_byte(client: httpx.Client, access: str) -> None:
    span = {"from": "2026-11-22T00:00:00.5+01:00", "to": "2026-11-22T10:00:00.123456789-00:00", "extra": 1}
    job = post(client, access, {"timespan": span}).json()
    assert job["timespan"] == {"from": span["from"], "to": span["to"]}
    assert list(job["timespan"]) == ["from", "to"]


def test_unknown_and_read_only_fields_are_ignored(client: httpx.Client, access: str) -> None:
    body = job_body(id="mine", status="done", _links={}, whatever=[1])
    job = post(client, access, body).json()
    assert job["status"] == "created" and job["id"] != "mine"


@pytest.mark.parametrize(
    ("body", "zone"),
    [
        pytest.param({"timezone": None}, "UTC", id="top-level-null"),
        pytest.param({"timespan": {**SPAN, "timezone": "Asia/Tokyo"}}, "Asia/Tokyo", id="inside-timespan"),
        pytest.param({"timezone": None, "timespan": {**SPAN, "timezone": "Asia/Tokyo"}}, "Asia/Tokyo", id="null-top"),
        pytest.param(
            {"timezone": "America/Sao_Paulo", "timespan": {**SPAN, "timezone": "Asia/Tokyo"}},
            "America/Sao_Paulo",
            id="top-level-wins",
        ),
        pytest.param({"timespan": {**SPAN, "timezone": None}}, "UTC", id="null-everywhere"),
    ],
)
def test_timezone_placement(client: httpx.Client, access: str, body: dict[str, Any], zone: str) -> None:
    response = post(client, access, {"timespan": SPAN, **body})
    assert response.status_code == 202, response.text
    assert response.json()["timezone"] == zone


# one rule at a time


@pytest.mark.parametrize(
    ("body", "code", "fields"),
    [
        pytest.param({}, "0330002", ["timespan"], id="no-timespan"),
        pytest.param({"timespan": {}}, "0330002", ["timespan.from", "timespan.to"], id="empty-timespan"),
        pytest.param({"timespan": {"to": SPAN["to"]}}, "0330002", ["timespan.from"], id="no-from"),
        pytest.param({"timespan": None}, "0330001", ["timespan"], id="timespan-null"),
        pytest.param({"timespan": [SPAN]}, "0330001", ["timespan"], id="timespan-array"),
        pytest.param({"timespan": {**SPAN, "from": 1763769600}}, "0330001", ["timespan.from"], id="from-number"),
        pytest.param({"timespan": SPAN, "name": 5}, "0330001", ["name"], id="name-number"),
        pytest.param({"timespan": SPAN, "name": None}, "0330001", ["name"], id="name-null"),
        pytest.param({"timespan": SPAN, "format": None}, "0330001", ["format"], id="format-null"),
        pytest.param({"timespan": SPAN, "timezone": 0}, "0330001", ["timezone"], id="timezone-number"),
        pytest.param({"timespan": SPAN, "format": "CSV"}, "0330003", ["format"], id="format-case"),
        pytest.param({"timespan": SPAN, "format": "xlsx"}, "0330003", ["format"], id="format-unknown"),
        pytest.param({"timespan": SPAN, "name": ""}, "0330003", ["name"], id="name-empty"),
        pytest.param({"timespan": SPAN, "name": "x" * 257}, "0330003", ["name"], id="name-257"),
        pytest.param({"timespan": SPAN, "name": "😀" * 257}, "0330003", ["name"], id="name-257-code-points"),
        pytest.param({"timespan": SPAN, "timezone": "Europe/lisbon"}, "0330006", ["timezone"], id="tz-case"),
        pytest.param({"timespan": SPAN, "timezone": "CEST"}, "0330006", ["timezone"], id="tz-abbreviation"),
        pytest.param({"timespan": SPAN, "timezone": "+01:00"}, "0330006", ["timezone"], id="tz-offset"),
        pytest.param({"timespan": SPAN, "timezone": "localtime"}, "0330006", ["timezone"], id="tz-localtime"),
        pytest.param({"timespan": SPAN, "timezone": ""}, "0330006", ["timezone"], id="tz-empty"),
        pytest.param({"timespan": {**SPAN, "timezone": "Nowhere"}}, "0330006", ["timespan.timezone"], id="tz-inside"),
    ],
)
def test_rule(client: httpx.Client, access: str, body: dict[str, Any], code: str, fields: list[str]) -> None:
    assert_error(post(client, access, body), 400, code, fields)
    assert listed(client, access) == 0


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-22",
        "2026-11-22 00:00:00",
        "2026-11-22T00:00",
        "2026-11-22t00:00:00",
        "2026-11-22T00:00:00z",
        "2026-11-22T00:00:00+0100",
        "2026-11-22T00:00:00+01",
        "2026-11-22T00:00:00+24:00",
        "2026-11-22T00:00:00+01:60",
        "2026-11-22T00:00:00.",
        "2026-11-22T00:00:00.1234567890",
        "2026-02-29T00:00:00",
        "2026-13-01T00:00:00",
        "2026-04-31T00:00:00",
        "2026-11-22T24:00:00",
        "2026-11-22T00:60:00",
        "2026-11-22T00:00:60",
        "0000-01-01T00:00:00Z",
        "+2026-11-22T00:00:00",
        "2026-11-22T00:00:00Z\n",
        " 2026-11-22T00:00:00Z",
        "２０２６-11-22T00:00:00",
        "",
    ],
)
def test_malformed_datetimes_are_0330003(client: httpx.Client, access: str, value: str) -> None:
    body = assert_error(post(client, access, {"timespan": {**SPAN, "from": value}}), 400, "0330003", ["timespan.from"])
    assert body["message"] == "The date-time is not properly formatted"


@pytest.mark.parametrize(
    "value",
    [
        "2024-02-29T00:00:00",
        "2000-02-29T00:00:00Z",
        "2026-11-22T00:00:00.1Z",
        "2026-11-22T00:00:00.123456789+05:45",
        "2026-11-22T00:00:00-00:00",
        "2026-11-22T23:59:59+23:59",
    ],
)
def test_well_formed_datetimes_are_accepted(client: httpx.Client, access: str, value: str) -> None:
    response = post(client, access, {"timespan": {"from": value, "to": value}})
    assert response.status_code == 202, response.text


def test_a_year_one_instant_that_cannot_render_in_its_zone_is_0330003(client: httpx.Client, access: str) -> None:
    span = {"from": "0001-01-01T00:00:00Z", "to": "0001-01-02T00:00:00Z", "timezone": "America/New_York"}
    assert_error(post(client, access, {"timespan": span}), 400, "0330003", ["timespan.from"])
    assert post(client, access, {"timespan": {**span, "timezone": "Asia/Tokyo"}}).status_code == 202


# domain rules on the resolved instants


def test_to_before_from_is_0330004_and_equal_is_allowed(client: httpx.Client, access: str) -> None:
    body = assert_error(
        post(client, access, {"timespan": {"from": SPAN["to"], "to": "2026-11-22T23:59:59Z"}}), 400, "0330004"
    )
    assert body["fields"] == [{"name": "timespan.to", "description": "to must not be before from"}]
    assert post(client, access, {"timespan": {"from": SPAN["to"], "to": SPAN["to"]}}).status_code == 202


def test_order_compares_instants_not_text(client: httpx.Client, access: str) -> None:
    # 10:00+02:00 is 08:00Z, before 09:00Z: the text sorts the other way
    later_text = {"from": "2026-11-22T09:00:00Z", "to": "2026-11-22T10:00:00+02:00"}
    assert_error(post(client, access, {"timespan": later_text}), 400, "0330004", ["timespan.to"])
    # wall times in Asia/Kolkata (+05:30) against an absolute from
    mixed = {"from": "2026-11-22T00:00:00Z", "to": "2026-11-22T05:29:59"}
    assert_error(post(client, access, {"timezone": "Asia/Kolkata", "timespan": mixed}), 400, "0330004")


def test_span_of_exactly_31_days_is_allowed_and_one_second_more_is_0330005(client: httpx.Client, access: str) -> None:
    exactly = {"from": "2026-10-01T00:00:00Z", "to": "2026-11-01T00:00:00Z"}
    assert post(client, access, {"timespan": exactly}).status_code == 202
    over = {"from": "2026-10-01T00:00:00Z", "to": "2026-11-01T00:00:00.000001Z"}
    body = assert_error(post(client, access, {"timespan": over}), 400, "0330005", ["timespan"])
    assert body == {
        "code": "0330005",
        "description": "Bad request",
        "message": "The timespan cannot be longer than 31 days",
        "fields": [{"name": "timespan", "description": "difference between to and from is greater than 31 days"}],
    }


def test_span_across_a_dst_change_counts_real_seconds(client: httpx.Client, access: str) -> None:
    # Europe/Lisbon leaves summer time on 2026-10-25: 31 wall-clock days from 10-01 are 31 days + 1 hour
    span = {"from": "2026-10-01T00:00:00", "to": "2026-11-01T00:00:00"}
    assert_error(post(client, access, {"timezone": "Europe/Lisbon", "timespan": span}), 400, "0330005")
    assert post(client, access, {"timezone": "UTC", "timespan": span}).status_code == 202


def test_max_span_days_knob(client: httpx.Client, access: str) -> None:
    configure(client, max_span_days=7)
    body = assert_error(
        post(client, access, {"timespan": {"from": "2026-11-01T00:00:00Z", "to": SPAN["to"]}}), 400, "0330005"
    )
    assert body["message"] == "The timespan cannot be longer than 7 days"
    assert body["fields"][0]["description"] == "difference between to and from is greater than 7 days"


def test_to_in_the_future_is_0330004_with_300_seconds_of_tolerance(client: httpx.Client, access: str) -> None:
    # the clock stands at 2026-11-23T09:00:00Z
    ok = {"from": "2026-11-23T00:00:00Z", "to": "2026-11-23T09:05:00Z"}
    assert post(client, access, {"timespan": ok}).status_code == 202
    late = {"from": "2026-11-23T00:00:00Z", "to": "2026-11-23T09:05:00.000001Z"}
    body = assert_error(post(client, access, {"timespan": late}), 400, "0330004", ["timespan.to"])
    assert body["message"] == "The timespan end date cannot be in the future"
    advance(client, 1)
    assert post(client, access, {"timespan": late}).status_code == 202


def test_to_in_the_future_reads_wall_times_in_the_zone(client: httpx.Client, access: str) -> None:
    # 10:04 in Europe/Paris (+01:00 in November) is 09:04Z: within the tolerance; 18:04 in Tokyo is 09:04Z too
    assert (
        post(
            client,
            access,
            {"timezone": "Europe/Paris", "timespan": {"from": "2026-11-23T00:00:00", "to": "2026-11-23T10:04:00"}},
        ).status_code
        == 202
    )
    assert (
        post(
            client,
            access,
            {"timezone": "Asia/Tokyo", "timespan": {"from": "2026-11-23T00:00:00", "to": "2026-11-23T18:06:00"}},
        ).status_code
        == 400
    )


def test_span_and_future_are_both_reported(client: httpx.Client, access: str) -> None:
    span = {"from": "2026-10-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}
    assert_error(post(client, access, {"timespan": span}), 400, "0330005", ["timespan", "timespan.to"])


def test_before_from_and_future_name_timespan_to_once(client: httpx.Client, access: str) -> None:
    span = {"from": "2026-12-02T00:00:00Z", "to": "2026-12-01T00:00:00Z"}
    body = assert_error(post(client, access, {"timespan": span}), 400, "0330004", ["timespan.to"])
    assert body["fields"][0]["description"] == "to must not be before from"


def test_domain_rules_wait_for_a_valid_body(client: httpx.Client, access: str) -> None:
    span = {"from": "2026-10-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"}
    assert_error(post(client, access, {"timespan": span, "format": "pdf"}), 400, "0330003", ["format"])


# several problems at once


def test_every_field_problem_is_listed_in_field_order_with_the_first_code(client: httpx.Client, access: str) -> None:
    body = {
        "timespan": {"from": "yesterday", "to": 5, "timezone": "Mars/Olympus"},
        "format": "pdf",
        "timezone": "Nowhere",
        "name": "",
    }
    found = assert_error(post(client, access, body), 400, "0330003")
    assert found["fields"] == [
        {"name": "name", "description": "must have 1 to 256 characters"},
        {"name": "timezone", "description": "must be a valid IANA timezone"},
        {"name": "format", "description": "must be one of: csv, json, json_bulk"},
        {"name": "timespan.from", "description": "must be an ISO-8601 date-time (YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM])"},
        {"name": "timespan.to", "description": "must be a string"},
        {"name": "timespan.timezone", "description": "must be a valid IANA timezone"},
    ]
    assert found["message"] == "The report name must have 1 to 256 characters"


def test_the_first_problem_decides_the_code(client: httpx.Client, access: str) -> None:
    assert_error(post(client, access, {"timezone": "Nowhere"}), 400, "0330006", ["timezone", "timespan"])
    assert_error(post(client, access, {"format": 1, "timezone": "Nowhere", "timespan": SPAN}), 400, "0330006")
    assert_error(post(client, access, {"name": 1}), 400, "0330001", ["name", "timespan"])


# body structure


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        pytest.param(b"", "application/json", id="empty"),
        pytest.param(b"{", "application/json", id="truncated"),
        pytest.param(b"{'a': 1}", "application/json", id="single-quotes"),
        pytest.param(b'{"timespan": NaN}', "application/json", id="nan"),
        pytest.param(b"[]", "application/json", id="array"),
        pytest.param(b"null", "application/json", id="null"),
        pytest.param(b'"text"', "application/json", id="string"),
        pytest.param(b'{"name": "\xff"}', "application/json", id="not-utf8"),
        pytest.param(b'{"name": "\\ud800"}', "application/json", id="lone-surrogate"),
        pytest.param(b'{"timespan": {}}', "text/plain", id="text-plain"),
        pytest.param(b'{"timespan": {}}', None, id="no-content-type"),
        pytest.param(b"timespan=1", "application/x-www-form-urlencoded", id="form"),
    ],
)
def test_malformed_bodies_are_0330001(
    client: httpx.Client, access: str, content: bytes, content_type: str | None
) -> None:
    headers = {**bearer(access), **({"Content-Type": content_type} if content_type else {})}
    assert_error(client.post(CALLS, content=content, headers=headers), 400, "0330001", [])


def test_json_content_types_with_parameters_and_plus_json_are_accepted(client: httpx.Client, access: str) -> None:
    for content_type in ("application/json; charset=utf-8", "application/vnd.talkdesk+json"):
        headers = {**bearer(access), "Content-Type": content_type}
        response = client.post(
            CALLS,
            content=b'{"timespan": {"from": "2026-11-22T00:00:00Z", "to": "2026-11-22T00:00:00Z"}}',
            headers=headers,
        )
        assert response.status_code == 202, response.text


def test_oversized_body_is_413() -> None:
    with client_for(create_app(config={"max_body_bytes": 200})) as http:
        access = token(http)
        response = http.post(CALLS, json=job_body(name="x" * 200), headers=bearer(access))
        assert_error(response, 413, "0330015", [])


# routes


@pytest.mark.parametrize(
    "path",
    ["/data", "/data/", "/data/reports", "/data/reports/calls", "/data/reports/calls/jobs/1/2", "/data/x/calls/jobs"],
)
def test_unknown_paths_under_data_are_0330013(client: httpx.Client, access: str, path: str) -> None:
    assert_error(client.get(path, headers=bearer(access)), 404, "0330013", [])


def test_unknown_paths_answer_404_before_auth(client: httpx.Client) -> None:
    assert_error(client.get("/data/nope"), 404, "0330013")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", CALLS, "GET, POST"),
        ("PATCH", f"{CALLS}/x", "DELETE, GET"),
        ("POST", "/data/reports/calls/files/x", "DELETE, GET"),
    ],
)
def test_wrong_methods_are_0330014_with_allow(client: httpx.Client, method: str, path: str, allow: str) -> None:
    response = client.request(method, path)
    assert_error(response, 405, "0330014", [])
    assert response.headers["allow"] == allow


@pytest.mark.parametrize("report_type", ["nope", "Calls", "calls ", "dashboards"])
def test_unknown_report_types_are_0330013(client: httpx.Client, access: str, report_type: str) -> None:
    response = client.post(f"/data/reports/{report_type}/jobs", json=job_body(), headers=bearer(access))
    body = assert_error(response, 404, "0330013", [])
    assert report_type in body["message"]
    assert_error(client.get(f"/data/reports/{report_type}/jobs", headers=bearer(access)), 404, "0330013")


def test_every_documented_report_type_is_accepted(client: httpx.Client, access: str) -> None:
    types = client.get("/_mock/config").json()["talkdesk"]["report_types"]
    assert len(types) == 15
    for report_type in types:
        job = create(client, access, report_type)
        assert job["_links"]["self"]["href"].endswith(f"/data/reports/{report_type}/jobs/{job['id']}")


def test_report_types_knob_applies_to_the_next_request(client: httpx.Client, access: str) -> None:
    configure(client, report_types=["calls", "custom_report"])
    assert client.post("/data/reports/custom_report/jobs", json=job_body(), headers=bearer(access)).status_code == 202
    assert client.post("/data/reports/contacts/jobs", json=job_body(), headers=bearer(access)).status_code == 404


def test_a_job_belongs_to_its_type(client: httpx.Client, access: str) -> None:
    job = create(client, access)
    for kind in ("jobs", "files"):
        assert_error(client.get(f"/data/reports/contacts/{kind}/{job['id']}", headers=bearer(access)), 404, "0330013")
    assert client.get("/data/reports/contacts/jobs", headers=bearer(access)).json()["total"] == 0


def test_unknown_job_ids_are_0330013(client: httpx.Client, access: str) -> None:
    for path in (f"{CALLS}/nope", "/data/reports/calls/files/00000000-0000-4000-8000-000000000000"):
        body = assert_error(client.get(path, headers=bearer(access)), 404, "0330013", [])
        assert body["description"] == "Not found"


def test_injected_faults_use_the_page_envelope(client: httpx.Client, access: str) -> None:
    client.post("/_mock/faults", json={"vendor": "talkdesk", "path": "^/data", "status": 503, "times": 1})
    body = assert_error(client.get(CALLS, headers=bearer(access)), 503, "0330030", [])
    assert body["description"] == "Unable to audit operation"
    client.post("/_mock/faults", json={"vendor": "talkdesk", "path": "^/data", "status": 500, "times": 1})
    assert_error(client.get(CALLS, headers=bearer(access)), 500, "0330099")
    client.post("/_mock/faults", json={"vendor": "talkdesk", "path": "^/data", "status": 429, "times": 1})
    assert client.get(CALLS, headers=bearer(access)).headers["retry-after"] == "60"


# list paging


def test_list_pages_and_links(client: httpx.Client, access: str) -> None:
    jobs = [create(client, access, name=f"job {n}")["id"] for n in range(5)]
    page = client.get(CALLS, params={"page": 2, "per_page": 2}, headers=bearer(access)).json()
    assert [job["id"] for job in page["_embedded"]["jobs"]] == jobs[2:4]
    assert {key: page[key] for key in ("total", "count", "page", "per_page", "total_pages")} == {
        "total": 5,
        "count": 2,
        "page": 2,
        "per_page": 2,
        "total_pages": 3,
    }
    base = "http://mock.local/data/reports/calls/jobs"
    assert page["_links"] == {
        "self": {"href": f"{base}?page=2&per_page=2"},
        "next": {"href": f"{base}?page=3&per_page=2"},
        "prev": {"href": f"{base}?page=1&per_page=2"},
    }
    past = client.get(CALLS, params={"page": 9, "per_page": 2}, headers=bearer(access)).json()
    assert past["_embedded"]["jobs"] == [] and past["count"] == 0 and list(past["_links"]) == ["self", "prev"]


@pytest.mark.parametrize(
    "params",
    [{"page": "0"}, {"page": "-1"}, {"page": "x"}, {"per_page": "0"}, {"per_page": "101"}, {"per_page": "1.5"}],
)
def test_bad_paging_is_0330003(client: httpx.Client, access: str, params: dict[str, str]) -> None:
    assert_error(client.get(CALLS, params=params, headers=bearer(access)), 400, "0330003", list(params))
