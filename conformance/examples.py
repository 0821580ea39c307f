"""Replay the vendors' documented example exchanges (`fixtures/<vendor>/*.json`) on any target.

A case is a list of steps; each step sends one request and compares the answer with the
documented one: status, the headers given, and the JSON body key by key, in the
documented key order. Values the page marks as illustrative (ids, counters, timestamps)
are compared by JSON type only. `capture` keeps values (a new report's id, or a dotted
path into a nested body such as `data.reports.0.id`) for later steps, which use them as
`{name}` placeholders in paths, headers and expected
bodies; `{base}` is always the target's base URL. A request sends `json`, or `body` as raw
text (a form, a malformed document) with the content type its headers give.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from mockserver.core.resources import data_dir


@dataclass(frozen=True)
class ExampleCase:
    vendor: str
    name: str
    title: str
    steps: list[dict[str, Any]]


def load_cases(vendor: str) -> list[ExampleCase]:
    folder = data_dir("fixtures") / vendor
    return [_load(vendor, path) for path in sorted(folder.glob("*.json"))]


def _load(vendor: str, path: Path) -> ExampleCase:
    document = json.loads(path.read_text(encoding="utf-8"))
    return ExampleCase(vendor, path.stem, document["title"], document["steps"])


def _fill(text: str, captured: Mapping[str, Any]) -> str:
    for name, value in captured.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def _fill_json(value: Any, captured: Mapping[str, Any]) -> Any:
    if isinstance(value, str):
        return _fill(value, captured)
    if isinstance(value, list):
        return [_fill_json(item, captured) for item in value]
    if isinstance(value, dict):
        return {key: _fill_json(item, captured) for key, item in value.items()}
    return value


def _json_type(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return repr(value) if value is None else "boolean"
    return {int: "number", float: "number", str: "string", list: "array", dict: "object"}[type(value)]


def differences(expected: Any, actual: Any, illustrative: frozenset[str], where: str = "$") -> Iterator[str]:
    """Every way `actual` departs from the documented `expected` body."""
    if where.rsplit(".", 1)[-1] in illustrative:
        if _json_type(expected) != _json_type(actual):
            yield f"{where}: expected a {_json_type(expected)}, got {actual!r}"
        return
    if isinstance(expected, dict) and isinstance(actual, dict):
        if list(expected) != list(actual):
            yield f"{where}: expected keys {list(expected)}, got {list(actual)}"
        for key in expected.keys() & actual.keys():
            yield from differences(expected[key], actual[key], illustrative, f"{where}.{key}")
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            yield from differences(want, got, illustrative, f"{where}[{index}]")
    elif expected != actual or _json_type(expected) != _json_type(actual):
        yield f"{where}: expected {expected!r}, got {actual!r}"


def replay(client: httpx.Client, case: ExampleCase) -> list[str]:
    """Run every step of `case`; return the mismatches (empty when the target conforms)."""
    captured: dict[str, Any] = {"base": str(client.base_url).rstrip("/")}
    problems: list[str] = []
    for number, step in enumerate(case.steps, start=1):
        response = _send(client, step["request"], captured)
        body = response.json() if response.content else None
        for name, key in step.get("capture", {}).items():
            captured[name] = _pluck(body, key)
        found = list(_compare(step["response"], response, captured))
        problems.extend(f"step {number} ({step['request']['method']} {step['request']['path']}): {p}" for p in found)
    return problems


def _pluck(body: Any, path: str) -> Any:
    """The value at a dotted path (`"id"`, `"data.reports.0.id"`), or None when it is not there."""
    for part in path.split("."):
        if isinstance(body, dict):
            body = body.get(part)
        elif isinstance(body, list) and part.isdigit() and int(part) < len(body):
            body = body[int(part)]
        else:
            return None
    return body


def _send(client: httpx.Client, request: Mapping[str, Any], captured: Mapping[str, Any]) -> httpx.Response:
    headers = {name: _fill(value, captured) for name, value in request.get("headers", {}).items()}
    content = json.dumps(request["json"]).encode() if "json" in request else None
    if "body" in request:
        content = _fill(request["body"], captured).encode()
    return client.request(request["method"], _fill(request["path"], captured), headers=headers, content=content)


def _compare(expected: Mapping[str, Any], response: httpx.Response, captured: Mapping[str, Any]) -> Iterator[str]:
    if response.status_code != expected["status"]:
        yield f"status: expected {expected['status']}, got {response.status_code} {response.text[:200]}"
        return
    for name, value in expected.get("headers", {}).items():
        if response.headers.get(name) != _fill(value, captured):
            yield f"header {name}: expected {_fill(value, captured)!r}, got {response.headers.get(name)!r}"
    if "json" in expected:
        illustrative = frozenset(expected.get("illustrative", []))
        yield from differences(_fill_json(expected["json"], captured), response.json(), illustrative)
    elif expected.get("empty_body") and response.content:
        yield f"body: expected none, got {response.text[:200]!r}"
