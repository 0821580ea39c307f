"""SendKit credentials and tenancy (CONTRACTS.md 3.1, SK-AUTH-KEY, SK-WORKSPACE-HEADER).

`X-Api-Key` (or, when it is absent, `Authorization: Bearer`) carries a workspace key
`sk_...` or a platform key `sk_user_...`; the key patterns and the workspace header live in
the spec's `apiKey` security scheme. A tenant is one workspace:
- workspace key, no config: `<key>` (its workspace id: the first 24 hex of SHA-256 of the key);
- platform key, no config: `<key>:<X-Workspace-Id>`;
- configured workspace: its `id`, shared by its workspace key and its owner's platform key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from starlette.datastructures import Headers

from mockserver.core.auth import bearer_credential
from mockserver.core.errors import FieldProblem, Forbidden, Unauthorized, ValidationFailed
from mockserver.core.spec import Operation, ecma_regex, load_spec
from mockserver.core.vendor import VendorContext

_SCHEME = load_spec("sendkit").security_scheme("apiKey")
WORKSPACE_KEY = ecma_regex(_SCHEME["x-workspace-key-pattern"])
PLATFORM_KEY = ecma_regex(_SCHEME["x-platform-key-pattern"])
WORKSPACE_ID = ecma_regex(_SCHEME["x-workspace-id-pattern"])
WORKSPACE_HEADER: str = _SCHEME["x-workspace-header"]


def credential(headers: Headers) -> str | None:
    """The key sent: `X-Api-Key` wins over `Authorization: Bearer` whenever it is present."""
    if "x-api-key" in headers:
        return headers["x-api-key"]
    return bearer_credential(headers)


def workspace_id(tenant: str) -> str:
    """The workspace id behind a tenant name (see the module docstring)."""
    if ":" in tenant:
        return tenant.rsplit(":", 1)[1]
    if tenant.startswith("sk_"):
        return hashlib.sha256(tenant.encode()).hexdigest()[:24]
    return tenant


def _addressed_workspace(headers: Headers) -> str:
    """The `X-Workspace-Id` a platform key must send, or a 400 naming the header."""
    value = headers.get(WORKSPACE_HEADER)
    if value is None:
        message = "Required when authenticating with a platform API key"
    elif not WORKSPACE_ID.search(value):
        message = "Must be a workspace id (24 lowercase hex characters)"
    else:
        return value
    raise ValidationFailed([FieldProblem(WORKSPACE_HEADER, message, "SK-WORKSPACE-HEADER")])


def _configured_tenant(key: str, is_workspace_key: bool, headers: Headers, workspaces: Sequence[Mapping]) -> str:
    if is_workspace_key:
        for workspace in workspaces:
            if workspace["workspace_key"] == key:
                return str(workspace["id"])
        raise Unauthorized("Invalid or missing API key")
    owned = [str(workspace["id"]) for workspace in workspaces if workspace["owner_key"] == key]
    if not owned:
        raise Unauthorized("Invalid or missing API key")
    addressed = _addressed_workspace(headers)
    if addressed not in owned:
        raise Forbidden("You don't have permission to access this resource")
    return addressed


def authenticate(headers: Headers, body: Any, context: VendorContext, operation: Operation) -> str:
    """The tenant of a request, or Unauthorized (401), ValidationFailed (400) or Forbidden (403)."""
    key = credential(headers)
    is_workspace_key = key is not None and WORKSPACE_KEY.search(key) is not None
    if key is None or not (is_workspace_key or PLATFORM_KEY.search(key)):
        raise Unauthorized("Invalid or missing API key")
    workspaces = context.knob("workspaces")
    if workspaces is not None:
        return _configured_tenant(key, is_workspace_key, headers, workspaces)
    return key if is_workspace_key else f"{key}:{_addressed_workspace(headers)}"
