"""The files under examples/ stay in step with the code they document."""

from __future__ import annotations

import re
from pathlib import Path

from mockserver import create_app
from mockserver.cli import build_parser
from mockserver.core.config import load_config_file
from mockserver.inprocess import client_for

ROOT = Path(__file__).resolve().parents[1]


def test_example_config_loads_and_takes_effect() -> None:
    config = load_config_file(ROOT / "examples" / "config.yaml")
    app = create_app(config)
    with client_for(app) as client:
        served = client.get("/_mock/config").json()
    assert served["seed"] == 42
    assert served["qonversion"]["delivery_delay_seconds"] == 120


def test_dockerfile_entrypoint_is_a_valid_serve_command() -> None:
    text = (ROOT / "Dockerfile").read_text()
    entry = re.search(r"^ENTRYPOINT (\[.*\])$", text, re.MULTILINE)
    assert entry is not None
    words = [word.strip(' "') for word in entry.group(1).strip("[]").split(",")]
    assert words[0] == "mockserver"
    args = build_parser().parse_args(words[1:])
    assert (args.command, args.host, args.port) == ("serve", "0.0.0.0", 8765)
    assert args.unsafe_open_control  # a container must open its control plane deliberately
    for folder in ("mockserver", "schemas", "fixtures", "conformance"):
        assert f"COPY {folder} ./{folder}" in text
