"""How a distribution is divided: among sources (in proportion), and among destinations (Notice 2014-54).

Both divisions are exact arithmetic with one rounding rule each, so the parts always add up to
the whole: a pro-rata draw gives each source its share in whole cents by the largest-remainder
rule (ties go to the source listed first in the tables), and a split puts the pre-tax money first
into the direct rollovers, the after-tax money first into the Roth IRA among them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

__all__ = ["Split", "allocate", "proportional"]

_ZERO = Decimal(0)
_CENT = Decimal("0.01")


def proportional(total: Decimal, available: Sequence[tuple[str, Decimal]], exact: bool) -> list[tuple[str, Decimal]]:
    """``total`` shared among sources in proportion to their available balances.

    Exactly (for solving a goal), or in whole cents that add up to ``total``: each share rounded
    down, then the cents left over to the largest remainders.
    """
    pool = sum([amount for _, amount in available], _ZERO)
    if pool <= 0:
        return []
    exact_shares = [(source, total * amount / pool) for source, amount in available]
    if exact:
        return exact_shares
    floors = [(source, share.quantize(_CENT, rounding=ROUND_FLOOR)) for source, share in exact_shares]
    left = int(((total - sum([f for _, f in floors], _ZERO)) / _CENT).to_integral_value())
    order = sorted(range(len(floors)), key=lambda i: (-(exact_shares[i][1] - floors[i][1]), i))
    shares = [amount for _, amount in floors]
    for index in order[:max(0, left)]:
        shares[index] += _CENT
    return [(source, share) for (source, _), share in zip(floors, shares, strict=True)]


@dataclass(frozen=True)
class Split:
    """Where a split distribution's pre-tax and after-tax money goes (each figure a whole amount)."""

    traditional_pretax: Decimal
    traditional_after_tax: Decimal
    roth_ira_pretax: Decimal
    roth_ira_after_tax: Decimal
    cash_pretax: Decimal
    cash_after_tax: Decimal

    @property
    def direct(self) -> Decimal:
        return self.traditional_pretax + self.traditional_after_tax + self.roth_ira_pretax + self.roth_ira_after_tax

    @property
    def cash(self) -> Decimal:
        return self.cash_pretax + self.cash_after_tax


def allocate(pretax: Decimal, after_tax: Decimal, traditional: Decimal, roth_ira: Decimal) -> Split:
    """Notice 2014-54: one distribution sent to several places at once.

    The pre-tax money goes first to the direct rollovers (``traditional`` + ``roth_ira`` dollars),
    the after-tax money fills the rest; among the direct rollovers you choose, and the calculator
    sends the after-tax money to the Roth IRA first (where it is never taxed) and the pre-tax money
    to the traditional account first. Whatever is not rolled over directly is paid to you.
    """
    direct = traditional + roth_ira
    pretax_direct = min(pretax, direct)
    after_tax_direct = direct - pretax_direct
    roth_after_tax = min(after_tax_direct, roth_ira)
    roth_pretax = roth_ira - roth_after_tax
    return Split(traditional_pretax=pretax_direct - roth_pretax, traditional_after_tax=after_tax_direct - roth_after_tax,
                 roth_ira_pretax=roth_pretax, roth_ira_after_tax=roth_after_tax,
                 cash_pretax=pretax - pretax_direct, cash_after_tax=after_tax - after_tax_direct)
