/* Keyboard access to wide tables (WCAG 2.1.1, axe scrollable-region-focusable).
 *
 * Material lets a table wider than the text column scroll sideways inside it. A scrolling box
 * with nothing focusable in it cannot be scrolled from the keyboard, so each table that actually
 * overflows becomes a tab stop (tabindex=0, keeping its table semantics); tables that fit stay
 * out of the tab order. Re-checked on every page Material swaps in and on every resize.
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

  function mark(table) {
    var overflows = table.scrollWidth > table.clientWidth + 1;
    if (overflows && !table.hasAttribute("data-rb-scroll")) {
      table.setAttribute("data-rb-scroll", "");
      table.setAttribute("tabindex", "0");
    } else if (!overflows && table.hasAttribute("data-rb-scroll")) {
      table.removeAttribute("data-rb-scroll");
      table.removeAttribute("tabindex");
    }
  }

  function scan() {
    document.querySelectorAll(".md-typeset table:not([class])").forEach(function (table) {
      if (observer) { observer.observe(table); } else { mark(table); }
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
