"""Create, read, update, list and delete: QON-CREATE-201, QON-PUT-PARTIAL, QON-UPDATED-AT,
QON-LIST-PAGING, QON-LIST-ORDER and QON-DELETE-204.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from hypothesis import strategies as st

from conformance.context import CheckContext, compact, json_body
from conformance.properties import run_machine, run_property
from conformance.vendors.qonversion.expect import (
    NOT_FOUND,
    expect_error,
    expect_report,
    expected_report,
    fetch,
    frozen_clock,
    invalid_data,
    require_catalogue,
    session,
)
from conformance.vendors.qonversion.machines import Paging, PartialUpdates, expect_update_answer, expect_walk
from conformance.vendors.qonversion.rules import CHECKS
from conformance.vendors.qonversion.strategies import FIELDS, MSG_SEND_AT, PREFIX, base_body, destination, valid_bodies

TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
READ_PLAN = "GET /v4/scheduled-reports/{id}  to read back what was stored"


def _key_kind_mismatch(context: CheckContext, body: dict[str, Any]) -> bool:
    sandbox_key = session(context).key.startswith("test_")
    return bool((body["environment"] == "production") == sandbox_key)


@CHECKS.check(
    "QON-CREATE-201",
    "create answers 201 with the full object and its Location",
    writes=True,
    plan=(
        "POST /v4/scheduled-reports  valid bodies from the schema (2 explicit + up to {n})",
        "DELETE each created report",
    ),
)
def create_201(context: CheckContext) -> None:
    catalogue = require_catalogue(context)
    explicit = [base_body(catalogue), base_body(catalogue, status="draft", environment="sandbox", send_at="23:30")]
    run_property(context, valid_bodies(catalogue), lambda body: _create_once(context, body), explicit=explicit)


def _create_once(context: CheckContext, body: dict[str, Any]) -> None:
    q = session(context)
    response = q.create(body)
    if not response.is_success and _key_kind_mismatch(context, body):
        context.expect(
            False, f"a {body['environment']} report was refused for this key kind", response=response, soft=True
        )
        return
    context.expect_status(response, 201, "create with a valid body")
    context.expect_shape(response, "the created report")
    report = json_body(response)
    url = f"/v4/scheduled-reports/{report['id']}"
    checks = [
        (report["url"] == url, f"url is {report['url']!r}", url),
        (response.headers.get("location") == url, f"Location is {response.headers.get('location')!r}", url),
        (report["runs"] == 0, f"runs is {report['runs']}", "0"),
        (report["created_at"] == report["updated_at"], "created_at and updated_at differ", "equal timestamps"),
    ]
    for ok, message, expected in checks:
        context.expect(ok, message, expected=expected, response=response)
    expect_report(context, report, expected_report(body, q.catalogue), "the created report", response)
    q.discard(report["id"])


@CHECKS.check(
    "QON-PUT-PARTIAL",
    "PUT keeps omitted fields, validates present ones, rejects null",
    writes=True,
    plan=(
        "POST /v4/scheduled-reports  reports to update",
        "PUT /v4/scheduled-reports/{id}  valid partial, invalid, null and {} updates (state machine)",
        READ_PLAN,
    ),
)
def put_partial(context: CheckContext) -> None:
    catalogue = require_catalogue(context)
    q = session(context)
    body = base_body(catalogue, included_range_days=7, status="draft", environment="sandbox", send_at="06:30")
    report_id = q.make(body)["id"]
    model = expected_report(body, catalogue)
    steps: list[tuple[dict[str, Any], str | None]] = [
        ({"report_name": f"{PREFIX}renamed"}, None),
        ({}, None),
        ({"send_at": None}, "send_at"),
        ({"send_at": "12:15", "status": "active"}, "send_at"),
        ({"destinations": [destination(entry) for entry in catalogue[:2]]}, None),
    ]
    for update, invalid_field in steps:
        response = q.put(report_id, update)
        if invalid_field is None:
            model = expected_report({**model, **update}, catalogue)
            expect_update_answer(context, response, report_id, model, f"PUT {compact(update)}")
        else:
            expect_error(
                context, response, f"PUT {compact(update)}", invalid_data(invalid_field, detail_message=MSG_SEND_AT)
            )
        stored, answer = fetch(context, report_id, f"after PUT {compact(update)}")
        expect_report(context, stored, model, f"after PUT {compact(update)}", answer)
    run_machine(context, lambda: PartialUpdates(context), max_examples=_programs(context))


def _programs(context: CheckContext) -> int:
    return max(2, context.settings.max_examples // 3)


@CHECKS.check(
    "QON-UPDATED-AT",
    "updated_at moves only when a PUT changes a stored value",
    writes=True,
    plan=(
        "POST /v4/scheduled-reports  one report",
        "PUT /v4/scheduled-reports/{id}  the same values, then a changed name",
        "POST /v4/scheduled-reports/{id}/send-test, POST /_mock/clock  (with a control plane)",
        READ_PLAN,
    ),
)
def updated_at(context: CheckContext) -> None:
    catalogue = require_catalogue(context)
    q = session(context)
    with frozen_clock(context):
        report = q.make(base_body(catalogue, send_at="00:00"))
        created = report["updated_at"]
        _move_clock(context, 61)
        same = {name: report[name] for name in FIELDS}
        _expect_stamp(context, q.put(report["id"], same), report["id"], created, "a PUT of the stored values")
        if context.control is not None:
            q.send_test(report["id"])
            _expect_stamp(context, None, report["id"], created, "a send-test")
            context.control.advance(86400 + float(q.knobs["delivery_delay_seconds"]))
            _expect_stamp(context, None, report["id"], created, "a scheduled delivery")
        response = q.put(report["id"], {"report_name": f"{PREFIX}changed"})
        now = None if context.control is None else str(context.control.clock()["now"])
        stored, answer = fetch(context, report["id"], "after a PUT that changes the name")
        moved = stored.get("updated_at") == now if now else str(stored.get("updated_at")) >= created
        context.expect(
            moved and bool(TIMESTAMP.fullmatch(str(stored.get("updated_at")))),
            f"after a changing PUT ({response.status_code}) updated_at is {stored.get('updated_at')!r}",
            expected=now or f"a timestamp not before {created}",
            response=answer,
        )


def _move_clock(context: CheckContext, seconds: float) -> None:
    if context.control is not None:
        context.control.advance(seconds)


def _expect_stamp(
    context: CheckContext, response: httpx.Response | None, report_id: str, created: str, what: str
) -> None:
    if response is not None:
        context.expect(
            response.is_success, f"{what} answered {response.status_code}", expected="2xx", response=response
        )
    stored, answer = fetch(context, report_id, f"after {what}")
    context.expect(
        stored.get("updated_at") == created,
        f"{what} moved updated_at to {stored.get('updated_at')!r}",
        expected=created,
        response=answer,
    )


BAD_LIMITS = ("0", "101", "-1", "abc", "1.5", "")
BAD_OFFSETS = ("-1", "x", "2.0")


@CHECKS.check(
    "QON-LIST-PAGING",
    "limit 1..100 and offset >= 0; pages visit every report once",
    writes=True,
    read_only_part=True,
    plan=(
        "GET /v4/scheduled-reports?limit=&offset=  valid and invalid values (explicit + up to {n})",
        "POST, DELETE /v4/scheduled-reports and page walks (state machine; skipped with --read-only)",
    ),
)
def list_paging(context: CheckContext) -> None:
    limits = st.one_of(st.none(), st.integers(-3, 130).map(str), st.sampled_from(BAD_LIMITS))
    offsets = st.one_of(st.none(), st.integers(-3, 30).map(str), st.sampled_from(BAD_OFFSETS))
    explicit: list[tuple[str | None, str | None]] = [(limit, None) for limit in BAD_LIMITS]
    explicit += [(None, offset) for offset in BAD_OFFSETS]
    explicit += [("1", "0"), ("100", None), ("0", "-1")]
    run_property(context, st.tuples(limits, offsets), lambda pair: _page_params(context, *pair), explicit=explicit)
    if context.may_write:
        catalogue = require_catalogue(context)
        q = session(context)
        before = q.walk()
        created = [q.make(base_body(catalogue, report_name=f"{PREFIX}page-{n}"))["id"] for n in range(3)]
        for limit in (1, 2, 3):
            expect_walk(context, limit, len(before) + len(created), created)
        for report_id in created:
            q.discard(report_id)
        run_machine(context, lambda: Paging(context), max_examples=_programs(context))


def _page_params(context: CheckContext, limit: str | None, offset: str | None) -> None:
    params = {name: value for name, value in (("limit", limit), ("offset", offset)) if value is not None}
    response = session(context).list_page(**params, starting_after="ignored")
    bad = [name for name, value, ok in (("limit", limit, _limit_ok), ("offset", offset, _offset_ok)) if not ok(value)]
    if bad:
        expect_error(context, response, f"GET ?{_query(params)}", invalid_data(*bad))
    else:
        context.expect_status(response, 200, f"GET ?{_query(params)}")
        context.expect_shape(response, f"GET ?{_query(params)}")


def _query(params: dict[str, str]) -> str:
    return "&".join(f"{name}={value}" for name, value in params.items())


def _limit_ok(value: str | None) -> bool:
    return value is None or (re.fullmatch(r"-?[0-9]+", value) is not None and 1 <= int(value) <= 100)


def _offset_ok(value: str | None) -> bool:
    return value is None or (re.fullmatch(r"-?[0-9]+", value) is not None and int(value) >= 0)


@CHECKS.check(
    "QON-LIST-ORDER",
    "the list is in creation order, oldest first",
    writes=True,
    soft=True,
    plan=("POST /v4/scheduled-reports  three reports", "GET /v4/scheduled-reports?limit=100&offset=...  every page"),
)
def list_order(context: CheckContext) -> None:
    catalogue = require_catalogue(context)
    q = session(context)
    created = [q.make(base_body(catalogue, report_name=f"{PREFIX}order-{n}"))["id"] for n in range(3)]
    listed = [report_id for report_id in q.walk() if report_id in created]
    context.expect(listed == created, f"the list shows them as {listed}", expected=f"{created} (creation order)")


@CHECKS.check(
    "QON-DELETE-204",
    "delete answers 204 without a body; the report is gone; a repeat is 404",
    writes=True,
    plan=("POST /v4/scheduled-reports  two reports", "DELETE /v4/scheduled-reports/{id}  twice each", READ_PLAN),
)
def delete_204(context: CheckContext) -> None:
    catalogue = require_catalogue(context)
    q = session(context)
    for status in ("active", "draft"):
        report_id = q.make(base_body(catalogue, status=status))["id"]
        response = q.delete(report_id)
        context.expect_status(response, 204, f"DELETE of a {status} report")
        context.expect(not response.content, "the 204 carries a body", expected="no body", response=response)
        context.expect_status(q.get(report_id), 404, "GET after DELETE")
        again = q.delete(report_id)
        if again.status_code != 204:
            expect_error(context, again, "a repeated DELETE", NOT_FOUND)
        else:
            context.expect(False, "a repeated DELETE answered 204", expected="404 not_found", response=again, soft=True)
