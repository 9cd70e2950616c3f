"""The worker's Python half in CPython: the engine answers through `call`, and the full-archive fallback finds what trimming left out."""

from __future__ import annotations

import importlib.util
import json
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from rulebook.engine import evaluate
from rulebook.site.pyodide_runtime import engine_zip

WORKER_PY = Path(__file__).resolve().parents[2] / "site_src" / "rulebook" / "site" / "assets" / "calculator_worker.py"


@pytest.fixture()
def worker(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("calculator_worker_under_test", WORKER_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))  # start() appends its finder and a path: undo both
    monkeypatch.setattr(sys, "path", list(sys.path))
    return module


def test_call_answers_what_the_engine_answers(worker: ModuleType, rules_json: dict[str, Any], tmp_path: Path) -> None:
    import io

    with zipfile.ZipFile(io.BytesIO(engine_zip())) as archive:  # what the browser unpacks
        archive.extractall(tmp_path / "engine")
    text = json.dumps({"version": "v9", **rules_json})
    assert worker.start(text, str(tmp_path / "engine")) == "v9"
    scenario = {"tax_year": 2026, "person": {"age": 52}}
    assert json.loads(worker.call("evaluate", json.dumps(scenario))) == json.loads(json.dumps(evaluate(scenario, rules_json)))
    assert worker.version() == "v9"
    assert "no calculator entry point 'nothing'" in worker.call("nothing", "{}")  # an error value, as api.call gives


def test_fallback_finder_fetches_the_full_archive_once_and_only_for_stdlib_names(worker: ModuleType, tmp_path: Path) -> None:
    archive = tmp_path / "full.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("colorsys.py", "ANSWER = 42\n")
        out.writestr("email/__init__.py", "")
        out.writestr("email/charset.py", "NAME = 'charset'\n")
    fetched: list[str] = []

    def fetch() -> str:
        fetched.append("full")
        return str(archive)

    finder = worker.FullStdlibFinder(fetch)
    assert finder.find_spec("not_a_stdlib_module") is None and fetched == []  # a third-party name: never fetches
    spec = finder.find_spec("colorsys")
    assert spec is not None and spec.origin is not None and spec.origin.startswith(str(archive))
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    assert module.ANSWER == 42
    sub = finder.find_spec("email.charset")  # a submodule of a package the trimmed archive may hold in part
    assert sub is not None and sub.origin is not None and sub.origin.endswith("email/charset.py")
    assert fetched == ["full"] and finder.used == ["colorsys", "email.charset"]
