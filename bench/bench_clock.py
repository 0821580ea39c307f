"""One year of virtual time over many active daily schedules (issue 9: at most 1 s for 10k).

Run from bench/: python bench_clock.py [--schedules N] [--days D] [--spread] [--quick]
Creates N active daily Qonversion reports (50 tenants, one destination each), then times
one `move_clock` of D days (default 365) and prints the wall time, the timers fired and
the outbox size. `--spread` spreads `send_at` over the 48 half-hour slots instead of one.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from mockserver import create_app
from mockserver.core.state import MockState
from mockserver.inprocess import client_for

TENANTS = 50
DAY_SECONDS = 86400


def report_body(index: int, spread: bool) -> dict[str, Any]:
    slot = index % 48 if spread else 19  # 19 -> 09:30
    return {
        "report_name": f"r{index}",
        "send_at": f"{slot // 2:02d}:{30 * (slot % 2):02d}",
        "included_range_days": 1,
        "status": "active",
        "environment": "production",
        "destinations": [{"type": "target_integration", "id": "int-wh-01"}],
    }


def build(schedules: int, spread: bool) -> MockState:
    app = create_app()
    with client_for(app) as client:
        for index in range(schedules):
            headers = {"Authorization": f"Bearer sk_t{index % TENANTS}"}
            response = client.post("/v4/scheduled-reports", json=report_body(index, spread), headers=headers)
            assert response.status_code == 201, response.text
    return app.state.mock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=10000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--spread", action="store_true", help="spread send_at over the 48 slots")
    parser.add_argument("--quick", action="store_true", help="500 schedules (a smoke run)")
    args = parser.parse_args()
    schedules = 500 if args.quick else args.schedules
    state = build(schedules, args.spread)
    started = time.perf_counter()
    fired = state.move_clock(advance_seconds=args.days * DAY_SECONDS)
    elapsed = time.perf_counter() - started
    span = "one year" if args.days == 365 else f"{args.days} days"
    print(f"{span} over {schedules} active schedules: {elapsed:.3f} s")
    print(f"timers fired: {fired}; outbox entries kept: {len(state.outbox)}")


if __name__ == "__main__":
    main()
