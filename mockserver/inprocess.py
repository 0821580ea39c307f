"""A synchronous httpx transport that calls an ASGI app in this thread, with no socket.

It runs each request to completion on a private event loop, which costs a fraction of a
millisecond (Starlette's TestClient pays for a thread portal on every call). A response
that starts but never finishes surfaces as `httpx.RemoteProtocolError`, like a dropped
connection on a real socket.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from starlette.types import ASGIApp, Message

DEFAULT_BASE_URL = "http://mock.local"


class InProcessTransport(httpx.BaseTransport):
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._loop = asyncio.new_event_loop()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        return self._loop.run_until_complete(self._call(request, body))

    def close(self) -> None:
        if not self._loop.is_closed():
            self._loop.close()

    async def _call(self, request: httpx.Request, body: bytes) -> httpx.Response:
        scope = _scope(request)
        delivered = False
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        complete = False

        async def receive() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            nonlocal status, headers, complete
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                complete = not message.get("more_body", False)

        await self.app(scope, receive, send)
        if not complete:
            raise httpx.RemoteProtocolError("Server disconnected without sending a complete response", request=request)
        return httpx.Response(status, headers=headers, content=b"".join(chunks), request=request)


def _scope(request: httpx.Request) -> dict[str, Any]:
    url = request.url
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": url.scheme,
        "path": url.path,
        "raw_path": url.raw_path.split(b"?")[0],
        "query_string": url.query,
        "root_path": "",
        "headers": [(key.lower(), value) for key, value in request.headers.raw],
        "client": ("127.0.0.1", 50000),
        "server": (url.host, url.port or 80),
    }


def client_for(app: ASGIApp, base_url: str = DEFAULT_BASE_URL, **kwargs: Any) -> httpx.Client:
    """An `httpx.Client` whose requests go straight into `app`."""
    return httpx.Client(transport=InProcessTransport(app), base_url=base_url, **kwargs)
