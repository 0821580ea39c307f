"""The OpenAPI index: handler parity, route matching, field paths and the served document."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest
import yaml

from mockserver.core.resources import data_dir
from mockserver.core.spec import Spec, field_path, load_spec
from mockserver.vendors import REGISTRY

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def yaml_document(vendor: str) -> dict[str, Any]:
    return yaml.safe_load((data_dir("schemas") / f"{vendor}.openapi.yaml").read_text(encoding="utf-8"))


def yaml_operation_ids(vendor: str) -> list[str]:
    paths = yaml_document(vendor)["paths"]
    return [
        operation["operationId"]
        for item in paths.values()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def test_registry_serves_qonversion():
    assert "qonversion" in REGISTRY
    assert REGISTRY["qonversion"].prefixes == ("/v4",)


@pytest.mark.parametrize("vendor", sorted(REGISTRY))
def test_every_operation_has_exactly_one_handler_and_vice_versa(vendor: str):
    operation_ids = yaml_operation_ids(vendor)
    duplicates = [name for name, count in Counter(operation_ids).items() if count > 1]
    assert duplicates == [], f"operationIds used twice in {vendor}.openapi.yaml"
    handlers = set(REGISTRY[vendor].handlers)
    assert set(operation_ids) - handlers == set(), "operations without a handler"
    assert handlers - set(operation_ids) == set(), "handlers without an operation"
    assert all(callable(handler) for handler in REGISTRY[vendor].handlers.values())


@pytest.mark.parametrize("vendor", sorted(REGISTRY))
def test_spec_index_sees_every_operation_of_the_document(vendor: str):
    assert sorted(load_spec(vendor).operation_ids()) == sorted(yaml_operation_ids(vendor))


def test_body_rules_name_real_operations():
    for vendor in REGISTRY.values():
        assert set(vendor.body_rules) <= set(vendor.handlers), vendor.name


def test_qonversion_operations():
    assert sorted(yaml_operation_ids("qonversion")) == sorted(
        [
            "listScheduledReports",
            "createScheduledReport",
            "listScheduledReportDestinations",
            "getScheduledReport",
            "updateScheduledReport",
            "deleteScheduledReport",
            "sendScheduledReportTest",
        ]
    )


def test_literal_destinations_segment_beats_the_report_id_parameter():
    found = load_spec("qonversion").match("/v4/scheduled-reports/destinations")
    assert found is not None
    route, params = found
    assert route.template == "/v4/scheduled-reports/destinations"
    assert params == {}
    assert route.allowed == ["GET"]
    assert route.operations["GET"].operation_id == "listScheduledReportDestinations"


@pytest.mark.parametrize(
    ("path", "template", "params", "allowed"),
    [
        ("/v4/scheduled-reports", "/v4/scheduled-reports", {}, ["GET", "POST"]),
        ("/v4/scheduled-reports/wbRlfw1x", "/v4/scheduled-reports/{report_id}", {"report_id": "wbRlfw1x"}, None),
        ("/v4/scheduled-reports/a.b-c_d", "/v4/scheduled-reports/{report_id}", {"report_id": "a.b-c_d"}, None),
        (
            "/v4/scheduled-reports/wbRlfw1x/send-test",
            "/v4/scheduled-reports/{report_id}/send-test",
            {"report_id": "wbRlfw1x"},
            ["POST"],
        ),
    ],
)
def test_qonversion_paths_match_their_templates(path: str, template: str, params: dict, allowed: list | None):
    found = load_spec("qonversion").match(path)
    assert found is not None
    route, got = found
    assert route.template == template
    assert got == params
    if allowed is not None:
        assert route.allowed == allowed


@pytest.mark.parametrize(
    "path",
    ["/v4", "/v4/", "/v4/scheduled-reports/", "/v4/scheduled-reports/a/b", "/v4/other", "/v4/scheduled-reportsX"],
)
def test_paths_outside_the_document_do_not_match(path: str):
    assert load_spec("qonversion").match(path) is None


def _operation(operation_id: str, parameter: str | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": operation_id, "responses": {"200": {"description": "ok"}}}
    if parameter:
        operation["parameters"] = [{"name": parameter, "in": "path", "required": True, "schema": {"type": "string"}}]
    return operation


def test_literal_beats_parameter_whatever_the_document_order():
    # The parameterised path is declared first, so matching in document order would get it wrong.
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/r/{id}": {"get": _operation("getR", "id")},
            "/r/{id}/{sub}": {"get": _operation("getSub", "id")},
            "/r/{id}/literal": {"get": _operation("getLiteralSub", "id")},
            "/r/literal": {"get": _operation("getLiteral")},
        },
    }
    spec = Spec(document, "urn:test:order")
    assert spec.match("/r/literal")[0].template == "/r/literal"
    route, params = spec.match("/r/x")
    assert (route.template, params) == ("/r/{id}", {"id": "x"})
    assert spec.match("/r/x/literal")[0].template == "/r/{id}/literal"
    route, params = spec.match("/r/x/other")
    assert route.template == "/r/{id}/{sub}"
    assert params == {"id": "x", "sub": "other"}
    assert spec.match("/r/x/y/z") is None
    assert spec.operation("getLiteral").path == "/r/literal"
    with pytest.raises(KeyError):
        spec.operation("missing")


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ((), ""),
        (("report_name",), "report_name"),
        (("destinations", 0), "destinations[0]"),
        (("destinations", 0, "id"), "destinations[0].id"),
        (("a", "b", "c"), "a.b.c"),
        (("matrix", 1, 2, "x"), "matrix[1][2].x"),
        ((3, "id"), "[3].id"),
    ],
)
def test_field_path_formatting(parts: tuple, expected: str):
    assert field_path(parts) == expected


def test_served_document_equals_the_yaml(client: httpx.Client):
    response = client.get("/_mock/openapi/qonversion.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == yaml_document("qonversion")
    assert response.json()["openapi"] == "3.1.0"
