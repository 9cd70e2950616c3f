"""The "borrow instead" row of compare: the same money in hand from a plan loan, on the withdrawal
options' terms (loan-interface.md).

``compare`` (the lead's) calls :func:`borrow_option` with the withdrawal scenario it validated and
the need it is meeting. The row is a real run of the loan calculator (:class:`.loan.LoanEvaluation`)
on a loan scenario built from the withdrawal scenario: the vested balance is the scenario's V, the
loan terms are ``plan.loans``, and the loan is dated January 1 of the tax year (compare has no
dates; the trace says so). A loan pays out what it lends, with nothing withheld and no tax, so the
three need kinds ask for the same amount.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from . import names
from .loan import LoanEvaluation
from .prepared import Prepared

__all__ = ["borrow_option", "loan_scenario_for"]

_ZERO = Decimal(0)


def loan_scenario_for(scenario: Mapping[str, Any], amount: Decimal | None) -> dict[str, Any] | None:
    """The loan calculator's (validated) scenario for a withdrawal scenario whose plan offers loans."""
    loans = (scenario.get("plan") or {}).get("loans")
    if not loans or not loans.get("offered"):
        return None
    person = scenario["person"]
    vested = sum((b["balance"] * b["vested"] for b in scenario["balances"].values()), _ZERO)
    start = datetime.date(int(scenario["tax_year"]), 1, 1)
    after = int(loans.get("separation_after_years") or 0)
    return {
        "person": {key: person[key] for key in ("age", "filing_status", "other_income", "state_tax_rate", "disabled")},
        "plan": {"interest_rate": loans["interest_rate"], "interest_rate_given": loans.get("interest_rate_given", True),
                 "ten_k_floor": loans["ten_k_floor"], "cure_period": True},
        "balances": {"vested": vested, "outstanding": loans["outstanding"], "highest_outstanding_12m": loans["highest_outstanding_12m"]},
        "loan": {"amount": amount, "years": loans["years"], "frequency": loans["frequency"], "residence": False, "start_date": start},
        "separation": {"date": start.replace(year=start.year + after), "age": person["age"] + after, "rolled_over": _ZERO},
        "default": None,
        "assumptions": dict(scenario["assumptions"]),
    }


def _plain(value: Any) -> Any:
    """A validated scenario as the JSON a form or ``rulebook`` would send (dates as text, exact numbers)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items() if v is not None and k != "interest_rate_given"}
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def borrow_option(scenario: Mapping[str, Any], rules: Prepared, need: Mapping[str, Any]) -> dict[str, Any] | None:
    """The "borrow instead" row for ``need`` (``{"kind", "amount"}``), or None when the plan offers no loans."""
    wanted = Decimal(need["amount"])
    loan = loan_scenario_for(scenario, wanted)
    if loan is None:
        return None
    evaluation = LoanEvaluation(loan, rules)
    result = evaluation.run()
    limited = None
    if not result["allowed"] and set(result["blocked_rules"]) <= set(names.LOAN_CHECKS[:2]) and result["max_loan"] > 0:
        limited = result["blocked_rules"][0]  # the need is above the limit: borrow the most the rules allow
        loan = loan_scenario_for(scenario, Decimal(str(result["max_loan"])))
        assert loan is not None
        evaluation = LoanEvaluation(loan, rules)
        result = evaluation.run()
    allowed = bool(result["allowed"])
    if allowed:
        entry = rules.by_id[names.LOAN_RULES][names.LOAN_OPTION]
        owed = evaluation.value(entry["test"]) if entry.get("test") else True
        evaluation.say(names.LOAN_OPTION, None if owed else entry.get("message", ""))
    borrowed = result["amount"] if allowed else 0
    leaving = result.get("separation") or {}
    row: dict[str, Any] = {
        "id": names.LOAN_OPTION, "route": None, "source": None, "destination": names.CASH,
        "allowed": allowed, "blocked": result["blocked"],
        "gross": borrowed, "check_amount": borrowed, "cash_after_tax": borrowed,
        "due_at_filing": 0, "total_tax": 0, "total_tax_share": 0,
        "value_at_retirement": (result.get("growth") or {}).get("value_at_retirement", 0) if allowed else 0,
        "need_met": allowed and limited is None and Decimal(str(borrowed)) >= wanted, "limit": limited,
        "loan": {"max_loan": result["max_loan"], "amount": borrowed, "payment": result["payment"],
                 "payments_per_year": result["payments_per_year"], "number_of_payments": result["number_of_payments"],
                 "total_interest": result["total_interest"], "total_repaid": result["total_repaid"],
                 "interest_rate": result["interest_rate"], "frequency": result["frequency"]},
        "if_employment_ends": None,
        "request": _plain(loan),
        "trace": result["trace"],
    }
    if allowed:
        row["if_employment_ends"] = {
            "after_years": int(scenario["plan"]["loans"].get("separation_after_years") or 0),
            "balance": leaving.get("balance", 0), "federal_income_tax": leaving.get("federal_income_tax", 0),
            "additional_tax": leaving.get("additional_tax", 0), "state_income_tax": leaving.get("state_income_tax", 0),
            "total_tax": leaving.get("total_tax", 0), "rollover_deadline": leaving.get("rollover_deadline"),
            "exception_applied": leaving.get("exception_applied"),
        }
    row["why"] = result["trace"][-1]["message"] if allowed else (result["blocked"][0]["message"] if result["blocked"] else "")
    return row
