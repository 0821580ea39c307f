"""The mock's configuration: global knobs plus one table of knobs per vendor.

Defaults come from the vendors; a config file and `PUT /_mock/config` deep-merge partial
documents on top. Unknown keys and values of the wrong type are refused, so a typo in a
config file fails loudly instead of being ignored.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
from jsonschema import Draft202012Validator

from mockserver.core.storage import plain_json

GLOBAL_KNOBS: dict[str, Any] = {
    "seed": 0,
    "max_body_bytes": 1048576,
    "outbox_max_entries": 10000,
    "journal_max_entries": 1000,
}


_COUNT = {"type": "integer", "minimum": 1}
GLOBAL_KNOB_SCHEMAS: dict[str, Any] = {
    "seed": {"type": "integer", "minimum": 0},
    "max_body_bytes": _COUNT,
    "outbox_max_entries": _COUNT,
    "journal_max_entries": _COUNT,
}


class ConfigError(ValueError):
    """A config document that names an unknown knob or gives a value of the wrong type."""


def load_config_file(path: str | Path) -> dict[str, Any]:
    """Read a YAML (or JSON) config file into a mapping."""
    import yaml  # only a --config file needs it: imported here, start-up stays short

    document = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: the config must be a mapping")
    return document


def _same_kind(default: Any, value: Any) -> bool:
    if default is None or value is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, int | float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))


class MockConfig:
    """The live configuration; vendors read it on every use, so changes apply at once."""

    def __init__(
        self,
        vendor_knobs: Mapping[str, Mapping[str, Any]],
        knob_schemas: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        """`vendor_knobs` gives defaults per vendor; `knob_schemas` a JSON Schema per knob."""
        self._defaults: dict[str, Any] = {**copy.deepcopy(GLOBAL_KNOBS), **copy.deepcopy(dict(vendor_knobs))}
        self._values: dict[str, Any] = copy.deepcopy(self._defaults)
        self._defaults_json = plain_json(self._defaults)
        self._schemas = {vendor: dict(schemas) for vendor, schemas in (knob_schemas or {}).items()}
        self._validators = self._compile(self._schemas)

    @staticmethod
    def _compile(
        schemas: Mapping[str, Mapping[str, Any]],
    ) -> dict[tuple[str | None, str], Draft202012Validator]:
        validators: dict[tuple[str | None, str], Draft202012Validator] = {
            (vendor, name): Draft202012Validator(schema)
            for vendor, knobs in schemas.items()
            for name, schema in knobs.items()
        }
        validators.update({(None, name): Draft202012Validator(s) for name, s in GLOBAL_KNOB_SCHEMAS.items()})
        return validators

    def __getstate__(self) -> dict[str, Any]:
        """Saved state holds data only; validators are compiled again on load."""
        return {key: value for key, value in self.__dict__.items() if key not in {"_validators", "_defaults_json"}}

    def restore(self, patch: Mapping[str, Any] | None = None) -> None:
        """Back to the defaults, with `patch` deep-merged on them (all checked before any applies)."""
        self._values = self._patched(self._fresh_defaults(), patch or {})

    def _fresh_defaults(self) -> dict[str, Any]:
        """A private copy of the defaults: parsed from their JSON text when they are plain JSON
        (several times faster than `deepcopy`: a test's restart pays it every time)."""
        if self._defaults_json is None:
            return copy.deepcopy(self._defaults)
        values: dict[str, Any] = orjson.loads(self._defaults_json)
        return values

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def knob(self, vendor: str, name: str) -> Any:
        return self._values[vendor][name]

    def as_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self._values)

    def as_json(self) -> str:
        return json.dumps(self._values)

    def __setstate__(self, saved: dict[str, Any]) -> None:
        self.__dict__.update(saved)
        self._validators = self._compile(self._schemas)
        self._defaults_json = plain_json(self._defaults)

    def merge(self, patch: Mapping[str, Any]) -> None:
        """Deep-merge a partial document; all of it is checked before any of it applies."""
        self._values = self._patched(copy.deepcopy(self._values), patch)

    def _patched(self, values: dict[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
        """`values` (a private copy) with `patch` deep-merged in; raises before `self` changes."""
        for key, value in patch.items():
            values[key] = self._merged_value(key, values.get(key), value)
        return values

    def _merged_value(self, key: str, current: Any, value: Any) -> Any:
        if key not in self._defaults:
            raise ConfigError(f"unknown config key: {key}")
        default = self._defaults[key]
        if key in GLOBAL_KNOBS:
            self._check(None, key, default, value)
            return value
        if not isinstance(value, Mapping):
            raise ConfigError(f"{key} must be a mapping of knobs")
        vendor_values = dict(current)
        for name, knob_value in value.items():
            if name not in default:
                raise ConfigError(f"unknown config key: {key}.{name}")
            if isinstance(knob_value, Mapping) and isinstance(vendor_values[name], Mapping):
                knob_value = {**vendor_values[name], **knob_value}  # a table knob (step durations) merges too
            self._check(key, name, default[name], knob_value)
            vendor_values[name] = copy.deepcopy(knob_value)
        return vendor_values

    def _check(self, vendor: str | None, name: str, default: Any, value: Any) -> None:
        label = f"{vendor}.{name}" if vendor else name
        validator = self._validators.get((vendor, name))
        if validator is None:
            if not _same_kind(default, value):
                raise ConfigError(f"{label} must be a {type(default).__name__}")
            return
        error = next(iter(validator.iter_errors(value)), None)
        if error is not None:
            where = "".join(f"[{part!r}]" for part in error.absolute_path)
            raise ConfigError(f"{label}{where}: {error.message}")
