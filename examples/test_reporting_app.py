"""The example application's own tests, written as a user of the pytest plugin would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from reporting_app import ExportFailed, QonversionReports, TalkdeskExport

from mockserver.testing import MockApi

YESTERDAY = datetime(2026, 11, 22, tzinfo=UTC)


def moves_clock(mock: MockApi) -> Callable[[float], None]:
    """The app sleeps between polls; in a test, its "sleep" moves the mock's clock instead."""
    return lambda seconds: mock.advance(seconds=seconds)


def test_daily_report_is_created_once_and_delivered(mock_api_server: MockApi) -> None:
    with QonversionReports(mock_api_server.url("qonversion"), "sk_example") as app:
        first = app.ensure_daily_report("int-slack-01")
        again = app.ensure_daily_report("int-slack-01")
    assert first["id"] == again["id"]
    mock_api_server.advance(days=2)
    deliveries = mock_api_server.outbox(vendor="qonversion", resource_id=first["id"])
    assert [entry["destination"] for entry in deliveries] == ["int-slack-01", "int-slack-01"]


def test_calls_export_waits_for_the_job_and_downloads_its_csv(mock_api_server: MockApi) -> None:
    with TalkdeskExport(
        mock_api_server.url("talkdesk"), "acme", "secret", sleep=moves_clock(mock_api_server)
    ) as export:
        csv = export.export_calls(YESTERDAY).decode()
    lines = csv.splitlines()
    assert lines[0].startswith("call_id,")
    assert len(lines) == 1 + 24  # one row per hour of the day
    assert mock_api_server.outbox(vendor="talkdesk", kind="report_ready")


def test_calls_export_reports_a_failed_job(mock_api_server: MockApi) -> None:
    mock_api_server.fail_next_job("talkdesk")
    with TalkdeskExport(
        mock_api_server.url("talkdesk"), "acme", "secret", sleep=moves_clock(mock_api_server)
    ) as export:
        with pytest.raises(ExportFailed, match="failed"):
            export.export_calls(YESTERDAY)
