"""Offline after one visit, in real Chromium: the service worker, the calculator with the network cut, a new build.

The site is served exactly as built (no sitemap rewriting needed: nothing here navigates
instantly). Each test has its own browser context, so its own service worker and caches.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import _QuietHandler

from .conftest import READY_TIMEOUT_MS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = {"tax_year": 2026, "person": {"age": 52}, "plan": {"allows": ["hardship"]}, "balances": {"pretax_deferrals": 80000},
            "request": {"route": "hardship", "source": "pretax_deferrals", "amount": 5000, "hardship_reason": "medical"}}
CACHES = "async () => (await caches.keys()).filter((name) => name.startsWith('rulebook-site-')).sort()"
CACHED = """async (path) => { for (const name of await caches.keys()) {
  if (name.startsWith('rulebook-site-') && await (await caches.open(name)).match(new URL(path, location.origin + '/'))) return true; }
  return false; }"""


class Served:
    """A static server whose folder can be switched, as a host is when a new build is deployed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        outer = self

        class Handler(_QuietHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(outer.folder), **kwargs)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(service_workers="allow")
    context.set_default_timeout(30_000)
    try:
        yield context
    finally:
        context.close()


def _wait_ready(page: Any) -> None:
    page.wait_for_function("window.rulebook && window.rulebook.ready", timeout=READY_TIMEOUT_MS)
    page.evaluate("window.rulebook.ready")


def _wait_controlled(page: Any) -> None:
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=30_000)


def test_calculator_and_pages_work_with_the_network_cut_after_one_visit(context: Any, built_site: Path) -> None:
    served = Served(built_site)
    try:
        page = context.new_page()
        page.goto(served.base + "calculator/")
        _wait_ready(page)
        _wait_controlled(page)
        runtime = page.evaluate("document.querySelector('[data-runtime]').dataset.runtime")
        for path in (f"{runtime}pyodide.asm.wasm", "rules.json", "rulebook-engine.zip", "reference/routes/", "taxes/"):
            page.wait_for_function(CACHED, arg=path, timeout=30_000)
        page.wait_for_function("window.rulebook.snapshot", timeout=30_000)  # the first visit left a snapshot
        context.set_offline(True)
        page.goto(served.base + "calculator/")
        _wait_ready(page)
        assert page.evaluate("window.rulebook.timings.snapshot") is True
        result = page.evaluate("(s) => window.rulebook.evaluate(s)", SCENARIO)
        assert result["allowed"] is True and result["gross"] == 5000
        # Without the snapshot too: the worker then needs the engine, rules and its Python from the cache.
        page.evaluate("caches.delete('rulebook-snapshot')")
        page.reload()
        _wait_ready(page)
        assert page.evaluate("window.rulebook.timings.snapshot") is False
        assert page.evaluate("(s) => window.rulebook.evaluate(s)", SCENARIO)["gross"] == 5000
        page.goto(served.base + "reference/routes/")  # never visited: cached when the worker installed
        assert "Access routes" in page.title() or page.locator("h1").count() == 1
        assert page.locator("article").count() == 1
    finally:
        served.close()


def test_content_pages_download_no_pyodide_even_with_the_service_worker(context: Any, built_site: Path) -> None:
    served = Served(built_site)
    try:
        urls: list[str] = []
        context.on("request", lambda request: urls.append(request.url))
        page = context.new_page()
        page.goto(served.base + "taxes/")
        _wait_controlled(page)
        page.wait_for_function(CACHED, arg="calculator/", timeout=30_000)  # the install (every page) is done
        page.wait_for_timeout(500)
        assert not [u for u in urls if "/pyodide/" in u or u.endswith((".wasm", "rules.json", "rulebook-engine.zip"))]
    finally:
        served.close()


def _build(project: Path, out: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(project / "mkdocs.yml"),
                           "-d", str(out)], cwd=project, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    found = re.search(r'const VERSION = "([^"]+)"', (out / "sw.js").read_text(encoding="utf-8"))
    assert found is not None
    return found.group(1)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory, built_site: Path) -> tuple[Path, str, Path, str]:
    """The real project built twice, the second time with an edited home page (so a new version)."""
    project = tmp_path_factory.mktemp("twice") / "project"
    for folder in ("rules", "content", "macros"):
        shutil.copytree(ROOT / folder, project / folder)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "node_modules" / "pyodide", project / "node_modules" / "pyodide", copy_function=os.link)
    if (ROOT / "build" / "pyodide-cache").is_dir():  # the session's build made them: no need to run Node again
        shutil.copytree(ROOT / "build" / "pyodide-cache", project / "build" / "pyodide-cache", copy_function=os.link)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("custom_dir: site_src/", f"custom_dir: {ROOT}/site_src/"), encoding="utf-8")
    first = _build(project, project.parent / "site-1")
    home = project / "content" / "index.md"
    home.write_text(home.read_text(encoding="utf-8") + "\nSecond build marker.\n", encoding="utf-8")
    second = _build(project, project.parent / "site-2")
    return project.parent / "site-1", first, project.parent / "site-2", second


def test_a_new_build_replaces_the_old_cache(context: Any, two_builds: tuple[Path, str, Path, str]) -> None:
    first_site, first, second_site, second = two_builds
    assert first != second
    served = Served(first_site)
    try:
        page = context.new_page()
        page.goto(served.base)
        _wait_controlled(page)
        page.wait_for_function(f"async () => (await ({CACHES})()).join() === 'rulebook-site-{first}'", timeout=30_000)
        served.folder = second_site  # deploy the new build
        page.reload()
        page.wait_for_function(f"async () => (await ({CACHES})()).join() === 'rulebook-site-{second}'", timeout=30_000)
        context.set_offline(True)
        page.goto(served.base)
        assert "Second build marker." in page.content()
    finally:
        served.close()
