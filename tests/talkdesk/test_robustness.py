"""Hostile input never gets a 5xx: every answer under the Talkdesk prefixes is in one of its shapes."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver import create_app
from tests.conftest import shape_checked_client
from tests.talkdesk.support import basic, bearer, token

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEGMENTS = st.one_of(
    st.sampled_from(["data", "reports", "calls", "jobs", "files", "oauth", "token", "", "..", "%2F", "%ff", "%00"]),
    st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="/?#%"), max_size=8),
    st.binary(min_size=1, max_size=4).map(lambda raw: "".join(f"%{byte:02X}" for byte in raw)),
)
PATHS = st.one_of(
    st.lists(SEGMENTS, min_size=1, max_size=6).map(lambda parts: "/data/" + "/".join(parts)),
    st.tuples(SEGMENTS, st.sampled_from(["jobs", "files"]), SEGMENTS).map(
        lambda p: f"/data/reports/{p[0]}/{p[1]}/{p[2]}"
    ),
    st.sampled_from(["/oauth/token", "/oauth/token/x", "/data/reports/calls/jobs", "/_mock/files/talkdesk/x"]),
)
BODIES = st.one_of(
    st.none(),
    st.binary(max_size=40),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=6),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["timespan", "from", "to", "name", "format", "timezone", "x"]), inner, max_size=4
            )
        ),
        max_leaves=8,
    ).map(lambda value: json.dumps(value).encode()),
)
CONTENT_TYPES = st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", None])


def assert_known_shape(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    if not response.content or "json" not in response.headers.get("content-type", ""):
        return
    body: Any = response.json()
    if response.status_code < 400:
        return
    assert list(body) in (["code", "description", "message", "fields"], ["error", "error_description"], ["error"])


@FAST
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"]),
    path=PATHS,
    query=st.dictionaries(
        st.sampled_from(["page", "per_page", "grant_type", "expires", "signature"]), st.text(max_size=8), max_size=3
    ),
    body=BODIES,
    content_type=CONTENT_TYPES,
    credential=st.sampled_from(["token", "basic", "none", "junk"]),
)
def test_no_input_gets_a_server_error(
    method: str, path: str, query: dict[str, str], body: bytes | None, content_type: str | None, credential: str
) -> None:
    with shape_checked_client(create_app()) as http:  # also checks each answer against the spec
        headers = {
            "token": lambda: bearer(token(http)),
            "basic": basic,
            "none": dict,
            "junk": lambda: {"Authorization": "Bearer !!"},
        }[credential]()
        if content_type:
            headers["Content-Type"] = content_type
        assert_known_shape(http.request(method, path, params=query, content=body, headers=headers))
