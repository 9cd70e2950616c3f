"""Turn rule-table values into Markdown: filled text, formatted figures, links to entry anchors.

Shared by the Jinja globals that content pages call and by the generated reference pages, so a
figure or a cross-reference prints the same way wherever it appears.
"""

from __future__ import annotations

import dataclasses
import html
from typing import Any

from ..ground.expressions import FACTS, PARAM_PREFIX
from ..ground.wording import fill, format_value
from ..rules import RuleSet
from ..rules.schema import Parameter

__all__ = ["Renderer"]


class Renderer:
    """Formats values of one rule set for pages; ``year`` is the tax year pages quote by default."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.year = max(rules.years)
        self.params: dict[str, Parameter] = {
            e.id: e for e in rules["parameters"].entries if isinstance(e, Parameter)}

    def param_value(self, param_id: str, year: int | None = None) -> Any:
        entry = self.params[param_id]
        if entry.value is not None:
            return entry.value
        assert entry.values is not None
        return entry.values[year or self.year]

    def param(self, param_id: str, year: int | None = None) -> str:
        """A figure as readers see it; a yearly figure names its year unless one is asked for."""
        entry = self.params[param_id]
        text = format_value(self.param_value(param_id, year), entry.unit)
        if entry.values is not None and year is None:
            return f"{text} ({self.year})"
        return text

    def text(self, template: str) -> str:
        """Fill ``{param.x}`` from the parameters table; a fact placeholder stays visible as a variable.

        A fact (``{route.label}``, ``{age}``) has a value only inside a calculation, so a page shows
        its name as ``<var>`` with the meaning on hover: splicing the meaning into the sentence
        produced text like "The the requested route's name route cannot pay from …".
        """

        def lookup(name: str) -> tuple[Any, str]:
            if name.startswith(PARAM_PREFIX):
                key = name[len(PARAM_PREFIX):]
                if key not in self.params:
                    raise KeyError(name)
                return self.param(key), "text"
            if name in FACTS:
                return f'<var title="{html.escape(FACTS[name][1])}">{name}</var>', "text"
            raise KeyError(name)

        return fill(template, lookup).strip()

    def link(self, table: str, entry_id: str, label: str | None = None, *, base: str = "") -> str:
        """A Markdown link to an entry's anchor on its table's reference page."""
        entry = self.rules[table].get(entry_id)
        page = f"{base}reference/{table.replace('_', '-')}.md"
        return f"[{label or entry.label}]({page}#{entry.id})"

    def field_value(self, entry: Any, name: str) -> Any:
        return getattr(entry, name)

    @staticmethod
    def fields(entry: Any, skip: tuple[str, ...]) -> list[dataclasses.Field[Any]]:
        return [f for f in dataclasses.fields(entry) if f.name not in skip and not f.metadata.get("internal")]
