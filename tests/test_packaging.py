"""The wheel a user installs carries the schemas and fixtures and works outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import mockserver

ROOT = Path(__file__).resolve().parents[1]


def test_public_api_is_exactly_create_app() -> None:
    assert mockserver.__all__ == ["create_app"]
    assert callable(mockserver.create_app)


def test_wheel_ships_data_and_serves_from_it(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "mockserver/_data/schemas/qonversion.openapi.yaml" in names
    assert "mockserver/_data/fixtures/qonversion/create-active-daily-report.json" in names
    assert "conformance/examples.py" in names
    assert any(name.endswith("entry_points.txt") for name in names)

    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed", str(wheel)],
        check=True,
        capture_output=True,
    )
    probe = (
        "import mockserver, conformance.examples as e; "
        "from mockserver.core.resources import data_dir; "
        "print(mockserver.__file__); print(data_dir('schemas')); print(len(e.load_cases('qonversion')))"
    )
    result = subprocess.run([python, "-c", probe], cwd=tmp_path, check=True, capture_output=True, text=True)
    module_file, schemas, cases = result.stdout.split()
    assert str(env_dir) in module_file and str(env_dir) in schemas
    assert int(cases) >= 10
