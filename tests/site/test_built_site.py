"""The real site as readers get it: the strict build's HTML carries the reader features the issue asks for.

One ``mkdocs build --strict`` per session (the ``built_site`` fixture); each test reads its HTML.
Glossary tooltips, content tabs, search, the light/dark toggle, the printable checklist, the
access-types table from ``rules/routes.yaml``, and nothing fetched from another origin for fonts.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from rulebook.rules import RuleSet

pytestmark = pytest.mark.slow


def _html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def _abbr(shown: str) -> re.Pattern[str]:
    return re.compile(r'<abbr title="[^"]+">' + re.escape(html.escape(shown, quote=False)) + "</abbr>")


def test_every_glossary_term_is_a_tooltip_somewhere(built_site: Path, rules: RuleSet) -> None:
    pages = [p.read_text(encoding="utf-8") for p in built_site.rglob("index.html")]
    for term in rules["glossary"].entries:
        shown = getattr(term, "abbreviation", "") or term.label
        assert any(_abbr(shown).search(page) for page in pages), f"glossary term {term.id!r} ({shown}) never shows as a tooltip"


def test_tooltips_reach_hand_written_pages(built_site: Path) -> None:
    for page in ("", "how-it-works", "taxes", "withholding-and-rollovers", "questions"):
        assert "<abbr title=" in _html(built_site, page), page or "home"


def test_access_types_table_is_rendered_from_the_routes_table(built_site: Path, rules: RuleSet) -> None:
    page = _html(built_site, "types-of-access")
    for header in ("Type of access", "What it usually means", "Main caution"):
        assert f">{header}</th>" in page
    for route in rules["routes"].entries:
        assert f'href="../reference/routes/#{route.id}"' in page, route.id


def test_compared_page_uses_content_tabs_one_per_tool(built_site: Path, rules: RuleSet) -> None:
    page = _html(built_site, "compared")
    assert 'class="tabbed-set' in page
    labels = re.findall(r'<label for="__tabbed_1_\d+">(.*?)</label>', page)
    assert len(labels) == len(rules["comparisons"].entries)


def test_search_toggle_and_instant_navigation_are_on(built_site: Path) -> None:
    home = _html(built_site, "")
    assert (built_site / "search" / "search_index.json").is_file()
    assert 'data-md-component="search"' in home
    assert 'data-md-component="palette"' in home and 'data-md-color-scheme="slate"' in home
    assert '"navigation.instant"' in home and '"content.tooltips"' in home
    assert '<meta name="viewport" content="width=device-width,initial-scale=1">' in home


def test_checklist_page_has_a_print_style(built_site: Path) -> None:
    page = _html(built_site, "questions")
    assert 'class="rb-checklist"' in page
    css = (built_site / "assets" / "rulebook" / "site.css").read_text(encoding="utf-8")
    assert "@media print" in css and ".rb-checklist" in css
    assert "assets/rulebook/site.css" in page


def test_no_web_fonts_or_external_scripts(built_site: Path) -> None:
    for path in built_site.rglob("index.html"):
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
        assert not re.search(r'<script[^>]+src="https?://', text), path


def test_reference_pages_show_fact_placeholders_as_variables(built_site: Path) -> None:
    """A calculation-time fact reads as a named variable, never as its meaning spliced into the sentence."""
    page = _html(built_site, "reference/permissions")
    assert '<var title="the requested route&#x27;s name">route.label</var>' in page or \
        "<var title=\"the requested route's name\">route.label</var>" in page
    assert "The the requested" not in page
    assert 'href="../../rule-of-55/"' in page  # the in-service check's explanation page, as a link
