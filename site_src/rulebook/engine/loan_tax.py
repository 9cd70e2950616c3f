"""What a loan's distribution costs in tax: an offset not rolled over, or a deemed distribution.

Both are taxed like a cash withdrawal of pre-tax money, so this module uses the withdrawal
engine's own pieces rather than copies: the year's rate schedule and :func:`.tax.tax_on` for the
federal income tax it adds (the same rate-schedule difference with the basic standard deduction,
spec/calculator.md), the additional-tax rate and the penalty-free age of the parameters table, the
flat state rate, and the Form 1099-R codes table's own conditions for box 7's number. Each tax is
rounded half up to the cent, then summed, as the withdrawal result's are.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..ground.expressions import ExprError, compile_expr
from . import names
from .prepared import Prepared
from .tax import cents, tax_on

__all__ = ["box7", "money", "tax_on_distribution", "tax_year_for"]

_ZERO = Decimal(0)


def money(value: Decimal) -> int | float:
    """A dollar figure as JSON shows it: rounded half up to the cent, whole dollars as integers."""
    value = cents(value)
    return int(value) if value == value.to_integral_value() else float(value)


def tax_year_for(rules: Prepared, year: int) -> int:
    """The year of tax tables that estimates a distribution in ``year``: itself, or the nearest covered."""
    if year in rules.schedules:
        return year
    return min(rules.years, key=lambda covered: (abs(covered - year), -covered))


def box7(rules: Prepared, age: Decimal, exception: str | None, letter_code: str | None) -> tuple[list[str], bool]:
    """Box 7 of the Form 1099-R: the codes table's first primary code whose condition holds for a
    distribution of pre-tax money to the person and that may pair with the loan's letter code (L or
    M), then that letter.

    Also whether an exception must be claimed on Form 5329 (the number code says none is known).
    """
    facts = {"age": age, "exception": exception or names.NO_EXCEPTION, "destination": names.CASH,
             "source": {"roth": False, "pretax": True}, "param": rules.params[rules.years[-1]]}
    letter = rules.by_id[names.CODES].get(letter_code or "")
    primary: Mapping[str, Any] | None = None
    for entry in rules.entries[names.CODES]:
        if entry.get("kind") != "primary" or not entry.get("when"):
            continue
        if letter is not None and letter["code"] not in (entry.get("pairs_with") or ()):
            continue  # box 7 may only hold a pair the codes table allows (3 never pairs with L or M)
        try:
            holds = bool(compile_expr(entry["when"])(facts))
        except ExprError:  # a condition over facts a loan has not got (a withdrawal's route, say) does not hold
            holds = False
        if holds:
            primary = entry
            break
    codes = [str(primary["code"])] if primary is not None else []
    if letter is not None:
        codes.append(str(letter["code"]))
    needs_5329 = bool(primary is not None and primary.get("exception_claimed_on_5329") and exception)
    return codes, needs_5329


def tax_on_distribution(rules: Prepared, facts: Mapping[str, Any], event: Mapping[str, Any], exception: str | None,
                     letter_code: str | None) -> dict[str, Any]:
    """The taxes on ``event['taxable_kept']`` in ``event['tax_year']`` for the person in ``facts``.

    Returns ``facts`` (the figures under the names the trace reads) and ``result`` (as the loan
    result reports them).
    """
    year = int(event["tax_year"])
    params = rules.params[year]
    kept: Decimal = event["taxable_kept"]
    age: Decimal = event["age"]
    schedule = rules.schedules[year][facts["filing_status"]]
    before = max(_ZERO, facts["other_income"] - schedule.standard_deduction)
    after = max(_ZERO, facts["other_income"] + kept - schedule.standard_deduction)
    federal = cents(tax_on(after, schedule) - tax_on(before, schedule))
    early = age < params[names.PENALTY_FREE_AGE]
    exempt = kept if early and exception else _ZERO
    additional = cents(params[names.PENALTY_RATE] * (kept - exempt)) if early else _ZERO
    state = cents(facts["state_tax_rate"] * kept)
    total = federal + additional + state
    codes, needs_5329 = box7(rules, age, exception if early else None, letter_code)
    applied = {"id": exception, "exempt_amount": money(exempt)} if exception and exempt > 0 else None
    return {
        "facts": {"federal_income_tax": federal, "additional_tax": additional, "state_income_tax": state, "total_tax": total},
        "result": {"federal_income_tax": money(federal), "additional_tax": money(additional), "state_income_tax": money(state),
                   "total_tax": money(total), "due_at_filing": money(total), "exception_applied": applied,
                   "form_1099r": {"box1": money(event["amount"]), "box2a": money(event["amount"]), "box7": codes},
                   "form_5329_needed": needs_5329 and exempt > 0},
    }
