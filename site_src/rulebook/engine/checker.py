"""Field-level input checking shared by every entry point's validation (withdrawal, loan, compare).

Every problem is collected as ``{"field": dotted.path, "message": …}``, never raised, so a form can
mark each bad field at once and the command line can name them all. Numbers arrive as ``int``,
``float`` or ``Decimal`` (a strict scenario reader gives exact decimals) and leave as ``Decimal``;
money has one stated bound, :data:`MONEY_MAX`, far above any real account, and is given in whole
cents, as the rule tables' dollar figures are: an amount of 0.004 or 10,000.005 is a typing slip to
point out, not a figure to round quietly (it would pass "more than 0" and then pay nothing).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

__all__ = ["AGE", "MONEY_MAX", "RETURN", "STATE_RATE", "YEARS", "Checker", "Error", "kind_of", "shown"]

Error = dict[str, str]
_ZERO = Decimal(0)
_CENT = Decimal("0.01")

# Money: no real account, income or withdrawal reaches a trillion dollars. The bound keeps every
# figure far inside Decimal's exact range, so arithmetic can never overflow or lose a cent.
MONEY_MAX = Decimal(10) ** 12
_MONEY_MAX_INT, _MONEY_MAX_FLOAT = int(MONEY_MAX), float(MONEY_MAX)  # the same bound, exactly, for plain numbers
# The other ranges of the input contract, shared by every calculator's person and assumptions.
AGE = (Decimal(0), Decimal(120))
STATE_RATE = (Decimal(0), Decimal("0.15"))
RETURN = (Decimal("-0.5"), Decimal("0.5"))
YEARS = (0, 60)


class Checker:
    def __init__(self) -> None:
        self.errors: list[Error] = []

    def error(self, field: str, message: str) -> None:
        self.errors.append({"field": field, "message": message})

    def mapping(self, value: Any, field: str, keys: tuple[str, ...], required: bool) -> Mapping[str, Any] | None:
        if value is None and not required:
            return {}
        if type(value) is not dict and not isinstance(value, Mapping):  # a plain dict first: the usual case, no ABC check
            self.error(field, "expected an object" if value is not None else "required")
            return None
        # Sorted: a JavaScript object lists integer-like keys ("0") before the
        # rest whatever order they were written in, so insertion order would
        # make the browser and CPython report the same mistakes differently.
        unknown = [k for k in value if k not in keys]
        for key in sorted(unknown, key=str) if unknown else ():
            where = f"{field}.{key}" if field else str(key)
            self.error(where, f"unknown key; expected one of: {', '.join(keys)}")
        return value

    def number(self, data: Mapping[str, Any], key: str, field: str, default: Decimal | None,
               low: Decimal | None = None, high: Decimal | None = None, above: Decimal | None = None) -> Decimal | None:
        value = data.get(key)
        if value is None:
            if default is None:
                self.error(field, "required")
            return default
        kind = type(value)
        if kind is int:  # the usual cases first, each exactly as the general path below treats it
            number: Decimal = Decimal(value)
        elif kind is float and math.isfinite(value):
            number = Decimal(str(value))
        else:
            checked = self._number(value, field)
            if checked is None:
                return None
            number = checked
        if (low is not None and number < low) or (high is not None and number > high):
            self.error(field, f"must be from {shown(low)} to {shown(high)}" if low is not None and high is not None
                       else f"must be at least {shown(low)}" if low is not None else f"must be at most {shown(high)}")
            return None
        if above is not None and number <= above:
            self.error(field, f"must be more than {shown(above)}")
            return None
        return number

    def _number(self, value: Any, field: str) -> Decimal | None:
        """Any value but a plain int or finite float: the number it is, or ``None`` and the error recorded."""
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            self.error(field, f"expected a number, got {kind_of(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.error(field, "expected a finite number")
            return None
        if isinstance(value, Decimal) and not value.is_finite():
            self.error(field, "expected a finite number")
            return None
        # An int goes to Decimal directly: str() of a 5,000-digit int raises (Python's digit limit).
        return value if isinstance(value, Decimal) else Decimal(value) if isinstance(value, int) else Decimal(str(value))

    def money(self, data: Mapping[str, Any], key: str, field: str, default: Decimal | None,
              positive: bool = False) -> Decimal | None:
        """A dollar amount in whole cents: at least 0 (more than 0 when ``positive``), at most :data:`MONEY_MAX`."""
        value: Any = data.get(key)
        kind = type(value)  # a plain int or float in range: the usual case, the same Decimal as below
        if kind is int and (value > 0 if positive else value >= 0) and value <= _MONEY_MAX_INT:
            return Decimal(value)
        if kind is float and (value > 0.0 if positive else value >= 0.0) and value <= _MONEY_MAX_FLOAT:
            quick = Decimal(str(value))
            if not quick % _CENT:
                return quick  # else the general path below says what is wrong
        number = self.number(data, key, field, default)
        if number is None:
            return None
        if number > MONEY_MAX:
            self.error(field, f"must be at most ${MONEY_MAX:,.0f}; no real account or income is that large")
            return None
        if positive and number <= 0:
            self.error(field, "must be more than 0")
            return None
        if number < 0:
            self.error(field, "must be at least 0")
            return None
        if number % _CENT:
            self.error(field, "must be in whole cents (at most two decimals)")
            return None
        return number

    def whole(self, data: Mapping[str, Any], key: str, field: str, default: int | None,
              low: int | None = None, high: int | None = None) -> int | None:
        value = data.get(key)
        if value is None:
            if default is None:
                self.error(field, "required")
            return default
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(field, f"expected a whole number, got {kind_of(value)}")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(field, f"must be from {low} to {high}" if low is not None and high is not None
                       else f"must be at least {low}" if low is not None else f"must be at most {high}")
            return None
        return value

    def flag(self, data: Mapping[str, Any], key: str, field: str, default: bool) -> bool:
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(field, f"expected true or false, got {kind_of(value)}")
            return default
        return value

    def choice(self, data: Mapping[str, Any], key: str, field: str, choices: Any, default: str | None) -> str | None:
        value = data.get(key)
        if value is None:
            if default is None:
                self.error(field, "required")
            return default
        if not isinstance(value, str) or value not in choices:
            shown = value if isinstance(value, str) else kind_of(value)
            self.error(field, f"'{shown}' is not one of: {', '.join(str(c) for c in choices)}")
            return None
        return value


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return f"text '{value[:40]}'"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


def shown(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"
