"""Create-body validation, one check per rule: a valid body with exactly one thing changed must be
refused naming that field (QON-DEST-KNOWN: 422 naming the id), and the valid variants of the same
field must be accepted. The documented edge values always run first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from conformance.context import CheckContext
from conformance.properties import run_property
from conformance.vendors.qonversion.expect import Expected, expect_error, invalid_data, require_catalogue, session
from conformance.vendors.qonversion.rules import CHECKS
from conformance.vendors.qonversion.session import created_id
from conformance.vendors.qonversion.strategies import (
    DESTINATION_TYPE,
    FIELDS,
    MSG_ARRAY,
    MSG_DUPLICATE,
    MSG_ENV,
    MSG_ITEM,
    MSG_MIN_1,
    MSG_NAME,
    MSG_RANGE,
    MSG_REQUIRED,
    MSG_SEND_AT,
    MSG_STATUS,
    MSG_STRING,
    MSG_TYPE,
    MSG_UNKNOWN,
    PREFIX,
    UNKNOWN_DESTINATION,
    Case,
    Catalogue,
    base_body,
    cases,
    destination,
)

Explicit = Callable[[Catalogue], list[Case]]


def _field(name: str, message: str, rejected: list[object], accepted: list[object]) -> Explicit:
    def explicit(catalogue: Catalogue) -> list[Case]:
        body = base_body(catalogue)
        refused = [Case({**body, name: value}, name, message, f"{name}={value!r}") for value in rejected]
        return refused + [Case({**body, name: value}, change=f"{name}={value!r} (valid)") for value in accepted]

    return explicit


def _required(catalogue: Catalogue) -> list[Case]:
    body = base_body(catalogue)
    return [
        Case({k: v for k, v in body.items() if k != name}, name, MSG_REQUIRED, f"{name} removed") for name in FIELDS
    ]


def _destinations(field: str, message: str, *values: object) -> Explicit:
    def explicit(catalogue: Catalogue) -> list[Case]:
        return [
            Case(base_body(catalogue, destinations=value), field, message, f"destinations={value!r}")
            for value in values
        ]

    return explicit


def _shape(catalogue: Catalogue) -> list[Case]:
    first = catalogue[0]
    cases = _destinations("destinations", MSG_ARRAY, first["id"], None)(catalogue)
    cases += _destinations("destinations[0]", MSG_ITEM, [first["id"]])(catalogue)
    cases += _destinations("destinations[0].type", MSG_REQUIRED, [{"id": first["id"]}])(catalogue)
    cases += _destinations("destinations[0].id", MSG_REQUIRED, [{"type": first["type"]}])(catalogue)
    cases += _destinations("destinations[0].id", MSG_STRING, [{"type": first["type"], "id": 5}])(catalogue)
    cases += _destinations("destinations[0].label", MSG_STRING, [{**destination(first), "label": 5}])(catalogue)
    return cases + [Case(base_body(catalogue, destinations=[destination(first, "my label")]), change="with a label")]


def _duplicate(catalogue: Catalogue) -> list[Case]:
    twice = [destination(catalogue[0]), destination(catalogue[0], "another label")]
    return _destinations("destinations[1]", MSG_DUPLICATE, twice)(catalogue)


def _unknown(catalogue: Catalogue) -> list[Case]:
    unknown = [{"type": DESTINATION_TYPE, "id": f"{UNKNOWN_DESTINATION}destination"}]
    return _destinations("destinations[0].id", MSG_UNKNOWN, unknown)(catalogue)


def _wrong_type(catalogue: Catalogue) -> list[Case]:
    values = [[{"type": value, "id": catalogue[0]["id"]}] for value in ("webhook", "")]
    return _destinations("destinations[0].type", MSG_TYPE, *values)(catalogue)


LONGEST_NAME = PREFIX + "\U0001f600" * (255 - len(PREFIX))
EXPLICIT: dict[str, Explicit] = {
    "QON-CREATE-REQUIRED": _required,
    "QON-NAME-LEN": _field("report_name", MSG_NAME, ["", PREFIX + "x" * (256 - len(PREFIX)), None], [LONGEST_NAME]),
    "QON-SEND-AT-SLOT": _field(
        "send_at", MSG_SEND_AT, ["12:15", "23:45", "24:00", "9:00", "09:00\n", 900], ["00:00", "23:30"]
    ),
    "QON-RANGE-DAYS": _field("included_range_days", MSG_RANGE, [0, 2, 5, "7", True, 1.5, None], [3, 7]),
    "QON-STATUS-ENUM": _field("status", MSG_STATUS, ["paused", "Active", "", None], ["draft"]),
    "QON-ENV-ENUM": _field("environment", MSG_ENV, ["prod", "Sandbox", None], ["sandbox"]),
    "QON-DEST-MIN-1": _destinations("destinations", MSG_MIN_1, []),
    "QON-DEST-SHAPE": _shape,
    "QON-DEST-TYPE": _wrong_type,
    "QON-DEST-UNIQUE": _duplicate,
    "QON-DEST-KNOWN": _unknown,
}

TITLES = {
    "QON-CREATE-REQUIRED": "all six create fields are required",
    "QON-NAME-LEN": "report_name is a string of 1 to 255 characters",
    "QON-SEND-AT-SLOT": "send_at is HH:MM on a 30-minute slot",
    "QON-RANGE-DAYS": "included_range_days is 1, 3 or 7",
    "QON-STATUS-ENUM": "status is draft or active",
    "QON-ENV-ENUM": "environment is sandbox or production",
    "QON-DEST-MIN-1": "destinations has at least one item",
    "QON-DEST-SHAPE": "each destination is an object with string type and id",
    "QON-DEST-TYPE": "destination type is target_integration",
    "QON-DEST-UNIQUE": "no (type, id) twice in one report",
    "QON-DEST-KNOWN": "destination ids are in the catalogue (422)",
}
UNKNOWN_DESTINATION_ERROR = Expected(422, "logical", "relation_not_found", None, "Related resource not found")


def expected_error(rule: str, case: Case) -> tuple[Expected, Expected | None]:
    """What the refusal must be; for QON-DEST-KNOWN a real endpoint may answer 400 instead (a warning)."""
    assert case.field is not None
    if rule == "QON-DEST-KNOWN":
        relation = replace(UNKNOWN_DESTINATION_ERROR, fields=(case.field,), detail_message=case.message)
        return relation, invalid_data(case.field)
    return invalid_data(case.field, detail_message=case.message), None


def try_case(context: CheckContext, case: Case) -> None:
    """Send the case's body; accepted cases are deleted again at once."""
    q = session(context)
    response = q.create(case.body)
    if case.accepted:
        context.expect(response.is_success, f"{case.change} was refused", expected="2xx: created", response=response)
        report_id = created_id(response)
        if report_id is not None:
            q.discard(report_id)
        return
    expected, alternative = expected_error(context.rule, case)
    expect_error(context, response, f"create with {case.change}", expected, alternative=alternative)


def validation_check(context: CheckContext) -> None:
    catalogue = require_catalogue(context)
    rule = context.rule
    if rule == "QON-DEST-KNOWN" and session(context).knobs.get("accept_unknown_destinations"):
        context.skip("the mock's accept_unknown_destinations knob is on")
    run_property(
        context, cases(rule, catalogue), lambda case: try_case(context, case), explicit=EXPLICIT[rule](catalogue)
    )


for _rule, _title in TITLES.items():
    CHECKS.check(
        _rule,
        _title,
        writes=True,
        plan=(
            "POST /v4/scheduled-reports  one invalid body per example (explicit edge values + up to {n})",
            "DELETE /v4/scheduled-reports/{id}  for each body that is (rightly or wrongly) accepted",
        ),
    )(validation_check)
