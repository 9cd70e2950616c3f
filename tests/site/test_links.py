"""Every link in the built site leads somewhere real, and every source is one well-formed https URL.

Readers follow links from prose, from reference tables and from each calculator trace line; a
broken one is a dead end exactly where someone wanted the reason. The crawl reads the built files
(no server): each same-site ``href``/``src`` must name a file, and each ``#fragment`` an ``id`` (or
``<a name>``) in it. External links are not fetched (no network in tests), but nothing the page
loads by itself may come from another origin.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from rulebook.engine import evaluate, prepare
from rulebook.rules import RuleSet
from rulebook.rules.loader import table_page
from rulebook.rules.schema import Source
from rulebook.rules.vectors import load_vectors

from .sitecrawl import SiteIndex, is_https_url, read_site

ROOT = Path(__file__).resolve().parents[2]


# --- the checker itself, on a handmade site, so a pass below means something -----------------

@pytest.fixture()
def tiny_site(tmp_path: Path) -> SiteIndex:
    files = {
        "index.html": '<a href="guide/">g</a><a href="guide/#top">t</a><a href="guide/#gone">x</a>'
                      '<a href="missing/">m</a><a href="https://example.org/x">e</a><a href="#here">h</a><p id="here"></p>'
                      '<script src="https://cdn.example.org/a.js"></script><link rel="canonical" href="https://example.org/">',
        "guide/index.html": '<h1 id="top">Guide</h1><a name="old"></a><a href="../index.html#here">back</a>'
                            '<a href="../guide#old">dir without slash</a><img src="../img/a%20b.png" alt="">',
        "img/a b.png": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return read_site(tmp_path)


def test_checker_finds_missing_files_and_anchors(tiny_site: SiteIndex) -> None:
    found = {link.url: tiny_site.problem(link.page, link.url) for page in tiny_site.pages.values() for link in page.links}
    assert found["guide/"] is None
    assert found["guide/#top"] is None
    assert found["guide/#gone"] == "no anchor #gone in guide/index.html"
    assert found["missing/"] == "no file missing/index.html"
    assert found["#here"] is None
    assert found["../index.html#here"] is None
    assert found["../guide#old"] is None  # a directory URL without its slash, and an <a name> anchor
    assert found["../img/a%20b.png"] is None  # percent-encoded path
    assert found["https://example.org/x"] is None  # external: not fetched


def test_checker_sees_resources_from_other_origins(tiny_site: SiteIndex) -> None:
    assert [str(link) for link in _foreign_fetches(tiny_site)] == ["index.html:1: <script src='https://cdn.example.org/a.js'>"]


@pytest.mark.parametrize(("url", "ok"), [
    ("https://www.irs.gov/publications/p575", True),
    ("https://www.law.cornell.edu/uscode/text/26/72#t_2_A_v", True),
    ("http://www.irs.gov/publications/p575", False),
    ("https://www.irs.gov/a https://www.irs.gov/b", False),
    ("https://www.irs.gov/ahttps://www.irs.gov/b", False),
    (" https://www.irs.gov/", False),
    ("https://irs/", False),
    ("https:///path", False),
    ("www.irs.gov/publications", False),
    ("https://user@www.irs.gov/", False),
])
def test_https_url_check(url: str, ok: bool) -> None:
    assert is_https_url(url) is ok


# --- the real rules and the real built site --------------------------------------------------

def _sources(value: Any, where: str) -> list[tuple[str, Source]]:
    """Every Source inside a loaded entry, however deep, with a readable location."""
    if isinstance(value, Source):
        return [(where, value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in _sources(getattr(value, f.name), f"{where}.{f.name}")]
    if isinstance(value, (list, tuple)):
        return [s for i, v in enumerate(value) for s in _sources(v, f"{where}[{i}]")]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _sources(v, f"{where}.{k}")]
    return []


def test_every_source_is_one_wellformed_https_url(rules: RuleSet) -> None:
    found = [(f"{table.file}:{entry.line}: {where}", source) for table in rules.tables.values() for entry in table.entries
             for where, source in _sources(entry, entry.id)]
    assert len(found) > 50, "the walk should see the sources of every table"
    bad = [f"{where}: {source.url!r}" for where, source in found if not is_https_url(source.url)]
    assert not bad, "sources that are not one well-formed https URL:\n" + "\n".join(bad)


@pytest.fixture(scope="module")
def site(built_site: Path) -> SiteIndex:
    return read_site(built_site)


def _foreign_fetches(site: SiteIndex) -> list[Any]:
    return [link for page in site.pages.values() for link in page.links
            if link.fetched and site.resolve(link.page, link.url)[0] is None and not link.url.startswith("data:")]


def test_site_has_pages(site: SiteIndex) -> None:
    for page in ("index.html", "calculator/index.html", "404.html"):
        assert page in site.pages


def test_every_internal_link_and_anchor_resolves(site: SiteIndex) -> None:
    checked = 0
    broken = []
    for page in site.pages.values():
        for link in page.links:
            problem = site.problem(link.page, link.url)
            checked += site.resolve(link.page, link.url)[0] is not None
            if problem:
                broken.append(f"{link}: {problem}")
    assert checked > 100, f"only {checked} internal links were checked; the crawl is not seeing the site"
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken)


def test_nothing_is_loaded_from_another_origin(site: SiteIndex) -> None:
    foreign = _foreign_fetches(site)
    assert not foreign, "pages load these from another origin:\n" + "\n".join(map(str, foreign))


def test_every_entry_has_its_anchor_on_its_table_page(site: SiteIndex, rules: RuleSet) -> None:
    missing = []
    for name, table in rules.tables.items():
        for entry in table.entries:
            problem = site.problem("", f"{table_page(name)}#{entry.id}")
            if problem:
                missing.append(f"{table.file}:{entry.line}: {name}.{entry.id}: {problem}")
    assert not missing, "\n".join(missing)


def test_every_trace_line_of_every_vector_links_to_a_real_page_and_anchor(site: SiteIndex, rules_json: dict[str, Any]) -> None:
    vectors, problems = load_vectors(ROOT / "rules" / "vectors")
    assert not problems and vectors, problems
    prepared = prepare(rules_json)
    pages: dict[str, str] = {}
    for vector in vectors:
        for line in evaluate(vector.input, prepared).get("trace", []):
            pages.setdefault(line["page"], f"{vector.file}:{vector.line}: {vector.name}: trace rule {line.get('rule')}")
    assert len(pages) > 20
    broken = [f"{where}: {page!r}: {problem}" for page, where in sorted(pages.items()) if (problem := site.problem("", page))]
    assert not broken, "\n".join(broken)
