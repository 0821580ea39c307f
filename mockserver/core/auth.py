"""Credential schemes given as data: vendors name a scheme, they never compare keys.

With no `keys` knob configured, any credential of the documented form is valid and names
its own tenant; with a list, only the listed ones are. Bearer tokens a vendor issues itself
(OAuth client credentials) live in a `TokenStore` per server, with their expiry and scopes.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.datastructures import Headers

from mockserver.core.errors import Forbidden, Unauthorized

if TYPE_CHECKING:
    from mockserver.core.spec import Operation
    from mockserver.core.vendor import VendorContext


def basic_credentials(headers: Headers) -> tuple[str, str] | None:
    """`(user, password)` of an `Authorization: Basic` header, or None when absent or malformed."""
    scheme, _, encoded = headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    user, colon, password = decoded.partition(":")
    return (user, password) if colon else None


def bearer_credential(headers: Headers) -> str | None:
    """The credential of an `Authorization: Bearer <credential>` header (scheme in any case)."""
    scheme, _, credential = headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credential.strip() or None


@dataclass(frozen=True)
class BearerKeyAuth:
    """`Authorization: Bearer <key>` where the key matches `pattern`; the key is the tenant."""

    pattern: re.Pattern[str]
    keys_knob: str = "keys"
    forbidden_knob: str | None = "forbidden_keys"

    def __call__(self, headers: Headers, body: Any, context: VendorContext, operation: Operation) -> str:
        key = bearer_credential(headers)
        if key is None or not self.pattern.fullmatch(key):
            raise Unauthorized("Authorization required")
        allowed = context.knob(self.keys_knob)
        if allowed is not None and key not in allowed:
            raise Unauthorized("Authorization required")
        if self.forbidden_knob and key in (context.knob(self.forbidden_knob) or ()):
            raise Forbidden("Forbidden")
        return key


@dataclass(frozen=True)
class IssuedToken:
    value: str
    tenant: str
    scopes: frozenset[str]
    expires: datetime


class TokenStore:
    """Bearer tokens issued by a vendor's own token endpoint; one store per server, emptied by reset."""

    def __init__(self) -> None:
        self._tokens: dict[str, IssuedToken] = {}

    def issue(self, value: str, tenant: str, scopes: Iterable[str], expires: datetime, now: datetime) -> IssuedToken:
        """Keep a new token; tokens already expired at `now` are forgotten on the way."""
        self._tokens = {key: token for key, token in self._tokens.items() if token.expires > now}
        token = IssuedToken(value, tenant, frozenset(scopes), expires)
        self._tokens[value] = token
        return token

    def live(self, value: str, now: datetime) -> IssuedToken | None:
        """The token while now < its expiry, else None."""
        token = self._tokens.get(value)
        return token if token is not None and now < token.expires else None

    def __contains__(self, value: object) -> bool:
        return value in self._tokens


@dataclass(frozen=True)
class IssuedTokenAuth:
    """`Authorization: Bearer <token>` with a live token from `context.tokens`; the token names the tenant.

    The operation's security requirement lists the scopes it needs: a token without them is a 403.
    """

    def __call__(self, headers: Headers, body: Any, context: VendorContext, operation: Operation) -> str:
        value = bearer_credential(headers)
        token = context.tokens.live(value, context.now()) if value else None
        if token is None:
            raise Unauthorized("Invalid or expired access token")
        if not set(operation.scopes()) <= token.scopes:
            raise Forbidden("The access token lacks the required scope")
        return token.tenant
