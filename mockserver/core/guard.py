"""Who may use the control plane: everyone on loopback, or holders of the control token.

`serve` refuses to open `/_mock` to a network without a token (or an explicit unsafe flag).
With a token set, every control route needs it, in the `X-Control-Token` header or the
`control_token` query parameter (so the dashboard works in a browser). Signed file URLs
under `/_mock/files/` carry their own signature and stay open.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import parse_qs

from starlette.types import Scope

TOKEN_HEADER = b"x-control-token"
TOKEN_QUERY = "control_token"
OPEN_PREFIXES = ("/_mock/files/",)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_problem(host: str, token: str | None, unsafe_open: bool) -> str | None:
    """Why serving on `host` would expose the control plane, or None when it would not."""
    if is_loopback(host) or token or unsafe_open:
        return None
    return (
        f"--host {host} would open the /_mock control plane to the network: "
        "give --control-token TOKEN (every /_mock route then needs it) or --unsafe-open-control"
    )


def presented_token(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == TOKEN_HEADER:
            return str(value.decode("latin-1"))
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(TOKEN_QUERY)
    return values[-1] if values else None


def control_allowed(scope: Scope, token: str | None) -> bool:
    """True when no token is set, the path is a signed file, or the request presents the token."""
    if token is None or scope["path"].startswith(OPEN_PREFIXES):
        return True
    presented = presented_token(scope)
    return presented is not None and hmac.compare_digest(presented.encode(), token.encode())
