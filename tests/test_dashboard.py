"""The /_mock/ui dashboard: rendered by the server, driven in a real headless Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import httpx
import pytest

from mockserver import create_app
from mockserver.live import LiveServer
from tests.conftest import REPORTS, auth, create_report, report_body

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_page_shows_clock_resources_outbox_and_requests(client: httpx.Client) -> None:
    report = create_report(client)
    client.post("/_mock/clock", json={"advance_seconds": 86400})
    page = client.get("/_mock/ui")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert '<code id="now">2026-11-24T09:00:00Z</code>' in text
    assert f"<td>{report['id']}</td><td>Daily Revenue</td><td>active</td>" in text
    assert "<td>scheduled</td>" in text and "2026-11-25T09:00:00Z" in text  # delivered, and the next one
    assert "<td>/v4/scheduled-reports</td>" in text


def test_page_escapes_what_users_sent(client: httpx.Client) -> None:
    client.post(REPORTS, json=report_body(report_name="<script>alert(1)</script>"), headers=auth())
    text = client.get("/_mock/ui").text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.fixture
def browser_page() -> Iterator[object]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (see .ci/run)")
        pytest.skip("no chromium on this machine (CI installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_dashboard_in_a_real_browser(browser_page) -> None:  # type: ignore[no-untyped-def]
    page = browser_page
    with LiveServer(create_app()) as server:
        page.goto(f"{server.url}/_mock/ui")
        assert page.inner_text("#now") == "2026-11-23T09:00:00Z"
        created = httpx.post(f"{server.url}{REPORTS}", json=report_body(report_name="Browser report"), headers=auth())
        page.reload()
        assert "Browser report" in page.inner_text("body")
        assert page.inner_text("#outbox") == "nothing yet"
        with page.expect_navigation():
            page.click("text=+1 day")
        assert page.inner_text("#now") == "2026-11-24T09:00:00Z"
        outbox = page.inner_text("#outbox")
        assert created.json()["id"] in outbox and "scheduled" in outbox
