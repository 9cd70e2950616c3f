"""One declared calculator rendered into its page: form, prerendered result, the page script's data.

The generator calls :func:`calculator_block` where a content page writes ``{{ calculator("id") }}``.
The calculator's own templates (its declaration names them) draw the form and the result with the
shared macros of ``templates/rulebook/controls.html.j2``; this module gives them the rule tables,
the example request and the engine's real answer for it, computed here in CPython by the very entry
point the browser calls in Pyodide. So the page as served holds a correct result for the example
and reads well with JavaScript off; ``calculator/*.js`` then re-renders the same markup live.

Nothing in here knows a particular calculator: which fields, figures and lists a page has is
written in its templates, and every label comes from the rule tables.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ...engine import prepare
from ...engine.api import ENTRY_POINTS
from ...ground.wording import format_value
from ...rules import RuleSet
from ...rules.loader import table_page
from ..render import Renderer
from .chart import chart
from .conditions import dig, show_if, show_if_attr, when
from .declared import DECLARATION_FILE, TEMPLATES, Calculator
from .runtime import boot_attributes

__all__ = ["TEMPLATES_DIR", "calculator_block", "page_base"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
_SHOW_IF = re.compile(r'<(\w+)([^<>]*?) data-show-if="([^"]*)"')
_TABLE_ATTR = re.compile(r'data-(?:help-)?table="([a-z_]+)"')


def page_base(page: str) -> str:
    """The prefix from a content page's built HTML back to the site root (directory URLs)."""
    depth = page.count("/") + (0 if page.rsplit("/", 1)[-1] == "index.md" else 1)
    return "../" * depth


class _Blank:
    """The item a list's ``<template>`` is drawn with: every field empty, for the script to fill."""

    def __getattr__(self, name: str) -> _Blank:
        if name.startswith("__"):  # markupsafe asks for __html__; Jinja for other protocols
            raise AttributeError(name)
        return self

    def __getitem__(self, name: str) -> _Blank:
        return self

    def __str__(self) -> str:
        return ""

    def __bool__(self) -> bool:
        return False

    def __iter__(self) -> Any:
        return iter(())


BLANK = _Blank()


class _Helpers:
    """What calculator templates may call: the tables, their wording and links, figures and conditions."""

    def __init__(self, rules: RuleSet, base: str) -> None:
        self.rules, self.base = rules, base
        self.render = Renderer(rules)
        self.tables: dict[str, Any] = rules.to_json()["tables"]
        self.aliases: dict[str, dict[str, str]] = {}

    def entries(self, table: str) -> list[dict[str, Any]]:
        return list(self.tables[table]["entries"]) if table in self.tables else []

    def entry(self, table: str, entry_id: str) -> dict[str, Any]:
        found = next((e for e in self.entries(table) if e["id"] == entry_id), None)
        if found is None:
            raise KeyError(f"no entry '{entry_id}' in the {table} table")
        return found

    def choices(self, table: str, **where: Any) -> list[tuple[str, str]]:
        """A select's options for a table: each entry's id and label, in table order (optionally filtered)."""
        return [(str(e["id"]), str(e["label"])) for e in self.entries(table) if all(e.get(k) == v for k, v in where.items())]

    def label(self, table: str, entry_id: str) -> str:
        return str(self.entry(table, entry_id)["label"])

    def summary(self, table: str, entry_id: str) -> str:
        return " ".join(self.render.text(str(self.entry(table, entry_id).get("summary", ""))).split())

    def title(self, table: str) -> str:
        return str(self.tables[table]["title"])

    def href(self, table: str, entry_id: str = "") -> str:
        return f"{self.base}{table_page(table)}" + (f"#{entry_id}" if entry_id else "")

    def site(self, page: str) -> str:
        return f"{self.base}{page}"

    def fmt(self, value: Any, unit: str = "usd") -> str:
        if value is None or isinstance(value, _Blank) or value == "":
            return ""
        if unit == "usd_abs":  # a refund shown as the money that comes back
            return format_value(abs(value), "usd")
        return format_value(value, unit)

    def items(self, ids: Any, table: str, limit: int | None = None) -> list[dict[str, str]]:
        """Entries of ``table`` named by a result's list of ids, as the page script builds them."""
        known = [i for i in (ids or []) if i in {e["id"] for e in self.entries(table)}]
        return [{"id": i, "label": self.label(table, i), "summary": self.summary(table, i), "href": self.href(table, i)}
                for i in known[:limit]]

    def rule_label(self, page: str) -> str:
        """The label of the entry a trace line's page anchors on (the trace names pages, not tables)."""
        match = re.fullmatch(r"reference/([a-z0-9-]+)/#([a-z0-9_]+)", page)
        if match:
            table, entry_id = match.group(1).replace("-", "_"), match.group(2)
            found = next((e for e in self.entries(table) if e["id"] == entry_id), None)
            if found is not None:
                return str(found["label"])
        return ""

    def when(self, expression: str, data: Any) -> Markup:
        """``data-when`` with ``hidden`` already decided for the prerendered result."""
        shown = isinstance(data, _Blank) or when(expression, data)
        return Markup(f' data-when="{html.escape(expression)}"' + ("" if shown else " hidden"))

    def item_when(self, expression: str, item: Any) -> Markup:
        shown = isinstance(item, _Blank) or when(expression, item)
        return Markup(f' data-item-when="{html.escape(expression)}"' + ("" if shown else " hidden"))

    def alias(self, name: str, mapping: dict[str, list[str]]) -> Any:
        """Labels for ids that are no table's own (``to: roth_ira``), each taken from the entry that words it.

        Returns the label function for the template; the page script gets the same labels as ``name``.
        """
        labels = {key: self.label(table, entry_id) for key, (table, entry_id) in mapping.items()}
        self.aliases[name] = labels
        return lambda key: labels.get(str(key), "") if key else ""

    def show_if(self, condition: dict[str, list[str]]) -> Markup:
        """``data-show-if`` on a form part; whether it shows is decided once the whole form is drawn."""
        return Markup(f' data-show-if="{html.escape(show_if_attr(condition))}"')

    def _default(self, param_id: str) -> Any:
        return self.render.param_value(param_id) if param_id in self.render.params else 0

    def globals(self) -> dict[str, Any]:
        names = ("entries", "entry", "choices", "label", "summary", "title", "href", "site", "fmt", "items",
                 "rule_label", "when", "item_when", "show_if", "alias")
        return {**{n: getattr(self, n) for n in names}, "tables": self.tables, "param": self.render.param,
                "param_value": self.render.param_value, "text": self.render.text, "dig": dig, "blank": BLANK,
                "chart": lambda r, s: chart(r, s, int(self._default("default_years_to_retirement"))),
                "json": lambda v: json.dumps(v, sort_keys=True, separators=(",", ":"))}


def _environment(project: Path) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([jinja2.PrefixLoader({"rulebook": jinja2.FileSystemLoader(str(TEMPLATES_DIR / "rulebook"))}),
                                  jinja2.FileSystemLoader(str(project / TEMPLATES))])
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.do"])
    env.tests["contains"] = lambda seq, item: item in (seq or ())
    env.tests["several"] = lambda seq: len(seq or ()) >= 2
    env.filters["merge"] = lambda base, extra: {**base, **(extra or {})}
    return env


def calculator_block(rules: RuleSet, project: Path, calc: Calculator, page: str) -> str:
    """The whole calculator for the content page ``page`` (relative to ``content/``), as one HTML block."""
    from ..generator import BuildError  # late: the generator imports this package

    if page != calc.page:
        raise BuildError([f"{DECLARATION_FILE}:{calc.line}: calculator '{calc.id}' is declared for content/{calc.page}, "
                          f"but content/{page} calls it"])
    prepared = prepare(rules.to_json())
    request = calc.example_request
    result = ENTRY_POINTS[calc.entry](request, prepared)
    if "errors" in result:
        lines = [f"{TEMPLATES}/{calc.example}:1: the example is not a valid request for '{calc.entry}': {e['field']}: {e['message']}"
                 for e in result["errors"]]
        raise BuildError(lines)
    compared = ENTRY_POINTS[calc.compare](request, prepared) if calc.compare else None
    helpers = _Helpers(rules, page_base(page))
    env = _environment(project)
    env.globals.update(helpers.globals())
    context: dict[str, Any] = {"calc": calc, "s": request, "r": result, "c": compared, "base": helpers.base}
    # The shared macros, for the result template's blocks too (a block rendered alone skips the template's imports).
    context["ui"] = env.get_template("rulebook/controls.html.j2").make_module(context)
    form = _decide_shown(env.get_template(calc.form).render(context))
    # The result template's macros answer(), details() and peek() (and its answer_title): taken from
    # its module, so that what the template sets at its top is known inside each of them.
    module = env.get_template(calc.result).make_module(context)
    parts = {name: str(part() if callable(part) else part) for name in ("answer", "details", "peek", "answer_title")
             if (part := getattr(module, name, None)) is not None}
    if not parts:
        parts = {"details": str(module)}
    blocks = {name: Markup(parts[name].strip()) for name in parts if parts[name].strip()}
    shell = env.get_template("rulebook/calculator.html.j2").render(
        {**context, "form": Markup(form), "answer": "", "details": "", "peek": "", **blocks,
         "root": {"id": "rb-calc", "class": "rb-calc", "data-calculator": calc.id, "data-entry": calc.entry,
                  "data-compare": calc.compare, **boot_attributes(rules, project)}})
    labels = _labels(helpers, set(_TABLE_ATTR.findall(shell)))
    # A data attribute, not an inline JSON <script>: Material's instant navigation re-creates inline
    # scripts without their type and would run the JSON as JavaScript.
    shell = shell.replace('data-labels=""', f'data-labels="{html.escape(json.dumps(labels, sort_keys=True, separators=(",", ":")))}"', 1)
    # One block with no blank line: Markdown must pass it through as raw HTML, untouched.
    return "\n".join(line for line in shell.splitlines() if line.strip()) + "\n"


def _labels(helpers: _Helpers, with_summaries: set[str]) -> dict[str, Any]:
    """What the page script needs to write lists and help texts the way the templates do."""
    tables = helpers.tables
    return {
        "pages": {name: table_page(name) for name in tables},
        "titles": {name: str(t["title"]) for name, t in tables.items()},
        "labels": {**{name: {str(e["id"]): str(e["label"]) for e in t["entries"]} for name, t in tables.items()},
                   **helpers.aliases},
        "summaries": {name: {str(e["id"]): helpers.summary(name, str(e["id"])) for e in tables[name]["entries"]}
                      for name in sorted(with_summaries) if name in tables},
    }


class _FormParts(HTMLParser):
    """A drawn form's conditional parts and controls, read the way ``form.js`` reads the live form.

    ``parts`` are the elements with ``data-show-if`` in document order (each with its condition and
    the parts it sits inside); ``controls`` each name, values as drawn and the parts around them.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[dict[str, list[str]], tuple[int, ...]]] = []
        self.controls: list[tuple[str, list[str], tuple[int, ...]]] = []
        self._open: list[tuple[str, int | None]] = []  # (tag, part index or None) of open elements
        self._select: tuple[str, tuple[int, ...]] | None = None
        self._options: list[tuple[str, bool, tuple[int, ...]]] = []

    def _around(self) -> tuple[int, ...]:
        return tuple(index for _, index in self._open if index is not None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        index = None
        if "data-show-if" in a:
            index = len(self.parts)
            self.parts.append((json.loads(a["data-show-if"]), self._around()))
        name = a.get("name", "")
        if tag == "input" and name:
            around = (*self._around(), *([index] if index is not None else []))
            if a.get("type") == "checkbox":
                value = ("true" if "checked" in a else "false") if a.get("data-kind") == "flag" else a.get("value", "")
                self.controls.append((name, [value] if "checked" in a or a.get("data-kind") == "flag" else [], around))
            else:
                self.controls.append((name, [a.get("value", "")], around))
        elif tag == "select" and name:
            self._select, self._options = (name, self._around()), []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a, (*self._around(), *([index] if index is not None else []))))
        if tag != "input":
            self._open.append((tag, index))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            name, around = self._select
            chosen = next((o for o in self._options if o[1]), self._options[0] if self._options else None)
            if chosen is not None:
                self.controls.append((name, [chosen[0]], around + tuple(i for i in chosen[2] if i not in around)))
            self._select = None
        for at in range(len(self._open) - 1, -1, -1):
            if self._open[at][0] == tag:
                del self._open[at:]
                break


def _decide_shown(form: str) -> str:
    """Add ``hidden`` to every form part whose ``data-show-if`` does not hold for the values drawn.

    As in ``form.js``: a control inside a hidden part holds nothing, so the decision is repeated
    until it no longer changes.
    """
    reader = _FormParts()
    reader.feed(form)
    hidden: set[int] = set()
    for _ in range(len(reader.parts) + 1):
        values: dict[str, list[str]] = {}
        for name, held, around in reader.controls:
            values.setdefault(name, []).extend([] if hidden.intersection(around) else held)
        now = {i for i, (condition, around) in enumerate(reader.parts)
               if hidden.intersection(around) or not show_if(condition, values)}
        if now == hidden:
            break
        hidden = now
    counter = iter(range(len(reader.parts)))

    def decide(match: re.Match[str]) -> str:
        tag, attrs, condition = match.group(1), match.group(2), match.group(3)
        extra = (" hidden disabled" if tag == "option" else " hidden") if next(counter) in hidden else ""
        return f'<{tag}{attrs} data-show-if="{condition}"{extra}'

    return _SHOW_IF.sub(decide, form)
