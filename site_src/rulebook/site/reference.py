"""The generated explainer page of each rule table: one section and one anchor per entry.

The page shows what the schema declares for that table, field by field, so a new field or a new
table appears on the site without a template change. Texts are filled (``{param.x}`` becomes the
figure), references link to the entry they name, expressions are shown as code.
"""

from __future__ import annotations

import functools
import types
from typing import Any, Union, get_args, get_origin, get_type_hints

from ..rules import RuleSet, Table
from ..rules.fields import Expr, Ref, Template
from ..rules.schema import TABLES, Parameter, TaxYear
from .render import Renderer

__all__ = ["entry_rows", "table_context"]

_COMMON = ("id", "label", "summary", "details", "sources", "reviewed", "line")
_INTERNAL_TEXT = ("trace", "form_5329_trace", "election_ignored")  # trace wording: shown in results, not here
_CUSTOM = {"parameters": ("unit", "value", "values"), "tax_years": ("year", "rates", "bracket_tops", "standard_deduction")}


@functools.cache
def _markers(cls: type) -> dict[str, tuple[Any, tuple[Any, ...]]]:
    """Per field: its bare type and its ``Annotated`` markers (also inside ``X | None`` and ``list[X]``)."""
    out = {}
    for name, hint in get_type_hints(cls, include_extras=True).items():
        markers: tuple[Any, ...] = ()
        bare = hint
        origin = get_origin(bare)
        if origin in (Union, types.UnionType):
            bare = next(a for a in get_args(bare) if a is not type(None))
        if hasattr(bare, "__metadata__"):
            markers, bare = bare.__metadata__, get_args(bare)[0]
        if get_origin(bare) is list:
            inner = get_args(bare)[0]
            if hasattr(inner, "__metadata__"):
                markers = inner.__metadata__
        out[name] = (bare, markers)
    return out


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _value(render: Renderer, value: Any, markers: tuple[Any, ...], base: str) -> str:
    if value is None or value == "" or value == []:
        return ""
    ref = next((m for m in markers if isinstance(m, Ref)), None)
    if ref is not None:
        values = value if isinstance(value, list) else [value]
        return ", ".join(render.link(ref.table, v, base=base) for v in values)
    if any(isinstance(m, Expr) for m in markers):
        return f"`{value}`"
    if any(isinstance(m, Template) for m in markers):
        return render.text(str(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        if value and hasattr(value[0], "message"):
            return "<br>".join(f"`{c.test}`: {render.text(c.message)}" for c in value)
        return ", ".join(f"`{v}`" if isinstance(v, str) else str(v) for v in value)
    return str(value)


def entry_rows(render: Renderer, table: str, entry: Any, base: str = "../") -> list[tuple[str, str]]:
    """(field label, Markdown value) for the table-specific fields of one entry."""
    skip = _COMMON + _INTERNAL_TEXT + _CUSTOM.get(table, ())
    markers = _markers(type(entry))  # type: ignore[arg-type]  # dataclass types are hashable
    rows = []
    for field in render.fields(entry, skip):
        page = getattr(entry, field.name) if field.name == "page" else ""
        if page:
            rows.append(("Explained on", _site_page_link(str(page), base)))
            continue
        shown = _value(render, getattr(entry, field.name), markers[field.name][1], base)
        if shown:
            rows.append((_label(field.name), shown))
    if isinstance(entry, Parameter):
        rows.insert(0, ("Value", _parameter_value(render, entry)))
    return rows


def _site_page_link(page: str, base: str) -> str:
    """A site URL such as ``rule-of-55/#x`` as a link to its Markdown file, which the build checks."""
    path, _, anchor = page.partition("#")
    target = f"{base}{path.strip('/') or 'index'}.md" + (f"#{anchor}" if anchor else "")
    return f"[{path.strip('/').replace('-', ' ').capitalize() or 'Home'}]({target})"


def _parameter_value(render: Renderer, entry: Parameter) -> str:
    if entry.values is None:
        return render.param(entry.id)
    return "; ".join(f"{year}: {render.param(entry.id, year)}" for year in sorted(entry.values))


def _tax_year(render: Renderer, entry: TaxYear, statuses: Table) -> dict[str, Any]:
    from ..ground.wording import format_value

    rates = [format_value(r, "rate") for r in entry.rates]
    header = ["Filing status", "Standard deduction", *[f"{r} up to" for r in rates[:-1]]]
    rows = []
    for status in statuses.entries:
        tops = entry.bracket_tops.get(status.id, [])
        rows.append([status.label, format_value(entry.standard_deduction.get(status.id, 0), "usd"),
                     *[format_value(t, "usd") for t in tops]])
    return {"header": header, "rows": rows, "top_rate": rates[-1]}


def table_context(rules: RuleSet, render: Renderer, name: str) -> dict[str, Any]:
    """Everything the reference page template needs for one table."""
    table = rules[name]
    entries = []
    for entry in table.entries:
        item: dict[str, Any] = {
            "id": entry.id, "label": entry.label, "summary": render.text(entry.summary),
            "details": render.text(entry.details), "sources": entry.sources, "reviewed": entry.reviewed,
            "rows": entry_rows(render, name, entry), "tax_table": None,
        }
        if isinstance(entry, TaxYear):
            item["tax_table"] = _tax_year(render, entry, rules["filing_statuses"])
        entries.append(item)
    return {"name": name, "title": table.title, "intro": render.text(table.intro), "entries": entries,
            "schema": TABLES[name].__doc__ or ""}
