"""`_links` and `Location` name the scheme and host the client called (CONTRACTS.md 2.4)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from starlette.requests import Request

from mockserver.vendors.talkdesk.routes import base_of


def _request(host: str | None, scheme: str = "http") -> Request:
    headers = [] if host is None else [(b"host", host.encode("latin-1"))]
    scope = {
        "type": "http",
        "scheme": scheme,
        "method": "GET",
        "path": "/data/reports/calls/jobs/x",
        "query_string": b"",
        "headers": headers,
        "server": ("127.0.0.1", 8765),
    }
    return Request(scope)


def _by_url_parsing(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


@given(
    host=st.one_of(
        st.none(),
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255), max_size=30),
        st.from_regex(r"[a-z0-9.-]{1,20}(:[0-9]{1,5})?", fullmatch=True),
        st.sampled_from(["[::1]:8765", "localhost", "a/b", "a?b", "a#b", "user@host", "h:80/x"]),
    ),
    scheme=st.sampled_from(["http", "https"]),
)
def test_the_base_is_what_url_parsing_of_the_request_gives(host: str | None, scheme: str) -> None:
    request = _request(host, scheme)
    assert base_of(request) == _by_url_parsing(request)


def test_the_host_header_names_the_base() -> None:
    assert base_of(_request("reports.example:8080", "https")) == "https://reports.example:8080"
    assert base_of(_request(None)) == "http://127.0.0.1:8765"
