"""Run axe-core (from node_modules) in Debian's Chromium on pages of a served site, light and dark.

Shared by the accessibility test and anyone auditing a site by hand::

    python -m tests.site.axe http://127.0.0.1:8000/ index.html calculator/index.html

Both colour schemes are real Material states: the dark pass clicks Material's own palette toggle
once (the choice is stored in ``localStorage`` and applies to every later page), and each page is
checked to be in the scheme the pass expects before axe runs.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Everything axe has for WCAG 2.x A/AA plus its best practices (landmarks, headings, region).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
               "resultTypes": ["violations"]}
SCHEMES = {"light": "default", "dark": "slate"}


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


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium under Playwright, with the flags the project uses everywhere."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _set_scheme(page: Any, wanted: str) -> None:
    """Click Material's palette toggle until the body shows ``wanted`` (at most once per option)."""
    for _ in range(4):
        current = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        if current == wanted:
            return
        toggle = page.locator("form[data-md-component=palette] label:not([hidden])")
        if toggle.count() == 0:
            raise AssertionError(f"no palette toggle on {page.url}; cannot switch to {wanted}")
        toggle.first.click()
        page.wait_for_timeout(50)
    raise AssertionError(f"palette toggle never reached scheme {wanted!r} on {page.url}")


def audit(browser: Any, base_url: str, pages: Iterable[str], scheme: str) -> list[Violation]:
    """axe violations of every page (site paths like ``reference/routes/index.html``) in one scheme."""
    wanted = SCHEMES[scheme]
    context = browser.new_context(color_scheme="dark" if scheme == "dark" else "light", service_workers="block")
    try:
        page = context.new_page()
        found: list[Violation] = []
        axe_source = AXE_JS.read_text(encoding="utf-8")
        first = True
        for path in pages:
            url = base_url + (path[: -len("index.html")] if path.endswith("index.html") else path)
            page.goto(url, wait_until="load")
            if first:
                _set_scheme(page, wanted)  # stored by Material; later pages open in it
                first = False
            shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            if shown != wanted:
                raise AssertionError(f"{path} opened in scheme {shown!r}, expected {wanted!r}")
            page.evaluate(axe_source)
            result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
            for item in result["violations"]:
                targets = tuple(" ".join(map(str, node["target"])) for node in item["nodes"])
                found.append(Violation(path, scheme, item["id"], item.get("impact") or "", item["help"], targets))
        return found
    finally:
        context.close()


def main(argv: list[str]) -> int:
    base, *pages = argv
    with chromium() as browser:
        found = [v for scheme in SCHEMES for v in audit(browser, base, pages or ["index.html"], scheme)]
    for violation in found:
        print(violation)
    print(json.dumps({"violations": len(found)}))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
