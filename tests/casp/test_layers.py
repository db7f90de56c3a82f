"""The apps import one way (pyproject.toml [tool.importlinter]); `make lint` and CI run the same check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_import_layers_are_kept():
    result = _lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_layers_name_every_app_from_the_kernel_up():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = config["contracts"]
    assert contract["layers"] == [
        "analytics",
        "khidmat",
        "complaints | hoteleye | registrations",
        "alerts",
        "cro",
        "fir",
        "stations",
        "casp",
    ]


def test_make_lint_and_ci_run_the_layer_check():
    assert "lint-imports" in (ROOT / "Makefile").read_text().split("\nlint:")[1].split("\n\n")[0]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make lint" in ci and "make test" in ci
    assert ci.index("make lint") < ci.index("make test")
