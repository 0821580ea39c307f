"""Start-up shortcuts in `mockserver.core.spec`: the parsed-spec cache and lazy validators.

The cache must give back exactly what the YAML gives, never a stale or corrupt entry, and
never fail a start (a read-only or unusable cache directory only costs a parse). An
operation's validators, compiled on first use, must be the ones compiled eagerly before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml

from mockserver.core import spec as spec_module
from mockserver.core.resources import data_dir
from mockserver.core.spec import SPEC_CACHE_ENV, SchemaChecker, Spec, load_document, load_spec, spec_cache_dir
from mockserver.vendors import REGISTRY

SMALL = """\
openapi: 3.1.0
info: {title: small, version: "1"}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, maxLength: 3}}
      responses: {"200": {description: ok}}
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory the loader uses."""
    directory = tmp_path / "cache"
    monkeypatch.setenv(SPEC_CACHE_ENV, str(directory))
    return directory


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.openapi.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.json")) if directory.is_dir() else []


def no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> Any:
        raise AssertionError("parsed the YAML although the cache holds it")

    monkeypatch.setattr(spec_module, "_parse_yaml", refuse)


def test_first_load_writes_the_cache_and_the_next_reads_it(
    cache: Path, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_document(small)
    assert first == yaml.safe_load(SMALL)
    (entry,) = entries(cache)
    assert entry.name.startswith("small.openapi.yaml.")
    assert not list(cache.glob(".*.tmp")), "a temporary file was left behind"
    no_yaml(monkeypatch)
    assert load_document(small) == first


def test_an_edited_yaml_is_parsed_again_and_replaces_its_old_entry(
    cache: Path, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_document(small)
    (old,) = entries(cache)
    small.write_text(SMALL.replace("maxLength: 3", "maxLength: 4"), encoding="utf-8")
    document = load_document(small)
    assert document["paths"]["/things/{id}"]["get"]["parameters"][0]["schema"]["maxLength"] == 4
    (new,) = entries(cache)
    assert new != old
    no_yaml(monkeypatch)
    assert load_document(small) == document


@pytest.mark.parametrize(
    "contents",
    [
        b"",
        b"{not json",
        b"[1, 2]",
        json.dumps({"format": 1, "sha256": "0" * 64, "document": {"openapi": "stale"}}).encode(),
        json.dumps({"format": 999, "document": {"openapi": "future"}}).encode(),
    ],
    ids=["empty", "garbage", "not-an-object", "wrong-hash", "unknown-format"],
)
def test_a_corrupt_or_foreign_entry_falls_back_to_the_yaml_and_is_rewritten(
    cache: Path, small: Path, contents: bytes
) -> None:
    load_document(small)
    (entry,) = entries(cache)
    entry.write_bytes(contents)
    assert load_document(small) == yaml.safe_load(SMALL)
    assert json.loads(entry.read_bytes())["document"] == yaml.safe_load(SMALL)


def test_an_unusable_cache_directory_only_costs_a_parse(
    tmp_path: Path, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(SPEC_CACHE_ENV, str(blocker / "cache"))
    assert load_document(small) == yaml.safe_load(SMALL)
    assert load_document(small) == yaml.safe_load(SMALL)


def test_a_read_only_cache_directory_only_costs_a_parse(
    cache: Path, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.mkdir()

    def read_only(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Read-only file system")

    # chmod does not stop root, who runs the tests in some containers: refuse the write itself.
    monkeypatch.setattr("tempfile.mkstemp", read_only)
    assert load_document(small) == yaml.safe_load(SMALL)
    assert entries(cache) == []


def test_a_failed_rename_leaves_no_temporary_file(cache: Path, small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(source: Any, target: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(spec_module.os, "replace", fail)
    assert load_document(small) == yaml.safe_load(SMALL)
    assert list(cache.iterdir()) == []


def test_a_fresh_process_starts_with_an_unusable_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    env = {**os.environ, SPEC_CACHE_ENV: str(blocker / "cache")}
    probe = "from mockserver import create_app; print(sorted(create_app().state.mock.vendors))"
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == repr(sorted(REGISTRY))


def test_a_document_json_cannot_carry_is_not_cached(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "odd.openapi.yaml"
    path.write_text("openapi: 3.1.0\nx-codes: {200: ok}\nx-day: 2026-11-23\n", encoding="utf-8")
    expected = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert load_document(path) == expected
    assert entries(cache) == []
    assert load_document(path) == expected


@pytest.mark.parametrize("value", ["off", "0", "", "OFF"])
def test_the_cache_can_be_turned_off(value: str, tmp_path: Path, small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SPEC_CACHE_ENV, value)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert spec_cache_dir() is None
    assert load_document(small) == yaml.safe_load(SMALL)
    assert not (tmp_path / "xdg").exists()


def test_the_default_cache_directory_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SPEC_CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert spec_cache_dir() == tmp_path / "reportapi-mockserver" / "specs"


@pytest.mark.parametrize("vendor", sorted(REGISTRY))
def test_a_cached_spec_is_the_spec_the_yaml_gives(vendor: str, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = data_dir("schemas") / f"{vendor}.openapi.yaml"
    from_yaml = yaml.safe_load(path.read_text(encoding="utf-8"))
    load_document(path)
    no_yaml(monkeypatch)
    from_cache = load_document(path)
    assert from_cache == from_yaml
    assert json.dumps(from_cache) == json.dumps(from_yaml), "key order differs"
    uri = f"urn:mockserver:{vendor}"
    cached, parsed = Spec(from_cache, uri), Spec(from_yaml, uri)
    assert cached.json_bytes == parsed.json_bytes == load_spec(vendor).json_bytes
    assert cached.operation_ids() == parsed.operation_ids() == load_spec(vendor).operation_ids()


def test_an_operation_compiles_its_validators_on_first_use(cache: Path, small: Path) -> None:
    spec = Spec(load_document(small), "urn:test:small")
    (parameter,) = spec.operation("getThing").parameters
    checker = parameter.checker
    assert isinstance(checker, SchemaChecker)
    assert type(checker) is not SchemaChecker, "compiled at start-up"
    assert [p.field for p in checker.problems("abcd")] == ["id"]
    assert type(checker) is SchemaChecker
    eager = spec.checker({"type": "string", "maxLength": 3}, ("id",))
    for value in ("abc", "abcd", 7):
        assert checker.problems(value) == eager.problems(value)
        assert checker.reference_problems(value) == eager.reference_problems(value)


def test_a_lazy_checkers_internals_are_there_before_any_check(cache: Path, small: Path) -> None:
    spec = Spec(load_document(small), "urn:test:small")
    checker = spec.operation("getThing").parameters[0].checker
    assert checker._fast is not None  # the first attribute read compiles it, whichever it is
    assert type(checker) is SchemaChecker
    assert next(iter(checker._validator.iter_errors("abcd")), None) is not None


def test_threads_racing_to_a_first_use_compile_once(cache: Path, small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = Spec(load_document(small), "urn:test:small")
    checker = spec.operation("getThing").parameters[0].checker
    builds: list[int] = []
    build = Spec.checker

    def counting(self: Spec, schema: Any, prefix: tuple[str | int, ...] = ()) -> SchemaChecker:
        builds.append(1)
        return build(self, schema, prefix)

    monkeypatch.setattr(Spec, "checker", counting)
    start = threading.Barrier(8)
    results: list[list[str]] = []

    def use() -> None:
        start.wait()
        results.append([p.field for p in checker.problems("abcd")])

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert builds == [1]
    assert results == [["id"]] * 8


SAMPLES: list[Any] = [None, "", "x", "x" * 300, "2026-11-23", -1, 0, 10**9, 1.5, True, {}, [], {"a": 1}, ["a"]]


@pytest.mark.parametrize("vendor", sorted(REGISTRY))
def test_every_lazy_checker_compiles_to_the_eager_one(vendor: str) -> None:
    spec = Spec(load_spec(vendor).document, f"urn:mockserver:{vendor}")
    checkers = [
        checker
        for route in spec.routes
        for operation in route.operations.values()
        for checker in (operation.body, *(parameter.checker for parameter in operation.parameters))
        if checker is not None
    ]
    assert all(type(checker) is not SchemaChecker for checker in checkers)  # postageapp has none: x-fields
    for checker in checkers:
        _, schema, prefix = checker.__dict__["_pending"]
        eager = spec.checker(schema, prefix)
        for value in SAMPLES:
            assert checker.problems(value) == eager.problems(value)
            assert checker.reference_problems(value) == eager.reference_problems(value)
        assert type(checker) is SchemaChecker
        assert checker._schema == eager._schema and checker._prefix == eager._prefix
        assert (checker._fast is None) == (eager._fast is None)
