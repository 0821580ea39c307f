"""The /_mock control plane, route by route (DESIGN.md "Control plane"), through the in-process client."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import yaml
from starlette.applications import Starlette

from mockserver import create_app
from mockserver.core.resources import data_dir
from mockserver.core.state import MockState
from mockserver.inprocess import client_for
from mockserver.vendors import REGISTRY
from tests.conftest import KEY, OTHER_KEY, REPORTS, advance, auth, create_report, outbox, report_body

START = "2026-11-23T09:00:00Z"
DESTINATIONS = f"{REPORTS}/destinations"


def assert_control_error(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert isinstance(body["error"]["code"], str) and isinstance(body["error"]["message"], str)
    return body["error"]


def clock(client: httpx.Client) -> dict[str, Any]:
    response = client.get("/_mock/clock")
    assert response.status_code == 200
    return response.json()


def journal(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/_mock/requests", params=params)
    assert response.status_code == 200, response.text
    return response.json()["data"]


# health


def test_health(client: httpx.Client):
    response = client.get("/_mock/health")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"status": "ok", "vendors": list(REGISTRY), "now": START}


def test_health_now_follows_the_clock(client: httpx.Client):
    advance(client, 3600)
    assert client.get("/_mock/health").json()["now"] == "2026-11-23T10:00:00Z"


# reset


def test_reset_clears_every_tenant_outbox_journal_faults_and_windows(client: httpx.Client, state: MockState):
    mine = create_report(client)
    theirs = create_report(client, OTHER_KEY)
    assert client.post(f"{REPORTS}/{mine['id']}/send-test", headers=auth()).status_code == 202
    advance(client, 86400)
    assert outbox(client)
    assert client.post("/_mock/faults", json={"status": 500, "path": "^/nothing-here$"}).status_code == 201
    assert journal(client)
    assert client.put("/_mock/config", json={"qonversion": {"send_test_window_seconds": 3600}}).status_code == 200
    before = clock(client)

    response = client.post("/_mock/reset")
    assert response.status_code == 204
    assert response.content == b""

    assert client.get("/_mock/faults").json() == {"data": []}
    assert outbox(client) == []
    assert journal(client) == []
    for key, report in ((KEY, mine), (OTHER_KEY, theirs)):
        listed = client.get(REPORTS, headers=auth(key)).json()
        assert listed["data"] == []
        assert client.get(f"{REPORTS}/{report['id']}", headers=auth(key)).status_code == 404
    assert clock(client) == before  # the clock keeps its time
    config = client.get("/_mock/config").json()
    assert config["qonversion"]["send_test_window_seconds"] == 3600  # and the config
    # timers of the forgotten reports are gone: a day later nothing is delivered
    assert advance(client, 86400)["fired"] == 0
    assert outbox(client) == []
    assert state.scheduler.pending() == 0


def test_reset_clears_send_test_windows(client: httpx.Client):
    first = create_report(client)
    assert client.post(f"{REPORTS}/{first['id']}/send-test", headers=auth()).status_code == 202
    assert client.post(f"{REPORTS}/{first['id']}/send-test", headers=auth()).status_code == 429
    assert client.post("/_mock/reset").status_code == 204
    again = create_report(client)
    assert again["id"] == first["id"]  # ids re-seeded, so the window key would collide if it survived
    assert client.post(f"{REPORTS}/{again['id']}/send-test", headers=auth()).status_code == 202


def test_reset_reseeds_ids_like_a_fresh_app(client: httpx.Client):
    with client_for(create_app()) as fresh:
        fresh_ids = [create_report(fresh)["id"] for _ in range(3)]
    ids = [create_report(client)["id"] for _ in range(3)]
    assert ids == fresh_ids
    assert client.post("/_mock/reset").status_code == 204
    assert [create_report(client, OTHER_KEY)["id"] for _ in range(3)] == fresh_ids


# clock


def test_get_clock(client: httpx.Client):
    assert clock(client) == {"now": START, "mode": "frozen"}


def test_advance_seconds(client: httpx.Client):
    response = client.post("/_mock/clock", json={"advance_seconds": 90})
    assert response.status_code == 200
    assert response.json() == {"now": "2026-11-23T09:01:30Z", "mode": "frozen", "fired": 0}
    assert clock(client)["now"] == "2026-11-23T09:01:30Z"


def test_advance_seconds_accepts_a_float(client: httpx.Client):
    assert advance(client, 0.5)["now"] == START  # whole seconds on the wire
    assert advance(client, 0.5)["now"] == "2026-11-23T09:00:01Z"


@pytest.mark.parametrize(
    ("value", "now"),
    [
        ("2026-12-01T00:00:00Z", "2026-12-01T00:00:00Z"),
        ("2026-12-01T02:00:00+02:00", "2026-12-01T00:00:00Z"),
        ("2027-03-04T05:06:07Z", "2027-03-04T05:06:07Z"),
        (START, START),  # setting to now is not going backwards
    ],
)
def test_set_clock(client: httpx.Client, value: str, now: str):
    response = client.post("/_mock/clock", json={"set": value})
    assert response.status_code == 200, response.text
    assert response.json() == {"now": now, "mode": "frozen", "fired": 0}


def test_set_into_the_past_is_409_and_keeps_time(client: httpx.Client):
    advance(client, 60)
    response = client.post("/_mock/clock", json={"set": START})
    assert_control_error(response, 409)
    assert clock(client)["now"] == "2026-11-23T09:01:00Z"


def test_mode_switch(client: httpx.Client):
    response = client.post("/_mock/clock", json={"mode": "real"})
    assert response.status_code == 200
    assert response.json()["mode"] == "real"
    assert response.json()["fired"] == 0
    assert response.json()["now"] >= START  # continues from the current instant, forward only
    response = client.post("/_mock/clock", json={"mode": "frozen"})
    assert response.json()["mode"] == "frozen"
    frozen_at = response.json()["now"]
    assert frozen_at >= START
    assert clock(client) == {"now": frozen_at, "mode": "frozen"}


def test_mode_and_advance_together(client: httpx.Client):
    response = client.post("/_mock/clock", json={"mode": "frozen", "advance_seconds": 60})
    assert response.status_code == 200
    assert response.json() == {"now": "2026-11-23T09:01:00Z", "mode": "frozen", "fired": 0}


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"advance_seconds": -1}, id="negative"),
        pytest.param({"advance_seconds": True}, id="bool"),
        pytest.param({"advance_seconds": "60"}, id="string"),
        pytest.param({"advance_seconds": None}, id="null"),
        pytest.param({"advance_seconds": 10**12}, id="absurdly-far"),
        pytest.param({"advance_seconds": 60, "set": "2026-12-01T00:00:00Z"}, id="advance-and-set"),
        pytest.param({"set": "tomorrow"}, id="set-not-iso"),
        pytest.param({"set": 1700000000}, id="set-number"),
        pytest.param({"mode": "paused"}, id="unknown-mode"),
        pytest.param({"mode": None}, id="null-mode"),
        pytest.param({}, id="empty"),
        pytest.param({"advance": 60}, id="unknown-field-only"),
    ],
)
def test_invalid_clock_bodies_are_400(client: httpx.Client, body: dict[str, Any]):
    assert_control_error(client.post("/_mock/clock", json=body), 400)
    assert clock(client) == {"now": START, "mode": "frozen"}


@pytest.mark.parametrize(
    "content",
    [b"not json", b"[60]", b'"advance"', b"", b'{"advance_seconds": NaN}', b"\xff"],
)
def test_non_json_or_non_object_clock_bodies_are_400(client: httpx.Client, content: bytes):
    response = client.post("/_mock/clock", content=content, headers={"content-type": "application/json"})
    assert_control_error(response, 400)
    assert clock(client) == {"now": START, "mode": "frozen"}


def test_an_invalid_clock_body_changes_nothing_even_with_a_valid_mode(client: httpx.Client):
    response = client.post("/_mock/clock", json={"mode": "real", "advance_seconds": -1})
    assert_control_error(response, 400)
    assert clock(client) == {"now": START, "mode": "frozen"}


def test_fired_counts_timers_that_fell_due(client: httpx.Client):
    report = create_report(client, send_at="09:00")  # created at 09:00: first delivery tomorrow
    result = advance(client, 3 * 86400)
    assert result["fired"] == 3
    assert result["now"] == "2026-11-26T09:00:00Z"
    entries = outbox(client, resource_id=report["id"])
    assert [entry["at"] for entry in entries] == [
        "2026-11-24T09:00:00Z",
        "2026-11-25T09:00:00Z",
        "2026-11-26T09:00:00Z",
    ]
    assert client.get(f"{REPORTS}/{report['id']}", headers=auth()).json()["runs"] == 3
    assert advance(client, 60)["fired"] == 0


def test_set_fires_what_fell_due_on_the_way(client: httpx.Client):
    create_report(client, send_at="10:30")
    create_report(client, send_at="11:00")
    response = client.post("/_mock/clock", json={"set": "2026-11-24T10:45:00Z"})
    assert response.json()["fired"] == 3  # 23rd 10:30, 23rd 11:00, 24th 10:30


# outbox


def _fill_outbox(client: httpx.Client) -> tuple[dict, dict]:
    mine = create_report(client, send_at="10:00")
    theirs = create_report(
        client,
        OTHER_KEY,
        send_at="10:00",
        destinations=[
            {"type": "target_integration", "id": "int-wh-01"},
            {"type": "target_integration", "id": "int-slack-01"},
        ],
    )
    assert client.post(f"{REPORTS}/{mine['id']}/send-test", headers=auth()).status_code == 202
    advance(client, 3600)  # 10:00 slot: 1 + 2 scheduled entries
    return mine, theirs


def test_outbox_lists_every_delivery_with_documented_fields(client: httpx.Client):
    mine, theirs = _fill_outbox(client)
    entries = outbox(client)
    assert len(entries) == 4
    for entry in entries:
        assert set(entry) == {"id", "vendor", "tenant", "kind", "resource_id", "destination", "at", "payload"}
        assert entry["vendor"] == "qonversion"
    test_entry = entries[0]
    assert (test_entry["kind"], test_entry["tenant"], test_entry["resource_id"]) == ("test", KEY, mine["id"])
    assert test_entry["at"] == START
    assert test_entry["destination"] == "int-wh-01"
    assert test_entry["payload"]["test"] is True
    assert len({entry["id"] for entry in entries}) == 4


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"vendor": "qonversion"}, 4),
        ({"vendor": "talkdesk"}, 0),
        ({"tenant": KEY}, 2),
        ({"tenant": OTHER_KEY}, 2),
        ({"kind": "test"}, 1),
        ({"kind": "scheduled"}, 3),
        ({"kind": "scheduled", "tenant": KEY}, 1),
        ({"vendor": ""}, 4),  # an empty filter is no filter
    ],
)
def test_outbox_filters(client: httpx.Client, filters: dict[str, str], expected: int):
    _fill_outbox(client)
    entries = outbox(client, **filters)
    assert len(entries) == expected
    for name, value in filters.items():
        if value:
            assert all(entry[name] == value for entry in entries)


def test_outbox_filter_by_resource_id(client: httpx.Client):
    mine, theirs = _fill_outbox(client)
    assert {entry["destination"] for entry in outbox(client, resource_id=theirs["id"])} == {"int-wh-01", "int-slack-01"}
    assert [entry["kind"] for entry in outbox(client, resource_id=mine["id"])] == ["test", "scheduled"]
    assert outbox(client, resource_id="nope") == []


def test_delete_outbox_empties_it(client: httpx.Client):
    _fill_outbox(client)
    response = client.delete("/_mock/outbox")
    assert response.status_code == 204
    assert response.content == b""
    assert outbox(client) == []
    assert advance(client, 86400)["fired"] == 2  # schedules keep running; only the record went
    assert len(outbox(client)) == 3


# request journal


def test_journal_records_vendor_requests_newest_last(client: httpx.Client):
    report = create_report(client)
    client.get(REPORTS, params={"limit": 5}, headers=auth(OTHER_KEY))
    client.get(REPORTS)  # no credential
    advance(client, 120)
    client.get(f"{REPORTS}/{report['id']}", headers=auth())
    entries = journal(client)
    assert [(entry["method"], entry["path"], entry["status"]) for entry in entries] == [
        ("POST", REPORTS, 201),
        ("GET", REPORTS, 200),
        ("GET", REPORTS, 401),
        ("GET", f"{REPORTS}/{report['id']}", 200),
    ]
    assert [entry["tenant"] for entry in entries] == [KEY, OTHER_KEY, None, KEY]
    assert [entry["query"] for entry in entries] == ["", "limit=5", "", ""]
    assert [entry["time"] for entry in entries] == [START, START, START, "2026-11-23T09:02:00Z"]
    assert {"method", "path", "query", "status", "tenant", "time"} <= set(entries[0])


def test_journal_limit(client: httpx.Client):
    for n in range(5):
        client.get(REPORTS, params={"offset": n}, headers=auth())
    assert [entry["query"] for entry in journal(client, limit=2)] == ["offset=3", "offset=4"]
    assert journal(client, limit=0) == []
    assert len(journal(client, limit=100)) == 5
    assert_control_error(client.get("/_mock/requests", params={"limit": "x"}), 400)
    assert_control_error(client.get("/_mock/requests", params={"limit": "-1"}), 400)


def test_control_plane_calls_are_not_journaled(client: httpx.Client):
    client.get("/_mock/health")
    advance(client, 1)
    outbox(client)
    client.get("/_mock/config")
    client.post("/_mock/faults", json={"status": 500, "path": "^/never$"})
    client.get("/_mock/nope")
    assert journal(client) == []
    client.get(DESTINATIONS, headers=auth())
    assert [entry["path"] for entry in journal(client)] == [DESTINATIONS]


def test_journal_is_capped_by_journal_max_entries():
    with client_for(create_app(config={"journal_max_entries": 3})) as client:
        for n in range(7):
            client.get(REPORTS, params={"offset": n}, headers=auth())
        entries = journal(client)
        assert [entry["query"] for entry in entries] == ["offset=4", "offset=5", "offset=6"]
        assert client.post("/_mock/reset").status_code == 204
        for n in range(5):
            client.get(REPORTS, params={"offset": n}, headers=auth())
        assert len(journal(client)) == 3


def test_requests_outside_any_vendor_are_journaled_with_their_404(client: httpx.Client):
    client.get("/nope")
    assert [(entry["path"], entry["status"], entry["tenant"]) for entry in journal(client)] == [("/nope", 404, None)]


# faults


def add_fault(client: httpx.Client, **rule: Any) -> dict[str, Any]:
    response = client.post("/_mock/faults", json=rule)
    assert response.status_code == 201, response.text
    return response.json()


def test_status_fault_answers_in_the_vendor_envelope(client: httpx.Client):
    rule = add_fault(client, status=503)
    assert rule["id"]
    assert rule["status"] == 503
    response = client.get(REPORTS, headers=auth())
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert (error["type"], error["code"]) == ("internal", "unknown_error")
    assert isinstance(error["message"], str) and error["message"]
    assert "details" not in error
    assert [entry["status"] for entry in journal(client)] == [503]


def test_fault_times_one_applies_once(client: httpx.Client):
    add_fault(client, status=500, times=1)
    assert client.get(REPORTS, headers=auth()).status_code == 500
    assert client.get(REPORTS, headers=auth()).status_code == 200
    assert client.get(REPORTS, headers=auth()).status_code == 200
    (listed,) = client.get("/_mock/faults").json()["data"]
    assert listed["matched"] == 1


def test_fault_path_and_method_filters(client: httpx.Client):
    report = create_report(client)
    add_fault(client, status=502, method="post", path=r"/send-test$")
    assert client.get(f"{REPORTS}/{report['id']}", headers=auth()).status_code == 200
    assert client.post(REPORTS, json=report_body(), headers=auth()).status_code == 201
    assert client.post(f"{REPORTS}/{report['id']}/send-test", headers=auth()).status_code == 502
    assert outbox(client, kind="test") == []  # the faulted call never reached the handler


def test_fault_vendor_filter(client: httpx.Client):
    add_fault(client, status=500, vendor="qonversion")
    assert client.get(REPORTS, headers=auth()).status_code == 500
    assert_control_error(client.get("/nope"), 404)


def test_fault_unknown_vendor_and_bad_rules_are_400(client: httpx.Client):
    for rule in ({"status": 500, "vendor": "nope"}, {"status": 99}, {"path": "("}, {}, {"status": 500, "times": 0}):
        error = assert_control_error(client.post("/_mock/faults", json=rule), 400)
        assert error["code"] == "invalid_fault"
    assert client.get("/_mock/faults").json() == {"data": []}


def test_drop_connection_surfaces_as_a_protocol_error(client: httpx.Client):
    add_fault(client, drop_connection=True, times=1)
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(REPORTS, headers=auth())
    assert client.get(REPORTS, headers=auth()).status_code == 200


def test_delay_fault_still_answers(client: httpx.Client):
    add_fault(client, delay_ms=20, times=1)
    response = client.get(REPORTS, headers=auth())
    assert response.status_code == 200
    assert response.json()["object"] == "list"


def test_fault_list_and_delete(client: httpx.Client):
    first = add_fault(client, status=500, path="^/v4/x")
    second = add_fault(client, delay_ms=5, method="DELETE")
    assert first["id"] != second["id"]
    listed = client.get("/_mock/faults").json()["data"]
    assert [rule["id"] for rule in listed] == [first["id"], second["id"]]
    assert listed[0] == first
    add_fault(client, status=500)
    assert client.get(REPORTS, headers=auth()).status_code == 500
    response = client.delete("/_mock/faults")
    assert response.status_code == 204
    assert client.get("/_mock/faults").json() == {"data": []}
    assert client.get(REPORTS, headers=auth()).status_code == 200


def test_faults_do_not_apply_to_the_control_plane(client: httpx.Client):
    add_fault(client, status=500)
    assert client.get("/_mock/health").status_code == 200
    assert client.post("/_mock/clock", json={"advance_seconds": 1}).status_code == 200


def _fault_pattern(seed: int) -> list[int]:
    with client_for(create_app(seed=seed)) as client:
        add_fault(client, status=500, probability=0.5)
        return [client.get(REPORTS, headers=auth()).status_code for _ in range(40)]


def test_probability_faults_repeat_under_the_same_seed():
    first, second = _fault_pattern(7), _fault_pattern(7)
    assert first == second
    assert set(first) == {200, 500}


# openapi


def test_openapi_document(client: httpx.Client):
    response = client.get("/_mock/openapi/qonversion.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    document = response.json()
    assert document["openapi"] == "3.1.0"
    assert "/v4/scheduled-reports" in document["paths"]
    path = data_dir("schemas") / "qonversion.openapi.yaml"
    assert document == yaml.safe_load(path.read_text(encoding="utf-8"))


def test_openapi_unknown_vendor_is_404(client: httpx.Client):
    assert_control_error(client.get("/_mock/openapi/nope.json"), 404)


# config


def test_get_config(client: httpx.Client):
    config = client.get("/_mock/config").json()
    assert config["seed"] == 0
    assert config["max_body_bytes"] == 1048576
    assert config["qonversion"]["send_test_window_seconds"] == 60
    assert config["qonversion"]["keys"] is None
    assert [item["id"] for item in config["qonversion"]["destinations"]] == [
        "int-wh-01",
        "int-slack-01",
        "int-email-01",
    ]


def test_put_config_deep_merges(client: httpx.Client):
    before = client.get("/_mock/config").json()
    response = client.put("/_mock/config", json={"qonversion": {"delivery_delay_seconds": 120}})
    assert response.status_code == 200
    expected = {**before, "qonversion": {**before["qonversion"], "delivery_delay_seconds": 120}}
    assert response.json() == expected
    assert client.get("/_mock/config").json() == expected


def test_put_config_catalogue_applies_to_the_next_request(client: httpx.Client):
    catalogue = [{"type": "target_integration", "id": "int-teams-09", "label": "Teams: ops"}]
    assert client.put("/_mock/config", json={"qonversion": {"destinations": catalogue}}).status_code == 200
    response = client.get(DESTINATIONS, headers=auth())
    assert response.status_code == 200
    assert response.json()["data"] == catalogue
    created = create_report(client, destinations=[{"type": "target_integration", "id": "int-teams-09"}])
    assert created["destinations"] == catalogue


@pytest.mark.parametrize(
    "patch",
    [
        pytest.param({"qonversion": {"nope": 1}}, id="unknown-knob"),
        pytest.param({"nope": 1}, id="unknown-global"),
        pytest.param({"acme": {"job_seconds": 1}}, id="vendor-not-served"),
        pytest.param({"qonversion": {"send_test_window_seconds": "60"}}, id="wrong-type"),
        pytest.param({"qonversion": {"delivery_delay_seconds": 5, "nope": 1}}, id="partly-valid"),
        pytest.param({"seed": 3, "qonversion": {"accept_unknown_destinations": "yes"}}, id="valid-global-bad-knob"),
    ],
)
def test_put_config_refuses_bad_documents_and_applies_nothing(client: httpx.Client, patch: dict[str, Any]):
    before = client.get("/_mock/config").json()
    error = assert_control_error(client.put("/_mock/config", json=patch), 400)
    assert error["code"] == "invalid_config"
    assert client.get("/_mock/config").json() == before


def test_put_config_non_json_is_400(client: httpx.Client):
    assert_control_error(client.put("/_mock/config", content=b"seed: 1"), 400)
    assert_control_error(client.put("/_mock/config", json=[1]), 400)


@pytest.mark.parametrize(
    "catalogue",
    [
        pytest.param([1, 2], id="items-not-objects"),
        pytest.param([{"id": "x"}], id="item-without-type"),
        pytest.param([{"type": "target_integration"}], id="item-without-id"),
    ],
)
def test_put_config_refuses_a_malformed_catalogue(client: httpx.Client, catalogue: list):
    before = client.get("/_mock/config").json()
    response = client.put("/_mock/config", json={"qonversion": {"destinations": catalogue}})
    assert_control_error(response, 400)
    assert client.get("/_mock/config").json() == before
    assert client.get(DESTINATIONS, headers=auth()).status_code == 200


@pytest.mark.parametrize("keys", [pytest.param("sk_abcdef", id="string"), pytest.param(5, id="number")])
def test_put_config_refuses_keys_that_are_not_a_list(client: httpx.Client, keys: Any):
    response = client.put("/_mock/config", json={"qonversion": {"keys": keys}})
    assert_control_error(response, 400)
    assert client.get(REPORTS, headers=auth("sk_abc")).status_code == 200


@pytest.mark.parametrize(
    "patch",
    [
        pytest.param({"max_body_bytes": -1}, id="negative-body-cap"),
        pytest.param({"journal_max_entries": -1}, id="negative-journal-cap"),
        pytest.param({"outbox_max_entries": -1}, id="negative-outbox-cap"),
        pytest.param({"seed": 1.5}, id="fractional-seed"),
    ],
)
def test_put_config_refuses_out_of_range_global_knobs(client: httpx.Client, patch: dict[str, Any]):
    before = client.get("/_mock/config").json()
    assert_control_error(client.put("/_mock/config", json=patch), 400)
    assert client.get("/_mock/config").json() == before
    assert client.post("/_mock/reset").status_code == 204


def test_put_config_seed_changes_the_next_ids(client: httpx.Client):
    with client_for(create_app(seed=9)) as seeded:
        expected = create_report(seeded)["id"]
    assert client.put("/_mock/config", json={"seed": 9}).status_code == 200
    assert create_report(client)["id"] == expected


# unknown routes and limits


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/_mock/nope"), ("POST", "/_mock/nope"), ("GET", "/_mock/openapi"), ("GET", "/_mock/health/x")],
)
def test_unknown_control_path_is_a_json_404(client: httpx.Client, method: str, path: str):
    assert_control_error(client.request(method, path), 404)


def test_wrong_method_on_a_control_route_is_a_json_405(client: httpx.Client):
    response = client.put("/_mock/health")
    assert_control_error(response, 405)
    assert "GET" in response.headers["allow"]


@pytest.mark.parametrize("path", ["/", "/nope", "/v5/scheduled-reports", "/v4x", "/_mockery"])
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_paths_outside_any_vendor_are_json_404(client: httpx.Client, method: str, path: str):
    assert_control_error(client.request(method, path), 404)


@pytest.fixture
def small_app() -> Starlette:
    return create_app(config={"max_body_bytes": 64})


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/_mock/clock"), ("POST", "/_mock/faults"), ("PUT", "/_mock/config")],
)
def test_control_body_over_max_body_bytes_is_413(small_app: Starlette, method: str, path: str):
    with client_for(small_app) as client:
        oversized = {"advance_seconds": 1, "padding": "x" * 100}
        assert_control_error(client.request(method, path, json=oversized), 413)
        assert clock(client) == {"now": START, "mode": "frozen"}
        assert client.post("/_mock/clock", json={"advance_seconds": 1}).status_code == 200  # 64 bytes is enough
