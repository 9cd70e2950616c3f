"""What one written value in a scenario file means: the YAML 1.2 core schema, exact numbers.

Shared by the YAML and the JSON reader of :mod:`.scenario_file`, so ``amount: 1E4`` and
``"amount": 1E4`` give the same exact number, and every refusal is worded once. Also the error
record both readers return.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["MAX_DEPTH", "TOO_DEEP", "ScenarioFileError", "Unreadable", "exact_number", "field_path", "given_again", "plain_scalar"]

MAX_DEPTH = 32
"""Lists and mappings nested deeper than this are refused; a scenario is about four levels deep."""
TOO_DEEP = f"lists and mappings nested deeper than {MAX_DEPTH} levels; a scenario is about four levels deep"

_WHOLE_DIGITS = 600
"""Whole numbers up to this many digits are ``int``; longer ones stay ``Decimal``. Python refuses to
turn an ``int`` of more than 4,300 digits into text (and back), and the engine does that; any
number this long is refused by the engine's bounds anyway, it only has to arrive intact."""


@dataclass(frozen=True)
class ScenarioFileError:
    """Why a scenario file could not be read: one value at a field, or a place in the file.

    ``str()`` gives the line ``rulebook calc`` prints: ``field: message`` like the engine's input
    errors when one value is at fault, else ``file:line: message``.
    """

    file: str
    """The file as the user named it (``<stdin>`` for ``-``)."""
    line: int | None
    """1-based line the problem is on; ``None`` when the file could not be read at all."""
    field: str
    """Dotted path of the value at fault (``request.amount``, ``plan.allows[0]``); ``""`` for the file."""
    message: str

    def __str__(self) -> str:
        if self.field:
            return f"{self.field}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}" if self.line is not None else f"{self.file}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


class Unreadable:
    """A written value that cannot be given a meaning; the reader turns it into a field error."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def field_path(parent: str, key: str | int) -> str:
    """``request.amount`` below a mapping, ``plan.allows[0]`` below a list."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def given_again(count: int, lines: list[int]) -> str:
    """The message for a key written ``count`` times, at ``lines`` (when known)."""
    times = "twice" if count == 2 else f"{count} times"
    distinct = list(dict.fromkeys(lines))
    at = (f", on line {distinct[0]}" if len(distinct) == 1
          else f", at lines {', '.join(str(n) for n in distinct[:-1])} and {distinct[-1]}" if distinct else "")
    return f"given {times}{at}; keep one"


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def exact_number(literal: str) -> int | Decimal | Unreadable:
    """The exact value of a decimal literal (JSON's or YAML 1.2's): ``int`` when whole, else ``Decimal``.

    ``Decimal`` reads the literal's own digits, so ``0.1`` is one tenth and ``5e-05`` five
    hundred-thousandths, never the nearest binary fraction; ``1E4`` and ``2026.0`` are the whole
    numbers they write, as a JSON encoder meant them.
    """
    try:
        value = Decimal(literal)
    except InvalidOperation:  # an exponent beyond even Decimal's range (more than 18 digits)
        return Unreadable(f"'{_shown(literal)}' is too large or too small to be a figure; write the number out")
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # the grammars only admit finite literals
    if not any(digits):
        return 0
    whole = exponent >= 0 or not any(digits[exponent:])
    if whole and value.adjusted() < _WHOLE_DIGITS:
        return int(value)
    return value


_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_DECIMAL = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_LEADING_ZERO = re.compile(r"([-+]?)0+(?=[0-9])")
_INFINITY = re.compile(r"([-+]?)\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
_RADIX = re.compile(r"[-+]?0(?:(?P<x>[xX][0-9a-fA-F_]+)|(?P<o>[oO][0-7_]+)|(?P<b>[bB][01_]+))")
_RADIX_NAMES = {"x": ("a hexadecimal", 16), "o": ("an octal", 8), "b": ("a binary", 2)}


def plain_scalar(text: str) -> Any:
    """The value of an unquoted YAML scalar under the YAML 1.2 core schema, or :class:`Unreadable`.

    Text unless it is written exactly as the schema's null, boolean or number: ``yes``, ``on``,
    ``1:05`` and ``10_000`` stay text (YAML 1.1 read them as true, true, 65 and 10000; the engine
    says a number or true/false was expected). Refused, naming the way to write it: a number with a
    leading zero, which YAML 1.1 reads as octal and 1.2 as decimal, and ``0x``/``0o``/``0b`` numbers,
    which the two versions also read differently and no scenario needs.
    """
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _DECIMAL.fullmatch(text):
        zero = _LEADING_ZERO.match(text)
        if zero:
            fixed = zero.group(1) + text[zero.end():]
            how = f"write {fixed}" if len(fixed) <= 40 else "write it without the leading zero"
            return Unreadable(f"'{_shown(text)}' has a leading zero; {how}")
        return exact_number(text)
    infinity = _INFINITY.fullmatch(text)
    if infinity:
        return float(f"{infinity.group(1)}inf")
    if _NAN.fullmatch(text):
        return float("nan")
    radix = _RADIX.fullmatch(text)
    if radix:
        kind = next(name for name in "xob" if radix.group(name))
        noun, base = _RADIX_NAMES[kind]
        digits = radix.group(kind)[1:].replace("_", "")
        sign = "-" if text.startswith("-") else ""
        how = f"write it in decimal: {sign}{int(digits, base)}" if digits and len(text) <= 40 else "write it in decimal"
        return Unreadable(f"'{_shown(text)}' is {noun} number; {how}")
    return text
