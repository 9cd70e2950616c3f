"""Real Chromium for the calculator tests: one browser, one served copy of the site, one Pyodide boot.

The site is the session's ``built_site``; it is served from a hard-linked copy whose ``sitemap.xml``
names the port actually used, because Material's instant navigation only intercepts links listed in
the sitemap under the origin being served (with the configured ``site_url`` it would silently fall
back to full page loads and the instant-navigation test would prove nothing).

Chromium missing: the tests fail when ``CI`` is set (``.ci/run`` sets it), else skip with the reason.
"""

from __future__ import annotations

import functools
import gzip
import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import _QuietHandler
from tests.tools import CHROMIUM, chromium, missing

READY_TIMEOUT_MS = 90_000

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def served_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built site on 127.0.0.1 with a sitemap for the port it is served on; yields the base URL."""
    copy = tmp_path_factory.mktemp("served") / "site"
    shutil.copytree(built_site, copy, copy_function=os.link)
    handler = functools.partial(_QuietHandler, directory=str(copy))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    sitemap = copy / "sitemap.xml"
    text = re.sub(r"<loc>https?://[^/<]+/", f"<loc>{base}", sitemap.read_text(encoding="utf-8"))
    sitemap.unlink()  # a hard link: never write through it into the shared build
    sitemap.write_text(text, encoding="utf-8")
    (copy / "sitemap.xml.gz").unlink(missing_ok=True)
    (copy / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode()))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Module scope on purpose: Playwright's sync API allows one instance at a time, and other
    test modules (the axe audit) start their own after this one has closed."""
    if not Path(CHROMIUM).exists():
        missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/run does)")
    with chromium() as launched:
        yield launched


@dataclass
class Tab:
    """The session's calculator tab and every request its context made."""

    page: Any
    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def calculator(self, query: str = "") -> None:
        self.page.goto(f"{self.base}calculator/{query}")
        self.page.wait_for_function("window.rulebook && window.rulebook.ready", timeout=READY_TIMEOUT_MS)
        self.page.evaluate("window.rulebook.ready")


@pytest.fixture(scope="module")
def tab(browser: Any, served_site: str) -> Iterator[Tab]:
    """One context and page for the session: Python boots once and the tests reuse it."""
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(30_000)
    page = context.new_page()
    tab = Tab(page, served_site)
    context.on("request", lambda request: tab.requests.append(request.url))
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.calculator()
    try:
        yield tab
    finally:
        context.close()


SHOWN = """(sel) => Array.from(document.querySelectorAll(sel)).filter((n) => !n.closest('template') && n.offsetParent !== null)
    .map((n) => n.textContent.trim())"""
"""The text of every element a selector finds that a reader can see (templates and hidden parts left out)."""


def answer_shows(tab: Tab, field: str, text: str) -> None:
    """Wait until the answer shows ``text`` for the result path ``field`` and is not marked out of date."""
    selector = f'#rb-calc-result [data-field="{field}"]'
    try:
        tab.page.wait_for_function(f"(t) => ({SHOWN})({selector!r}).includes(t) && document.getElementById('rb-stale').hidden",
                                   arg=text, timeout=15_000)
    except Exception:
        assert tab.page.evaluate(SHOWN, selector) == [text]
        raise
