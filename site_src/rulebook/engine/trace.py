"""The trace: for each determination, the rule that decided it, a sentence, and the page that explains it.

A line's sentence is its rule's template (``trace``, ``message`` or label in the tables) filled from
the facts of the moment; figures are formatted by :mod:`rulebook.ground.wording`, exactly as pages
print them. Templates are compiled once per rule set (``Prepared.templates``) into one small Python
function each: the placeholders' lookups, then the pieces joined. An evaluation that only needs
figures (a goal being solved, an option being compared) runs with :data:`SILENT`, which fills nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import pairwise
from typing import Any

from ..ground.expressions import FACTS, PARAM_PREFIX
from ..ground.wording import format_value, split_template
from .prepared import Prepared

__all__ = ["SILENT", "Trace"]

Fields = tuple[tuple[tuple[str, ...], str], ...]
Filler = Callable[[Mapping[str, Any]], str]


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
        if type(text) is not str:
            text = str(text)
        entry_id = entry["id"]
        key = (table, entry_id, text)
        line = self.rules.lines.get(key)
        if line is None:
            line = self.rules.lines[key] = (self.rules.templates.get(text) or self._compiled(text), self.rules.page(table, entry_id))
        message = line[0](facts)
        self.lines.append({"rule": rule or entry_id, "message": message, "page": page or line[1]})
        return message

    def fill(self, template: str, facts: Mapping[str, Any]) -> str:
        filler = self.rules.templates.get(template)
        return (filler if filler is not None else self._compiled(template))(facts)

    def _compiled(self, template: str) -> Filler:
        """``template`` as one function of the facts, once per rule set and template."""
        pairs = split_template(template)
        literals = [pairs[0][0]]
        fields = []
        for (_, name), (following, _) in pairwise(pairs):
            fields.append((tuple(name.split(".")), self._unit(name)))
            literals.append(following)
        filler = _filler(tuple(literals), tuple(fields))
        self.rules.templates[template] = filler
        return filler

    def _unit(self, name: str) -> str:
        if name.startswith(PARAM_PREFIX):
            return self.rules.param_units.get(name[len(PARAM_PREFIX):], "")
        fact = FACTS.get(name)
        return fact[0] if fact else ""


def _slow_fill(literals: tuple[str, ...], fields: Fields, facts: Mapping[str, Any]) -> str:
    """Field by field: a placeholder whose fact is missing stays visible as ``{name}``."""
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


def _filler(literals: tuple[str, ...], fields: Fields) -> Filler:
    """Every lookup at once (any one missing: :func:`_slow_fill`), then the pieces joined.

    The code is built from the template's placeholder names (``[a-z0-9_.]`` only, as
    :data:`~rulebook.ground.wording.PLACEHOLDER` matches them) and the units of the vocabulary.
    """
    if not fields:
        text = literals[0]
        return lambda facts: text
    lookups = "".join(f"        _v{i} = _f" + "".join(f"[{p!r}]" for p in path) + "\n" for i, (path, _) in enumerate(fields))
    pieces = ["_l0"]
    for i, (_, unit) in enumerate(fields):
        pieces += [f"(_v{i} if type(_v{i}) is _str else _format(_v{i}, {unit!r}))", f"_l{i + 1}"]
    text = (f"def _fill(_f):\n    try:\n{lookups}    except (KeyError, TypeError, IndexError):\n"
            f"        return _slow(_literals, _fields, _f)\n    return ''.join(({', '.join(pieces)},))\n")
    namespace: dict[str, Any] = {"__builtins__": {}, "KeyError": KeyError, "TypeError": TypeError, "IndexError": IndexError,
                                 "type": type, "_str": str, "_format": format_value, "_slow": _slow_fill,
                                 "_literals": literals, "_fields": fields, **{f"_l{i}": lit for i, lit in enumerate(literals)}}
    exec(compile(text, "<trace template>", "exec"), namespace)
    filler: Filler = namespace["_fill"]
    return filler


class _Silent(Trace):
    """A trace that records nothing: figures only, as fast as the arithmetic allows."""

    enabled = False

    def __init__(self) -> None:
        self.lines = []

    def say(self, table: str, entry: Mapping[str, Any], facts: Mapping[str, Any], template: str | None = None,
            rule: str | None = None, page: str | None = None) -> str:
        return ""


SILENT: Trace = _Silent()
