"""Federal income tax by a year's rate schedule, and the rounding every money figure gets.

The schedule is data (``tax_years`` table): rates from the lowest bracket up and the taxable
income at the top of each bracket but the last. Tops are inclusive: income exactly at a top is
taxed at the lower rate, and the marginal rate there is the lower one.
"""

from __future__ import annotations

from bisect import bisect_left
from decimal import ROUND_HALF_UP, Decimal

from .prepared import TaxSchedule

__all__ = ["cents", "marginal_rate", "tax_on"]

_CENT = Decimal("0.01")
_ZERO = Decimal(0)


def cents(value: Decimal) -> Decimal:
    """Round half up to the cent (spec/calculator.md, Rounding)."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def tax_on(income: Decimal, schedule: TaxSchedule) -> Decimal:
    """Exact tax on taxable income ``income``: each rate times the part of income in its bracket."""
    bases = schedule.bases
    if bases:  # the brackets below summed once per rule set, in this loop's order: the same decimal
        if income <= 0:
            return _ZERO
        tops = schedule.tops
        index = bisect_left(tops, income)  # the first top at or above the income (tops inclusive)
        return bases[index] + schedule.rates[index] * (income - (tops[index - 1] if index else _ZERO))
    total, lower = _ZERO, _ZERO
    tops = schedule.tops
    for index, rate in enumerate(schedule.rates):
        if income <= lower:
            break
        top = tops[index] if index < len(tops) else income
        total += rate * (min(income, top) - lower)
        lower = top
    return total


def marginal_rate(income: Decimal, schedule: TaxSchedule) -> Decimal:
    """The rate of the bracket containing ``income`` (tops inclusive; the lowest rate at 0)."""
    if schedule.bases:  # tops that rise, one fewer than the rates: the first top at or above the income
        return schedule.rates[bisect_left(schedule.tops, income)]
    for index, top in enumerate(schedule.tops):
        if income <= top:
            return schedule.rates[index]
    return schedule.rates[-1]
