"""In `real` mode the clock follows wall time, and what fell due fires on the next request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mockserver import create_app
from mockserver.core.clock import VirtualClock
from tests.conftest import REPORTS, auth, create_report, outbox, shape_checked_client


class FakeWall:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def test_real_mode_fires_due_deliveries_at_the_next_request() -> None:
    start = datetime(2026, 11, 23, 8, 59, 30, 250000, tzinfo=UTC)
    wall = FakeWall(start)
    app = create_app(clock="real")
    app.state.mock.clock = VirtualClock(start, "real", wall=wall)
    with shape_checked_client(app) as client:
        report = create_report(client)
        assert report["created_at"] == "2026-11-23T08:59:30Z"  # whole seconds
        wall.now += timedelta(seconds=31)
        assert client.get(REPORTS, headers=auth()).json()["data"][0]["runs"] == 1
        assert [entry["at"] for entry in outbox(client)] == ["2026-11-23T09:00:00Z"]
        assert client.get("/_mock/clock").json() == {"now": "2026-11-23T09:00:01Z", "mode": "real"}


def test_real_mode_can_still_be_moved_forward() -> None:
    start = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    wall = FakeWall(start)
    app = create_app(clock="real")
    app.state.mock.clock = VirtualClock(start, "real", wall=wall)
    with shape_checked_client(app) as client:
        create_report(client)
        moved = client.post("/_mock/clock", json={"advance_seconds": 2 * 86400}).json()
        assert moved["fired"] == 2 and moved["mode"] == "real"
        wall.now += timedelta(hours=1)
        assert client.get("/_mock/clock").json()["now"] == "2026-11-25T10:00:00Z"
