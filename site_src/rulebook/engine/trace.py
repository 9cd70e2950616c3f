"""The trace: for each determination, the rule that decided it, a sentence, and the page that explains it.

A line's sentence is its rule's template (``trace``, ``message`` or label in the tables) filled from
the facts of the moment; figures are formatted by :mod:`rulebook.ground.wording`, exactly as pages
print them. Templates are split once per rule set (``Prepared.templates``). An evaluation that only
needs figures (a goal being solved, an option being compared) runs with :data:`SILENT`, which
fills nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from ..ground.expressions import FACTS, PARAM_PREFIX
from ..ground.wording import format_value, split_template
from .prepared import Prepared

__all__ = ["SILENT", "Trace"]

Compiled = tuple[tuple[str, ...], tuple[tuple[tuple[str, ...], str], ...]]


class Trace:
    """Trace lines of one evaluation, in order; ``lines`` is the result's ``trace``."""

    enabled = True

    def __init__(self, rules: Prepared) -> None:
        self.rules = rules
        self.lines: list[dict[str, str]] = []

    def say(self, table: str, entry: Mapping[str, Any], facts: Mapping[str, Any], template: str | None = None,
            rule: str | None = None, page: str | None = None) -> str:
        """Add a line: ``template`` (else the entry's ``trace``, else its label) filled from ``facts``."""
        text = template if template is not None else (entry.get("trace") or entry.get("label") or "")
        message = self.fill(str(text), facts)
        self.lines.append({"rule": rule or entry["id"], "message": message, "page": page or self.rules.page(table, entry["id"])})
        return message

    def fill(self, template: str, facts: Mapping[str, Any]) -> str:
        literals, fields = self._compiled(template)
        if not fields:
            return literals[0]
        out = [literals[0]]
        for (path, unit), literal in zip(fields, literals[1:], strict=True):
            value: Any = facts
            try:
                for part in path:
                    value = value[part]
            except (KeyError, TypeError, IndexError):
                out.append("{" + ".".join(path) + "}")
            else:
                out.append(value if type(value) is str else format_value(value, unit))
            out.append(literal)
        return "".join(out)

    def _compiled(self, template: str) -> Compiled:
        """``template`` as its literal pieces and (name path, unit) placeholders, once per rule set and template."""
        cache = self.rules.templates
        compiled: Compiled | None = cache.get(template)
        if compiled is None:
            pairs = split_template(template)
            literals = [pairs[0][0]]
            fields = []
            for (_, name), (following, _) in pairwise(pairs):
                fields.append((tuple(name.split(".")), self._unit(name)))
                literals.append(following)
            compiled = (tuple(literals), tuple(fields))
            cache[template] = compiled
        return compiled

    def _unit(self, name: str) -> str:
        if name.startswith(PARAM_PREFIX):
            return self.rules.param_units.get(name[len(PARAM_PREFIX):], "")
        fact = FACTS.get(name)
        return fact[0] if fact else ""


class _Silent(Trace):
    """A trace that records nothing: figures only, as fast as the arithmetic allows."""

    enabled = False

    def __init__(self) -> None:
        self.lines = []

    def say(self, table: str, entry: Mapping[str, Any], facts: Mapping[str, Any], template: str | None = None,
            rule: str | None = None, page: str | None = None) -> str:
        return ""


SILENT: Trace = _Silent()
