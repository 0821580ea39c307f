"""The OpenAPI documents, parsed once into an index of operations with compiled validators.

A vendor's routes, parameters and request bodies come from `schemas/<vendor>.openapi.yaml`.
Rule ids and error messages for schema-level rules live in the schema as `x-rule` and
`x-message` (a string, or a mapping from JSON Schema keyword to string), so no enum,
length or pattern is restated in Python.

Start-up stays short: a parsed document is cached as JSON keyed by its YAML's content hash
(see `spec_cache_dir`), and an operation's validators are compiled on their first use.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson
from jsonschema import Draft202012Validator, ValidationError, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from mockserver.core.errors import FieldProblem
from mockserver.core.resources import data_dir
from mockserver.core.storage import plain_json, write_atomically

DEFAULT_MESSAGES = {
    "required": "Required",
    "type": "Wrong type",
    "minLength": "Too short",
    "maxLength": "Too long",
    "pattern": "Invalid format",
    "enum": "Invalid value",
    "const": "Invalid value",
    "minItems": "Too few items",
    "maxItems": "Too many items",
    "minimum": "Too small",
    "maximum": "Too large",
}
_INTEGER_TEXT = re.compile(r"-?[0-9]+")
VALID_SCALARS_KEPT = 4096  # valid strings and integers a checker remembers
EXPLAINED_KEPT = 4096  # explained problems a checker remembers (instance paths come from clients)


@functools.cache
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """`pattern` with ECMA-262 anchoring: `$` is the end of input, never before a final newline."""
    translated, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        translated.append(char)
    return re.compile("".join(translated))


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]) -> Iterable[ValidationError]:
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# JSON Schema patterns are ECMA-262 regexes; Python's `$` would also match before a trailing "\n".
EcmaValidator = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})  # type: ignore[no-untyped-call]


def field_path(parts: Iterable[str | int]) -> str:
    """`("destinations", 0, "id")` -> `"destinations[0].id"`."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _annotation(schema: Mapping[str, Any], name: str, keyword: str) -> str | None:
    value = schema.get(name) if isinstance(schema, Mapping) else None
    if isinstance(value, Mapping):
        value = value.get(keyword, value.get("default"))
    return value if isinstance(value, str) else None


class SchemaChecker:
    """A compiled JSON Schema that reports `FieldProblem`s with rule ids and messages.

    jsonschema-rs (native code, ECMA regex semantics) checks every `$ref`-free schema: a valid
    instance in microseconds, an invalid one with its errors put in the order jsonschema would
    find them (the schema's keyword and property order, items by index), so the first problem
    per field is the same either way. jsonschema itself serves schemas jsonschema-rs cannot
    compile, and is the reference a property test holds the fast path to. Verdicts are pure, so
    a checker remembers (up to a cap) the strings and integers it found valid and the problems
    it explained: the same ids and the same mistakes come back again and again.
    """

    def __init__(
        self,
        schema: Mapping[str, Any],
        registry: Registry,
        prefix: tuple[str | int, ...] = (),
        inlined: Mapping[str, Any] | None = None,
    ) -> None:
        self._validator = EcmaValidator(inlined if inlined is not None else schema, registry=registry)
        self._schema = inlined
        self._fast = _fast_validator(inlined)
        self._prefix = prefix
        self._wordings: dict[tuple[str | int, ...], tuple[str, str]] = {}
        # (schema path, instance path, missing property) -> its problem: the same invalid input
        # is usually sent again and again (a test suite's fixtures, a client retrying)
        self._explained: dict[tuple[tuple[Any, ...], ...], FieldProblem] = {}
        self._valid_scalars: set[str | int] = set()  # strings and integers found valid (ids polled again and again)

    def problems(self, instance: Any) -> list[FieldProblem]:
        """One problem per field (the first found: a wrong type hides its enum or length)."""
        if self._fast is None:
            return self.reference_problems(instance)
        scalar = type(instance) is str or type(instance) is int  # a parameter's value, say (never a bool)
        if scalar and instance in self._valid_scalars:
            return []
        errors = list(self._fast.iter_errors(instance))  # as fast as `is_valid` when valid, one pass when not
        if not errors:
            if scalar and len(self._valid_scalars) < VALID_SCALARS_KEPT:
                self._valid_scalars.add(instance)
            return []
        if len(errors) > 1:
            errors.sort(key=self._order)
        return _first_per_field(problem for error in errors for problem in self._explain_fast(error))

    def reference_problems(self, instance: Any) -> list[FieldProblem]:
        """The same problems found by jsonschema (the slower reference implementation)."""
        return _first_per_field(p for error in self._validator.iter_errors(instance) for p in self._explain(error))

    def _explain_fast(self, error: Any) -> list[FieldProblem]:
        branches = getattr(error.kind, "context", None)
        if branches:  # oneOf/anyOf: report the branch problems, not the wrapper
            inner = sorted((sub for branch in branches for sub in branch), key=self._order)
            return [problem for sub in inner for problem in self._explain_fast(sub)]
        schema_path, instance_path = tuple(error.schema_path), tuple(error.instance_path)
        missing = (str(error.kind.property),) if schema_path[-1] == "required" else ()
        key = (schema_path, instance_path, missing)
        problem = self._explained.get(key)
        if problem is None:
            message, rule = self._wording(schema_path)
            problem = FieldProblem(field_path((*self._prefix, *instance_path, *missing)), message, rule)
            if len(self._explained) < EXPLAINED_KEPT:
                self._explained[key] = problem
        return [problem]

    def _wording(self, schema_path: tuple[str | int, ...]) -> tuple[str, str]:
        """The message and rule id the schema gives the keyword at `schema_path` (fixed by the
        schema, so worked out once per keyword rather than once per invalid request)."""
        wording = self._wordings.get(schema_path)
        if wording is None:
            *parents, keyword = schema_path
            wording = self._wordings[schema_path] = _wording_of(self._node_at(parents), str(keyword))
        return wording

    def _node_at(self, schema_path: Iterable[str | int]) -> Any:
        node: Any = self._schema
        for part in schema_path:
            node = node[part]
        return node

    def _order(self, error: Any) -> list[int]:
        """Where jsonschema would meet this error: keyword and property positions, item indexes."""
        key: list[int] = []
        node: Any = self._schema
        instance_path = list(error.instance_path)
        depth, parts, index = 0, list(error.schema_path), 0
        while index < len(parts) and isinstance(node, Mapping):
            part = parts[index]
            anchor = "if" if part in ("then", "else") and "if" in node else part
            key.append(_position(node, anchor))
            node = node.get(part)
            index += 1
            if part in ("properties", "patternProperties") and index < len(parts):
                key.append(_position(node, parts[index]))
                node, index, depth = node[parts[index]], index + 1, depth + 1
            elif part in ("allOf", "anyOf", "oneOf", "prefixItems") and index < len(parts):
                key.append(int(parts[index]))
                node, index = node[parts[index]], index + 1
            elif part in ("items", "additionalProperties") and isinstance(node, Mapping):
                step = instance_path[depth] if depth < len(instance_path) else 0
                key.append(step if isinstance(step, int) else 0)
                depth += 1
        if parts and parts[-1] == "required" and isinstance(node, list):
            key.append(_position(node, str(error.kind.property)))
        return key

    def _explain(self, error: ValidationError) -> list[FieldProblem]:
        if error.context:  # oneOf/anyOf: report the branch problems, not the wrapper
            return [p for sub in error.context for p in self._explain(sub)]
        keyword = str(error.validator)
        path = (*self._prefix, *error.absolute_path)
        if keyword == "required":
            missing = _missing_property(error)
            return [self._problem(error.schema, "required", (*path, missing))]
        return [self._problem(error.schema, keyword, path)]

    def _problem(self, schema: Any, keyword: str, path: tuple[str | int, ...]) -> FieldProblem:
        return FieldProblem(field_path(path), *_wording_of(schema, keyword))


def _wording_of(schema: Any, keyword: str) -> tuple[str, str]:
    """The message and rule id `schema` gives a failure of `keyword` (`x-message`, `x-rule`)."""
    message = _annotation(schema, "x-message", keyword) or DEFAULT_MESSAGES.get(keyword, "Invalid value")
    return message, _annotation(schema, "x-rule", keyword) or ""


def _first_per_field(problems: Iterable[FieldProblem]) -> list[FieldProblem]:
    found: dict[str, FieldProblem] = {}
    for problem in problems:
        found.setdefault(problem.field, problem)
    return list(found.values())


def _position(container: Any, item: Any) -> int:
    """The index of a key (or list item) in `container`; unknown ones sort last."""
    for position, candidate in enumerate(container):
        if candidate == item:
            return position
    return len(container)


def _fast_validator(schema: Mapping[str, Any] | None) -> Any:
    """A jsonschema-rs validator for a `$ref`-free schema, or None when it cannot build one."""
    if schema is None:
        return None
    try:
        return jsonschema_rs.validator_for(dict(schema))
    except (ValueError, TypeError, jsonschema_rs.ValidationError):
        return None


def _missing_property(error: ValidationError) -> str:
    # jsonschema words it as "'name' is a required property"; the instance tells us which.
    names: list[str] = list(error.validator_value) if isinstance(error.validator_value, list) else []
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    required = [name for name in names if name not in instance]
    for name in required:
        if repr(name) in error.message:
            return str(name)
    return str(required[0]) if required else ""


_COMPILING = threading.Lock()


class _LazySchemaChecker(SchemaChecker):
    """A `SchemaChecker` compiled on its first use, and from then on a plain `SchemaChecker`.

    Compiling every operation's validators (jsonschema and jsonschema-rs) was much of what a
    spec cost at start-up, and a run seldom touches every operation. The first use of any
    attribute has `Spec.checker` build the checker, moves it into this object and makes this
    object a `SchemaChecker`, so later calls cost nothing extra. A lock makes two threads'
    first uses compile it once; under asyncio compiling never yields, so nothing interleaves.
    """

    def __init__(self, spec: Spec, schema: Mapping[str, Any], prefix: tuple[str | int, ...] = ()) -> None:
        self._pending = (spec, schema, prefix)  # SchemaChecker.__init__ runs on first use

    def _compile(self) -> None:
        with _COMPILING:
            if type(self) is not _LazySchemaChecker:
                return  # another thread compiled it while this one waited
            spec, schema, prefix = self._pending
            built = spec.checker(schema, prefix)
            self.__dict__.update(vars(built))
            del self._pending
            self.__class__ = type(built)  # type: ignore[assignment]  # from now on, a plain SchemaChecker

    def problems(self, instance: Any) -> list[FieldProblem]:
        self._compile()
        return self.problems(instance)

    def reference_problems(self, instance: Any) -> list[FieldProblem]:
        self._compile()
        return self.reference_problems(instance)

    def __getattr__(self, name: str) -> Any:
        """Only attributes not found get here: the compiled checker's (`_fast`, `_validator`...)."""
        if name == "_pending" or name.startswith("__"):
            raise AttributeError(name)
        self._compile()
        return getattr(self, name)


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    default: Any
    checker: SchemaChecker
    wants_integer: bool

    def coerce(self, raw: str) -> Any:
        if self.wants_integer and _INTEGER_TEXT.fullmatch(raw):
            return int(raw)
        return raw


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    parameters: tuple[Parameter, ...]
    body: SchemaChecker | None
    body_fields: tuple[str, ...]
    responses: Mapping[str, Any] = field(default_factory=dict)
    extensions: Mapping[str, Any] = field(default_factory=dict)
    security: tuple[Mapping[str, list[str]], ...] | None = None
    body_schema: Mapping[str, Any] | None = None  # the request body's schema as the document gives it

    @property
    def needs_auth(self) -> bool:
        """False only where the spec says `security: []` (a token endpoint, say)."""
        return self.security is None or bool(self.security)

    def scopes(self) -> list[str]:
        """The scopes the operation's (first) security requirement names."""
        requirements = self.security or ()
        return [scope for requirement in requirements[:1] for scopes in requirement.values() for scope in scopes]

    def check_params(
        self, path_params: Mapping[str, str], query: Mapping[str, str]
    ) -> tuple[dict[str, Any], list[FieldProblem]]:
        """Coerce and validate path and query parameters; returns (values, problems)."""
        values: dict[str, Any] = {}
        problems: list[FieldProblem] = []
        for parameter in self.parameters:
            source = path_params if parameter.location == "path" else query
            if parameter.name not in source:
                values[parameter.name] = parameter.default
                if parameter.required:
                    problems.append(FieldProblem(parameter.name, "Required"))
                continue
            value = parameter.coerce(source[parameter.name])
            found = parameter.checker.problems(value)
            problems.extend(found)
            values[parameter.name] = parameter.default if found else value
        return values, problems

    def field_rank(self, problem: FieldProblem) -> tuple[int, tuple[int, ...]]:
        """Sort key: body fields in the schema's order, parameters first, then item index."""
        head = re.split(r"[.\[]", problem.field, maxsplit=1)[0]
        rank = self.body_fields.index(head) + 1 if head in self.body_fields else 0
        return rank, tuple(int(n) for n in re.findall(r"\[(\d+)\]", problem.field))


@dataclass(frozen=True)
class PathRoute:
    """One path template and the operations on it, keyed by HTTP method."""

    template: str
    regex: re.Pattern[str]
    operations: Mapping[str, Operation]

    @property
    def allowed(self) -> list[str]:
        return sorted(self.operations)


class Spec:
    """One vendor's OpenAPI document, indexed for routing and validation."""

    def __init__(self, document: Mapping[str, Any], uri: str) -> None:
        self.document = document
        resource = Resource.from_contents(dict(document), default_specification=DRAFT202012)
        self._registry: Registry = Registry().with_resource(uri, resource)
        self._uri = uri
        self.routes = tuple(sorted(self._build_routes(), key=_specificity))
        # A path without parameters is found by one dict lookup; a templated one is tried only
        # against the templates with as many segments (a parameter never spans a "/"). Equivalent
        # to trying `routes` in order: a template matching a literal path has as many segments
        # and fewer literals, so it sorts after that path anyway.
        self._literal = {route.template: route for route in self.routes if "{" not in route.template}
        self._templated: dict[int, list[PathRoute]] = {}
        for route in self.routes:
            if "{" in route.template:
                self._templated.setdefault(route.template.count("/"), []).append(route)

    @functools.cached_property
    def json_bytes(self) -> bytes:
        """The document as JSON (the control plane serves it), encoded on first use."""
        return json.dumps(self.document, ensure_ascii=False).encode()

    @property
    def extensions(self) -> dict[str, Any]:
        return {key: value for key, value in self.document.items() if key.startswith("x-")}

    def security_scheme(self, name: str) -> Mapping[str, Any]:
        scheme: Mapping[str, Any] = self.document["components"]["securitySchemes"][name]
        return scheme

    def schema(self, name: str) -> Mapping[str, Any]:
        schema: Mapping[str, Any] = self.document["components"]["schemas"][name]
        return schema

    def operation(self, operation_id: str) -> Operation:
        for route in self.routes:
            for operation in route.operations.values():
                if operation.operation_id == operation_id:
                    return operation
        raise KeyError(operation_id)

    def operation_ids(self) -> list[str]:
        return [op.operation_id for route in self.routes for op in route.operations.values()]

    def match(self, path: str) -> tuple[PathRoute, dict[str, str]] | None:
        literal = self._literal.get(path)
        if literal is not None:
            return literal, {}
        for route in self._templated.get(path.count("/"), ()):
            found = route.regex.fullmatch(path)
            if found:
                return route, found.groupdict()
        return None

    def checker(self, schema: Mapping[str, Any], prefix: tuple[str | int, ...] = ()) -> SchemaChecker:
        return SchemaChecker(self._absolute(schema), self._registry, prefix, self.inline(schema))

    def inline(self, schema: Any, seen: tuple[str, ...] = ()) -> Any:
        """`schema` with every local `$ref` replaced by its target; None for a recursive schema."""
        if isinstance(schema, list):
            items = [self.inline(item, seen) for item in schema]
            return None if any(item is None for item in items if isinstance(item, dict | list)) else items
        if not isinstance(schema, Mapping):
            return schema
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            if ref in seen:
                return None
            return self.inline(self.resolve({"$ref": ref}), (*seen, ref))
        inlined = {key: self.inline(value, seen) for key, value in schema.items()}
        return None if any(inlined[k] is None and schema[k] is not None for k in inlined) else inlined

    def response_schema(self, operation: Operation, status: int) -> Mapping[str, Any] | None:
        """The JSON schema documented for `status` (or `default`), or None when it has no body."""
        response = operation.responses.get(str(status), operation.responses.get("default"))
        if response is None:
            return None
        return _json_body_schema(self.resolve(response))

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        ref = schema.get("$ref")
        if not isinstance(ref, str):
            return schema
        node: Any = self.document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        return self.resolve(node)

    def _absolute(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        """Rebase a fragment's local `$ref`s onto this document's URI."""
        rebased: dict[str, Any] = json.loads(json.dumps(schema).replace('"$ref": "#/', f'"$ref": "{self._uri}#/'))
        return rebased

    def _build_routes(self) -> Iterable[PathRoute]:
        for template, item in self.document.get("paths", {}).items():
            shared = item.get("parameters", [])
            operations = {
                method.upper(): self._operation(method.upper(), template, body, shared)
                for method, body in item.items()
                if method in {"get", "put", "post", "delete", "patch"}
            }
            yield PathRoute(template, _compile_template(template), operations)

    def _operation(self, method: str, template: str, item: Mapping[str, Any], shared: list[Any]) -> Operation:
        parameters = tuple(self._parameter(p) for p in [*shared, *item.get("parameters", [])])
        body_schema = _json_body_schema(item.get("requestBody"))
        body_fields: tuple[str, ...] = ()
        checker = None
        if body_schema is not None:
            checker = _LazySchemaChecker(self, body_schema)
            body_fields = tuple(self.resolve(body_schema).get("properties", {}))
        extensions = {key: value for key, value in item.items() if key.startswith("x-")}
        responses = item.get("responses", {})
        declared = item.get("security", self.document.get("security"))
        security = None if declared is None else tuple(declared)
        return Operation(
            item["operationId"],
            method,
            template,
            parameters,
            checker,
            body_fields,
            responses,
            extensions,
            security,
            body_schema,
        )

    def _parameter(self, parameter: Mapping[str, Any]) -> Parameter:
        parameter = self.resolve(parameter)
        schema = parameter.get("schema", {})
        resolved = self.resolve(schema)
        return Parameter(
            name=parameter["name"],
            location=parameter["in"],
            required=bool(parameter.get("required", False)),
            default=resolved.get("default"),
            checker=_LazySchemaChecker(self, schema, (parameter["name"],)),
            wants_integer=resolved.get("type") == "integer",
        )


def _json_body_schema(request_body: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    if not request_body:
        return None
    schema: Mapping[str, Any] | None = request_body.get("content", {}).get("application/json", {}).get("schema")
    return schema


def _compile_template(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile(pattern)


def _specificity(route: PathRoute) -> tuple[int, int]:
    """Literal segments win over parameters: `/reports/destinations` before `/reports/{id}`."""
    segments = route.template.strip("/").split("/")
    literals = sum(1 for segment in segments if "{" not in segment)
    return -literals, len(segments)


@functools.cache
def load_spec(vendor: str) -> Spec:
    """The parsed spec of a vendor, loaded once per process (it is never mutated).

    The parsed document comes from the spec cache when it holds one for this exact YAML text,
    else from the YAML (and is then cached for the next process); see `spec_cache_dir`.
    """
    path = data_dir("schemas") / f"{vendor}.openapi.yaml"
    return Spec(load_document(path), f"urn:mockserver:{vendor}")


SPEC_CACHE_ENV = "MOCKSERVER_SPEC_CACHE"
_CACHE_FORMAT = 1  # bump when the cache file's layout changes
_CACHE_OFF = {"", "0", "off", "false", "no"}


def spec_cache_dir() -> Path | None:
    """Where parsed OpenAPI documents are cached as JSON; None when caching is off.

    `MOCKSERVER_SPEC_CACHE` names the directory (or turns the cache off: `off`, `0`, empty);
    by default it is `$XDG_CACHE_HOME/reportapi-mockserver/specs` (`~/.cache/...`). Entries are
    named by the YAML's content hash, so an edited schema never reads a stale entry.
    """
    configured = os.environ.get(SPEC_CACHE_ENV)
    if configured is not None:
        return None if configured.strip().lower() in _CACHE_OFF else Path(configured)
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except RuntimeError:  # no home directory to speak of
        return None
    return base / "reportapi-mockserver" / "specs"


def load_document(path: Path) -> Any:
    """The YAML document at `path`, parsed: from the spec cache when it is there and sound.

    A missing, unreadable or corrupt entry falls back to parsing the YAML; a cache directory
    that cannot be written (a read-only install, say) only means the next start parses again.
    """
    text = path.read_text(encoding="utf-8")
    directory = spec_cache_dir()
    if directory is None:
        return _parse_yaml(text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    entry = directory / f"{path.name}.{digest[:32]}.json"
    cached = _read_cache_entry(entry, digest)
    if cached is not None:
        return cached
    document = _parse_yaml(text)
    _write_cache_entry(entry, digest, document, stale=f"{path.name}.*.json")
    return document


def _parse_yaml(text: str) -> Any:
    import yaml  # only on a cache miss: the cache is what spares start-up this import and parse

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: several times faster
    return yaml.load(text, Loader=loader)


def _read_cache_entry(entry: Path, digest: str) -> Any:
    try:
        cached = orjson.loads(entry.read_bytes())
    except (OSError, ValueError):  # missing, unreadable or not JSON
        return None
    if not isinstance(cached, dict) or cached.get("format") != _CACHE_FORMAT or cached.get("sha256") != digest:
        return None
    return cached.get("document")


def _write_cache_entry(entry: Path, digest: str, document: Any, stale: str) -> None:
    """Store `document` atomically (a temporary file renamed into place) and drop the entries
    `stale` matches (older versions of the same YAML); any failure only leaves the cache as is."""
    payload = plain_json({"format": _CACHE_FORMAT, "sha256": digest, "document": document})
    if payload is None:
        return  # not plain JSON (a non-string key, a date): only the YAML can give it back
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(entry, payload)
        for old in entry.parent.glob(stale):
            if old != entry:
                old.unlink(missing_ok=True)
    except OSError:
        pass
