"""A small client application of the kind this mock exists to test.

It keeps a Qonversion daily revenue report in place and exports a day of Talkdesk calls:
OAuth token, report job, polling until the file is ready, download. It knows nothing of
the mock: give it the vendor's base URL, or the mock's.

    python examples/reporting_app.py --base-url http://127.0.0.1:8765
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

REPORT_NAME = "Daily Revenue"
TALKDESK_SCOPES = "data-reports:read data-reports:write"
FINISHED = {"done", "failed", "canceled", "deleted"}


class ExportFailed(RuntimeError):
    """The Talkdesk job ended without a file."""


class Client:
    """Holds one HTTP client; use it in a `with` block so its connections are closed."""

    http: httpx.Client

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.http.close()


class QonversionReports(Client):
    def __init__(self, base_url: str, secret_key: str) -> None:
        self.http = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {secret_key}"})

    def ensure_daily_report(self, destination_id: str, send_at: str = "09:00") -> dict[str, Any]:
        """The active daily report named REPORT_NAME, created if it is not there yet."""
        for report in self.http.get("/v4/scheduled-reports", params={"limit": 100}).raise_for_status().json()["data"]:
            if report["report_name"] == REPORT_NAME:
                return dict(report)
        body = {
            "report_name": REPORT_NAME,
            "send_at": send_at,
            "included_range_days": 1,
            "status": "active",
            "environment": "production",
            "destinations": [{"type": "target_integration", "id": destination_id}],
        }
        return dict(self.http.post("/v4/scheduled-reports", json=body).raise_for_status().json())


class TalkdeskExport(Client):
    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.http = httpx.Client(base_url=base_url)
        self.credentials = (client_id, client_secret)
        self.sleep = sleep

    def token(self) -> str:
        form = {"grant_type": "client_credentials", "scope": TALKDESK_SCOPES}
        response = self.http.post("/oauth/token", data=form, auth=self.credentials).raise_for_status()
        return str(response.json()["access_token"])

    def export_calls(self, day: datetime, poll_seconds: float = 5, max_polls: int = 60) -> bytes:
        """The CSV of the calls of the UTC day starting at `day`."""
        headers = {"Authorization": f"Bearer {self.token()}"}
        span = {
            "from": day.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "to": (day + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        job = self.http.post(
            "/data/reports/calls/jobs", json={"name": "calls export", "timespan": span}, headers=headers
        )
        job_url = job.raise_for_status().json()["_links"]["self"]["href"]
        for _ in range(max_polls):
            status = self.http.get(job_url, headers=headers)  # a done job answers 303 to its file
            if status.status_code == 303:
                return self._download(status.headers["Location"], headers)
            if status.raise_for_status().json()["job"]["status"] in FINISHED:
                raise ExportFailed(status.json()["job"]["status"])
            self.sleep(poll_seconds)
        raise ExportFailed("still running")

    def _download(self, files_url: str, headers: dict[str, str]) -> bytes:
        files = self.http.get(files_url, headers=headers)
        file = self.http.get(files.headers["Location"]).raise_for_status()  # a signed URL: no auth
        return file.content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8765")
    args = parser.parse_args()
    with QonversionReports(args.base_url, "sk_example_app") as reports:
        report = reports.ensure_daily_report("int-wh-01")
    print(f"qonversion report {report['id']} delivers daily at {report['send_at']} UTC")
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    with TalkdeskExport(args.base_url, "example-app", "example-secret") as export:
        print(export.export_calls(today - timedelta(days=1)).decode()[:400])


if __name__ == "__main__":
    main()
