"""Reference tables for the editor's guide, generated from the schemas the loader validates against.

The guide's field tables are not written by hand: every row comes from a dataclass field in
:mod:`rulebook.rules.schema` (its type as :func:`~rulebook.rules.validate.describe_type` names it
in error messages, whether it is required, its default, and the ``doc``/``example`` metadata), the
facts table from :data:`rulebook.ground.expressions.FACTS`, and the units from the schema's closed set.
Add a field to a schema and the guide lists it on the next build; the guide cannot drift from the
loader. Pure functions returning Markdown; the generator exposes :func:`schema_reference` to
content pages as a Jinja global.
"""

from __future__ import annotations

import dataclasses
import html
import re
from typing import Any, get_type_hints

from ..ground.expressions import FACTS, PARAM_PREFIX
from ..rules.schema import TABLES, UNITS, Entry, Source, TableFile
from ..rules.validate import describe_type

__all__ = ["PARTS", "expression_reference", "facts_reference", "fields_table", "schema_reference",
           "table_reference", "units_reference"]

_UNIT_MEANING = {
    "usd": "US dollars, a number ≥ 0 with at most two decimals (5000, 1234.5)",
    "rate": "a fraction from 0 to 1: 20% is written 0.2",
    "age": "years of age from 0 to 120; 59.5 means 59½",
    "years": "a whole number of years ≥ 0",
    "days": "a whole number of days ≥ 0",
    "count": "a whole number ≥ 0",
}


def _code(text: str) -> str:
    """Code as HTML that may wrap only after ``_ . / ( ,`` (``<wbr>``), never inside a word.

    Material lets inline code break anywhere (``word-break: break-word``), which also makes a table
    column as narrow as one letter: field names came out as ``usually_me / ans``. ``site.css``
    turns that off for code in tables; these break points let long names still fit a phone.
    """
    return "<code>" + re.sub(r"([_./(,])(?=[A-Za-z&{\[])", r"\1<wbr>", html.escape(text, quote=False)) + "</code>"


def _prose(text: str) -> str:
    """A schema doc or default as HTML: whitespace folded, `code` and ``{placeholders}`` as code, **bold**."""
    parts = " ".join(text.split()).split("`")
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(_code(part))
            continue
        pieces = re.split(r"(\{[^{}]*\})", part)
        for at, piece in enumerate(pieces):
            if at % 2:
                out.append(_code(piece))
            else:
                out.append(re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(piece, quote=False)))
    return "".join(out)


def _table(header: tuple[str, ...], rows: list[list[str]]) -> str:
    """A raw HTML table: Markdown leaves it alone, so no glossary tooltip or emphasis lands inside code.

    One block without blank lines, as Python-Markdown needs for raw HTML; Material styles and
    wraps it like any table it renders.
    """
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _fields(cls: type[Any]) -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


def _default(spec: dataclasses.Field[Any]) -> str:
    if spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
        return "**required**"
    if spec.default_factory is not dataclasses.MISSING:
        value = spec.default_factory()
        return "optional (default: none)" if value in ([], {}) else f"optional (default `{value!r}`)"
    if spec.default is None:
        return "optional"
    if spec.default == "":
        return "optional (default: empty)"
    if isinstance(spec.default, bool):
        return f"optional (default `{str(spec.default).lower()}`)"
    return f"optional (default `{spec.default}`)"


def fields_table(cls: type[Any], only_own: bool = False, overrides: dict[str, str] | None = None) -> str:
    """A Markdown table of a schema dataclass's fields: name, type, required/default, meaning, example.

    ``only_own`` leaves out the fields every entry shares (listed once, in the common table).
    """
    hints = get_type_hints(cls, include_extras=True)
    shared = {f.name for f in _fields(Entry)} if only_own else set()
    rows = []
    for spec in _fields(cls):
        if spec.name in shared:
            continue
        kind = (overrides or {}).get(spec.name) or describe_type(hints[spec.name])
        example = spec.metadata.get("example", "")
        rows.append([_code(spec.name), _prose(kind), _prose(_default(spec)), _prose(spec.metadata.get("doc", "")),
                     _code(example) if example else ""])
    if not rows:
        return "Only the fields every entry has."
    return _table(("field", "type", "required / default", "meaning", "example"), rows)


def _doc(cls: type[Any]) -> str:
    return " ".join((cls.__doc__ or "").split()).replace("``", "`")


def table_reference(name: str) -> str:
    """The section for one table: its file, what an entry is, and the fields of its own."""
    cls = TABLES[name]
    return (f"### `{name}`\n\nFile `rules/{name}.yaml`. {_doc(cls)}\n\n"
            f"Besides the [fields every entry has](#fields-every-entry-has):\n\n{fields_table(cls, only_own=True)}\n")


def _common() -> str:
    return (f"### Every table file\n\n{_doc(TableFile)}\n\n"
            f"{fields_table(TableFile, overrides={'entries': 'list of entries (fields below)'})}\n\n"
            f"### Fields every entry has\n\n{_doc(Entry)}\n\n{fields_table(Entry)}\n\n"
            f"Each item of `sources` is a mapping. {_doc(Source)}\n\n{fields_table(Source)}\n\n"
            f"Some tables hold lists of conditions (`conditions` of a route, `requires` of an exception); "
            f"each item is:\n\n{fields_table(_condition())}\n")


def _condition() -> type[Any]:
    from ..rules.schema import Condition

    return Condition


def facts_reference() -> str:
    """Every name an expression or a ``{placeholder}`` may read, with its unit and meaning."""
    rows = [[_code(name), html.escape(unit), _prose(meaning)] for name, (unit, meaning) in FACTS.items()]
    rows.append([_code(f"{PARAM_PREFIX}<id>"), "the parameter's unit",
                 _prose("any figure of the `parameters` table, for the scenario's tax year when it changes by year")])
    return _table(("name", "unit", "meaning"), rows) + "\n"


def units_reference() -> str:
    """The closed set of units a parameter may have, and what each requires of its value."""
    rows = [[_code(unit), _prose(_UNIT_MEANING.get(unit, ""))] for unit in UNITS]
    return _table(("unit", "the value must be"), rows) + "\n"


def expression_reference() -> str:
    """The expression grammar, in short (the loader rejects anything else at ``file:line``)."""
    return """| you may write | for example |
|---|---|
| a fact or a parameter | `age`, `source.roth`, `param.penalty_free_age` |
| numbers, quoted text, `True`, `False`, `None` (capitalised, as here) | `0.5`, `'hardship'` |
| comparisons `<` `<=` `>` `>=` `==` `!=`, chained | `55 <= age < param.penalty_free_age` |
| membership `in`, `not in` | `route.id in plan.allows`, `source.id in ['after_tax', 'rollover']` |
| arithmetic `+` `-` `*` `/` and brackets | `0.5 * vested_total` |
| `and`, `or`, `not` | `plans_roth_conversion and taxable_kept > 0` |
| `min(…)`, `max(…)` | `min(param.domestic_abuse_cap, 0.5 * vested_total)` |
| `x if condition else y` | `amount if route.builtin_exception else 0` |

Nothing else is accepted: no other function calls, no attributes of anything but a fact name, no
indexing, no `lambda`, no imports. Names must come from the facts table or be `param.<id>` of an
existing parameter, so a misspelt name is reported with a suggestion when you run `rulebook check`.
Write an expression that contains `: ` or starts with `[`, `{`, `'` or `"` inside double quotes
so YAML keeps it as text.
"""


PARTS = ("all", "common", "tables", "facts", "expressions", "units", *TABLES)


def schema_reference(part: str = "all") -> str:
    """Markdown for one part of the reference (see :data:`PARTS`), or all of it."""
    if part in TABLES:
        return table_reference(part)
    sections = {
        "common": _common,
        "tables": lambda: "\n".join(table_reference(name) for name in TABLES),
        "facts": facts_reference,
        "expressions": expression_reference,
        "units": units_reference,
    }
    if part == "all":
        return "\n".join(sections[name]() for name in ("common", "tables", "units", "facts", "expressions"))
    if part not in sections:
        raise ValueError(f"schema_reference: unknown part '{part}'; expected one of: {', '.join(PARTS)}")
    return sections[part]()
