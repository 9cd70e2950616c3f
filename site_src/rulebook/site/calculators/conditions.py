"""When a part of a calculator page shows: the two small condition forms templates write.

The build decides each part's ``hidden`` attribute for the prerendered example; the page's script
(``calculator/conditions.js``) decides it again on every change. Both read the same attribute, so
the two implementations here and there must agree; the browser tests compare a prerendered page
with the same scenario rendered live.

- ``data-show-if`` on a form part: JSON ``{"control.path": ["value", ...], ...}``; the part shows
  when every named control holds one of the listed values (a group of checkboxes: any ticked one).
  The value ``"*"`` means "filled in" (not empty and not zero), ``""`` "left empty". A control
  inside a hidden part holds nothing (it is no part of the request), so hiding one part can hide
  another; the form settles once nothing changes. The lists come from the rule tables (the routes
  that need a hardship reason, the sources a route may pay from), never from code.
- ``data-when`` on a result part: ``path``, ``!path``, ``path > 0`` (``>``, ``<``, ``>=``, ``<=``,
  ``==``, ``!=`` against a number, ``'text'``, ``true``, ``false`` or ``null``), joined by ``and``.
  A missing value, ``null``, ``false``, ``0``, ``""`` and an empty list are false.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["FormValues", "dig", "show_if", "show_if_attr", "when"]

FormValues = Mapping[str, Sequence[str]]
"""What a form holds: each control path and its values as text (several for a group of checkboxes)."""

_COMPARISON = re.compile(r"^(!?)([A-Za-z_][A-Za-z0-9_.]*)(?:\s*(>=|<=|==|!=|>|<)\s*(.+))?$")


def dig(data: Any, path: str) -> Any:
    """``data["a"]["b"]`` for ``"a.b"``; ``None`` where a step is missing."""
    for key in path.split("."):
        if isinstance(data, Mapping):
            data = data.get(key)
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return None
    return data


def show_if(condition: Mapping[str, Sequence[str]], values: FormValues) -> bool:
    """Whether a form part with this ``data-show-if`` shows, given the form's values."""
    for path, allowed in condition.items():
        held = [v for v in values.get(path, ()) if v != ""]
        if "*" in allowed:
            if not any(v.strip() not in ("", "0") for v in held):
                return False
        elif not any(v in allowed for v in held) and not ("" in allowed and not held):
            return False
    return True


def show_if_attr(condition: Mapping[str, Sequence[str]]) -> str:
    """The attribute's text, written the same way every time (the tests compare pages)."""
    return json.dumps({k: list(v) for k, v in condition.items()}, separators=(",", ":"), sort_keys=True)


def _truthy(value: Any) -> bool:
    return value not in (None, False, 0, "") and value != []


def _literal(text: str) -> Any:
    text = text.strip()
    if text in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[text]
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1]
    return float(text)


def when(expression: str, data: Any) -> bool:
    """Whether a result part with this ``data-when`` shows for the result ``data``."""
    for part in expression.split(" and "):
        match = _COMPARISON.match(part.strip())
        if not match:
            raise ValueError(f"data-when '{expression}': cannot read '{part.strip()}'")
        negate, path, operator, literal = match.groups()
        value = dig(data, path)
        if operator is None:
            ok = _truthy(value)
        else:
            other = _literal(literal)
            ok = _compare(value, operator, other)
        if ok == bool(negate):
            return False
    return True


def _compare(value: Any, operator: str, other: Any) -> bool:
    if operator in ("==", "!="):
        same = value == other if not isinstance(other, float) else (_number(value) == other)
        return same if operator == "==" else not same
    number = _number(value)
    if number is None or not isinstance(other, float):
        return False
    return {">": number > other, "<": number < other, ">=": number >= other, "<=": number <= other}[operator]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)
