"""axe-core finds no violation on any page of the built site, in the light and in the dark scheme.

Each page is loaded once and audited in both schemes (see ``axe.audit``): every rule in the scheme
it opens in, the colour rules again after Material's toggle.

Readers include people on phones and people using screen readers; axe-core (npm, pinned) is what
browser auditors (Lighthouse among them) run, so it judges the pages rather than our opinion. The
pages are served over HTTP and opened in Debian's Chromium; the dark pass switches scheme with
Material's own toggle. In CI (``CI`` set) a missing browser or axe-core fails the test, never skips.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..tools import CHROMIUM, chromium, missing
from .axe import AXE_JS, audit
from .sitecrawl import read_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        missing(f"{CHROMIUM} not found: apt-get install chromium (.ci/run does)")
    if not AXE_JS.exists():
        missing("node_modules/axe-core is missing: run `npm ci` (make test does)")
    with chromium() as launched:
        yield launched


# A stand-in for a Material page: a palette toggle that swaps the body's scheme attribute, a
# structural fault visible in any scheme and a contrast fault visible only in the dark one.
_FAULTY_PAGE = """<!DOCTYPE html><html lang="en"><head><title>t</title><style>
[data-md-color-scheme=slate] p { color: #333; background: #222 }</style></head>
<body data-md-color-scheme="default"><main><h1>t</h1><input type="text"><img src="x.png"><p>Dim text</p>
<form data-md-component="palette"><label onclick="document.body.setAttribute('data-md-color-scheme',
document.body.getAttribute('data-md-color-scheme') === 'slate' ? 'default' : 'slate')">Toggle</label>
</form></main></body></html>"""


def test_axe_reports_known_violations_in_each_scheme(browser: Any, tmp_path: Path) -> None:
    """Faults planted in either scheme must be found, or a clean audit means nothing."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    (tmp_path / "index.html").write_text(_FAULTY_PAGE, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        found = {(v.scheme, v.rule) for v in audit(browser, f"http://127.0.0.1:{server.server_address[1]}/", ["index.html"])}
    finally:
        server.shutdown()
        server.server_close()
    assert {("light", "label"), ("light", "image-alt"), ("dark", "color-contrast")} <= found
    assert ("light", "color-contrast") not in found


def test_no_axe_violations_on_any_page_light_or_dark(browser: Any, built_site: Path, site_server: str) -> None:
    pages = sorted(read_site(built_site).pages)
    assert "index.html" in pages and len(pages) > 5
    violations = audit(browser, site_server, pages)
    assert not violations, f"{len(violations)} axe violations:\n" + "\n".join(map(str, violations))


_TABLES = """() => [...document.querySelectorAll('.md-typeset table:not([class])')].map(
  t => ({overflows: t.scrollWidth > t.clientWidth + 1, focusable: t.getAttribute('tabindex') === '0'}))"""


def test_wide_tables_become_tab_stops_only_while_they_overflow(browser: Any, site_server: str) -> None:
    """On a phone a wide table scrolls sideways; it must then be reachable by keyboard (a11y.js)."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(site_server + "types-of-access/", wait_until="load")
        page.wait_for_function(f"({_TABLES})().every(t => t.overflows === t.focusable)")
        tables = page.evaluate(_TABLES)
        assert any(t["overflows"] for t in tables), "no table overflows at 360 px: the test proves nothing"
        page.set_viewport_size({"width": 1900, "height": 1000})
        page.wait_for_function(f"({_TABLES})().every(t => t.overflows === t.focusable)")
        assert sum(t["focusable"] for t in page.evaluate(_TABLES)) < sum(t["focusable"] for t in tables)
    finally:
        context.close()
