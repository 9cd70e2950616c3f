"""The standards the project holds its own code to: ruff on the package, tests and benchmarks, and
mypy --strict on the package (configured in pyproject.toml). In the suite, so that CI refuses a
change that slips either, instead of leaving it to whoever runs `make lint` next."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_is_clean() -> None:
    done = _run("ruff", "check", "site_src", "tests", "bench")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_is_clean() -> None:
    done = _run("mypy")
    assert done.returncode == 0, done.stdout + done.stderr
