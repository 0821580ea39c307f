"""What a Qonversion delivery carries: the covered period and seeded daily metrics.

Numbers depend only on the seed, the environment and the date (CONTRACTS.md 1.7), never on
the order of requests.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from mockserver.core.ids import ContentDigest
from mockserver.core.timefmt import iso_z

METRICS = ("new_users", "trials_started", "conversions", "revenue_cents")
Digest = Callable[..., ContentDigest]


def covered_period(day: date, range_days: int) -> tuple[datetime, datetime]:
    """`[D - n days 00:00Z, D 00:00Z)` for a delivery on UTC date D (QON-RANGE-WINDOW)."""
    end = datetime.combine(day, time(0, 0), tzinfo=UTC)
    return end - timedelta(days=range_days), end


def daily_row(digest: Digest, environment: str, day: date) -> dict[str, Any]:
    h = digest(environment, day.isoformat())
    new_users = 100 + h.u(0) % 900
    trials_started = h.u(1) % (new_users // 2 + 1)
    conversions = h.u(2) % (trials_started + 1)
    revenue_cents = conversions * (499 + h.u(3) % 9501)
    return {
        "date": day.isoformat(),
        "new_users": new_users,
        "trials_started": trials_started,
        "conversions": conversions,
        "revenue_cents": revenue_cents,
    }


def delivery_payload(
    digest: Digest,
    *,
    report: dict[str, Any],
    day: date,
    run: int | None,
) -> dict[str, Any]:
    """The outbox payload of one delivery (`run` is None for a test send)."""
    start, end = covered_period(day, report["included_range_days"])
    days = [start.date() + timedelta(days=offset) for offset in range(report["included_range_days"])]
    rows = [daily_row(digest, report["environment"], each) for each in days]
    return {
        "report_id": report["id"],
        "report_name": report["report_name"],
        "environment": report["environment"],
        "included_range_days": report["included_range_days"],
        "test": run is None,
        "run": run,
        "period": {"from": iso_z(start), "to": iso_z(end)},
        "rows": rows,
        "totals": {metric: sum(row[metric] for row in rows) for metric in METRICS},
    }
