/* html-validate configuration for the built site (tests/site/test_html_valid.py).
 *
 * "html-validate:standard" checks conformance to the HTML standard only (content models, allowed
 * attributes and values, nesting, duplicate ids), not code style: the pages are machine-written by
 * MkDocs and Material, so whitespace and quoting style say nothing about what a reader gets.
 */
module.exports = {
  root: true,
  extends: ["html-validate:standard"],
  rules: {
    // Material writes autocomplete="off" on the hidden checkboxes that hold the drawer and search
    // state (base.html, outside any block a theme override can replace) so that Firefox does not
    // restore them open after back navigation. The standard does not list autocomplete for
    // checkboxes; browsers ignore it there except for that state restoration. Kept deliberately.
    "valid-autocomplete": "off",
  },
};
