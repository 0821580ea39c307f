"""Lists and rate limits: SK-LIST-LIMIT (bad `limit`/`cursor`, then cursor walks that visit every
item once, newest first, with a rule-based state machine of creates, deletes and walks) and
SK-RATE-LIMIT (switched on through the mock's config only, so it needs the control plane).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

import httpx
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from conformance.context import CheckContext, compact, json_body
from conformance.failures import SetupError
from conformance.properties import run_machine, run_property
from conformance.vendors.sendkit.expect import expect_refused, frozen_clock, knobs, session
from conformance.vendors.sendkit.rules import CHECKS
from conformance.vendors.sendkit.session import PREFIX, RECIPIENTS, REPORTS, item_id

BAD_LIMITS = ("0", "101", "-1", "abc", "1.5", "", "1e2", "+5")
BAD_CURSORS = ("x", "ABCDEF0123456789ABCDEF01", "0" * 23, "0" * 25, "")
CURSOR = re.compile(r"[0-9a-f]{24}")
MAX_CREATED = 6


def _limit_ok(value: str | None) -> bool:
    return value is None or (re.fullmatch(r"[0-9]+", value) is not None and 1 <= int(value) <= 100)


def _cursor_ok(value: str | None) -> bool:
    return value is None or CURSOR.fullmatch(value) is not None


def _page(context: CheckContext, response: httpx.Response, what: str) -> dict[str, Any]:
    """A 200 page `{success, data, pagination{limit, total, hasMore, nextCursor}}` (the items' own
    shape is not this rule's business: a report stored wrongly fails the rule that stored it)."""
    context.expect_status(response, 200, what)
    page = json_body(response)
    pagination = page.get("pagination") if isinstance(page, dict) else None
    ok = (
        isinstance(page, dict)
        and page.get("success") is True
        and isinstance(page.get("data"), list)
        and all(isinstance(item, dict) for item in page["data"])
        and isinstance(pagination, dict)
        and _is_count(pagination.get("limit"))
        and _is_count(pagination.get("total"))
        and isinstance(pagination.get("hasMore"), bool)
        and (pagination.get("nextCursor") is None or isinstance(pagination.get("nextCursor"), str))
    )
    context.expect(
        ok,
        f"{what}: not a page",
        expected="{success: true, data: [...], pagination: {limit, total, hasMore, nextCursor}}",
        response=response,
    )
    assert isinstance(page, dict)
    return page


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@CHECKS.check(
    "SK-LIST-LIMIT",
    "limit is 1 to 100 (default 25), cursor is 24 hex; cursor walks visit every item once, newest first",
    writes=True,
    read_only_part=True,
    plan=(
        "GET /v1/reports[/recipients]?limit=&cursor=  valid and invalid values (explicit + up to {n})",
        "GET /v1/reports?limit=7&cursor=...  a walk through the reports",
        "POST, DELETE /v1/reports/recipients and cursor walks filtered by the run's search tag (writes; state machine)",
    ),
)
def list_limit(context: CheckContext) -> None:
    limits = st.one_of(st.none(), st.integers(-3, 130).map(str), st.sampled_from(BAD_LIMITS))
    cursors = st.one_of(st.none(), st.from_regex(r"\A[0-9a-f]{24}\Z"), st.sampled_from(BAD_CURSORS))
    explicit: list[tuple[str, str | None, str | None]] = [(REPORTS, limit, None) for limit in BAD_LIMITS]
    explicit += [(RECIPIENTS, None, cursor) for cursor in BAD_CURSORS]
    explicit += [(REPORTS, "1", None), (RECIPIENTS, "100", "0" * 24), (REPORTS, None, None), (RECIPIENTS, "0", "x")]
    strategy = st.tuples(st.sampled_from([REPORTS, RECIPIENTS]), limits, cursors)
    run_property(context, strategy, lambda case: _params(context, *case), explicit=explicit)
    _walk_reports(context, 7 if context.target.is_mock else 100)
    if context.may_write:
        run_machine(context, lambda: Paging(context), max_examples=max(2, context.settings.max_examples // 3))


def _params(context: CheckContext, path: str, limit: str | None, cursor: str | None) -> None:
    params = {name: value for name, value in (("limit", limit), ("cursor", cursor)) if value is not None}
    response = session(context).query(path, params)
    what = f"GET {path}?{'&'.join(f'{k}={v}' for k, v in params.items())}"
    bad = [name for name, value, ok in (("limit", limit, _limit_ok), ("cursor", cursor, _cursor_ok)) if not ok(value)]
    if bad:
        expect_refused(context, response, what, 400, tuple(bad))
        return
    page = _page(context, response, what)
    size = int(limit) if limit is not None else 25
    got = page["pagination"].get("limit")
    context.expect(
        got == size and len(page["data"]) <= size,
        f"{what}: {len(page['data'])} items, limit {got}",
        expected=f"at most {size}, limit {size}",
        response=response,
    )


def expect_walk(
    context: CheckContext,
    path: str,
    limit: int,
    wanted: list[str] | None,
    *,
    search: str | None = None,
    max_pages: int = 400,
) -> list[str]:
    """Walk every page by `nextCursor`: each item once, newest first (ids descending), `hasMore` and
    `nextCursor` truthful, `total` steady; when `wanted` is given, exactly those items in that order."""
    seen: list[str] = []
    cursor: str | None = None
    total: Any = None
    for _ in range(max_pages):
        params = {"limit": limit, **({"cursor": cursor} if cursor else {}), **({"search": search} if search else {})}
        response = session(context).query(path, params)
        page = _page(context, response, f"GET {path}?limit={limit}&cursor={cursor}")
        ids = [item_id(item) for item in page["data"]]
        pagination = page["pagination"]
        total = pagination.get("total") if total is None else total
        seen += ids
        more = len(seen) < total if isinstance(total, int) else False
        context.expect(
            pagination.get("hasMore") is more and len(ids) <= limit and pagination.get("total") == total,
            f"page after {cursor}: {len(ids)} items, "
            f"hasMore={pagination.get('hasMore')}, total={pagination.get('total')}",
            expected=f"at most {limit} items, hasMore={more}, total={total}",
            response=response,
        )
        next_cursor = ids[-1] if more and ids else None
        context.expect(
            pagination.get("nextCursor") == next_cursor,
            f"nextCursor is {pagination.get('nextCursor')!r}",
            expected=repr(next_cursor),
            response=response,
        )
        cursor = next_cursor
        if not cursor:
            break
    repeated = sorted(item for item, count in Counter(seen).items() if count > 1)
    context.expect(
        not repeated, f"walking {path} with limit={limit} met {repeated[:3]} more than once", expected="each item once"
    )
    context.expect(
        seen == sorted(seen, reverse=True), f"walking {path}: not newest first {seen[:5]}", expected="ids descending"
    )
    if wanted is not None:
        context.expect(
            seen == wanted, f"walking {path} with limit={limit} met {seen}", expected=f"{wanted} (newest first)"
        )
    return seen


def _walk_reports(context: CheckContext, limit: int) -> None:
    """The reports a workspace has (read only; a real workspace is walked at most 5 pages deep)."""
    if context.target.is_mock:
        expect_walk(context, REPORTS, limit, None)
        return
    response = session(context).list_page(REPORTS, limit=limit)
    page = _page(context, response, f"GET {REPORTS}?limit={limit}")
    if not page["pagination"].get("hasMore"):
        expect_walk(context, REPORTS, limit, None, max_pages=1)


class Paging(RuleBasedStateMachine):
    """Creates and deletes recipients; every walk (filtered by the run's tag) meets exactly the live ones."""

    def __init__(self, context: CheckContext) -> None:
        super().__init__()
        self.context = context
        self.q = session(context)
        self.search = f"{PREFIX}{self.q.tag}-"
        self.created: list[str] = []
        self.gone: list[str] = []

    @initialize()
    def baseline(self) -> None:
        left = self.q.walk(RECIPIENTS, search=self.search)
        if left:
            raise SetupError(f"recipients of this run are still listed: {left}")

    @precondition(lambda self: len(self.created) < MAX_CREATED)
    @rule()
    def create(self) -> None:
        recipient = self.q.make_recipient({"name": f"{PREFIX}page", "email": self.q.email()})
        self.created.append(str(recipient["_id"]))

    @precondition(lambda self: self.created)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        recipient_id = data.draw(st.sampled_from(self.created), label="delete")
        response = self.q.delete_recipient(recipient_id)
        if not (response.is_success or response.status_code == 404):
            raise SetupError(f"deleting a recipient answered {response.status_code}")
        self.created.remove(recipient_id)
        self.gone.append(recipient_id)

    @rule(limit=st.integers(1, 4))
    def walk(self, limit: int) -> None:
        expect_walk(self.context, RECIPIENTS, limit, sorted(self.created, reverse=True), search=self.search)

    @precondition(lambda self: self.gone)
    @rule(data=st.data())
    def deleted_cursor(self, data: st.DataObject) -> None:
        cursor = data.draw(st.sampled_from(self.gone), label="deleted cursor")
        response = self.q.list_page(RECIPIENTS, limit=100, cursor=cursor, search=self.search)
        page = _page(self.context, response, f"GET ?cursor={cursor} (deleted)")
        wanted = sorted((item for item in self.created if item < cursor), reverse=True)
        got = [item_id(item) for item in page["data"]]
        self.context.expect(
            got == wanted,
            f"a deleted cursor gave {got}",
            expected=f"{wanted} (the items after it by position)",
            response=response,
        )

    def teardown(self) -> None:
        for recipient_id in self.created:
            self.q.discard(recipient_id)


# ---------------------------------------------------------------- SK-RATE-LIMIT

LIMIT = 3


@CHECKS.check(
    "SK-RATE-LIMIT",
    "when configured, N requests per key per 60-second window; then 429 with Retry-After",
    needs_control=True,
    plan=(
        "PUT /_mock/config  rate_limit_per_minute 3 (restored after); POST /_mock/clock  to a window start",
        "GET /v1/reports/recipients  four times with one fresh key (never retried), once with another",
        "POST /_mock/clock  58 s, then 2 s: still refused, then a new window",
    ),
)
def rate_limit(context: CheckContext) -> None:
    assert context.control is not None
    q = session(context)
    key, other = q.fresh(), q.fresh()
    with frozen_clock(context), knobs(context, {"rate_limit_per_minute": LIMIT}):
        now = context.control.now().timestamp()
        context.control.advance(60 - now % 60)
        window = int(math.floor(context.control.now().timestamp() / 60) * 60)
        for used in range(1, LIMIT + 1):
            _expect_counted(context, _get(context, key), window, LIMIT - used, f"request {used} of {LIMIT}")
        _expect_limited(context, _get(context, key), window, 60, f"request {LIMIT + 1}")
        _expect_counted(context, _get(context, other), window, LIMIT - 1, "another key's first request")
        context.control.advance(58)
        _expect_limited(context, _get(context, key), window, 2, "58 s later")
        context.control.advance(2)
        _expect_counted(context, _get(context, key), window + 60, LIMIT - 1, "in the next window")


def _get(context: CheckContext, key: str) -> httpx.Response:
    return session(context).send("GET", RECIPIENTS, headers={"X-Api-Key": key}, retry=False)


def _expect_counted(context: CheckContext, response: httpx.Response, window: int, remaining: int, what: str) -> None:
    context.expect_status(response, 200, what)
    _expect_headers(context, response, window, remaining, what)


def _expect_headers(context: CheckContext, response: httpx.Response, window: int, remaining: int, what: str) -> None:
    wanted = {
        "x-ratelimit-limit": str(LIMIT),
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-reset": str(window + 60),
    }
    got = {name: response.headers.get(name) for name in wanted}
    context.expect(
        got == wanted, f"{what}: rate-limit headers {compact(got)}", expected=compact(wanted), response=response
    )


def _expect_limited(context: CheckContext, response: httpx.Response, window: int, seconds: int, what: str) -> None:
    expect_refused(context, response, what, 429)
    value = response.headers.get("retry-after", "")
    context.expect(
        value == str(seconds), f"{what}: Retry-After is {value or 'missing'}", expected=str(seconds), response=response
    )
    _expect_headers(context, response, window, 0, what)
