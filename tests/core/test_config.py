"""MockConfig: defaults, deep merge of partial documents, refusals that apply nothing, config files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from mockserver.core.config import GLOBAL_KNOBS, ConfigError, MockConfig, load_config_file

# A made-up vendor: the core must not depend on any real one.
ACME_KNOBS: dict[str, Any] = {
    "keys": None,
    "job_seconds": 30,
    "catalogue": [{"id": "c1", "label": "One"}],
    "strict": False,
    "region": "eu",
}


@pytest.fixture
def config() -> MockConfig:
    return MockConfig({"acme": ACME_KNOBS})


def test_defaults_hold_global_and_vendor_knobs(config: MockConfig):
    values = config.as_dict()
    assert values["seed"] == 0
    assert values["max_body_bytes"] == 1048576
    assert {key: values[key] for key in GLOBAL_KNOBS} == GLOBAL_KNOBS
    assert values["acme"] == ACME_KNOBS
    assert config.knob("acme", "job_seconds") == 30
    assert config["max_body_bytes"] == 1048576


def test_partial_vendor_patch_keeps_the_other_knobs(config: MockConfig):
    config.merge({"acme": {"job_seconds": 5}})
    config.merge({"acme": {"strict": True}})
    assert config.as_dict()["acme"] == {**ACME_KNOBS, "job_seconds": 5, "strict": True}
    assert config["seed"] == 0


def test_global_and_vendor_knobs_merge_in_one_document(config: MockConfig):
    config.merge({"seed": 42, "acme": {"region": "us", "catalogue": [{"id": "c9", "label": "Nine"}]}})
    assert config["seed"] == 42
    assert config.knob("acme", "region") == "us"
    assert config.knob("acme", "catalogue") == [{"id": "c9", "label": "Nine"}]  # lists replace, not append
    assert config.knob("acme", "job_seconds") == 30


def test_floats_are_accepted_for_numeric_knobs(config: MockConfig):
    config.merge({"acme": {"job_seconds": 0.5}})
    assert config.knob("acme", "job_seconds") == 0.5


def test_knob_with_null_default_takes_a_value_and_back(config: MockConfig):
    config.merge({"acme": {"keys": ["k1"]}})
    assert config.knob("acme", "keys") == ["k1"]
    config.merge({"acme": {"keys": None}})
    assert config.knob("acme", "keys") is None


@pytest.mark.parametrize(
    "patch",
    [
        pytest.param({"nope": 1}, id="unknown-global"),
        pytest.param({"acme": {"nope": 1}}, id="unknown-vendor-knob"),
        pytest.param({"talkdesk": {"job_seconds": 1}}, id="vendor-not-served"),
        pytest.param({"seed": "7"}, id="string-for-int"),
        pytest.param({"seed": True}, id="bool-for-int"),
        pytest.param({"seed": None}, id="null-global"),
        pytest.param({"max_body_bytes": [1]}, id="list-for-int"),
        pytest.param({"acme": {"job_seconds": "30"}}, id="string-for-vendor-int"),
        pytest.param({"acme": {"job_seconds": False}}, id="bool-for-vendor-int"),
        pytest.param({"acme": {"strict": 1}}, id="int-for-bool"),
        pytest.param({"acme": {"region": 3}}, id="int-for-string"),
        pytest.param({"acme": {"catalogue": {"id": "c1"}}}, id="mapping-for-list"),
        pytest.param({"acme": 5}, id="vendor-not-a-mapping"),
    ],
)
def test_bad_patch_raises_config_error(config: MockConfig, patch: dict[str, Any]):
    before = config.as_dict()
    with pytest.raises(ConfigError):
        config.merge(patch)
    assert config.as_dict() == before


def test_a_bad_key_anywhere_applies_nothing_from_the_document(config: MockConfig):
    before = config.as_dict()
    with pytest.raises(ConfigError, match="acme.typo"):
        config.merge({"seed": 9, "acme": {"job_seconds": 1, "typo": True}})
    assert config.as_dict() == before
    with pytest.raises(ConfigError):
        config.merge({"acme": {"region": "us"}, "bogus": 1})
    assert config.as_dict() == before


def test_config_does_not_alias_callers_data(config: MockConfig):
    catalogue = [{"id": "c2", "label": "Two"}]
    config.merge({"acme": {"catalogue": catalogue}})
    catalogue.append({"id": "c3", "label": "Three"})
    snapshot = config.as_dict()
    snapshot["acme"]["catalogue"].clear()
    snapshot["seed"] = 99
    assert config.knob("acme", "catalogue") == [{"id": "c2", "label": "Two"}]
    assert config["seed"] == 0


def test_defaults_are_not_shared_between_configs():
    first = MockConfig({"acme": ACME_KNOBS})
    second = MockConfig({"acme": ACME_KNOBS})
    first.merge({"acme": {"job_seconds": 1}})
    assert second.knob("acme", "job_seconds") == 30
    assert ACME_KNOBS["job_seconds"] == 30


def test_as_json_round_trips(config: MockConfig):
    config.merge({"acme": {"region": "ap"}})
    assert json.loads(config.as_json()) == config.as_dict()


def test_load_config_file_reads_yaml(tmp_path: Path):
    path = tmp_path / "mock.yaml"
    path.write_text("seed: 3\nacme:\n  job_seconds: 12\n  catalogue:\n    - {id: c7, label: Seven}\n", encoding="utf-8")
    document = load_config_file(path)
    assert document == {"seed": 3, "acme": {"job_seconds": 12, "catalogue": [{"id": "c7", "label": "Seven"}]}}
    config = MockConfig({"acme": ACME_KNOBS})
    config.merge(document)
    assert config.knob("acme", "job_seconds") == 12


def test_load_config_file_reads_json(tmp_path: Path):
    path = tmp_path / "mock.json"
    document = {"max_body_bytes": 2048, "acme": {"strict": True, "keys": ["k"]}}
    path.write_text(json.dumps(document), encoding="utf-8")
    assert load_config_file(str(path)) == document


def test_empty_config_file_is_an_empty_document(tmp_path: Path):
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    assert load_config_file(path) == {}


@pytest.mark.parametrize("text", ["- 1\n- 2\n", "just a string\n", "[1, 2]"])
def test_config_file_that_is_not_a_mapping_is_refused(tmp_path: Path, text: str):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config_file(path)


def test_restore_gives_fresh_defaults_with_the_patch_on_them(config: MockConfig):
    config.merge({"seed": 7, "acme": {"job_seconds": 9}})
    config.restore({"seed": 3})
    assert config["seed"] == 3
    assert config.knob("acme", "job_seconds") == ACME_KNOBS["job_seconds"]
    config.knob("acme", "catalogue").append({"id": "c2", "label": "Two"})  # a vendor's own edit
    config.restore()
    assert config.knob("acme", "catalogue") == ACME_KNOBS["catalogue"]


def test_a_bad_patch_on_restore_changes_nothing(config: MockConfig):
    config.merge({"seed": 7})
    with pytest.raises(ConfigError):
        config.restore({"seed": 1, "acme": {"no_such_knob": 1}})
    assert config["seed"] == 7


def test_defaults_that_are_not_plain_json_are_still_copied(config: MockConfig):
    odd = MockConfig({"acme": {**ACME_KNOBS, "window": (1, 2)}})
    odd.restore()
    assert odd.knob("acme", "window") == (1, 2)
