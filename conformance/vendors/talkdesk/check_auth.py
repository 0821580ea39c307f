"""Tokens, scopes, accounts and report types: TD-OAUTH, TD-AUTH-TOKEN, TD-SCOPE, TD-TENANT and
TD-TYPE-KNOWN.
"""

from __future__ import annotations

import base64
import string
from collections.abc import Callable

import httpx
from hypothesis import strategies as st

from conformance.context import CheckContext, json_body
from conformance.properties import run_property
from conformance.vendors.talkdesk.expect import (
    FORBIDDEN,
    NOT_FOUND,
    RUNNING,
    UNAUTHORIZED,
    control,
    expect_error,
    expect_oauth_error,
    read_job,
    session,
    steady,
)
from conformance.vendors.talkdesk.rules import CHECKS
from conformance.vendors.talkdesk.session import (
    READ,
    WRITE,
    Client,
    JobRef,
    file_path,
    job_path,
    jobs_path,
)

# ---------------------------------------------------------------- TD-OAUTH


def _basic(text: str) -> str:
    return "Basic " + base64.b64encode(text.encode()).decode()


BAD_BASIC = (
    None,
    "Basic",
    "Basic !!!not-base64!!!",
    _basic("no-colon-here"),
    _basic(":secret"),
    _basic("client:"),
    "Bearer 0123456789abcdef0123456789abcdef01234567",
)
BAD_GRANTS = (
    "password",
    "authorization_code",
    "refresh_token",
    "CLIENT_CREDENTIALS",
    "client_credentials ",
    "implicit",
)
HEADER_TEXT = st.text(alphabet=string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~", min_size=1, max_size=20)


@CHECKS.check(
    "TD-OAUTH",
    "tokens by client credentials with HTTP Basic and grant_type=client_credentials; else OAuth errors",
    plan=(
        "POST /oauth/token  the valid form, grant_type in the query, a narrower scope",
        "POST /oauth/token  bad Basic credentials, grant types and bodies (explicit + up to {n})",
        "GET /oauth/token; PUT /_mock/config talkdesk.clients (mock only, restored after)",
    ),
)
def oauth(context: CheckContext) -> None:
    talkdesk = session(context)
    _good_token(context, talkdesk.request_token(), "the documented token request", "")
    _good_token(
        context,
        talkdesk.request_token(form={}, params={"grant_type": "client_credentials"}),
        "grant_type in the query",
        "",
    )
    _good_token(context, talkdesk.request_token(scope=READ), f"scope={READ}", READ)
    for header in BAD_BASIC:
        response = talkdesk.request_token(authorization=header or "")
        expect_oauth_error(context, response, f"Authorization {header!r}", 401, "invalid_client", challenge=True)
    strategy = st.one_of(st.sampled_from(BAD_GRANTS), HEADER_TEXT.filter(lambda text: text != "client_credentials"))
    run_property(context, strategy, lambda grant: _bad_grant(context, grant), explicit=list(BAD_GRANTS))
    for form, content, what in ((None, b"", "an empty body"), ({"grant_type": ""}, None, "an empty grant_type")):
        response = talkdesk.request_token(form=form, content=content)
        expect_oauth_error(context, response, what, 400, "invalid_request")
    as_json = talkdesk.request_token(
        content=b'{"grant_type": "client_credentials"}', headers={"Content-Type": "application/json"}
    )
    expect_oauth_error(context, as_json, "a JSON body", 400, "invalid_request")
    expect_oauth_error(context, talkdesk.request_token(method="GET"), "GET /oauth/token", 405, "invalid_request")
    _unknown_pairs(context)


def _good_token(context: CheckContext, response: httpx.Response, what: str, scope: str) -> None:
    context.expect_status(response, 200, what)
    body = json_body(response)
    shaped = isinstance(body, dict) and isinstance(body.get("access_token"), str) and body["access_token"]
    context.expect(bool(shaped), f"{what}: no access_token", expected="a token", response=response)
    context.expect(
        str(body.get("token_type", "")).lower() == "bearer", f"{what}: token_type", expected="Bearer", response=response
    )
    lifetime = body.get("expires_in")
    context.expect(
        isinstance(lifetime, int) and not isinstance(lifetime, bool) and lifetime > 0,
        f"{what}: expires_in is {lifetime!r}",
        expected="a positive integer",
        response=response,
    )
    context.expect_shape(response, what, soft=True)
    if scope:
        context.expect(
            body.get("scope") == scope,
            f"{what}: scope {body.get('scope')!r}",
            expected=scope,
            response=response,
            soft=True,
        )
    talkdesk, header = session(context), f"Bearer {body['access_token']}"
    works = talkdesk.list_page(auth=header) if talkdesk.lists else talkdesk.get(talkdesk.missing(), auth=header)
    context.expect_status(works, 200 if talkdesk.lists else 404, f"a read with the token of {what}")


def _bad_grant(context: CheckContext, grant: str) -> None:
    response = session(context).request_token(form={"grant_type": grant})
    expect_oauth_error(context, response, f"grant_type={grant!r}", 400, "unsupported_grant_type")


def _unknown_pairs(context: CheckContext) -> None:
    """A wrong secret is 401 where pairs are checked: a real endpoint, or the mock with `clients` set."""
    talkdesk = session(context)
    mine = talkdesk.client
    wrong = Client(mine.id, mine.secret + "-wrong")
    if context.control is None:
        response = talkdesk.request_token(wrong)
        if response.status_code == 200:  # a fake may accept any pair, as the mock does without `clients`
            context.expect(
                False, "a wrong client secret got a token", expected="401 invalid_client", response=response, soft=True
            )
        else:
            expect_oauth_error(context, response, "a wrong client secret", 401, "invalid_client", challenge=True)
        return
    clients = [{"client_id": mine.id, "client_secret": mine.secret, "scopes": [READ]}]
    with context.control.knobs("talkdesk", {"clients": clients}):
        _good_token(context, talkdesk.request_token(), "a configured client", "")
        for client, what in (
            (wrong, "a wrong client secret"),
            (Client("conformance-other", mine.secret), "an unknown client"),
        ):
            response = talkdesk.request_token(client)
            expect_oauth_error(context, response, what, 401, "invalid_client", challenge=True)
        response = talkdesk.request_token(scope=WRITE)
        expect_oauth_error(context, response, "a scope the client may not have", 400, "invalid_scope")


# ---------------------------------------------------------------- TD-AUTH-TOKEN

RANDOM_TOKENS = st.from_regex(r"\A[0-9a-f]{40}\Z").map(lambda token: f"Bearer {token}")
BAD_HEADERS = st.one_of(RANDOM_TOKENS, HEADER_TEXT.map(lambda text: f"Bearer {text}"), HEADER_TEXT)


@CHECKS.check(
    "TD-AUTH-TOKEN",
    "API calls need a live bearer token; else 401 0330010 with WWW-Authenticate: Bearer",
    writes=True,
    read_only_part=True,
    plan=(
        "GET, POST /data/reports/calls/jobs, GET .../jobs/{missing id}  bad Authorization (explicit + up to {n})",
        "POST /oauth/token, POST /_mock/clock  a token at its last second and at expiry (mock only)",
    ),
)
def auth_token(context: CheckContext) -> None:
    talkdesk = session(context)
    token = talkdesk.token()
    explicit = ["", "Bearer", f"Bearer {token}x", f"Basic {token}", token, talkdesk.client.basic(), f"Token {token}"]
    run_property(context, BAD_HEADERS, lambda header: _refused(context, header), explicit=explicit)
    if context.control is not None:
        _expiry(context)


def _refused(context: CheckContext, header: str) -> None:
    talkdesk = session(context)
    calls: list[tuple[str, Callable[[], httpx.Response]]] = [
        ("GET job", lambda: talkdesk.get(talkdesk.missing(), auth=header))
    ]
    if talkdesk.lists:
        calls.append(("GET list", lambda: talkdesk.list_page(auth=header)))
    if context.may_write:
        calls.append(("POST", lambda: talkdesk.create(talkdesk.window.base().body(), auth=header)))
    for what, call in calls:
        response = call()
        expect_error(context, response, f"{what} with Authorization {header!r}", UNAUTHORIZED)
        challenge = response.headers.get("www-authenticate", "")
        context.expect(
            challenge.split(" ", 1)[0].lower() == "bearer",
            f"{what} with Authorization {header!r}: WWW-Authenticate is {challenge!r}",
            expected="Bearer",
            response=response,
        )


def _expiry(context: CheckContext) -> None:
    """A token lives exactly token_ttl_seconds of the mock's clock; expires_in says so."""
    talkdesk, plane = session(context), control(context)
    ttl = int(talkdesk.knobs["token_ttl_seconds"])
    with plane.frozen_clock():
        response = talkdesk.request_token()
        body = json_body(response)
        context.expect(
            body.get("expires_in") == ttl,
            f"expires_in is {body.get('expires_in')!r}",
            expected=str(ttl),
            response=response,
        )
        header = f"Bearer {body['access_token']}"
        plane.advance(ttl - 1)
        context.expect_status(talkdesk.list_page(auth=header), 200, f"a list {ttl - 1} s after the token was issued")
        plane.advance(1)
        response = talkdesk.list_page(auth=header)
        expect_error(context, response, f"a list {ttl} s after the token was issued", UNAUTHORIZED)
        context.expect(
            response.headers.get("www-authenticate", "").lower().startswith("bearer"),
            "an expired token: no WWW-Authenticate: Bearer",
            expected="Bearer",
            response=response,
        )


# ---------------------------------------------------------------- TD-SCOPE


@CHECKS.check(
    "TD-SCOPE",
    "writes need data-reports:write, reads need data-reports:read; else 403 0330011",
    writes=True,
    plan=(
        "POST /oauth/token  a read-only and a write-only token",
        "POST, GET, DELETE /data/reports/calls/jobs[/{id}], GET, DELETE .../files/{id}  with each",
    ),
)
def scope(context: CheckContext) -> None:
    with steady(context):
        _scopes(context)


def _scopes(context: CheckContext) -> None:
    talkdesk = session(context)
    job = talkdesk.make(talkdesk.window.base().body())
    body = talkdesk.window.base().body()
    refused: list[tuple[str, Callable[[], httpx.Response]]] = [
        (f"POST with a {READ} token", lambda: talkdesk.create(body, scope=READ)),
        (f"DELETE job with a {READ} token", lambda: talkdesk.cancel(job, scope=READ)),
        (f"DELETE file with a {READ} token", lambda: talkdesk.delete_file(job, scope=READ)),
        (f"GET list with a {WRITE} token", lambda: talkdesk.list_page(scope=WRITE)),
        (f"GET job with a {WRITE} token", lambda: talkdesk.get(job, scope=WRITE)),
        (f"GET file with a {WRITE} token", lambda: talkdesk.get_file(job, scope=WRITE)),
    ]
    for what, call in refused:
        response = call()
        if not context.target.is_mock and response.status_code in (404, 405) and what.startswith("DELETE"):
            context.expect(False, f"{what}: the route does not exist here", response=response, soft=True)
            continue
        if what.startswith("GET list") and not talkdesk.lists:
            continue
        expect_error(context, response, what, FORBIDDEN)
    allowed: list[tuple[str, Callable[[], httpx.Response]]] = [
        (f"GET list with a {READ} token", lambda: talkdesk.list_page(scope=READ)),
        (f"GET job with a {READ} token", lambda: talkdesk.get(job, scope=READ)),
        (f"POST with a {WRITE} token", lambda: talkdesk.create(body, scope=WRITE)),
        (f"DELETE job with a {WRITE} token", lambda: talkdesk.cancel(job, scope=WRITE)),
    ]
    for what, call in allowed:
        response = call()
        context.expect(
            response.status_code not in (401, 403) or _not_running(context, response, job),
            f"{what}: refused",
            expected="not 401/403",
            response=response,
        )


def _not_running(context: CheckContext, response: httpx.Response, job: JobRef) -> bool:
    """A 403 to a cancel is no scope refusal when the job had already left the running states."""
    if response.request.method != "DELETE" or response.status_code != 403:
        return False
    return read_job(context, session(context).get(job), "GET the job")["status"] not in RUNNING


# ---------------------------------------------------------------- TD-TENANT


@CHECKS.check(
    "TD-TENANT",
    "jobs belong to their account: another account's job is a 404 0330013",
    writes=True,
    plan=(
        "POST /data/reports/calls/jobs  one job per account",
        "GET, DELETE .../jobs/{id}, GET, DELETE .../files/{id}  with the other account's token",
        "GET /data/reports/calls/jobs  with each account",
    ),
)
def tenant(context: CheckContext) -> None:
    talkdesk = session(context)
    other = talkdesk.second
    if other is None:
        context.skip("needs second key (--talkdesk-second-client-id/-secret or TALKDESK_SECOND_CLIENT_ID/_SECRET)")
    mine = talkdesk.make(talkdesk.window.base(name="conformance-tenant-a").body())
    theirs = talkdesk.make(talkdesk.window.base(name="conformance-tenant-b").body(), client=other)
    calls: list[tuple[str, Callable[[], httpx.Response]]] = [
        ("GET job", lambda: talkdesk.get(mine, client=other)),
        ("GET file", lambda: talkdesk.get_file(mine, client=other)),
        ("DELETE job", lambda: talkdesk.cancel(mine, client=other)),
        ("DELETE file", lambda: talkdesk.delete_file(mine, client=other)),
    ]
    for what, call in calls:
        expect_error(context, call(), f"{what} of another account's job", NOT_FOUND)
    expect_error(context, talkdesk.get(theirs, client=talkdesk.client), "GET of the other account's job", NOT_FOUND)
    for client, visible, hidden in ((talkdesk.client, mine, theirs), (other, theirs, mine)) if talkdesk.lists else ():
        listed = talkdesk.walk(client=client)
        context.expect(
            hidden.id not in listed, "an account's list shows another account's job", expected="its own only"
        )
        context.expect(visible.id in listed, "an account's list misses its own job", expected="its own job")
    after = read_job(context, talkdesk.get(mine), "the owner's GET after the other account's calls")
    context.expect(after["status"] != "canceled", "another account canceled the job", expected="not canceled")


# ---------------------------------------------------------------- TD-TYPE-KNOWN

DOCUMENTED_TYPES = ("calls", "contacts", "user_status", "studio_flow_execution", "ring_attempts")
ALL_TYPES = (
    "audit_logs", "calls", "explore_calls", "contacts", "feedback_flow", "interaction_custom_fields",
    "messaging_contacts", "messaging_traffic", "outbound_dialer_calls", "qm_evaluation_analysis",
    "ring_attempts", "studio_flow_execution", "user_status", "adherence", "wfm_timeseries",
)  # fmt: skip
SLUGS = st.from_regex(r"\A[a-z][a-z0-9_]{0,20}\Z")


@CHECKS.check(
    "TD-TYPE-KNOWN",
    "{type} is a configured report type; else 404 0330013",
    writes=True,
    read_only_part=True,
    plan=(
        "GET /data/reports/{type}/jobs  for the documented types",
        "GET, POST /data/reports/{unknown}/jobs, GET .../{unknown}/jobs/{id}  (explicit + up to {n})",
        "GET /data/reports/contacts/jobs/{a calls job}",
    ),
)
def type_known(context: CheckContext) -> None:
    talkdesk = session(context)
    known = tuple(talkdesk.knobs["report_types"]) if context.control is not None else ALL_TYPES
    for report_type in known if talkdesk.lists else ():
        response = talkdesk.list_page(report_type)
        soft = context.control is None and report_type not in DOCUMENTED_TYPES
        context.expect_status(response, 200, f"GET the {report_type} jobs", soft=soft)
    job = talkdesk.make(talkdesk.window.base().body()) if context.may_write else None
    unknown = SLUGS.filter(lambda slug: slug not in known and slug not in ALL_TYPES)
    explicit = ["call", "Calls", "unknown_type", "calls_"]
    run_property(context, unknown, lambda slug: _unknown(context, slug, job), explicit=explicit)
    if job is not None:
        other = "contacts" if job.type != "contacts" else "calls"
        response = talkdesk.get(job, path=job_path(other, job.id))
        expect_error(context, response, f"GET of a {job.type} job under {other}", NOT_FOUND)


def _unknown(context: CheckContext, slug: str, job: JobRef | None) -> None:
    talkdesk = session(context)
    if talkdesk.lists:
        expect_error(context, talkdesk.list_page(slug), f"GET {jobs_path(slug)}", NOT_FOUND)
    if job is None:
        return
    expect_error(context, talkdesk.get(job, path=job_path(slug, job.id)), f"GET a job under {slug}", NOT_FOUND)
    expect_error(context, talkdesk.get(job, path=file_path(slug, job.id)), f"GET a file under {slug}", NOT_FOUND)
    response = talkdesk.create(talkdesk.window.base().body(), report_type=slug)
    expect_error(context, response, f"POST {jobs_path(slug)}", NOT_FOUND)
