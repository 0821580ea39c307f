"""Rule-based state machines over a tenant's reports, each asserting one rule only.

`PartialUpdates` (QON-PUT-PARTIAL): creates, valid partial updates, invalid ones, `null`s and `{}`,
and every read agrees with a model of the six writable fields. `Paging` (QON-LIST-PAGING): creates
and deletes, and every walk through the pages visits each report exactly once with a truthful
`has_more`. Creating and deleting are lenient (any 2xx), so another rule's breakage does not fail them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from conformance.context import CheckContext, compact, json_body
from conformance.failures import SetupError
from conformance.vendors.qonversion.expect import (
    expect_error,
    expect_report,
    expected_report,
    fetch,
    invalid_data,
    session,
)
from conformance.vendors.qonversion.strategies import invalid_updates, valid_bodies, valid_updates

REF_FIELDS = ("object", "id", "url")
MAX_REPORTS = 4


def expect_update_answer(
    context: CheckContext, response: Any, report_id: str, model: dict[str, Any], what: str
) -> None:
    """200 with at least {object, id, url} (hard); the full updated object is soft (CONTRACTS 1.11)."""
    context.expect_status(response, 200, what)
    body = json_body(response)
    reference = {"object": "scheduled_report", "id": report_id, "url": f"/v4/scheduled-reports/{report_id}"}
    got = {name: body.get(name) for name in REF_FIELDS} if isinstance(body, dict) else body
    context.expect(got == reference, f"{what}: answered {compact(got)}", expected=compact(reference), response=response)
    full = isinstance(body, dict) and all(body.get(name) == value for name, value in model.items())
    context.expect(
        full,
        f"{what}: the answer is not the full updated report",
        expected=compact(model),
        response=response,
        soft=True,
    )


class PartialUpdates(RuleBasedStateMachine):
    def __init__(self, context: CheckContext) -> None:
        super().__init__()
        self.context = context
        self.q = session(context)
        self.catalogue = self.q.catalogue
        self.model: dict[str, dict[str, Any]] = {}

    def _pick(self, data: st.DataObject) -> str:
        return data.draw(st.sampled_from(sorted(self.model)), label="report")

    @initialize(data=st.data())
    def create_first(self, data: st.DataObject) -> None:
        self.create(data)

    @precondition(lambda self: len(self.model) < MAX_REPORTS)
    @rule(data=st.data())
    def create(self, data: st.DataObject) -> None:
        body = data.draw(valid_bodies(self.catalogue), label="create")
        report = self.q.make(body)
        self.model[report["id"]] = expected_report(body, self.catalogue)

    @rule(data=st.data())
    def update(self, data: st.DataObject) -> None:
        report_id = self._pick(data)
        update = data.draw(valid_updates(self.catalogue), label="update")
        merged = {**self.model[report_id], **update}
        self.model[report_id] = expected_report(merged, self.catalogue) if "destinations" in update else merged
        response = self.q.put(report_id, update)
        expect_update_answer(self.context, response, report_id, self.model[report_id], f"PUT {compact(update)}")
        self.read(report_id, f"after PUT {compact(update)}")

    @rule(data=st.data())
    def invalid_update(self, data: st.DataObject) -> None:
        report_id = self._pick(data)
        case = data.draw(invalid_updates(self.catalogue), label="invalid update")
        assert case.field is not None
        response = self.q.put(report_id, case.body)
        expect_error(
            self.context, response, f"PUT with {case.change}", invalid_data(case.field, detail_message=case.message)
        )
        self.read(report_id, f"after the refused PUT with {case.change}")

    @rule(data=st.data())
    def get(self, data: st.DataObject) -> None:
        self.read(self._pick(data), "GET")

    def read(self, report_id: str, what: str) -> None:
        report, response = fetch(self.context, report_id, what)
        expect_report(self.context, report, self.model[report_id], what, response)

    def teardown(self) -> None:
        for report_id in self.model:
            self.q.discard(report_id)


def list_page(context: CheckContext, response: Any, what: str) -> dict[str, Any]:
    """A 200 list page in the documented shape."""
    context.expect_status(response, 200, what)
    context.expect_shape(response, what)
    page: dict[str, Any] = json_body(response)
    return page


def expect_walk(context: CheckContext, limit: int, total: int, created: list[str]) -> None:
    """Walk every page with `limit`: each report once, every `created` one met, `has_more` truthful."""
    seen = _pages(context, limit, total)
    counts = Counter(seen)
    repeated = sorted(report_id for report_id, count in counts.items() if count > 1)
    context.expect(
        not repeated, f"walking with limit={limit} met {repeated} more than once", expected="each report once"
    )
    missing = [report_id for report_id in created if report_id not in counts]
    context.expect(not missing, f"walking with limit={limit} never met {missing}", expected="each report once")


def _pages(context: CheckContext, limit: int, total: int) -> list[str]:
    seen: list[str] = []
    for _ in range(total // limit + 2):
        offset = len(seen)
        response = session(context).list_page(limit=limit, offset=offset)
        page = list_page(context, response, f"GET ?limit={limit}&offset={offset}")
        seen += [item.get("id") for item in page["data"]]
        more = offset + len(page["data"]) < total
        context.expect(
            page["has_more"] is more and len(page["data"]) <= limit,
            f"page at offset {offset}: {len(page['data'])} items, has_more={page['has_more']}",
            expected=f"at most {limit} items, has_more={more} (the tenant holds {total})",
            response=response,
        )
        if not more:
            return seen
    context.fail(f"walking with limit={limit} did not end", expected=f"{total // limit + 1} pages at most")


class Paging(RuleBasedStateMachine):
    def __init__(self, context: CheckContext) -> None:
        super().__init__()
        self.context = context
        self.q = session(context)
        self.created: list[str] = []
        self.before: list[str] = []

    @initialize()
    def baseline(self) -> None:
        self.before = self.q.walk()  # a real tenant may already hold reports; they are read, never touched

    @property
    def total(self) -> int:
        return len(self.before) + len(self.created)

    @precondition(lambda self: len(self.created) < 2 * MAX_REPORTS)
    @rule(data=st.data())
    def create(self, data: st.DataObject) -> None:
        report = self.q.make(data.draw(valid_bodies(self.q.catalogue), label="create"))
        self.created.append(report["id"])

    @precondition(lambda self: self.created)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        report_id = data.draw(st.sampled_from(self.created), label="delete")
        response = self.q.delete(report_id)
        if not (response.is_success or response.status_code == 404):
            raise SetupError(f"deleting a report answered {response.status_code}")
        self.created.remove(report_id)

    @rule(data=st.data())
    def walk(self, data: st.DataObject) -> None:
        smallest = max(1, self.total // 10)  # keep walks short on a tenant that already holds many reports
        expect_walk(
            self.context, data.draw(st.integers(smallest, smallest + 4), label="limit"), self.total, self.created
        )

    @rule(extra=st.integers(0, 5))
    def past_the_end(self, extra: int) -> None:
        response = self.q.list_page(offset=self.total + extra)
        page = list_page(self.context, response, f"GET ?offset={self.total + extra}")
        self.context.expect(
            page["data"] == [] and page["has_more"] is False,
            f"an offset past the end answered {len(page['data'])} items",
            expected="data [] and has_more false",
            response=response,
        )

    def teardown(self) -> None:
        for report_id in self.created:
            self.q.discard(report_id)
