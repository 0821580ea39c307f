"""Talkdesk fixtures: a token of the default account with both scopes, on the shared client."""

from __future__ import annotations

import httpx
import pytest

from tests.talkdesk.support import token


@pytest.fixture
def access(client: httpx.Client) -> str:
    return token(client)
