"""The client credentials grant of `POST /oauth/token` (CONTRACTS.md 2.3, TD-OAUTH).

Checked in the order of CONTRACTS.md 0.1: the Basic credentials (401 `invalid_client`),
then the form body (400 `invalid_request`), then the grant type and the scopes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from starlette.datastructures import Headers

from mockserver.core.auth import basic_credentials
from mockserver.vendors.talkdesk.errors import OAuthError

FORM_TYPE = "application/x-www-form-urlencoded"
GRANT_TYPE = "client_credentials"
DEFAULT_SCOPES = ("data-reports:read", "data-reports:write")


@dataclass(frozen=True)
class TokenRequest:
    headers: Headers
    raw: bytes
    query: Mapping[str, str]


def grant(request: TokenRequest, clients: Sequence[Mapping[str, Any]] | None) -> tuple[str, list[str]]:
    """The account (client id) and the scopes a valid token request is granted."""
    client_id, allowed = _client(request.headers, clients)
    form = _form(request)
    grant_type = _param(form, request.query, "grant_type")
    if grant_type is None:
        raise OAuthError(400, "invalid_request", "The grant_type parameter is required")
    if grant_type != GRANT_TYPE:
        raise OAuthError(400, "unsupported_grant_type", f"Only the {GRANT_TYPE} grant type is supported")
    return client_id, _scopes(_param(form, request.query, "scope"), allowed)


def _client(headers: Headers, clients: Sequence[Mapping[str, Any]] | None) -> tuple[str, list[str] | None]:
    credentials = basic_credentials(headers)
    if credentials is None or not credentials[0] or not credentials[1]:
        raise OAuthError(401, "invalid_client", "Client authentication failed: send HTTP Basic client_id:secret")
    if clients is None:
        return credentials[0], None
    for client in clients:
        if (client["client_id"], client["client_secret"]) == credentials:
            return credentials[0], client.get("scopes")
    raise OAuthError(401, "invalid_client", "Client authentication failed: unknown client")


def _form(request: TokenRequest) -> dict[str, list[str]]:
    if not request.raw.strip():
        return {}
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type != FORM_TYPE:
        raise OAuthError(400, "invalid_request", f"The request body must be {FORM_TYPE}")
    try:
        return parse_qs(request.raw.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as error:
        raise OAuthError(400, "invalid_request", "The request body is not valid UTF-8") from error


def _param(form: Mapping[str, list[str]], query: Mapping[str, str], name: str) -> str | None:
    """A form field, or the query parameter when the form lacks it; empty counts as absent."""
    value = form[name][0] if name in form else query.get(name)
    return value or None


def _scopes(requested: str | None, allowed: list[str] | None) -> list[str]:
    if requested is None or not requested.split():
        return list(allowed) if allowed is not None else list(DEFAULT_SCOPES)
    scopes = list(dict.fromkeys(requested.split()))
    refused = [scope for scope in scopes if allowed is not None and scope not in allowed]
    if refused:
        raise OAuthError(400, "invalid_scope", f"The client may not request: {' '.join(refused)}")
    return scopes
