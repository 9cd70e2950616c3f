"""A level-payment loan schedule to the cent, and the calendar it runs on.

Arithmetic only, no rule of law (those are in the loan rules table): the standard amortization
formula at the periodic rate, then one row per payment. The rounding rule is stated once, here and
in the table's ``amortization`` entry: the level payment is rounded half up to the cent; each
period's interest is the opening balance times the yearly rate divided by the payments a year,
rounded half up to the cent; the
rest of the payment is principal; the final payment is the opening balance plus its interest, so
the schedule always ends at exactly 0.00 (a final payment may differ from the others by a few
cents, and a schedule whose rounded payment would overshoot ends early with a smaller last
payment). Exact decimals throughout, so CPython and Pyodide agree to the cent.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .tax import cents

__all__ = ["Row", "add_months", "balance_after", "due_dates", "level_payment", "period_interest", "quarter_end", "schedule"]

_ZERO = Decimal(0)
_ONE = Decimal(1)
_MONTHS_A_YEAR = len(calendar.month_name) - 1  # month_name has an empty first item
_MONTHS_A_QUARTER = 3


@dataclass(frozen=True)
class Row:
    """One payment: its number (from 1), what it pays of interest and principal, and the balance after."""

    period: int
    payment: Decimal
    interest: Decimal
    principal: Decimal
    balance: Decimal


def level_payment(amount: Decimal, periodic_rate: Decimal, payments: int) -> Decimal:
    """The level payment that repays ``amount`` over ``payments`` periods, rounded half up to the cent."""
    if periodic_rate == 0:
        return cents(amount / payments)
    return cents(amount * periodic_rate / (_ONE - (_ONE + periodic_rate) ** -payments))


def period_interest(balance: Decimal, yearly_rate: Decimal, per_year: int) -> Decimal:
    """A period's interest, rounded half up to the cent. Multiplied before dividing: a rate such as
    7% / 12 has no exact decimal, and an exact half cent must round up as the rule says."""
    return cents(balance * yearly_rate / per_year)


def schedule(amount: Decimal, yearly_rate: Decimal, per_year: int, payments: int) -> list[Row]:
    """Every payment of the loan, the last one clearing the balance (see the module's rounding rule)."""
    payment = level_payment(amount, yearly_rate / per_year, payments)
    rows: list[Row] = []
    balance = amount
    for period in range(1, payments + 1):
        interest = period_interest(balance, yearly_rate, per_year)
        if period == payments or balance + interest <= payment:
            rows.append(Row(period, balance + interest, interest, balance, _ZERO))
            break
        principal = payment - interest
        balance -= principal
        rows.append(Row(period, payment, interest, principal, balance))
    return rows


def balance_after(rows: Sequence[Row], amount: Decimal, payments_made: int) -> Decimal:
    """The principal still owed once the first ``payments_made`` payments are made."""
    if payments_made <= 0:
        return amount
    if payments_made >= len(rows):
        return _ZERO
    return rows[payments_made - 1].balance


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day of the month ``months`` later, or that month's last day when it is shorter."""
    year, month = divmod(start.month - 1 + months, _MONTHS_A_YEAR)
    year, month = start.year + year, month + 1
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_dates(start: datetime.date, count: int, every_months: int | None, every_days: int | None) -> list[datetime.date]:
    """The due date of each payment, counted from the day the loan is made (payment k is k steps on)."""
    if every_months:
        return [add_months(start, k * every_months) for k in range(1, count + 1)]
    step = datetime.timedelta(days=every_days or 0)
    return [start + k * step for k in range(1, count + 1)]


def quarter_end(day: datetime.date, quarters_after: int) -> datetime.date:
    """The last day of the calendar quarter ``quarters_after`` quarters after the one ``day`` is in."""
    quarter = (day.month - 1) // _MONTHS_A_QUARTER + quarters_after
    year, quarter = divmod(quarter, _MONTHS_A_YEAR // _MONTHS_A_QUARTER)
    month = (quarter + 1) * _MONTHS_A_QUARTER
    year += day.year
    return datetime.date(year, month, calendar.monthrange(year, month)[1])
