"""Credential schemes given as data: vendors name a scheme, they never compare keys.

With no `keys` knob configured, any credential of the documented form is valid and names
its own tenant; with a list, only the listed ones are.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
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
