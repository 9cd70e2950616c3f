"""Run axe-core (from node_modules) in Debian's Chromium on pages of a served site, light and dark.

Shared by the accessibility test and anyone auditing a site by hand::

    python -m tests.site.axe http://127.0.0.1:8000/ index.html calculator/index.html

Both colour schemes are real Material states, reached with Material's own palette toggle. Each page
is loaded once: axe runs every rule in the scheme the page opened in, then the toggle is clicked
and axe runs the colour rules again in the other scheme. Only colours differ between the schemes
(the toggle swaps a ``data-md-color-scheme`` attribute; the markup stays the same), and loading
every page twice, with axe injected twice, was half the cost of the whole test suite.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.tools import chromium

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Everything axe has for WCAG 2.x A/AA plus its best practices (landmarks, headings, region).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
# The rules whose verdict depends on colours: what the second scheme is checked against.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
AXE_COLOUR_OPTIONS = {"runOnly": {"type": "rule", "values": COLOUR_RULES}, "resultTypes": ["violations"]}
SCHEMES = {"light": "default", "dark": "slate"}
_SCHEME_NAMES = {value: name for name, value in SCHEMES.items()}


@dataclass(frozen=True)
class Violation:
    page: str
    scheme: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:4]) + (f" (+{len(self.targets) - 4} more)" if len(self.targets) > 4 else "")
        return f"{self.page} [{self.scheme}] {self.rule} ({self.impact}): {self.help} — {shown}"


def _scheme(page: Any) -> str:
    return str(page.evaluate("document.body.getAttribute('data-md-color-scheme')"))


def _set_scheme(page: Any, wanted: str) -> None:
    """Click Material's palette toggle until the body shows ``wanted`` (at most once per option)."""
    for _ in range(4):
        if _scheme(page) == wanted:
            return
        toggle = page.locator("form[data-md-component=palette] label:not([hidden])")
        if toggle.count() == 0:
            raise AssertionError(f"no palette toggle on {page.url}; cannot switch to {wanted}")
        # A dispatched click, not a pointer one: hovering the toggle opens Material's tooltip for
        # it, and axe would then judge the tooltip half-way through its fade-in.
        toggle.first.dispatch_event("click")
        page.wait_for_timeout(50)
    raise AssertionError(f"palette toggle never reached scheme {wanted!r} on {page.url}")


def _run(page: Any, path: str, options: dict[str, Any]) -> list[Violation]:
    scheme = _SCHEME_NAMES.get(_scheme(page), _scheme(page))
    result = page.evaluate("options => axe.run(document, options)", options)
    return [Violation(path, scheme, item["id"], item.get("impact") or "", item["help"],
                      tuple(" ".join(map(str, node["target"])) for node in item["nodes"]))
            for item in result["violations"]]


def audit(browser: Any, base_url: str, pages: Iterable[str]) -> list[Violation]:
    """axe violations of every page (site paths like ``reference/routes/index.html``), light and dark.

    Every rule runs in the scheme a page opens in and the colour rules in the other; the scheme
    each page opens in alternates (Material stores the last toggle), so both schemes get the full
    rule set on half of the pages, and a page that never reaches a scheme fails the audit.
    """
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        axe_source = AXE_JS.read_text(encoding="utf-8")
        found: list[Violation] = []
        for path in pages:
            page.goto(_url(base_url, path), wait_until="load")
            opened = _scheme(page)
            if opened not in _SCHEME_NAMES:
                raise AssertionError(f"{path} opened in unknown scheme {opened!r}")
            page.evaluate(axe_source)
            found += _run(page, path, AXE_OPTIONS)
            _set_scheme(page, next(s for s in _SCHEME_NAMES if s != opened))
            found += _run(page, path, AXE_COLOUR_OPTIONS)
        return found
    finally:
        context.close()


def _url(base_url: str, path: str) -> str:
    return base_url + (path[: -len("index.html")] if path.endswith("index.html") else path)


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m tests.site.axe BASE_URL [PAGE ...]   e.g. http://127.0.0.1:8000/ calculator/index.html")
        return 2
    base, *pages = argv
    with chromium() as browser:
        found = audit(browser, base, pages or ["index.html"])
    for violation in found:
        print(violation)
    print(json.dumps({"violations": len(found)}))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
