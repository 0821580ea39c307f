"""Credential masking and curl rendering: how a sent request is shown to a person.

Every string the suite prints or writes (terminal, JSON report, JUnit XML) passes through a
`Masker` that knows the run's credentials, so a key never leaves the process in clear text.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable

import httpx

MASK = "***"
SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "cookie"})
# Headers httpx adds on its own; a curl command does not need them.
NOISE_HEADERS = frozenset({"host", "content-length", "accept", "accept-encoding", "connection", "user-agent"})
MAX_BODY_CHARS = 4000


class Masker:
    """Replaces every known credential, and every sensitive header value, with `***`."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if secret:
            self._secrets.add(secret)

    def masked(self, secret: str) -> str:
        """Mask `secret` from now on and hand it back (a credential minted during the run)."""
        self.add(secret)
        return secret

    def header(self, name: str, value: str) -> str:
        if name.lower() not in SENSITIVE_HEADERS:
            return self.text(value)
        scheme, space, _ = value.strip().partition(" ")
        return f"{scheme} {MASK}" if space else MASK

    def text(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text


def _body_text(content: bytes) -> str:
    text = content.decode("utf-8", errors="replace")
    return text if len(text) <= MAX_BODY_CHARS else text[:MAX_BODY_CHARS] + "...(truncated)"


def render_curl(request: httpx.Request, masker: Masker) -> str:
    """The request as a copy-pasteable curl command, credentials masked."""
    parts = ["curl", "-sS", "-i", "-X", request.method, str(request.url)]
    for raw_name, raw_value in request.headers.raw:  # raw: names as they were written
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
        if name.lower() not in NOISE_HEADERS:
            parts += ["-H", f"{name}: {masker.header(name, value)}"]
    content = request.content
    if content:
        parts += ["--data-binary", masker.text(_body_text(content))]
    return masker.text(shlex.join(parts))
