"""The result object of the contract, built from one determination's figures.

Money leaves as JSON numbers with at most two decimals (an ``int`` when whole), rates as
fractions. A blocked request carries why, and every money figure 0: no part, no form, no
contradictory "eligible" figure next to an empty Form 1099-R.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import names
from .figures import Form, Outcome
from .tax import cents

if TYPE_CHECKING:
    from .evaluate import Evaluation

__all__ = ["allowed_result", "blocked_result", "money", "questions"]


_MEMO_LIMIT = 2**16  # a memory bound for the memo, not a figure of the rules


def _rounded(value: Decimal) -> int | float:
    rounded = cents(value)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


class _Memo(dict[Decimal, int | float]):
    """:func:`money` by value, computed on a miss: equal decimals round alike, and figures recur."""

    def __missing__(self, value: Decimal) -> int | float:
        if len(self) > _MEMO_LIMIT:
            self.clear()
        found = self[value] = _rounded(value)
        return found


_MONEY = _Memo()
# For the figures the engine computed (finite decimals, always): a hit is one lookup, no Python call.
_figure = _MONEY.__getitem__


def money(value: Decimal) -> int | float:
    """``value`` in cents as JSON has it: an ``int`` when whole, else a ``float`` (memoised by value)."""
    if type(value) is Decimal and value.is_finite():  # NaNs are never keys: sNaN cannot even be hashed
        return _MONEY[value]
    return _rounded(value)


def _rate(value: Decimal) -> float:
    return float(value)


def _form(form: Form) -> dict[str, Any]:
    return {"id": f"{form.character}:{form.to}", "character": form.character, "to": form.to, "box1": _figure(form.box1),
            "box2a": _figure(form.box2a), "box4": _figure(form.box4), "box5": _figure(form.box5), "box7": form.box7}


def _goal(solved: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if solved is None:
        return None
    return {"kind": solved["kind"], "amount": money(solved["amount"]), "met": solved["met"], "limit": solved["limit"]}


def questions(ev: Evaluation) -> list[str]:
    """Plan-administrator question ids, the ones relevant to this request first."""
    first: list[str] = []
    rest: list[str] = []
    facts = ev.facts
    for entry_id, when in ev.rules.question_tests():
        relevant = False
        if when is not None:
            try:
                relevant = bool(when(facts))
            except (KeyError, TypeError, ArithmeticError, ValueError):  # a fact not known (a blocked request)
                relevant = False
        (first if relevant else rest).append(entry_id)
    return first + rest


def blocked_result(ev: Evaluation, blocked: list[dict[str, str]], solved: Mapping[str, Any] | None) -> dict[str, Any]:
    route = ev.facts["route"]
    reason = ev.route.get("rollover_ineligible_reason")
    return {
        "allowed": False, "blocked": blocked, "blocked_rules": [b["rule"] for b in blocked], "gross": 0, "basis": 0, "taxable": 0,
        "rollover_eligible": route["rollover_eligible"], "rollover_ineligible_reason": reason,
        "withholding": {"federal": 0, "rate": 0.0, "mandatory": False, "can_opt_out": False},
        "check_amount": 0, "taxable_kept": 0, "federal_income_tax": 0, "additional_tax": 0, "exception_applied": None,
        "state_income_tax": 0, "total_tax": 0, "cash_after_tax": 0, "replacement_cash": 0, "value_at_retirement": 0,
        "due_at_filing": 0, "total_tax_share": 0.0,
        "form_1099r": {"box1": 0, "box2a": 0, "box4": 0, "box5": 0, "box7": []}, "forms_1099r": [], "parts": [], "split": None,
        "form_5329_needed": False, "roth_qualified": False, "goal": _goal({**solved, "met": False} if solved else None),
        "cautions": [], "good_to_know": [], "questions": questions(ev), "trace": ev.trace.lines,
    }


def allowed_result(ev: Evaluation, outcome: Outcome, solved: Mapping[str, Any] | None) -> dict[str, Any]:
    facts = ev.facts
    withholding = outcome.values["withholding"]
    applied = outcome.values["exception_applied"]
    split = outcome.split
    return {
        "allowed": True, "blocked": [], "blocked_rules": [], "gross": _figure(facts["gross"]), "basis": _figure(facts["basis"]),
        "taxable": _figure(facts["taxable"]),
        "rollover_eligible": facts["route"]["rollover_eligible"], "rollover_ineligible_reason": ev.route.get("rollover_ineligible_reason"),
        "withholding": {"federal": _figure(withholding["federal"]), "rate": _rate(withholding["rate"]),
                        "mandatory": withholding["mandatory"], "can_opt_out": withholding["can_opt_out"]},
        "check_amount": _figure(facts["check_amount"]), "taxable_kept": _figure(facts["taxable_kept"]),
        "federal_income_tax": _figure(facts["federal_income_tax"]), "additional_tax": _figure(facts["additional_tax"]),
        "exception_applied": {"id": applied["id"], "exempt_amount": _figure(applied["exempt_amount"])} if applied else None,
        "state_income_tax": _figure(facts["state_income_tax"]), "total_tax": _figure(facts["total_tax"]),
        "cash_after_tax": _figure(facts["cash_after_tax"]), "replacement_cash": _figure(facts["replacement_cash"]),
        "value_at_retirement": _figure(facts["value_at_retirement"]),
        "due_at_filing": _figure(facts["due_at_filing"]), "total_tax_share": _rate(facts["total_tax_share"]),
        "form_1099r": {"box1": _figure(facts["gross"]), "box2a": _figure(facts["taxable"]), "box4": _figure(withholding["federal"]),
                       "box5": _figure(facts["basis"]), "box7": outcome.codes},
        "forms_1099r": [_form(f) for f in outcome.forms],
        "parts": [{"source": p.source, "gross": _figure(p.gross), "basis": _figure(p.basis),
                   "taxable": _figure(p.includible) if facts["destination"] != names.DIRECT_ROLLOVER else 0,
                   "roth_qualified": p.qualified} for p in outcome.parts],
        "split": None if split is None else {
            names.TO_TRADITIONAL: {"pretax": _figure(split.traditional_pretax), "after_tax": _figure(split.traditional_after_tax)},
            names.TO_ROTH_IRA: {"pretax": _figure(split.roth_ira_pretax), "after_tax": _figure(split.roth_ira_after_tax)},
            names.CASH: {"pretax": _figure(split.cash_pretax), "after_tax": _figure(split.cash_after_tax)}},
        "form_5329_needed": outcome.values["form_5329_needed"], "roth_qualified": bool(facts.get("roth_qualified")),
        "marginal_rate_before": _rate(facts["marginal_rate_before"]), "marginal_rate_after": _rate(facts["marginal_rate_after"]),
        "goal": _goal(solved), "cautions": outcome.cautions, "good_to_know": outcome.good_to_know,
        "questions": questions(ev), "trace": ev.trace.lines,
    }
