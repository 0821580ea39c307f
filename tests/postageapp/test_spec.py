"""The PostageApp schema: every method's fields schema exists, and the dashboard shows events."""

from __future__ import annotations

import httpx

from mockserver.core.spec import load_spec
from tests.postageapp.support import create

SPEC = load_spec("postageapp")


def test_every_operation_names_its_fields_schema_and_documents_200_and_errors() -> None:
    for operation_id in SPEC.operation_ids():
        operation = SPEC.operation(operation_id)
        assert operation.method == "POST"
        assert operation.path.startswith("/v.1.0/") and operation.path.endswith(".json")
        assert SPEC.schema(operation.extensions["x-fields"])["type"] == "object", operation_id
        assert {"200", "default"} <= set(operation.responses), operation_id
        has_summary = "x-error-message" in operation.extensions
        assert has_summary == (operation_id != "sendMessage"), operation_id


def test_the_dashboard_lists_each_projects_events(client: httpx.Client) -> None:
    create(client, "digest", "every 5 mins")
    page = client.get("/_mock/ui").text
    assert "digest" in page and "2026-11-23T09:05:00+00:00" in page
