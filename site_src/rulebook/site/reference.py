"""The generated explainer page of each rule table: one section and one anchor per entry.

The page shows what the schema declares for that table, field by field, so a new field or a new
table appears on the site without a template change. Each field is prepared two ways and the
template (``macros/reference.md.j2``, with the headings a reader sees in
``macros/reference-fields.md.j2``) picks one:

* ``reader``: what a person reads. Texts filled (``{param.x}`` becomes the figure), references as
  links that show the other entry's label (also for destinations, whose ids are a closed set, and
  for Form 1099-R codes named by their code), conditions as their sentences, true/false kept as a
  bool for the template to word. Expressions have no reader form: the words that say them are the
  entry's own label, summary, ``message`` or a condition's ``label``.
* ``machine``: the field as the editor wrote it in YAML, for the collapsed "as the calculator
  checks it" block, where ids and expressions belong.

Python decides only the form of a value, never its wording: headings, yes/no and the block's
title live in ``macros/``.
"""

from __future__ import annotations

import dataclasses
import functools
import types
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import yaml

from ..ground.expressions import PARAM_PREFIX
from ..rules import RuleSet, Table
from ..rules.fields import Expr, Ref, Template
from ..rules.schema import TABLES, Condition, LoanException, Parameter, TaxYear
from .render import Renderer

__all__ = ["Field", "entry_fields", "table_context"]

_COMMON = ("id", "label", "summary", "details", "sources", "reviewed", "line")
_INTERNAL_TEXT = ("trace", "form_5329_trace", "election_ignored")  # trace wording: shown in results, not here
_CUSTOM = {"parameters": ("value", "values"), "tax_years": ("year", "rates", "bracket_tops", "standard_deduction")}
# Lists of codes that name entries of the same table by their ``code`` (the loader checks they exist).
_CODE_LISTS = {("form_1099r_codes", "pairs_with"): "code"}


@dataclasses.dataclass(frozen=True)
class Field:
    """One field of an entry: its reader form (Markdown, a bool, a list of sentences, or None) and its YAML."""

    name: str
    kind: Literal["text", "bool", "choice", "sentences", "none"]
    reader: Any
    machine: str
    checked: bool = False  # an expression (or conditions) the calculator evaluates: always in the folded block


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


@functools.cache
def _closed_id_tables() -> dict[Any, str]:
    """Tables whose ids are a closed set (a ``Literal``), by that set: a field of that type names their entries."""
    found = {}
    for name, cls in TABLES.items():
        hint = get_type_hints(cls)["id"]
        if get_origin(hint) is Literal:
            found[hint] = name
    return found


def _referenced_table(bare: Any, markers: tuple[Any, ...]) -> str | None:
    ref = next((m for m in markers if isinstance(m, Ref)), None)
    if ref is not None:
        return ref.table
    inner = get_args(bare)[0] if get_origin(bare) is list else bare
    return _closed_id_tables().get(inner)


def _plain(value: Any) -> Any:
    """Loader values (located strings, Decimals, dataclasses) as plain data YAML can write."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, str):
        return str(value).strip()  # a folded block (`when: >`) ends in a newline YAML would have to quote
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value) if not f.metadata.get("internal")}
    raise TypeError(f"no YAML form for {type(value).__name__}")


class _Dumper(yaml.SafeDumper):
    """Writes lists of plain values on one line (``[cash, direct_rollover]``), as the rule files do."""


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flat = all(not isinstance(v, (dict, list)) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)


_Dumper.add_representer(list, _represent_list)


def _yaml(name: str, value: Any) -> str:
    text: str = yaml.dump({name: value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000,
                          default_flow_style=False)
    return text


def _conditions(render: Renderer, name: str, conditions: list[Condition]) -> Field:
    """Each condition's sentence for readers (its ``label``, else its message); id and test for the block."""
    sentences = [render.text(c.label or c.message) for c in conditions]
    machine = _yaml(name, [{"id": str(c.id), "test": str(c.test)} for c in conditions])
    return Field(name, "sentences", sentences, machine, checked=True)


def _loan_exceptions(render: Renderer, name: str, found: list[LoanException], base: str) -> Field:
    """Each exception a loan's distribution can claim: a link to it and the sentence the calculator writes."""
    sentences = [f"{render.link('exceptions', e.exception, base=base)}: {render.text(e.message)}" for e in found]
    return Field(name, "sentences", sentences, _yaml(name, [{"exception": e.exception, "test": str(e.test)} for e in found]),
                 checked=True)


def _field(render: Renderer, table: str, name: str, value: Any, bare: Any, markers: tuple[Any, ...], base: str) -> Field:
    if isinstance(value, list) and value and isinstance(value[0], Condition):
        return _conditions(render, name, value)
    if isinstance(value, list) and value and isinstance(value[0], LoanException):
        return _loan_exceptions(render, name, value, base)
    machine = _yaml(name, _plain(value))
    if any(isinstance(m, Expr) for m in markers):
        param = str(value)[len(PARAM_PREFIX):] if str(value).startswith(PARAM_PREFIX) else ""
        if param in render.params:  # the expression is one figure: readers get the figure
            return Field(name, "text", render.param(param), machine, checked=True)
        return Field(name, "none", None, machine, checked=True)
    target = _referenced_table(bare, markers)
    values = value if isinstance(value, list) else [value]
    if target is not None:
        return Field(name, "text", ", ".join(render.link(target, str(v), base=base) for v in values), machine)
    if (table, name) in _CODE_LISTS:
        by_code = {getattr(e, _CODE_LISTS[table, name]): e for e in render.rules[table].entries}
        links = [render.link(table, by_code[v].id, str(v), base=base) for v in values]
        return Field(name, "text", ", ".join(links), machine)
    if any(isinstance(m, Template) for m in markers):
        return Field(name, "text", render.text(str(value)), machine)
    if isinstance(value, bool):
        return Field(name, "bool", value, machine)
    if get_origin(bare) is Literal:
        return Field(name, "choice", str(value), machine)  # worded by the template, or shown only as YAML
    if isinstance(value, list):
        return Field(name, "none", None, machine)
    return Field(name, "text", str(value), machine)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def entry_fields(render: Renderer, table: str, entry: Any, pages: dict[str, str], base: str = "../") -> list[Field]:
    """The table-specific fields of one entry that hold a value, in schema order."""
    skip = _COMMON + _INTERNAL_TEXT + _CUSTOM.get(table, ())
    markers = _markers(type(entry))  # type: ignore[arg-type]  # dataclass types are hashable
    fields = []
    if isinstance(entry, Parameter):
        key, value = ("value", entry.value) if entry.values is None else ("values", entry.values)
        fields.append(Field("value", "text", _parameter_value(render, entry), _yaml(key, _plain(value)), checked=True))
    for spec in render.fields(entry, skip):
        value = getattr(entry, spec.name)
        if _empty(value):
            continue
        if spec.name == "page":
            fields.append(Field("page", "text", _site_page_link(str(value), pages, base), _yaml("page", str(value))))
            continue
        bare, found = markers[spec.name]
        fields.append(_field(render, table, spec.name, value, bare, found, base))
    return fields


def _site_page_link(page: str, pages: dict[str, str], base: str) -> str:
    """A site URL such as ``rule-of-55/#x`` as a link to its Markdown file (which the build checks), titled as the page is."""
    path, _, anchor = page.partition("#")
    source = f"{path.strip('/') or 'index'}.md"
    target = f"{base}{source}" + (f"#{anchor}" if anchor else "")
    if source not in pages:
        raise KeyError(f"page '{page}' is not a page of the site")
    return f"[{pages[source]}]({target})"


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


def table_context(rules: RuleSet, render: Renderer, name: str, pages: dict[str, str]) -> dict[str, Any]:
    """Everything the reference page template needs for one table.

    ``pages`` maps each hand-written page (``rule-of-55.md``) to its title, for links to them.
    """
    table = rules[name]
    entries = []
    for entry in table.entries:
        item: dict[str, Any] = {
            "id": entry.id, "label": entry.label, "summary": render.text(entry.summary),
            "details": render.text(entry.details), "sources": entry.sources, "reviewed": entry.reviewed,
            "fields": entry_fields(render, name, entry, pages), "id_yaml": _yaml("id", str(entry.id)), "tax_table": None,
        }
        if isinstance(entry, TaxYear):
            item["tax_table"] = _tax_year(render, entry, rules["filing_statuses"])
        entries.append(item)
    return {"name": name, "title": table.title, "intro": render.text(table.intro), "entries": entries,
            "schema": TABLES[name].__doc__ or ""}
