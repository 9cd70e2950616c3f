/* Keyboard access to wide tables (WCAG 2.1.1, axe scrollable-region-focusable), and a visible cue on wide tables and code.
 *
 * Material lets a table wider than the text column scroll sideways inside it. A scrolling box
 * with nothing focusable in it cannot be scrolled from the keyboard, so each table that actually
 * overflows becomes a tab stop (tabindex=0, keeping its table semantics); tables that fit stay
 * out of the tab order. Re-checked on every page Material swaps in and on every resize.
 *
 * Code blocks that overflow get the same data-rb-scroll mark (site.css draws the edge shadow that
 * says "more this way"); Material itself makes them focusable, so their tabindex is left alone.
 *
 * Widths are read only inside the ResizeObserver callback, which runs after the browser's own
 * layout (and once for every table when it is first observed): reading scrollWidth straight from
 * the page script forced a synchronous layout of the whole page, a 230 ms long task in
 * Lighthouse's mobile run.
 */
(function () {
  "use strict";
  var observer = typeof ResizeObserver === "function" ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { mark(entry.target); });
  }) : null;

  function mark(box) {
    var overflows = box.scrollWidth > box.clientWidth + 1;
    var isTable = box.tagName === "TABLE";
    if (overflows && !box.hasAttribute("data-rb-scroll")) {
      box.setAttribute("data-rb-scroll", "");
      if (isTable) { box.setAttribute("tabindex", "0"); }
    } else if (!overflows && box.hasAttribute("data-rb-scroll")) {
      box.removeAttribute("data-rb-scroll");
      if (isTable) { box.removeAttribute("tabindex"); }
    }
  }

  function scan() {
    document.querySelectorAll(".md-typeset table:not([class]), .md-typeset pre > code").forEach(function (box) {
      if (observer) { observer.observe(box); } else { mark(box); }
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(scan);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scan);
  } else {
    scan();
  }
})();
