"""Listing jobs: TD-LIST-PAGE. Bad `page`/`per_page` values are 400 0330003 naming them; then page
walks, and a rule-based state machine of creates, cancels and walks: every job of the type is met
exactly once, oldest first, in every status, with `total`, `count`, `total_pages` and the `next` and
`prev` links telling the truth. Creating and canceling are lenient (any 2xx), so another rule's
breakage does not fail this check.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from conformance.context import CheckContext, compact, json_body
from conformance.properties import run_machine, run_property
from conformance.vendors.talkdesk.check_jobs import skip_if_absent
from conformance.vendors.talkdesk.expect import Expected, expect_error, session
from conformance.vendors.talkdesk.rules import CHECKS
from conformance.vendors.talkdesk.session import JobRef

LIST_TYPE = "ring_attempts"  # a documented type the other checks leave alone
BAD_PAGES = ("0", "-1", "abc", "1.5", "")
BAD_PER_PAGES = ("0", "101", "-1", "x", "")
MAX_JOBS = 4


def _page_ok(value: str | None) -> bool:
    return value is None or (re.fullmatch(r"-?[0-9]+", value) is not None and int(value) >= 1)


def _per_page_ok(value: str | None) -> bool:
    return value is None or (re.fullmatch(r"-?[0-9]+", value) is not None and 1 <= int(value) <= 100)


def _params(context: CheckContext, page: str | None, per_page: str | None) -> None:
    params = {name: value for name, value in (("page", page), ("per_page", per_page)) if value is not None}
    response = session(context).list_page(LIST_TYPE, **params)
    query = "&".join(f"{name}={value}" for name, value in params.items())
    bad = tuple(
        name for name, value, ok in (("page", page, _page_ok), ("per_page", per_page, _per_page_ok)) if not ok(value)
    )
    if bad:
        expect_error(context, response, f"GET ?{query}", Expected(400, "0330003", bad))
        return
    context.expect_status(response, 200, f"GET ?{query}")
    context.expect_shape(response, f"GET ?{query}")
    body = json_body(response)
    wanted = {"page": int(page or 1), "per_page": int(per_page or 50)}
    got = {name: body.get(name) for name in wanted} if isinstance(body, dict) else body
    context.expect(got == wanted, f"GET ?{query}: {compact(got)}", expected=compact(wanted), response=response)


def walk_pages(context: CheckContext, per_page: int, total: int) -> list[str]:
    """Every page with `per_page`; each page's counters and links must agree with `total`."""
    pages = math.ceil(total / per_page)
    seen: list[str] = []
    for page in range(1, pages + 2):
        response = session(context).list_page(LIST_TYPE, page=page, per_page=per_page)
        context.expect_status(response, 200, f"GET ?page={page}&per_page={per_page}")
        context.expect_shape(response, f"GET ?page={page}&per_page={per_page}")
        body: dict[str, Any] = json_body(response)
        jobs = body["_embedded"]["jobs"]
        size = max(0, min(per_page, total - (page - 1) * per_page))
        wanted = {"total": total, "count": size, "page": page, "per_page": per_page, "total_pages": pages}
        got = {name: body.get(name) for name in wanted}
        links = {"next": page < pages, "prev": page > 1}
        got_links = {name: name in body["_links"] for name in links}
        context.expect(
            got == wanted and len(jobs) == size and got_links == links,
            f"page {page} of {pages}: {compact(got)}, {len(jobs)} jobs, links {got_links}",
            expected=f"{compact(wanted)}, {size} jobs, links {links} (the type holds {total})",
            response=response,
        )
        seen += [str(item.get("id")) for item in jobs]
    return seen


def expect_walk(context: CheckContext, per_page: int, total: int, created: list[str]) -> None:
    """Each job once, every created one met, in creation order (oldest first)."""
    seen = walk_pages(context, per_page, total)
    repeated = sorted(job_id for job_id, count in Counter(seen).items() if count > 1)
    context.expect(not repeated, f"walking with per_page={per_page} met {repeated} twice", expected="each job once")
    order = [job_id for job_id in seen if job_id in created]
    context.expect(
        order == created, f"walking with per_page={per_page} met ours as {order}", expected=f"{created}, oldest first"
    )


@CHECKS.check(
    "TD-LIST-PAGE",
    "page >= 1 and per_page 1..100 (0330003); pages list every job once, oldest first",
    writes=True,
    read_only_part=True,
    plan=(
        "GET /data/reports/ring_attempts/jobs?page=&per_page=  valid and invalid values (explicit + up to {n})",
        "POST, DELETE /data/reports/ring_attempts/jobs[/{id}] and page walks (state machine; not with --read-only)",
    ),
)
def list_page(context: CheckContext) -> None:
    talkdesk = session(context)
    skip_if_absent(context, talkdesk.list_page(LIST_TYPE), "the job list")
    pages = st.one_of(st.none(), st.integers(-2, 5).map(str), st.sampled_from(BAD_PAGES))
    per_pages = st.one_of(st.none(), st.integers(-2, 130).map(str), st.sampled_from(BAD_PER_PAGES))
    explicit: list[tuple[str | None, str | None]] = [(page, None) for page in BAD_PAGES]
    explicit += [(None, per_page) for per_page in BAD_PER_PAGES] + [("0", "0"), ("1", "1"), ("1", "100"), (None, None)]
    run_property(context, st.tuples(pages, per_pages), lambda pair: _params(context, *pair), explicit=explicit)
    if not context.may_write:
        return
    before = talkdesk.walk(LIST_TYPE)
    body = talkdesk.window.base().body()
    created = [talkdesk.make({**body, "name": f"conformance-page-{n}"}, report_type=LIST_TYPE).id for n in range(3)]
    for per_page in (1, 2, 3):
        expect_walk(context, per_page, len(before) + 3, created)
    for job_id in created:
        talkdesk.dispose(job_id)
    run_machine(context, lambda: Paging(context), max_examples=max(2, context.settings.max_examples // 3))


class Paging(RuleBasedStateMachine):
    def __init__(self, context: CheckContext) -> None:
        super().__init__()
        self.context = context
        self.talkdesk = session(context)
        self.before: list[str] = []
        self.created: list[JobRef] = []

    @initialize()
    def baseline(self) -> None:
        self.before = self.talkdesk.walk(LIST_TYPE)  # earlier jobs of the type are read, never touched

    @property
    def total(self) -> int:
        return len(self.before) + len(self.created)

    @precondition(lambda self: len(self.created) < min(MAX_JOBS, int(self.talkdesk.knobs["quota_simultaneous"])))
    @rule(data=st.data())
    def create(self, data: st.DataObject) -> None:
        name = data.draw(st.text(max_size=12), label="name")
        body = {**self.talkdesk.window.base().body(), "name": self.talkdesk.window.clean_name(name)}
        self.created.append(self.talkdesk.make(body, report_type=LIST_TYPE))

    @precondition(lambda self: self.created)
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        self.talkdesk.cancel(data.draw(st.sampled_from(self.created), label="cancel"))  # listed in every status

    @rule(data=st.data())
    def walk(self, data: st.DataObject) -> None:
        smallest = max(1, self.total // 10)  # keep walks short on an account that holds many jobs
        per_page = smallest + data.draw(st.integers(0, 3), label="per_page above the smallest")
        expect_walk(self.context, per_page, self.total, [job.id for job in self.created])

    @rule(extra=st.integers(1, 3))
    def past_the_end(self, extra: int) -> None:
        page = math.ceil(self.total / 50) + extra
        response = self.talkdesk.list_page(LIST_TYPE, page=page)
        body = json_body(response)
        jobs = body.get("_embedded", {}).get("jobs") if isinstance(body, dict) else None
        self.context.expect(
            response.status_code == 200 and jobs == [] and body.get("count") == 0,
            f"page {page}, past the end, answered {response.status_code} with {jobs!r}",
            expected="200 with no jobs",
            response=response,
        )

    def teardown(self) -> None:
        for job in self.created:
            self.talkdesk.dispose(job.id)
