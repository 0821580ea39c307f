"""Qonversion assertions shared by the checks: the v4 error envelope and the field it names, and
a stored report compared with what was sent (labels are soft: a real endpoint may replace them).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from conformance.context import CheckContext, compact, json_body
from conformance.vendors.qonversion.session import QonversionSession
from conformance.vendors.qonversion.strategies import FIELDS

ERROR_TYPES = ("request", "resource", "logical", "internal")
VALIDATION_FAILED = "Validation failed"


@dataclass(frozen=True)
class Expected:
    """An error answer: status, `error.type`, `error.code`, and the `details[].field`s (None: no details)."""

    status: int
    type: str
    code: str
    fields: tuple[str, ...] | None = None
    message: str = ""  # error.message
    detail_message: str = ""  # details[].message, when every named field has the same one

    def text(self) -> str:
        named = "" if self.fields is None else f" naming {', '.join(self.fields)}"
        return f"{self.status} {self.type}/{self.code}{named}"


def invalid_data(*fields: str, detail_message: str = "") -> Expected:
    return Expected(400, "request", "invalid_data", tuple(fields), VALIDATION_FAILED, detail_message)


NOT_FOUND = Expected(404, "resource", "not_found", None, "Requested resource not found")


def session(context: CheckContext) -> QonversionSession:
    assert isinstance(context.session, QonversionSession)
    return context.session


def require_catalogue(context: CheckContext) -> list[dict[str, str]]:
    catalogue = session(context).catalogue
    if not catalogue:
        context.skip("the destination catalogue is empty: no valid report can be created")
    return catalogue


def envelope_problems(body: Any) -> list[str]:
    """What is wrong with a v4 error body (`{"error": {type, code, message, details?}}`)."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return ['the body is not {"error": {...}}']
    problems = [
        f"error.{name} is not a string" for name in ("type", "code", "message") if not isinstance(error.get(name), str)
    ]
    if error.get("type") not in ERROR_TYPES:
        problems.append(f"error.type {error.get('type')!r} is not one of {', '.join(ERROR_TYPES)}")
    if "details" in error:
        details = error["details"]
        well_formed = isinstance(details, list) and details and all(_is_detail(item) for item in details)
        if not well_formed:
            problems.append("error.details is not a non-empty list of {field, message}")
    return problems


def _is_detail(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("field"), str) and isinstance(item.get("message"), str)


def expect_error(
    context: CheckContext,
    response: httpx.Response,
    what: str,
    expected: Expected,
    *,
    alternative: Expected | None = None,
    soft_code: bool = False,
) -> None:
    """The answer is `expected` in the v4 envelope (or, softly, the `alternative` a real endpoint may give)."""
    if (
        response.status_code != expected.status
        and alternative is not None
        and response.status_code == alternative.status
    ):
        context.expect(
            False, f"{what}: answered {alternative.text()}", expected=expected.text(), response=response, soft=True
        )
        expected = alternative
    context.expect(
        response.status_code == expected.status,
        f"{what}: status {response.status_code}",
        expected=expected.text(),
        response=response,
    )
    body = context.enveloped(response, what, "v4 error envelope", envelope_problems, expected.text())
    if body is None:
        return
    error = body["error"]
    got = f"{error['type']}/{error['code']}"
    context.expect(error["type"] == expected.type, f"{what}: error {got}", expected=expected.text(), response=response)
    context.expect(
        error["code"] == expected.code,
        f"{what}: error {got}",
        expected=expected.text(),
        response=response,
        soft=soft_code,
    )
    _expect_details(context, response, what, expected, error)
    if expected.message:
        context.expect(
            error["message"] == expected.message,
            f"{what}: error.message {error['message']!r}",
            expected=repr(expected.message),
            response=response,
            soft=True,
        )


def _expect_details(
    context: CheckContext, response: httpx.Response, what: str, expected: Expected, error: dict[str, Any]
) -> None:
    details = error.get("details", [])
    if expected.fields is None:
        context.expect(
            not details,
            f"{what}: details on an error that names no field",
            expected="no details",
            response=response,
            soft=True,
        )
        return
    named = list(dict.fromkeys(item["field"] for item in details))
    context.expect(
        named == list(expected.fields),
        f"{what}: details name {named or 'no field'}",
        expected=f"details naming exactly {list(expected.fields)}",
        response=response,
    )
    if expected.detail_message:
        messages = [item["message"] for item in details]
        context.expect(
            all(message == expected.detail_message for message in messages),
            f"{what}: details messages {messages}",
            expected=repr(expected.detail_message),
            response=response,
            soft=True,
        )


# ---------------------------------------------------------------- reports


def expected_report(body: Mapping[str, Any], catalogue: list[dict[str, str]]) -> dict[str, Any]:
    """The six writable fields as stored: labels from the input, else from the catalogue."""
    labels = {(entry["type"], entry["id"]): entry["label"] for entry in catalogue}
    destinations = [
        {
            "type": item["type"],
            "id": item["id"],
            "label": item.get("label", labels.get((item["type"], item["id"]), item["id"])),
        }
        for item in body["destinations"]
    ]
    return {**{name: body[name] for name in FIELDS if name != "destinations"}, "destinations": destinations}


def expect_report(
    context: CheckContext, report: Any, expected: Mapping[str, Any], what: str, response: httpx.Response
) -> None:
    """Hard: the five scalar fields and the (type, id) list; soft: the labels."""
    if not isinstance(report, dict):
        context.fail(f"{what}: not a report object", expected="a scheduled_report", response=response)
    for name in FIELDS[:5]:
        context.expect(
            report.get(name) == expected[name] and type(report.get(name)) is type(expected[name]),
            f"{what}: {name} is {compact(report.get(name))}",
            expected=compact(expected[name]),
            response=response,
        )
    got = report.get("destinations")
    pairs = (
        [(item.get("type"), item.get("id")) for item in got] if isinstance(got, list) and _is_object_list(got) else got
    )
    context.expect(
        pairs == [(item["type"], item["id"]) for item in expected["destinations"]],
        f"{what}: destinations are {compact(got)}",
        expected=compact(expected["destinations"]),
        response=response,
    )
    context.expect(
        got == expected["destinations"],
        f"{what}: destination labels {compact(got)}",
        expected=compact(expected["destinations"]),
        response=response,
        soft=True,
    )


def _is_object_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def fetch(context: CheckContext, report_id: str, what: str) -> tuple[dict[str, Any], httpx.Response]:
    """GET the report; it must be there (200 with an object)."""
    response = session(context).get(report_id)
    body = json_body(response)
    context.expect(
        response.status_code == 200 and isinstance(body, dict),
        f"{what}: GET answered {response.status_code}",
        expected="200 with the report",
        response=response,
    )
    return body, response


@contextlib.contextmanager
def frozen_clock(context: CheckContext) -> Iterator[None]:
    """Hold the mock's clock still for the block (nothing to do without a control plane)."""
    if context.control is None:
        yield
        return
    with context.control.frozen_clock():
        yield
