"""On a 390 px phone nothing is wider than the screen unless it scrolls in a box that shows it and takes focus.

Every page of the built site is opened at 390 × 800 in Chromium with every folded block open. A
table or code block wider than its column must scroll inside its own box, marked by ``a11y.js``
(``data-rb-scroll``: the edge shadow of ``site.css``) and reachable by keyboard (``tabindex=0``);
Material's content tabs must show their own next/previous control. Anything else sticking out of
the viewport, or a page that scrolls sideways, fails. The comparison tables (``stacked_table`` in
``macros/kb.md.j2``) must not scroll at all at this width: they become one card per row.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..tools import CHROMIUM, chromium, missing
from .sitecrawl import read_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 800}

# Everything in the page's content and header that reaches past the viewport, with the box that
# scrolls it and whether that box is a visible, focusable scroller; and the sideways scroll of the page.
_PROBE = """() => {
  const vw = document.documentElement.clientWidth;
  const found = {page: document.documentElement.scrollWidth - vw, loose: [], boxes: []};
  const scroller = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a).overflowX;
      if (s === 'auto' || s === 'scroll') return a;
    }
    return null;
  };
  const boxes = new Set();
  for (const el of document.querySelectorAll('.md-header *, .md-content *')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || (r.right <= vw + 1 && r.left >= -1)) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;  // the closed search, say
    const box = scroller(el);
    if (box === null) { found.loose.push(`${el.tagName.toLowerCase()}.${el.className} at ${Math.round(r.left)}..${Math.round(r.right)}`); }
    else { boxes.add(box); }
  }
  for (const box of boxes) {
    const r = box.getBoundingClientRect();
    const tabs = box.matches('.tabbed-labels');
    const controls = tabs ? [...box.parentElement.querySelectorAll('.tabbed-control')] : [];
    const control = controls.some(c => !c.hidden && c.getBoundingClientRect().width > 0);
    found.boxes.push({
      what: `${box.tagName.toLowerCase()}${box.className ? '.' + box.className : ''}: ${(box.textContent || '').trim().slice(0, 40)}`,
      inside: r.left >= -1 && r.right <= vw + 1,
      cue: tabs ? control : box.hasAttribute('data-rb-scroll') && getComputedStyle(box).backgroundImage.includes('gradient'),
      focusable: tabs || box.getAttribute('tabindex') === '0',
    });
  }
  found.stacked = [...document.querySelectorAll('.rb-stack table')].map(t => t.scrollWidth - t.clientWidth);
  return found;
}"""

# a11y.js has looked at every table and code block once their layout is known (ResizeObserver).
_SETTLED = """() => [...document.querySelectorAll('.md-typeset table:not([class]), .md-typeset pre > code')]
  .every(b => (b.scrollWidth > b.clientWidth + 1) === b.hasAttribute('data-rb-scroll'))"""


@pytest.fixture(scope="module")
def phone(built_site: Path) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        missing(f"{CHROMIUM} not found: apt-get install chromium (.ci/run does)")
    with chromium() as browser:
        context = browser.new_context(viewport=PHONE, service_workers="block")
        try:
            yield context.new_page()
        finally:
            context.close()


def _probe(page: Any, url: str) -> dict[str, Any]:
    page.goto(url, wait_until="load")
    page.evaluate("document.querySelectorAll('.md-content details').forEach(d => { d.open = true; })")
    page.wait_for_function(_SETTLED)
    result: dict[str, Any] = page.evaluate(_PROBE)
    return result


def test_nothing_is_wider_than_a_phone_unless_it_scrolls_visibly(phone: Any, built_site: Path, site_server: str) -> None:
    problems, scrolled = [], 0
    for path in sorted(read_site(built_site).pages):
        if path == "404.html":
            continue
        found = _probe(phone, site_server + path.removesuffix("index.html"))
        if found["page"] > 1:
            problems.append(f"{path}: the page scrolls sideways by {found['page']} px")
        problems += [f"{path}: {loose} sticks out of the screen, in no scroll box" for loose in found["loose"]]
        for box in found["boxes"]:
            scrolled += 1
            if not (box["inside"] and box["cue"] and box["focusable"]):
                problems.append(f"{path}: {box}")
        problems += [f"{path}: a stacked table still scrolls by {extra} px" for extra in found["stacked"] if extra > 1]
    assert not problems, "\n".join(problems)
    assert scrolled >= 10, "no wide table or code block at 390 px: the test would prove nothing"


def test_comparisons_are_cards_on_a_phone_and_a_table_on_a_desktop(phone: Any, site_server: str) -> None:
    """The same markup (one table made from the table data) reads as cards at 390 px, a grid at 1280 px."""
    page = phone
    for width, layout in ((390, "block"), (1280, "table")):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(site_server + "compared/", wait_until="load")
        table = page.locator(".rb-stack table").first
        display = table.evaluate("t => getComputedStyle(t).display")
        assert display == layout or (layout == "table" and display == "inline-block"), (width, display)
        label = table.locator("td").first.evaluate("td => getComputedStyle(td, '::before').content")
        if width == 390:
            assert label == '"While employed"'
            assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
            assert table.locator("thead").evaluate("h => getComputedStyle(h).display") == "none"
        else:
            assert label in ("none", "normal")
    page.set_viewport_size(PHONE)
