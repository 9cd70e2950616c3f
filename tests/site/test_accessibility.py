"""axe-core finds no violation on any page of the built site, in the light and in the dark scheme.

Readers include people on phones and people using screen readers; axe-core (npm, pinned) is what
browser auditors (Lighthouse among them) run, so it judges the pages rather than our opinion. The
pages are served over HTTP and opened in Debian's Chromium; the dark pass switches scheme with
Material's own toggle. In CI (``CI`` set) a missing browser or axe-core fails the test, never skips.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .axe import AXE_JS, CHROMIUM, SCHEMES, audit, chromium
from .sitecrawl import read_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _missing(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        _missing(f"{CHROMIUM} not found: apt-get install chromium (.ci/run does)")
    if not AXE_JS.exists():
        _missing("node_modules/axe-core is missing: run `npm ci` (make test does)")
    with chromium() as launched:
        yield launched


def test_axe_reports_a_known_violation(browser: Any, tmp_path: Path) -> None:
    """A page with an unlabeled input and an image without alt text must fail, or a pass means nothing."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    (tmp_path / "index.html").write_text('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
                                         '<main><h1>t</h1><input type="text"><img src="x.png"></main>'
                                         '<form data-md-component="palette"></form></body></html>')
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        found = {v["id"] for v in page.evaluate("() => axe.run().then(r => r.violations)")}
        context.close()
    finally:
        server.shutdown()
        server.server_close()
    assert {"label", "image-alt"} <= found


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_no_axe_violations_on_any_page(browser: Any, built_site: Path, site_server: str, scheme: str) -> None:
    pages = sorted(read_site(built_site).pages)
    assert "index.html" in pages and len(pages) > 5
    violations = audit(browser, site_server, pages, scheme)
    assert not violations, f"{len(violations)} axe violations ({scheme}):\n" + "\n".join(map(str, violations))
