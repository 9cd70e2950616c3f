"""Site search puts the pages written for readers first; the editor's guide still answers editors' words.

Material's search (lunr, in a worker) multiplies every score of a page by its front matter
``search: boost:``. Reader pages keep 1; the generated reference pages (``macros/reference.md.j2``,
the table index), the sources page and the editor's guide carry small boosts, so a word a reader
page explains ("hardship") lists that page before the tables behind it and the guide last, while a
word only the guide holds (``needs_hardship_reason``) still finds the guide. The query is typed
into the real search box of the built site in Chromium and the result list is read as shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..tools import CHROMIUM, chromium, missing

pytestmark = [pytest.mark.browser, pytest.mark.slow]

READER_TERMS = ("hardship", "rollover", "roth", "withholding", "rule of 55", "vesting", "loan", "spouse", "medical",
                "emergency", "disability")
NOT_FOR_READERS = ("reference/", "sources/", "editors-guide/")

_RESULTS = """() => [...document.querySelectorAll('.md-search-result__list > .md-search-result__item a')]
  .map(a => new URL(a.href).pathname)"""


@pytest.fixture(scope="module")
def search(site_server: str) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        missing(f"{CHROMIUM} not found: apt-get install chromium (.ci/run does)")
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
        page = context.new_page()
        page.goto(site_server, wait_until="load")

        def results(term: str) -> list[str]:
            box = page.locator(".md-search__input")
            box.click()
            box.fill("")
            box.press_sequentially(term, delay=20)
            page.wait_for_function(f"({_RESULTS})().length > 0")
            shown: list[str] = []
            for _ in range(50):  # the list is re-rendered as the worker answers: read it once it holds still
                page.wait_for_timeout(100)
                now = page.evaluate(_RESULTS)
                if now == shown:
                    break
                shown = now
            pages = [path.removeprefix("/") or "index" for path in shown]
            return [p for i, p in enumerate(pages) if p not in pages[:i]]  # one line per page, in order

        try:
            yield results
        finally:
            context.close()


def _for_readers(path: str) -> bool:
    return not path.startswith(NOT_FOR_READERS)


@pytest.mark.parametrize("term", READER_TERMS)
def test_reader_pages_come_first_and_the_guide_last(search: Any, term: str) -> None:
    shown = search(term)
    assert _for_readers(shown[0]), f"{term!r}: first result {shown[0]} is not a reader page: {shown[:6]}"
    if "editors-guide/" in shown:
        below = shown[shown.index("editors-guide/") + 1:]
        assert set(below) <= {"sources/"}, f"{term!r}: the editor's guide ranks above {below}"


def test_the_issue_case_hardship_lists_its_explainers_first(search: Any) -> None:
    """Issue 11: "a site search for 'hardship' lists the editor's guide first"."""
    shown = search("hardship")
    assert shown[0] in ("compared/", "types-of-access/"), shown
    assert "editors-guide/" not in shown[:8]


def test_editors_words_still_find_the_guide(search: Any) -> None:
    assert search("needs_hardship_reason")[0] == "editors-guide/"


def test_the_boosts_are_in_the_index_material_ranks_with(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    boosts = {doc["location"].split("#")[0]: doc.get("boost", 1) for doc in index["docs"]}
    assert boosts["editors-guide/"] < boosts["sources/"] < boosts["reference/routes/"] < boosts["types-of-access/"] == 1
    assert all(boosts[p] < 1 for p in boosts if p.startswith("reference/"))
