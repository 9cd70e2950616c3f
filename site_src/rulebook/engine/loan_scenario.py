"""Check a loan scenario (the loan calculator's input) and fill in its defaults.

The input contract of the ``loan`` entry point, field by field; every problem is collected with the
dotted path of its field, as the withdrawal scenario's are (it reuses that checker, so a field
reads and fails alike in both calculators: :mod:`.checker`). The ranges here are what the calculator accepts, not
rules of law: whether a 7-year term or payments twice a year are allowed is for the loan rules
table to say (a valid scenario the rules refuse comes back ``allowed: false``). Defaults that are
figures come from the tables. Nothing here raises on any JSON-like input.

```yaml
person:   {age: 45, filing_status: single, other_income: 60000, state_tax_rate: 0, disabled: false}
plan:     {interest_rate: 0.08, ten_k_floor: false, cure_period: true}
balances: {vested: 80000, outstanding: 0, highest_outstanding_12m: 0}
loan:     {amount: 10000, years: 5, frequency: monthly, residence: false, start_date: "2026-03-01"}
separation: {date: "2027-06-30", age: 46, rolled_over: 0}    # optional: what leaving would cost
default:  {missed_payment: 13, age: 46}                       # optional: what a missed payment would cost
assumptions: {annual_return: 0.06, years_to_retirement: 10}
```
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from . import names
from .checker import AGE, RETURN, STATE_RATE, YEARS, Checker, kind_of
from .prepared import Prepared

__all__ = ["LoanScenario", "default_frequency", "frequency_entry", "parse_date", "validate_loan", "validate_plan_loans"]

LoanScenario = dict[str, Any]
Error = dict[str, str]

_TOP = ("person", "plan", "balances", "loan", "separation", "default", "assumptions")
_PERSON = ("age", "filing_status", "other_income", "state_tax_rate", "disabled")
_PLAN = ("interest_rate", "ten_k_floor", "cure_period")
_BALANCES = ("vested", "outstanding", "highest_outstanding_12m")
_LOAN = ("amount", "years", "frequency", "residence", "start_date")
_SEPARATION = ("date", "age", "rolled_over")
_DEFAULT = ("missed_payment", "age")
_ASSUMPTIONS = ("annual_return", "years_to_retirement")
_PLAN_LOANS = ("offered", "interest_rate", "ten_k_floor", "outstanding", "highest_outstanding_12m", "years",
               "frequency", "separation_after_years")

# The input contract: a plan's loan rate well above any real one is a typing mistake; a residence
# loan may run long (the Code sets no term for it), but not past a working life.
_RATE = (Decimal(0), Decimal("0.25"))
_TERM_YEARS = (1, 40)
_DATES = (datetime.date(1900, 1, 1), datetime.date(2200, 12, 31))


def parse_date(value: Any) -> datetime.date | None:
    """An ISO date ``YYYY-MM-DD`` within the calculator's range, or None."""
    if not isinstance(value, str) or len(value) != len("2026-03-01"):
        return None
    try:
        parsed = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return parsed if _DATES[0] <= parsed <= _DATES[1] else None


def default_frequency(rules: Prepared) -> str:
    """The frequency the table marks as the default (the loader checks there is exactly one)."""
    entries = rules.entries[names.LOAN_FREQUENCIES]
    return str(next((e for e in entries if e.get("default")), entries[0])["id"])


def frequency_entry(rules: Prepared, frequency_id: str) -> Mapping[str, Any]:
    return rules.by_id[names.LOAN_FREQUENCIES][frequency_id]


def _date(check: Checker, data: Mapping[str, Any], key: str, field: str) -> datetime.date | None:
    value = data.get(key)
    if value is None:
        check.error(field, "required")
        return None
    parsed = parse_date(value)
    if parsed is None:
        shown = value if isinstance(value, str) else kind_of(value)
        check.error(field, f"'{shown}' is not a date written YYYY-MM-DD from {_DATES[0].year} to {_DATES[1].year}")
    return parsed


def _outstanding(check: Checker, data: Mapping[str, Any], prefix: str) -> tuple[Decimal | None, Decimal | None]:
    """Today's loan balance and the past year's highest, which cannot be below it."""
    outstanding = check.money(data, "outstanding", f"{prefix}.outstanding", Decimal(0))
    highest = check.money(data, "highest_outstanding_12m", f"{prefix}.highest_outstanding_12m", outstanding)
    if highest is not None and outstanding is not None and highest < outstanding:
        check.error(f"{prefix}.highest_outstanding_12m", f"cannot be less than {prefix}.outstanding: the highest balance of "
                                                         "the past year counts today's")
        highest = None
    return outstanding, highest


def validate_loan(scenario: Any, rules: Prepared) -> tuple[LoanScenario | None, list[Error]]:
    """The loan scenario with every default filled in, or None and every input error."""
    check = Checker()
    top = check.mapping(scenario, "", _TOP, required=True)
    if top is None:
        return None, check.errors
    params = rules.params[rules.years[-1]]
    out: LoanScenario = {}
    out["person"] = _person(check, top.get("person"), rules)
    plan = check.mapping(top.get("plan"), "plan", _PLAN, required=False) or {}
    out["plan"] = {
        "interest_rate": check.number(plan, "interest_rate", "plan.interest_rate", params.get(names.LOAN_DEFAULT_RATE), *_RATE),
        "interest_rate_given": plan.get("interest_rate") is not None,
        "ten_k_floor": check.flag(plan, "ten_k_floor", "plan.ten_k_floor", False),
        "cure_period": check.flag(plan, "cure_period", "plan.cure_period", True),
    }
    balances = check.mapping(top.get("balances"), "balances", _BALANCES, required=True)
    if balances is not None:
        outstanding, highest = _outstanding(check, balances, "balances")
        out["balances"] = {"vested": check.money(balances, "vested", "balances.vested", None),
                           "outstanding": outstanding, "highest_outstanding_12m": highest}
    out["loan"] = _loan(check, top.get("loan"), rules, params)
    out["separation"] = _separation(check, top.get("separation"), out["loan"])
    out["default"] = _default(check, top.get("default"), out["loan"], rules)
    assumptions = check.mapping(top.get("assumptions"), "assumptions", _ASSUMPTIONS, required=False) or {}
    default_years = params.get(names.DEFAULT_YEARS)
    out["assumptions"] = {
        "annual_return": check.number(assumptions, "annual_return", "assumptions.annual_return",
                                      params.get(names.DEFAULT_RETURN), *RETURN),
        "years_to_retirement": check.whole(assumptions, "years_to_retirement", "assumptions.years_to_retirement",
                                           int(default_years) if default_years is not None else None, *YEARS),
    }
    if check.errors:
        return None, check.errors
    return out, []


def _person(check: Checker, value: Any, rules: Prepared) -> dict[str, Any]:
    data = check.mapping(value, "person", _PERSON, required=True)
    if data is None:
        return {}
    statuses = rules.by_id[names.FILING_STATUSES]
    return {
        "age": check.number(data, "age", "person.age", None, *AGE),
        "filing_status": check.choice(data, "filing_status", "person.filing_status", statuses, next(iter(statuses))),
        "other_income": check.money(data, "other_income", "person.other_income", Decimal(0)),
        "state_tax_rate": check.number(data, "state_tax_rate", "person.state_tax_rate", Decimal(0), *STATE_RATE),
        "disabled": check.flag(data, "disabled", "person.disabled", False),
    }


def _loan(check: Checker, value: Any, rules: Prepared, params: Mapping[str, Decimal]) -> dict[str, Any]:
    data = check.mapping(value, "loan", _LOAN, required=True)
    if data is None:
        return {}
    amount = None
    if data.get("amount") is not None:
        amount = check.money(data, "amount", "loan.amount", None, positive=True)
    term = params.get(names.LOAN_DEFAULT_YEARS)
    return {
        "amount": amount,
        "years": check.whole(data, "years", "loan.years", int(term) if term is not None else None, *_TERM_YEARS),
        "frequency": check.choice(data, "frequency", "loan.frequency", rules.by_id[names.LOAN_FREQUENCIES], default_frequency(rules)),
        "residence": check.flag(data, "residence", "loan.residence", False),
        "start_date": _date(check, data, "start_date", "loan.start_date"),
    }


def _separation(check: Checker, value: Any, loan: Mapping[str, Any]) -> dict[str, Any] | None:
    if value is None:
        return None
    data = check.mapping(value, "separation", _SEPARATION, required=True)
    if data is None:
        return None
    when = _date(check, data, "date", "separation.date")
    start = loan.get("start_date")
    if when is not None and start is not None and when < start:
        check.error("separation.date", "cannot be before loan.start_date")
    age = check.number(data, "age", "separation.age", None, *AGE) if data.get("age") is not None else None
    return {"date": when, "age": age, "rolled_over": check.money(data, "rolled_over", "separation.rolled_over", Decimal(0))}


def _default(check: Checker, value: Any, loan: Mapping[str, Any], rules: Prepared) -> dict[str, Any] | None:
    if value is None:
        return None
    data = check.mapping(value, "default", _DEFAULT, required=True)
    if data is None:
        return None
    payments = None
    if loan.get("years") is not None and loan.get("frequency") is not None:
        payments = loan["years"] * int(frequency_entry(rules, loan["frequency"])["per_year"])
    missed = check.whole(data, "missed_payment", "default.missed_payment", None, 1, payments)
    age = check.number(data, "age", "default.age", None, *AGE) if data.get("age") is not None else None
    return {"missed_payment": missed, "age": age}


def validate_plan_loans(value: Any, rules: Prepared, field: str = "plan.loans") -> tuple[dict[str, Any] | None, list[Error]]:
    """The withdrawal scenario's ``plan.loans`` (does the plan lend, and on which terms), for compare.

    ``None`` and no errors when absent; ``offered`` is required when the object is given. The
    withdrawal scenario's validation calls this for its ``plan.loans`` key (loan-interface.md).
    """
    if value is None:
        return None, []
    check = Checker()
    data = check.mapping(value, field, _PLAN_LOANS, required=True)
    if data is None:
        return None, check.errors
    params = rules.params[rules.years[-1]]
    offered = data.get("offered")
    if not isinstance(offered, bool):
        check.error(f"{field}.offered", "required: true or false" if offered is None else f"expected true or false, got {kind_of(offered)}")
    outstanding, highest = _outstanding(check, data, field)
    term = int(params[names.LOAN_DEFAULT_YEARS]) if names.LOAN_DEFAULT_YEARS in params else None
    years = check.whole(data, "years", f"{field}.years", term, 1, term)
    out = {
        "offered": offered is True,
        "interest_rate": check.number(data, "interest_rate", f"{field}.interest_rate", params.get(names.LOAN_DEFAULT_RATE), *_RATE),
        "interest_rate_given": data.get("interest_rate") is not None,
        "ten_k_floor": check.flag(data, "ten_k_floor", f"{field}.ten_k_floor", False),
        "outstanding": outstanding, "highest_outstanding_12m": highest, "years": years,
        "frequency": check.choice(data, "frequency", f"{field}.frequency", rules.by_id[names.LOAN_FREQUENCIES], default_frequency(rules)),
        "separation_after_years": check.whole(data, "separation_after_years", f"{field}.separation_after_years", 0, 0, years),
    }
    if check.errors:
        return None, check.errors
    return out, []
