"""Response shapes: does a response match what the OpenAPI document says for its status?"""

from __future__ import annotations

from typing import Any

from mockserver.core.spec import SchemaChecker, Spec


class ResponseShapes:
    """Checks responses against one vendor's documented response schemas (compiled lazily)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._checkers: dict[tuple[str, int], SchemaChecker | None] = {}

    def problems(self, method: str, path: str, status: int, body: Any) -> list[str]:
        found = self.spec.match(path)
        if found is None or method not in found[0].operations:
            return []  # routing errors are the envelope check's business
        operation = found[0].operations[method]
        if str(status) not in operation.responses and "default" not in operation.responses:
            return [f"{operation.operation_id}: status {status} is not documented"]
        checker = self._checker(operation.operation_id, status)
        if checker is None:
            return [] if body is None else [f"{operation.operation_id} {status}: documented without a body"]
        return [f"{operation.operation_id} {status}: {p.field or '$'}: {p.message}" for p in checker.problems(body)]

    def _checker(self, operation_id: str, status: int) -> SchemaChecker | None:
        key = (operation_id, status)
        if key not in self._checkers:
            schema = self.spec.response_schema(self.spec.operation(operation_id), status)
            self._checkers[key] = None if schema is None else self.spec.checker(schema)
        return self._checkers[key]
