"""How figures and rule texts read, the same on every page and in every result.

Rule texts say "{param.mandatory_withholding_rate}" instead of "20%" so that a figure is written
once, in ``parameters``. The engine fills trace messages with these functions (in CPython and in
Pyodide) and the generator fills page text with them, so a page and a result always print a figure
alike: ``$1,234.50``, ``20%``, ``59½``. Ground, like the expression language: standard library
only, importing nothing of rulebook.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = ["PLACEHOLDER", "fill", "format_value", "split_template"]

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*)\}")
_HALF = Decimal("0.5")
_CENT = Decimal("0.01")


_FORMATTED: dict[tuple[Any, str], str] = {}
_MEMO_LIMIT = 2**16  # a memory bound for the memo, not a figure of the rules


def format_value(value: Any, unit: str) -> str:
    """``usd`` → $1,000 or $1,234.50; ``rate`` → 20%; ``age`` → 59½; lists joined; bools yes/no.

    Numbers are memoised: the same figures (limits, rates, round amounts) recur in every trace.
    """
    if type(value) is Decimal:
        key = (value, unit)
        text = _FORMATTED.get(key)
        if text is None:
            if len(_FORMATTED) > _MEMO_LIMIT:
                _FORMATTED.clear()
            text = _FORMATTED[key] = _format(value, unit)
        return text
    return _format(value, unit)


def _format(value: Any, unit: str) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, (int, float, Decimal)):
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        if unit == "usd":
            cents = number.quantize(_CENT, rounding=ROUND_HALF_UP)
            sign = "-" if cents < 0 else ""
            text = f"{abs(cents):,.2f}"
            return f"{sign}${text[:-3] if text.endswith('.00') else text}"
        if unit == "rate":
            return f"{_plain(number * 100)}%"
        if unit == "age":
            whole = number.to_integral_value(rounding="ROUND_FLOOR")
            return f"{whole}½" if number - whole == _HALF else _plain(number)
        return _plain(number)
    return str(value)


def _plain(number: Decimal) -> str:
    text = f"{number.normalize():f}"
    return text


def fill(template: str, lookup: Callable[[str], tuple[Any, str]]) -> str:
    """Replace each ``{name}`` by ``format_value(*lookup(name))``; unknown names stay visible."""

    def replace(match: re.Match[str]) -> str:
        try:
            value, unit = lookup(match.group(1))
        except KeyError:
            return match.group(0)
        return format_value(value, unit)

    return PLACEHOLDER.sub(replace, template)


_SPLIT_CACHE: dict[str, tuple[tuple[str, str], ...]] = {}


def split_template(template: str) -> tuple[tuple[str, str], ...]:
    """The template as ``(text before, placeholder name)`` pairs, whitespace runs collapsed to one space.

    The last pair's name is empty. Parsed once per template: the engine fills the same trace
    templates thousands of times a second.
    """
    parts = _SPLIT_CACHE.get(template)
    if parts is None:
        pieces = PLACEHOLDER.split(" ".join(template.split()))
        pairs = [(pieces[i], pieces[i + 1]) for i in range(0, len(pieces) - 1, 2)]
        parts = (*pairs, (pieces[-1], ""))
        _SPLIT_CACHE[template] = parts
    return parts
