"""Shared fixtures: the real project folders, the loaded real rules, and editable copies."""

from __future__ import annotations

import copy
import functools
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from rulebook.rules import RuleSet, load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"


def example(calculator: str = "withdrawal") -> dict[str, Any]:
    """The example request a declared calculator's page is prerendered with (calculators.yaml)."""
    from rulebook.engine.api import ENTRY_POINTS
    from rulebook.site.calculators import load_calculators

    declared, problems = load_calculators(ROOT, set(ENTRY_POINTS))
    assert not problems, "\n".join(str(p) for p in problems)
    return copy.deepcopy(declared[calculator].example_request)


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    loaded, problems = load_rules(RULES_DIR)
    assert not problems, "\n".join(str(p) for p in problems)
    assert loaded is not None
    return loaded


@pytest.fixture(scope="session")
def rules_json(rules: RuleSet) -> dict[str, Any]:
    return rules.to_json()


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    """A private copy of rules/ a test may edit."""
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per test session with ``mkdocs build --strict`` (what ``make build`` runs).

    A separate process, so a plugin's state or logging never leaks into the tests; a failed build
    fails every test that needs the site, with MkDocs' own messages.
    """
    out = tmp_path_factory.mktemp("built") / "site"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(ROOT / "mkdocs.yml"),
                           "-d", str(out)], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{done.stdout}{done.stderr}", pytrace=False)
    return out


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site silently, with the module and wasm types Pyodide needs on any machine."""

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript", ".wasm": "application/wasm"}

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1 (a free port); yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
