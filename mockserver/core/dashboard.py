"""`GET /_mock/ui`: a small server-rendered page to watch and nudge a running mock.

It shows the clock (with buttons that move it), each vendor's resources per tenant (from the
vendor's optional `describe` hook), the newest deliveries and the newest requests. Plain
HTML and a few lines of inline script: no front-end build step.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from mockserver.core.state import MockState
from mockserver.core.timefmt import iso_z

ROWS_SHOWN = 50
CLOCK_BUTTONS = (("+1 minute", 60), ("+1 hour", 3600), ("+1 day", 86400), ("+7 days", 604800))

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222}
header{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
h1{font-size:1.3rem;margin:0}h2{font-size:1.1rem;margin-top:1.5rem}h3{font-size:1rem;margin:.8rem 0 .3rem}
table{border-collapse:collapse;margin-bottom:.5rem}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}
th{background:#f3f3f3}.empty{color:#888}code{background:#f3f3f3;padding:0 3px}
"""

SCRIPT = """
for (const button of document.querySelectorAll('button[data-advance]')) {
  button.addEventListener('click', async () => {
    const body = JSON.stringify({advance_seconds: Number(button.dataset.advance)});
    await fetch('clock', {method: 'POST', headers: {'Content-Type': 'application/json'}, body});
    location.reload();
  });
}
"""


def _text(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def table(rows: Sequence[Mapping[str, Any]], element_id: str | None = None) -> str:
    """An HTML table whose columns are the first row's keys."""
    ident = f' id="{element_id}"' if element_id else ""
    if not rows:
        return f'<p class="empty"{ident}>nothing yet</p>'
    columns = list(rows[0])
    head = "".join(f"<th>{_text(column)}</th>" for column in columns)
    body = "".join("<tr>" + "".join(f"<td>{_text(row.get(c))}</td>" for c in columns) + "</tr>" for row in rows)
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _clock(state: MockState) -> str:
    buttons = "".join(f'<button data-advance="{seconds}">{label}</button>' for label, seconds in CLOCK_BUTTONS)
    now = iso_z(state.clock.now())
    return f'<span>clock <code id="now">{now}</code> ({state.clock.mode})</span>{buttons}'


def _resources(state: MockState) -> Iterable[str]:
    for name, vendor in state.vendors.items():
        yield f'<h3 id="vendor-{name}">{_text(name)}</h3>'
        if vendor.describe is None:
            yield '<p class="empty">no resource view for this vendor</p>'
            continue
        tenants = vendor.describe(state.backends[name])
        if not tenants:
            yield '<p class="empty">no tenants yet</p>'
        for tenant, rows in tenants.items():
            yield f"<p>tenant <code>{_text(tenant)}</code></p>" + table(rows)


def _deliveries(state: MockState) -> list[dict[str, Any]]:
    entries = list(state.outbox)[-ROWS_SHOWN:][::-1]
    keys = ("at", "vendor", "kind", "tenant", "resource_id", "destination")
    return [{key: value for key, value in entry.to_json().items() if key in keys} for entry in entries]


def render(state: MockState) -> str:
    requests = [entry.to_json() for entry in state.journal.latest(ROWS_SHOWN)][::-1]
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>mockserver</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<header><h1>mockserver</h1>{_clock(state)}</header>",
        "<h2>Resources</h2>",
        *_resources(state),
        "<h2>Outbox (newest first)</h2>",
        table(_deliveries(state), "outbox"),
        "<h2>Requests (newest first)</h2>",
        table(requests, "requests"),
        f"<script>{SCRIPT}</script></body></html>",
    ]
    return "".join(parts)


def dashboard_endpoint(state: MockState) -> Callable[[Request], Awaitable[HTMLResponse]]:
    async def dashboard(request: Request) -> HTMLResponse:
        return HTMLResponse(render(state))

    return dashboard
