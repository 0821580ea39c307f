"""The outbox and the journal are ring buffers: their caps hold, the newest entries stay."""

from __future__ import annotations

from mockserver import create_app
from mockserver.inprocess import client_for
from tests.conftest import advance, auth, create_report, outbox


def test_outbox_cap_holds_over_a_long_clock_jump() -> None:
    app = create_app({"outbox_max_entries": 50})
    with client_for(app) as client:
        report = create_report(client)
        assert advance(client, 365 * 86400)["fired"] == 365
        entries = outbox(client)
    assert len(entries) == 50
    assert entries[0]["at"] == "2027-10-05T09:00:00Z" and entries[-1]["at"] == "2027-11-23T09:00:00Z"
    assert {entry["resource_id"] for entry in entries} == {report["id"]}
    assert app.state.mock.backends["qonversion"].get(auth()["Authorization"][7:], report["id"]).runs == 365


def test_journal_cap_holds_over_many_requests() -> None:
    app = create_app({"journal_max_entries": 25})
    with client_for(app) as client:
        for number in range(1000):
            client.get(f"/v4/scheduled-reports?limit={1 + number % 100}", headers=auth())
        entries = client.get("/_mock/requests").json()["data"]
    assert len(entries) == 25
    assert entries[-1]["query"] == "limit=100" and entries[0]["query"] == "limit=76"


def test_lowering_a_cap_at_run_time_keeps_the_newest() -> None:
    with client_for(create_app()) as client:
        create_report(client)
        advance(client, 10 * 86400)
        client.put("/_mock/config", json={"outbox_max_entries": 3})
        days = [entry["at"][:10] for entry in outbox(client)]
    assert days == ["2026-12-01", "2026-12-02", "2026-12-03"]


def test_a_deleted_report_is_freed_without_a_cyclic_collection() -> None:
    import gc
    import weakref

    app = create_app()
    with client_for(app) as client:
        report_id = create_report(client)["id"]
        tenant = auth()["Authorization"][7:]
        alive = weakref.ref(app.state.mock.backends["qonversion"].get(tenant, report_id))
        gc.disable()
        try:
            assert client.delete(f"/v4/scheduled-reports/{report_id}", headers=auth()).status_code == 204
            assert alive() is None
        finally:
            gc.enable()
