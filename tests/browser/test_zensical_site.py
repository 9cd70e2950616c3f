"""The site built by Zensical, in real Chromium: pages, reference links, search and the calculator.

Zensical (Material's successor) builds the tree ``rulebook generate`` writes, with the
configuration ``--zensical-config`` derives from ``mkdocs.yml``, as ``make zensical-build`` does.
The module builds it once, with ``--strict``, into a temporary folder for a port chosen first, so
that ``site_url`` (the sitemap, canonical links) names the origin actually served, as
``make zensical-serve`` does.

Only public behaviour of the calculator page is used (``window.rulebook``, ``data-field`` result
elements, controls named after scenario fields such as ``request.amount``), so a rewrite of the
page's scripts does not break this module.
"""

from __future__ import annotations

import functools
import html
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from rulebook.engine import evaluate
from rulebook.ground.wording import format_value
from tests.conftest import ROOT, _QuietHandler, example
from tests.tools import missing

DEFAULT_SCENARIO = example()

ZENSICAL = Path(sys.executable).parent / "zensical"
READY_TIMEOUT_MS = 90_000
CONTENT_PAGES = ("types-of-access/", "taxes/", "how-it-works/")


@dataclass(frozen=True)
class ZensicalSite:
    work: Path  # the Zensical project: mkdocs.yml, docs/ (generated), site/ (built)
    base: str  # where it is served, ending in '/'; also its site_url

    @property
    def site(self) -> Path:
        return self.work / "site"


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ZensicalSite]:
    if not ZENSICAL.exists():
        missing(f"Zensical is not installed at {ZENSICAL} (make setup installs the project's zensical extra)")
    work = tmp_path_factory.mktemp("zensical")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(work / "site")))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    config = work / "mkdocs.yml"
    for command in ([sys.executable, "-m", "rulebook", "generate", str(work / "docs"), "--project", str(ROOT),
                     "--zensical-config", str(config), "--site-url", base],
                    [str(ZENSICAL), "build", "--strict", "--config-file", str(config)]):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            server.server_close()
            pytest.fail(f"{' '.join(command[:3])} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}", pytrace=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ZensicalSite(work, base)
    finally:
        server.shutdown()
        server.server_close()


def _page_path(markdown: str) -> str:
    """Where a generated Markdown page is served: ``reference/routes.md`` → ``reference/routes/``."""
    stem = markdown.removesuffix(".md")
    return "" if stem == "index" else stem.removesuffix("/index") + "/"


def test_every_generated_page_is_built_and_in_the_search_index(zensical_site: ZensicalSite) -> None:
    pages = sorted(p.relative_to(zensical_site.work / "docs").as_posix() for p in (zensical_site.work / "docs").rglob("*.md"))
    assert len(pages) > 20
    missing_pages = [p for p in pages if not (zensical_site.site / _page_path(p) / "index.html").is_file()]
    assert not missing_pages
    index = json.loads((zensical_site.site / "search.json").read_text(encoding="utf-8"))
    indexed = {item["location"].split("#")[0] for item in index["items"]}
    assert {_page_path(p) for p in pages} <= indexed


@dataclass
class Tab:
    page: Any
    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open_calculator(self) -> None:
        self.page.goto(f"{self.base}calculator/")
        self.page.wait_for_function("window.rulebook && window.rulebook.ready", timeout=READY_TIMEOUT_MS)
        self.page.evaluate("window.rulebook.ready")

    def boots(self) -> int:
        return sum(url.endswith("pyodide.asm.wasm") for url in self.requests)


@pytest.fixture(scope="module")
def tab(browser: Any, zensical_site: ZensicalSite) -> Iterator[Tab]:
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(30_000)
    page = context.new_page()
    tab = Tab(page, zensical_site.base)
    context.on("request", lambda request: tab.requests.append(request.url))
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    try:
        yield tab
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_content_page_renders_and_its_reference_links_land_on_their_entries(tab: Tab, zensical_site: ZensicalSite,
                                                                            path: str) -> None:
    page = tab.page
    page.goto(zensical_site.base + path)
    source = (zensical_site.work / "docs" / (path.rstrip("/") + ".md")).read_text(encoding="utf-8")
    title = page.evaluate("""() => { const h1 = document.querySelector('article h1').cloneNode(true);
        h1.querySelectorAll('.headerlink').forEach((permalink) => permalink.remove()); return h1.textContent.trim(); }""")
    assert title == source.splitlines()[0].removeprefix("# ").strip()
    links = page.eval_on_selector_all("article a[href*='reference/']", "(links) => links.map((a) => a.href)")
    assert links, f"{path}: no link into the reference pages"
    for url in sorted(set(links)):
        assert url.startswith(zensical_site.base), url
        target, _, anchor = url.partition("#")
        response = page.request.get(target)
        assert response.ok, url
        if anchor:
            assert f'id="{anchor}"' in response.text(), f"{path}: {url} has no element with id {anchor}"
    page.locator("article a[href*='reference/'][href*='#']").first.click()
    page.wait_for_url(re.compile(r".*/reference/.*#.+"))
    # Instant navigation changes the URL before it swaps the new page in: wait for the entry itself.
    page.wait_for_function("document.getElementById(decodeURIComponent(location.hash.slice(1))) !== null", timeout=10_000)


@pytest.mark.browser
def test_search_finds_a_term_and_opens_the_page_that_has_it(tab: Tab, zensical_site: ZensicalSite) -> None:
    page = tab.page
    page.goto(zensical_site.base)
    page.click(".md-search__button")  # Zensical's search button opens its own dialog (not Material's form)
    query = page.get_by_role("combobox", name="Search")
    query.fill("rollover")
    page.get_by_role("status").filter(has_text=re.compile(r"[1-9]\d* results?")).wait_for()
    first = page.get_by_role("option").first
    href = first.get_attribute("href") or ""
    assert href.startswith(zensical_site.base), href  # search links carry site_url: it must match the origin
    assert any(f"{zensical_site.base}search.json" == url for url in tab.requests)
    target = href.split("?")[0].split("#")[0]
    title = html.unescape(re.search(r"<title>(.*?)</title>", page.request.get(target).text(), flags=re.S).group(1))
    query.press("Enter")
    page.wait_for_url(target + "**")
    page.wait_for_function("(title) => document.title === title", arg=title)  # the new page is swapped in
    assert "rollover" in page.text_content("article").lower()


def _same_json(expected: Any, actual: Any) -> bool:
    """Equal as JSON values: 1.0 and 1 alike (the browser has one number type), True never equal to 1."""
    def normal(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: normal(item) for key, item in value.items()}
        if isinstance(value, list):
            return [normal(item) for item in value]
        return int(value) if isinstance(value, float) and value.is_integer() else value
    return json.dumps(normal(expected), sort_keys=True) == json.dumps(normal(actual), sort_keys=True)


def _with_amount(amount: float) -> dict[str, Any]:
    scenario = json.loads(json.dumps(DEFAULT_SCENARIO))
    scenario["request"]["amount"] = amount
    return scenario


def _shown_figures(result: dict[str, Any]) -> dict[str, str]:
    return {name: format_value(result[name], "usd") for name in ("gross", "total_tax", "cash_after_tax")}


_FIGURES_SHOWN = """(want) => Object.entries(want).every(([name, text]) => {
    const node = document.querySelector(`[data-field="${name}"]`); return node !== null && node.textContent === text; })"""


def _type_amount_until_shown(tab: Tab, amount: str, expected: dict[str, str]) -> None:
    """Type the amount and wait for the figures; typed again if the page swapped its form in meanwhile."""
    for _ in range(5):
        tab.page.fill('[name="request.amount"]', amount)
        try:
            tab.page.wait_for_function(_FIGURES_SHOWN, arg=expected, timeout=3_000)
            return
        except Exception:  # the form was replaced under the typing, or is still computing: type again
            continue
    shown = {name: tab.page.text_content(f'[data-field="{name}"]') for name in expected}
    assert shown == expected


@pytest.mark.browser
def test_calculator_boots_and_gives_the_cpython_result(tab: Tab, rules_json: dict[str, Any]) -> None:
    tab.open_calculator()
    assert tab.page.evaluate("typeof window.rulebook.evaluate") == "function"
    got = json.loads(tab.page.evaluate("async (s) => JSON.stringify(await window.rulebook.evaluate(s))", DEFAULT_SCENARIO))
    expected = evaluate(json.loads(json.dumps(DEFAULT_SCENARIO)), rules_json)
    assert "errors" not in expected
    assert _same_json(expected, got)


@pytest.mark.browser
def test_typing_a_new_amount_updates_the_result(tab: Tab, rules_json: dict[str, Any]) -> None:
    tab.open_calculator()
    expected = _shown_figures(evaluate(_with_amount(4321), rules_json))
    assert expected != _shown_figures(evaluate(_with_amount(DEFAULT_SCENARIO["request"]["amount"]), rules_json))
    _type_amount_until_shown(tab, "4321", expected)


@pytest.mark.browser
def test_instant_navigation_away_and_back_keeps_one_python(tab: Tab, rules_json: dict[str, Any]) -> None:
    page = tab.page
    tab.open_calculator()
    boots = tab.boots()
    page.evaluate("window.__sameTab = 'yes'")
    page.locator('.md-nav--primary a[href$="taxes/"]').first.click()
    page.wait_for_url("**/taxes/")
    assert page.evaluate("window.__sameTab") == "yes", "Zensical fell back to a full page load"
    page.locator('.md-nav--primary a[href$="calculator/"]').first.click()
    page.wait_for_url("**/calculator/")
    page.wait_for_selector('[name="request.amount"]')
    assert page.evaluate("window.__sameTab") == "yes"
    page.evaluate("window.rulebook.ready")
    _type_amount_until_shown(tab, "2468", _shown_figures(evaluate(_with_amount(2468), rules_json)))
    assert tab.boots() == boots, "Pyodide was downloaded and started again in the same tab"


@pytest.mark.browser
def test_nothing_came_from_another_origin_and_no_script_failed(tab: Tab) -> None:
    assert tab.requests, "no requests recorded"
    assert [url for url in tab.requests if not url.startswith((tab.base, "data:", "blob:"))] == []
    assert tab.errors == []
