"""One focused example per Qonversion validation and error rule (CONTRACTS.md 1.4, 1.10)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.conftest import KEY, OTHER_KEY, REPORTS, advance, auth, create_report, report_body

NOW = "2026-11-23T09:00:00Z"
DESTINATIONS = f"{REPORTS}/destinations"
SEND_AT_MESSAGE = "Must be HH:MM on a 30-minute slot between 00:00 and 23:30"
UNAUTHORIZED = {"error": {"type": "request", "code": "control_unauthorized", "message": "Authorization required"}}
NOT_FOUND = {"error": {"type": "resource", "code": "not_found", "message": "Requested resource not found"}}
JSON = {"Content-Type": "application/json"}


def configure(client: httpx.Client, **knobs: Any) -> None:
    response = client.put("/_mock/config", json={"qonversion": knobs})
    assert response.status_code == 200, response.text


def details(response: httpx.Response) -> list[dict[str, str]]:
    """The details of a 400 `invalid_data` error in the v4 envelope."""
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert (error["type"], error["code"], error["message"]) == ("request", "invalid_data", "Validation failed")
    return error["details"]


def fields(response: httpx.Response) -> list[str]:
    """The fields named, in order; a repeat entry is test_each_problem_is_reported_once's business."""
    return list(dict.fromkeys(item["field"] for item in details(response)))


def assert_body_error(response: httpx.Response) -> None:
    """400 `invalid_data` for a body-level problem: no `details` key at all."""
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert (error["type"], error["code"]) == ("request", "invalid_data")
    assert set(error) == {"type", "code", "message"} and error["message"]


def reports(client: httpx.Client, key: str = KEY) -> list[dict[str, Any]]:
    response = client.get(REPORTS, headers=auth(key))
    assert response.status_code == 200, response.text
    return response.json()["data"]


def dest(dest_id: str, **extra: Any) -> dict[str, Any]:
    return {"type": "target_integration", "id": dest_id, **extra}


# ---------------------------------------------------------------- QON-AUTH-BEARER


@pytest.mark.parametrize(
    "header",
    [
        None,
        f"Basic {KEY}",
        f"Token {KEY}",
        "Bearer",
        "Bearer ",
        "Bearer pk_x",
        "Bearer sk_",
        "Bearer test_sk_",
        "Bearer test_pk_x",
        "Bearer sk_x!",
        "Bearer sk_x extra",
        f"Bearer{KEY}",
        KEY,
    ],
)
def test_auth_bearer_rejects_missing_or_malformed_credentials(client: httpx.Client, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    for response in (
        client.get(REPORTS, headers=headers),
        client.post(REPORTS, json=report_body(), headers=headers),
        client.get(DESTINATIONS, headers=headers),
    ):
        assert response.status_code == 401, response.text
        assert response.json() == UNAUTHORIZED
    assert reports(client) == []


@pytest.mark.parametrize(
    "header", [f"Bearer {KEY}", f"bearer {KEY}", f"BEARER {KEY}", "Bearer test_sk_x", "Bearer sk_A-b_9", "Bearer sk_x "]
)
def test_auth_bearer_accepts_any_case_scheme_and_both_key_kinds(client: httpx.Client, header: str) -> None:
    response = client.post(REPORTS, json=report_body(), headers={"Authorization": header})
    assert response.status_code == 201, response.text


def test_auth_is_checked_before_the_body(client: httpx.Client) -> None:
    response = client.post(REPORTS, content=b"{not json", headers={**JSON, "Authorization": "Basic x"})
    assert response.status_code == 401 and response.json() == UNAUTHORIZED


# ---------------------------------------------------------------- keys / QON-AUTH-FORBIDDEN / QON-TENANT-KEY


def test_keys_knob_accepts_only_the_listed_keys(client: httpx.Client) -> None:
    configure(client, keys=[KEY])
    assert client.get(REPORTS, headers=auth(KEY)).status_code == 200
    for other in (OTHER_KEY, f"test_{KEY}"):
        response = client.get(REPORTS, headers=auth(other))
        assert response.status_code == 401 and response.json() == UNAUTHORIZED


def test_auth_forbidden_keys_get_403_and_others_still_work(client: httpx.Client) -> None:
    configure(client, forbidden_keys=[KEY])
    for response in (
        client.get(REPORTS, headers=auth(KEY)),
        client.post(REPORTS, json=report_body(), headers=auth(KEY)),
        client.get(f"{REPORTS}/abcdefgh", headers=auth(KEY)),
    ):
        assert response.status_code == 403, response.text
        error = response.json()["error"]
        assert (error["type"], error["code"]) == ("request", "control_forbidden") and "details" not in error
    assert client.post(REPORTS, json=report_body(), headers=auth(OTHER_KEY)).status_code == 201
    # A malformed key is still a 401, whatever the forbidden list says.
    configure(client, forbidden_keys=["pk_bad"])
    assert client.get(REPORTS, headers=auth("pk_bad")).status_code == 401


def test_tenant_key_other_tenants_reports_do_not_exist(client: httpx.Client) -> None:
    report = create_report(client, KEY)
    for other in (OTHER_KEY, f"test_{KEY}"):
        assert reports(client, other) == []
        for method, suffix, body in [
            ("GET", "", None),
            ("PUT", "", {}),
            ("DELETE", "", None),
            ("POST", "/send-test", None),
        ]:
            response = client.request(method, report["url"] + suffix, json=body, headers=auth(other))
            assert response.status_code == 404 and response.json() == NOT_FOUND
    assert client.get(report["url"], headers=auth(KEY)).json() == report


# ---------------------------------------------------------------- QON-CREATE-REQUIRED and field rules


def test_create_required_all_six_fields_in_field_order(client: httpx.Client) -> None:
    response = client.post(REPORTS, json={"id": "ignored", "runs": 5}, headers=auth())
    assert details(response) == [
        {"field": name, "message": "Required"}
        for name in ("report_name", "send_at", "included_range_days", "status", "environment", "destinations")
    ]
    assert reports(client) == []


@pytest.mark.parametrize("name", ["", "x" * 256, "é" * 256, "😀" * 256, 42, None, ["x"]])
def test_name_len_rejects(client: httpx.Client, name: Any) -> None:
    response = client.post(REPORTS, json=report_body(report_name=name), headers=auth())
    assert details(response) == [{"field": "report_name", "message": "Must be a string of 1 to 255 characters"}]


@pytest.mark.parametrize("name", ["x", "x" * 255, "é" * 255, "😀" * 255, " "])
def test_name_len_accepts_1_to_255_code_points(client: httpx.Client, name: str) -> None:
    assert create_report(client, report_name=name)["report_name"] == name


@pytest.mark.parametrize(
    "send_at", ["9:00", "09:00 ", "24:00", "23:45", "12:15", "09:00\n", "0900", "09:00:00", "", "０９:００", 900]
)
def test_send_at_slot_rejects(client: httpx.Client, send_at: Any) -> None:
    response = client.post(REPORTS, json=report_body(send_at=send_at), headers=auth())
    assert details(response) == [{"field": "send_at", "message": SEND_AT_MESSAGE}]
    assert reports(client) == []


@pytest.mark.parametrize("send_at", ["00:00", "00:30", "23:30", "12:00"])
def test_send_at_slot_accepts(client: httpx.Client, send_at: str) -> None:
    assert create_report(client, send_at=send_at)["send_at"] == send_at


@pytest.mark.parametrize("days", [0, 2, 5, 30, -1, 1.5, "1", True, None, [1]])
def test_range_days_rejects(client: httpx.Client, days: Any) -> None:
    response = client.post(REPORTS, json=report_body(included_range_days=days), headers=auth())
    assert fields(response) == ["included_range_days"]
    assert {item["message"] for item in details(response)} == {"Must be one of: 1, 3, 7"}


def test_range_days_float_integral_is_stored_as_int(client: httpx.Client) -> None:
    response = client.post(
        REPORTS, content=json.dumps(report_body(included_range_days=7.0)), headers={**JSON, **auth()}
    )
    assert response.status_code == 201, response.text
    assert '"included_range_days":7,' in response.text
    assert client.get(response.json()["url"], headers=auth()).text == response.text


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("status", "Active", "Must be one of: draft, active"),
        ("status", "paused", "Must be one of: draft, active"),
        ("environment", "prod", "Must be one of: sandbox, production"),
        ("environment", "Sandbox", "Must be one of: sandbox, production"),
    ],
)
def test_status_and_env_enums_reject(client: httpx.Client, name: str, value: str, message: str) -> None:
    response = client.post(REPORTS, json=report_body(**{name: value}), headers=auth())
    assert details(response) == [{"field": name, "message": message}]


def test_each_problem_is_reported_once(client: httpx.Client) -> None:
    """A value of the wrong JSON type is one problem, not a type error plus an enum/const error."""
    response = client.post(REPORTS, json=report_body(included_range_days="1", status=5), headers=auth())
    assert details(response) == [
        {"field": "included_range_days", "message": "Must be one of: 1, 3, 7"},
        {"field": "status", "message": "Must be one of: draft, active"},
    ]
    response = client.post(REPORTS, json=report_body(destinations=[{"type": 5, "id": "int-wh-01"}]), headers=auth())
    assert fields(response) == ["destinations[0].type"]


# ---------------------------------------------------------------- destinations


def test_dest_min_1(client: httpx.Client) -> None:
    response = client.post(REPORTS, json=report_body(destinations=[]), headers=auth())
    assert details(response) == [{"field": "destinations", "message": "Must contain at least one destination"}]


@pytest.mark.parametrize(
    ("destinations", "field"),
    [
        ({"type": "target_integration", "id": "int-wh-01"}, "destinations"),
        ("int-wh-01", "destinations"),
        ([None], "destinations[0]"),
        ([dest("int-wh-01"), "int-slack-01"], "destinations[1]"),
        ([{"id": "int-wh-01"}], "destinations[0].type"),
        ([{"type": "target_integration"}], "destinations[0].id"),
        ([{"type": "target_integration", "id": 7}], "destinations[0].id"),
        ([{"type": "target_integration", "id": None}], "destinations[0].id"),
        ([dest("int-wh-01", label=3)], "destinations[0].label"),
    ],
)
def test_dest_shape(client: httpx.Client, destinations: Any, field: str) -> None:
    response = client.post(REPORTS, json=report_body(destinations=destinations), headers=auth())
    assert fields(response) == [field]
    assert reports(client) == []


def test_dest_type_must_be_target_integration(client: httpx.Client) -> None:
    body = report_body(destinations=[dest("int-wh-01"), {"type": "webhook", "id": "int-slack-01"}])
    response = client.post(REPORTS, json=body, headers=auth())
    assert details(response) == [{"field": "destinations[1].type", "message": "Unsupported destination type"}]


def test_dest_unique_names_every_repeat_whatever_its_label(client: httpx.Client) -> None:
    items = [dest("int-wh-01"), dest("int-slack-01"), dest("int-wh-01", label="other"), dest("int-wh-01")]
    response = client.post(REPORTS, json=report_body(destinations=items), headers=auth())
    assert details(response) == [
        {"field": "destinations[2]", "message": "Duplicate destination"},
        {"field": "destinations[3]", "message": "Duplicate destination"},
    ]
    report = create_report(client)
    response = client.put(report["url"], json={"destinations": [dest("int-slack-01")] * 2}, headers=auth())
    assert details(response) == [{"field": "destinations[1]", "message": "Duplicate destination"}]
    assert client.get(report["url"], headers=auth()).json() == report


def test_dest_known_unknown_id_is_422_naming_the_item(client: httpx.Client) -> None:
    body = report_body(destinations=[dest("int-wh-01"), dest("int-nope"), dest("int-gone", label="x")])
    response = client.post(REPORTS, json=body, headers=auth())
    assert response.status_code == 422, response.text
    assert response.json() == {
        "error": {
            "type": "logical",
            "code": "relation_not_found",
            "message": "Related resource not found",
            "details": [
                {"field": "destinations[1].id", "message": "Unknown destination"},
                {"field": "destinations[2].id", "message": "Unknown destination"},
            ],
        }
    }
    assert reports(client) == []
    report = create_report(client)
    response = client.put(report["url"], json={"report_name": "New", "destinations": [dest("x")]}, headers=auth())
    assert response.status_code == 422 and response.json()["error"]["details"][0]["field"] == "destinations[0].id"
    assert client.get(report["url"], headers=auth()).json() == report


def test_dest_known_is_checked_only_when_there_is_no_400_problem(client: httpx.Client) -> None:
    body = report_body(send_at="09:15", destinations=[dest("int-nope")])
    assert fields(client.post(REPORTS, json=body, headers=auth())) == ["send_at"]


def test_accept_unknown_destinations_stores_the_label_or_the_id(client: httpx.Client) -> None:
    configure(client, accept_unknown_destinations=True)
    items = [dest("int-nope"), dest("int-gone", label="Gone"), dest("int-wh-01")]
    report = create_report(client, destinations=items)
    assert report["destinations"] == [
        dest("int-nope", label="int-nope"),
        dest("int-gone", label="Gone"),
        dest("int-wh-01", label="Webhooks: Release alerts"),
    ]
    # The shape, type and uniqueness rules still apply.
    response = client.post(REPORTS, json=report_body(destinations=[dest("a"), dest("a")]), headers=auth())
    assert fields(response) == ["destinations[1]"]


# ---------------------------------------------------------------- several problems


def test_multiple_problems_are_all_reported_in_field_order(client: httpx.Client) -> None:
    body = {
        "destinations": [dest("int-wh-01"), {"type": "x"}, dest("int-wh-01")],
        "environment": "prod",
        "status": None,
        "send_at": "9:00",
        "report_name": "",
    }
    response = client.post(REPORTS, json=body, headers=auth())
    assert fields(response) == [
        "report_name",
        "send_at",
        "included_range_days",
        "status",
        "environment",
        "destinations[1].type",
        "destinations[1].id",
        "destinations[2]",
    ]


# ---------------------------------------------------------------- QON-PUT-PARTIAL / QON-UPDATED-AT


def test_put_empty_object_changes_nothing(client: httpx.Client) -> None:
    report = create_report(client)
    advance(client, 3600)
    response = client.put(report["url"], json={}, headers=auth())
    assert response.status_code == 200 and response.json() == report


def test_put_keeps_omitted_fields_and_replaces_destinations_wholesale(client: httpx.Client) -> None:
    report = create_report(client, destinations=[dest("int-wh-01"), dest("int-slack-01")])
    response = client.put(report["url"], json={"destinations": [dest("int-email-01", label="Mine")]}, headers=auth())
    assert response.status_code == 200, response.text
    assert response.json() == {**report, "destinations": [dest("int-email-01", label="Mine")]}
    response = client.put(report["url"], json={"status": "draft", "unknown": 1, "runs": 9}, headers=auth())
    assert response.json() == {**report, "status": "draft", "destinations": [dest("int-email-01", label="Mine")]}


@pytest.mark.parametrize(
    "name", ["report_name", "send_at", "included_range_days", "status", "environment", "destinations"]
)
def test_put_rejects_null_for_every_field(client: httpx.Client, name: str) -> None:
    report = create_report(client)
    response = client.put(report["url"], json={"report_name": "Renamed", name: None}, headers=auth())
    assert fields(response) == [name]
    assert client.get(report["url"], headers=auth()).json() == report


def test_put_validates_present_fields_as_on_create(client: httpx.Client) -> None:
    report = create_report(client)
    response = client.put(report["url"], json={"send_at": "09:15", "destinations": [], "status": "on"}, headers=auth())
    assert fields(response) == ["send_at", "status", "destinations"]
    assert client.get(report["url"], headers=auth()).json() == report


def test_put_on_unknown_report_is_404(client: httpx.Client) -> None:
    response = client.put(f"{REPORTS}/abcdefgh", json={"report_name": "x"}, headers=auth())
    assert response.status_code == 404 and response.json() == NOT_FOUND


def test_updated_at_moves_only_when_a_value_changes(client: httpx.Client) -> None:
    report = create_report(client, destinations=[dest("int-wh-01")])
    advance(client, 3600)
    same = {
        **report_body(destinations=[dest("int-wh-01")]),
        "included_range_days": 1.0,
        "updated_at": "2030-01-01T00:00:00Z",
    }
    response = client.put(report["url"], content=json.dumps(same), headers={**JSON, **auth()})
    assert response.status_code == 200 and response.json() == report
    response = client.put(report["url"], json={"report_name": "Weekly Revenue"}, headers=auth())
    assert response.json() == {**report, "report_name": "Weekly Revenue", "updated_at": "2026-11-23T10:00:00Z"}
    assert response.json()["created_at"] == NOW


# ---------------------------------------------------------------- QON-LIST-PAGING


@pytest.mark.parametrize(
    ("param", "value"),
    [("limit", v) for v in ("0", "101", "-1", "abc", "1.5", "")] + [("offset", v) for v in ("-1", "abc", "1.5", "")],
)
def test_list_paging_rejects_bad_values(client: httpx.Client, param: str, value: str) -> None:
    response = client.get(REPORTS, params={param: value}, headers=auth())
    assert fields(response) == [param]


def test_list_paging_defaults_and_extremes(client: httpx.Client) -> None:
    created = [create_report(client, report_name=f"r{i}")["id"] for i in range(22)]
    page = client.get(REPORTS, headers=auth()).json()
    assert [r["id"] for r in page["data"]] == created[:20] and page["has_more"] is True
    page = client.get(REPORTS, params={"limit": 100, "offset": 21}, headers=auth()).json()
    assert [r["id"] for r in page["data"]] == created[21:] and page["has_more"] is False
    page = client.get(REPORTS, params={"offset": 1000, "starting_after": created[0]}, headers=auth()).json()
    assert page["data"] == [] and page["has_more"] is False


# ---------------------------------------------------------------- QON-ID-FORMAT / QON-NOT-FOUND / QON-DELETE-204


@pytest.mark.parametrize("segment", ["x" * 257, "a%20b", "a!", "~", "%C3%A9", "a%0A", "a%0Ab", "a%0D"])
def test_id_format_rejects_with_400_naming_report_id(client: httpx.Client, segment: str) -> None:
    response = client.get(f"{REPORTS}/{segment}", headers=auth())
    assert details(response) == [
        {"field": "report_id", "message": "Must be 1 to 256 characters of letters, digits, '.', '_' or '-'"}
    ]


@pytest.mark.parametrize("segment", ["x" * 256, "a.b_c-D9", "abcdefgh"])
def test_not_found_for_well_formed_unknown_ids(client: httpx.Client, segment: str) -> None:
    response = client.get(f"{REPORTS}/{segment}", headers=auth())
    assert response.status_code == 404 and response.json() == NOT_FOUND


def test_delete_204_then_404(client: httpx.Client) -> None:
    report = create_report(client)
    response = client.delete(report["url"], headers=auth())
    assert response.status_code == 204 and response.content == b""
    for method in ("GET", "DELETE", "PUT"):
        response = client.request(method, report["url"], json={} if method == "PUT" else None, headers=auth())
        assert response.status_code == 404 and response.json() == NOT_FOUND
    assert reports(client) == []


# ---------------------------------------------------------------- send-test


def test_send_test_rate_429_with_retry_after_60(client: httpx.Client) -> None:
    report = create_report(client)
    url = report["url"] + "/send-test"
    assert client.post(url, headers=auth()).status_code == 202
    advance(client, 59)
    response = client.post(url, headers=auth())
    assert response.status_code == 429 and response.headers["retry-after"] == "60"
    error = response.json()["error"]
    assert (error["type"], error["code"]) == ("request", "rate_limit_exceeded")
    advance(client, 1)
    assert client.post(url, headers=auth()).status_code == 202


def test_send_test_ignores_its_body_and_content_type(client: httpx.Client) -> None:
    report = create_report(client)
    headers = {**auth(), "Content-Type": "text/plain"}
    response = client.post(report["url"] + "/send-test", content=b"{not json", headers=headers)
    assert response.status_code == 202, response.text
    assert response.json() == {"object": "scheduled_report", "id": report["id"], "url": report["url"]}


# ---------------------------------------------------------------- QON-BODY-JSON


BAD_BODIES = [
    pytest.param(b"{not json", "application/json", id="malformed"),
    pytest.param(b"[]", "application/json", id="array"),
    pytest.param(json.dumps([report_body()]).encode(), "application/json", id="array-of-body"),
    pytest.param(b"null", "application/json", id="null"),
    pytest.param(b'"text"', "application/json", id="string"),
    pytest.param(b"42", "application/json", id="number"),
    pytest.param(b"", "application/json", id="empty"),
    pytest.param(b"   ", "application/json", id="blank"),
    pytest.param(json.dumps(report_body()).encode(), "text/plain", id="text-plain"),
    pytest.param(json.dumps(report_body()).encode(), None, id="no-content-type"),
    pytest.param(json.dumps(report_body()).encode(), "application/x-www-form-urlencoded", id="form"),
]


@pytest.mark.parametrize(("content", "content_type"), BAD_BODIES)
def test_body_json_problems_are_400_without_details(
    client: httpx.Client, content: bytes, content_type: str | None
) -> None:
    report = create_report(client)
    headers = auth() if content_type is None else {**auth(), "Content-Type": content_type}
    assert_body_error(client.post(REPORTS, content=content, headers=headers))
    assert_body_error(client.put(report["url"], content=content, headers=headers))
    assert reports(client) == [report]


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "application/vnd.api+json", "APPLICATION/JSON"],
)
def test_body_json_content_types_accepted(client: httpx.Client, content_type: str) -> None:
    headers = {**auth(), "Content-Type": content_type}
    response = client.post(REPORTS, content=json.dumps(report_body()).encode(), headers=headers)
    assert response.status_code == 201, response.text
    response = client.put(response.json()["url"], content=b'{"status": "draft"}', headers=headers)
    assert response.status_code == 200 and response.json()["status"] == "draft"


HOSTILE_BODIES = [
    pytest.param(b"[" * 100_000 + b"]" * 100_000, id="deeply-nested-lists"),
    pytest.param(b'{"a":' * 50_000 + b"1" + b"}" * 50_000, id="deeply-nested-objects"),
    pytest.param(b'{"report_name": "\xff\xfe"}', id="invalid-utf8"),
    pytest.param(b'{"included_range_days": NaN}', id="nan"),
    pytest.param(b'{"included_range_days": -Infinity}', id="infinity"),
    pytest.param(b'{"included_range_days": ' + b"9" * 5000 + b"}", id="huge-int"),
    pytest.param(b'{"included_range_days": 1e400}', id="huge-float"),
    pytest.param(b'{"report_name": "a", "report_name": 5}', id="repeated-key"),
]


@pytest.mark.parametrize("content", HOSTILE_BODIES)
def test_hostile_bodies_never_cause_a_5xx(client: httpx.Client, content: bytes) -> None:
    report = create_report(client)
    for response in (
        client.post(REPORTS, content=content, headers={**JSON, **auth()}),
        client.put(report["url"], content=content, headers={**JSON, **auth()}),
    ):
        assert response.status_code == 400, response.text
        assert response.json()["error"]["code"] == "invalid_data"
    assert reports(client) == [report]


def test_lone_surrogate_escape_is_refused_or_survives_serialisation(client: httpx.Client) -> None:
    """`"\\ud800"` is legal JSON text but no UTF-8 string: it must not poison the tenant's responses."""
    body = json.dumps(report_body(report_name="\ud800")).encode()
    response = client.post(REPORTS, content=body, headers={**JSON, **auth()})
    assert response.status_code < 500
    listing = client.get(REPORTS, headers=auth())
    assert listing.status_code == 200


# ---------------------------------------------------------------- 413


def test_body_over_max_body_bytes_is_413_before_auth(client: httpx.Client) -> None:
    big = json.dumps(report_body(report_name="x" * (1 << 20))).encode()
    for headers in ({**JSON, **auth()}, JSON):
        response = client.post(REPORTS, content=big, headers=headers)
        assert response.status_code == 413, response.text
        error = response.json()["error"]
        assert (error["type"], error["code"]) == ("request", "invalid_request") and "details" not in error
    assert reports(client) == []


def test_body_of_exactly_max_body_bytes_is_read(client: httpx.Client) -> None:
    shell = json.dumps(report_body(report_name="")).encode()
    exact = json.dumps(report_body(report_name="x" * ((1 << 20) - len(shell)))).encode()
    assert len(exact) == 1 << 20
    response = client.post(REPORTS, content=exact, headers={**JSON, **auth()})
    assert fields(response) == ["report_name"]


# ---------------------------------------------------------------- QON-ROUTE


@pytest.mark.parametrize(
    "path",
    ["/v4", "/v4/", "/v4/reports", "/v4/scheduled-reports/", "/v4/scheduled-reports/abc/runs", "/v4/x/y", "/v4/x%0Ay"],
)
def test_route_unknown_path_under_v4_is_404_invalid_request(client: httpx.Client, path: str) -> None:
    for headers in (auth(), {}):
        response = client.get(path, headers=headers)
        assert response.status_code == 404, response.text
        error = response.json()["error"]
        assert (error["type"], error["code"]) == ("request", "invalid_request")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PATCH", REPORTS, "GET, POST"),
        ("DELETE", REPORTS, "GET, POST"),
        ("PUT", DESTINATIONS, "GET"),
        ("DELETE", DESTINATIONS, "GET"),
        ("POST", DESTINATIONS, "GET"),
        ("PATCH", f"{REPORTS}/abcdefgh", "DELETE, GET, PUT"),
        ("POST", f"{REPORTS}/abcdefgh", "DELETE, GET, PUT"),
        ("GET", f"{REPORTS}/abcdefgh/send-test", "POST"),
    ],
)
def test_route_wrong_method_is_405_with_allow(client: httpx.Client, method: str, path: str, allow: str) -> None:
    for headers in (auth(), {}):
        response = client.request(method, path, json=report_body(), headers=headers)
        assert response.status_code == 405, response.text
        assert {m.strip() for m in response.headers["allow"].split(",")} == set(allow.split(", "))
        error = response.json()["error"]
        assert (error["type"], error["code"]) == ("request", "invalid_request")
    assert reports(client) == []
