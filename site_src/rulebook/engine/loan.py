"""The loan calculator's entry point: a plan loan's limit, its schedule, and what leaving or a missed
payment would cost, every figure traced to the loan rule that decided it.

``evaluate_loan(scenario, rules)`` is to plan loans what ``evaluate`` is to withdrawals: a scenario
(see :mod:`.loan_scenario`) and the rules in, a result out, ``{"errors": [...]}`` for bad input and
never an exception. The limits are expressions of the ``loan_rules`` table, applied in the order
``names.LOAN_LIMIT_STEPS`` gives; the checks are that table's tests; the schedule is plain
arithmetic (:mod:`.loan_schedule`); an offset or a deemed distribution is taxed by
:mod:`.loan_tax` with the withdrawal engine's tax functions. The engine holds no figure of the law.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..ground.expressions import FACTS, PARAM_PREFIX, ExprError, compile_expr
from ..ground.wording import fill
from . import names
from .loan_scenario import LoanScenario, frequency_entry, validate_loan
from .loan_schedule import Row, balance_after, due_dates, period_interest, quarter_end, schedule
from .loan_tax import money, tax_on_distribution, tax_year_for
from .prepared import Prepared, prepare
from .tax import cents

__all__ = ["LoanEvaluation", "age_later", "evaluate_loan"]

_ZERO = Decimal(0)
_ONE = Decimal(1)


_HUNDREDTH = Decimal("0.01")


def age_later(age: Decimal, on: datetime.date, then: datetime.date) -> Decimal:
    """The age on ``then`` of someone ``age`` years old on ``on``, rounded down to a hundredth of a year.

    Whole years between the dates count one each, and the rest as the share of days of the year
    of age it falls in, so a year later is exactly a year older. Down, so that the estimate never
    makes anyone older than they are: a person past 59½, or turning 55, by a few days at most is
    treated as not yet there.
    """
    years = then.year - on.year - ((then.month, then.day) < (on.month, on.day))
    last, following = _anniversary(on, years), _anniversary(on, years + 1)
    share = Decimal((then - last).days) / Decimal((following - last).days)
    return (age + years + share).quantize(_HUNDREDTH, rounding="ROUND_FLOOR")


def _year_end(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + 1, 1, 1) - datetime.timedelta(days=1)


def _anniversary(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=day.day - 1)


def evaluate_loan(scenario: Any, rules: Mapping[str, Any] | Prepared) -> dict[str, Any]:
    """The loan result for ``scenario``, or ``{"errors": [...]}`` listing every input error. Never raises."""
    try:
        prepared = prepare(rules)
    except Exception as exc:  # rules that are not a rule set: say so, never raise
        return {"errors": [{"field": "rules", "message": f"the rule set cannot be read ({type(exc).__name__}: {exc})"}]}
    try:
        valid, errors = validate_loan(scenario, prepared)
        if valid is None:
            return {"errors": errors}
        return LoanEvaluation(valid, prepared).run()
    except ExprError as exc:
        return {"errors": [{"field": "rules", "message": f"a loan rule could not be applied ({exc})"}]}
    except RecursionError:
        return {"errors": [{"field": "", "message": "the scenario is nested too deeply to be read"}]}
    except Exception as exc:  # never the reader's fault: say so instead of raising
        return {"errors": [{"field": "", "message": f"the loan calculator could not evaluate this scenario "
                                                    f"({type(exc).__name__}: {exc}); please report it"}]}


class LoanEvaluation:
    """One loan scenario's facts, trace and figures while the steps run."""

    def __init__(self, scenario: LoanScenario, rules: Prepared) -> None:
        self.rules = rules
        self.scenario = scenario
        self.table = rules.by_id[names.LOAN_RULES]
        self.params = rules.params[rules.years[-1]]
        self.trace: list[dict[str, str]] = []
        person, plan, balances, loan = scenario["person"], scenario["plan"], scenario["balances"], scenario["loan"]
        frequency = frequency_entry(rules, loan["frequency"])
        self.frequency = frequency
        per_year = int(frequency["per_year"])
        self.facts: dict[str, Any] = {
            "age": person["age"], "disabled": person["disabled"], "other_income": person["other_income"],
            "filing_status": person["filing_status"], "state_tax_rate": person["state_tax_rate"],
            "filing_status_label": rules.by_id[names.FILING_STATUSES][person["filing_status"]]["label"],
            "annual_return": scenario["assumptions"]["annual_return"],
            "years_to_retirement": Decimal(scenario["assumptions"]["years_to_retirement"]),
            "param": self.params,
            "loan": {
                "vested_balance": balances["vested"], "outstanding": balances["outstanding"],
                "highest_outstanding_12m": balances["highest_outstanding_12m"], "ten_k_floor": plan["ten_k_floor"],
                "residence": loan["residence"], "cure_period": plan["cure_period"], "years": Decimal(loan["years"]),
                "frequency_label": str(frequency["label"]).lower(), "payments_per_year": Decimal(per_year),
                "number_of_payments": Decimal(loan["years"] * per_year), "interest_rate": plan["interest_rate"],
                "start_date": loan["start_date"].isoformat(),
            },
        }

    # ------------------------------------------------------------------ facts and trace

    def _lookup(self, name: str) -> tuple[Any, str]:
        value: Any = self.facts
        for part in name.split("."):
            value = value[part]  # a KeyError leaves the placeholder visible (ground.wording.fill)
        if name.startswith(PARAM_PREFIX):
            return value, self.rules.param_units.get(name[len(PARAM_PREFIX):], "")
        return value, FACTS.get(name, ("text", ""))[0]

    def say(self, rule_id: str, template: str | None = None, *, rule: str | None = None, table: str = names.LOAN_RULES) -> None:
        """A trace line: ``template`` (else the rule's trace, else its label) filled from the facts."""
        entry = self.rules.by_id[table][rule_id]
        text = template if template is not None else (entry.get("trace") or entry.get("label") or "")
        self.trace.append({"rule": rule or rule_id, "message": fill(" ".join(str(text).split()), self._lookup),
                           "page": self.rules.page(table, rule_id)})

    def value(self, expression: str) -> Any:
        return compile_expr(expression)(self.facts)

    # ------------------------------------------------------------------ the steps

    def run(self) -> dict[str, Any]:
        loan = self.facts["loan"]
        for rule_id, fact in names.LOAN_LIMIT_STEPS:
            loan[fact] = max(_ZERO, Decimal(self.value(self.table[rule_id]["amount"])))
            if rule_id not in names.LOAN_CHECKS:  # a limit that is also a check is traced with its verdict
                self.say(rule_id)
        requested = self.scenario["loan"]["amount"]
        loan["amount"] = requested if requested is not None else loan[names.LOAN_MAX]
        blocked = self.checks()
        if blocked or loan["amount"] <= 0:
            return self.blocked_result(blocked)
        return self.allowed_result()

    def checks(self) -> list[dict[str, str]]:
        blocked = []
        for rule_id in names.LOAN_CHECKS:
            entry = self.table[rule_id]
            if self.value(entry["test"]):
                if entry.get("trace"):  # a check with no trace line of its own speaks only when it fails
                    self.say(rule_id)
            else:
                self.say(rule_id, entry.get("message", ""))
                blocked.append({"rule": rule_id, "message": self.trace[-1]["message"]})
        if self.facts["loan"]["residence"]:
            self.say(names.LOAN_RESIDENCE)
        return blocked

    def limits(self) -> dict[str, Any]:
        loan = self.facts["loan"]
        return {fact: money(loan[fact]) for _, fact in names.LOAN_LIMIT_STEPS} | {"outstanding": money(loan["outstanding"])}

    def blocked_result(self, blocked: list[dict[str, str]]) -> dict[str, Any]:
        loan = self.facts["loan"]
        return {
            "allowed": False, "blocked": blocked, "blocked_rules": [b["rule"] for b in blocked], "limits": self.limits(),
            "max_loan": money(loan[names.LOAN_MAX]), "amount": money(loan["amount"]),
            "interest_rate": float(loan["interest_rate"]), "frequency": self.frequency["id"],
            "payments_per_year": int(loan["payments_per_year"]), "number_of_payments": 0, "payment": 0, "final_payment": 0,
            "total_interest": 0, "total_repaid": 0, "first_payment_date": None, "payoff_date": None, "schedule": [],
            "growth": None, "separation": None, "default": None, "trace": self.trace,
        }

    def allowed_result(self) -> dict[str, Any]:
        loan, scenario = self.facts["loan"], self.scenario
        amount = loan["amount"]
        rows = schedule(amount, loan["interest_rate"], int(loan["payments_per_year"]), int(loan["number_of_payments"]))
        dates = due_dates(scenario["loan"]["start_date"], len(rows), self.frequency.get("every_months"), self.frequency.get("every_days"))
        total_interest = sum((r.interest for r in rows), _ZERO)
        loan.update(payment=rows[0].payment if len(rows) > 1 else rows[-1].payment, final_payment=rows[-1].payment,
                    total_interest=total_interest, total_repaid=amount + total_interest, payoff_date=dates[-1].isoformat())
        self.say(names.LOAN_INTEREST)
        self.say(names.LOAN_AMORTIZATION)
        growth = self.growth(rows)
        separation = self.separation(rows, dates) if scenario["separation"] else None
        default = self.default(rows, dates) if scenario["default"] else None
        return {
            "allowed": True, "blocked": [], "blocked_rules": [], "limits": self.limits(),
            "max_loan": money(loan[names.LOAN_MAX]), "amount": money(amount),
            "interest_rate": float(loan["interest_rate"]), "frequency": self.frequency["id"],
            "payments_per_year": int(loan["payments_per_year"]), "number_of_payments": len(rows),
            "payment": money(loan["payment"]), "final_payment": money(loan["final_payment"]),
            "total_interest": money(total_interest), "total_repaid": money(amount + total_interest),
            "first_payment_date": dates[0].isoformat(), "payoff_date": dates[-1].isoformat(),
            "schedule": [{"period": r.period, "date": d.isoformat(), "payment": money(r.payment), "interest": money(r.interest),
                          "principal": money(r.principal), "balance": money(r.balance)} for r, d in zip(rows, dates, strict=True)],
            "growth": growth, "separation": separation, "default": default, "trace": self.trace,
        }

    def growth(self, rows: list[Row]) -> dict[str, Any]:
        """Growth given up at retirement: the amount borrowed grown, less the repayments grown from their year's end."""
        loan = self.facts["loan"]
        years = int(self.facts["years_to_retirement"])
        factor = _ONE + self.facts["annual_return"]
        per_year = int(loan["payments_per_year"])
        repaid = sum((r.payment * factor ** (years - ((r.period - 1) // per_year + 1))
                      for r in rows if (r.period - 1) // per_year < years), _ZERO)
        still_owed = balance_after(rows, loan["amount"], years * per_year)
        borrowed_grown = cents(loan["amount"] * factor ** years)
        repayments_grown = cents(repaid + still_owed)
        loan.update(borrowed_grown=borrowed_grown, repayments_grown=repayments_grown, growth_given_up=borrowed_grown - repayments_grown)
        self.say(names.LOAN_GROWTH)
        return {"borrowed_grown": money(borrowed_grown), "repayments_grown": money(repayments_grown),
                "value_at_retirement": money(borrowed_grown - repayments_grown)}

    # ------------------------------------------------------------------ what leaving or a missed payment costs

    def _event(self, when: datetime.date, age: Decimal | None) -> dict[str, Any]:
        """The facts of an offset or a deemed distribution on ``when``; ``age`` is the one given for it, if any.

        Without one, the age is the person's age on the loan date plus the time since (59½ can be
        passed between two birthdays), and the age by December 31 is what the separation-from-
        service exception reads: it asks for leaving in or after the calendar year of turning 55.
        """
        if age is None:
            age = age_later(self.facts["age"], self.scenario["loan"]["start_date"], when)
        year = tax_year_for(self.rules, when.year)
        event: dict[str, Any] = {"date": when.isoformat(), "year": Decimal(when.year), "tax_year": Decimal(year),
                                 "age": age, "age_at_year_end": age_later(age, when, _year_end(when))}
        self.facts["event"] = event
        return event

    def separation(self, rows: list[Row], dates: list[datetime.date]) -> dict[str, Any]:
        given = self.scenario["separation"]
        event = self._event(given["date"], given["age"])
        made = sum(1 for d in dates if d <= given["date"])
        balance = balance_after(rows, self.facts["loan"]["amount"], made)
        event.update(payments_made=Decimal(made), balance=balance, accrued_interest=_ZERO, amount=balance)
        if balance <= 0:
            self.say(names.LOAN_PAID_OFF)
            return self._nothing_owed(event)
        rolled = min(given["rolled_over"], balance)
        deadline = datetime.date(given["date"].year + 1, int(self.params[names.RETURN_DUE_MONTH]), int(self.params[names.RETURN_DUE_DAY]))
        event.update(rolled_over=rolled, taxable_kept=balance - rolled, rollover_deadline=deadline.isoformat())
        self.say(names.LOAN_OFFSET)
        self.say(names.LOAN_OFFSET_ROLLOVER)
        result = self._taxed(names.LOAN_OFFSET, event)
        return {"rollover_eligible": True, "qualified_plan_loan_offset": True, "rollover_deadline": deadline.isoformat(),
                "rolled_over": money(rolled), **result}

    def default(self, rows: list[Row], dates: list[datetime.date]) -> dict[str, Any]:
        given = self.scenario["default"]
        missed = given["missed_payment"]
        if missed > len(rows):  # a schedule that ended early (rounding) has no such payment
            missed = len(rows)
        missed_date = dates[missed - 1]
        cure = bool(self.facts["loan"]["cure_period"])
        deemed = quarter_end(missed_date, int(self.params[names.LOAN_CURE_QUARTERS])) if cure else missed_date
        event = self._event(deemed, given["age"])
        balance = balance_after(rows, self.facts["loan"]["amount"], missed - 1)
        unpaid = sum(1 for d in dates[missed - 1:] if d <= deemed)
        accrued = unpaid * period_interest(balance, self.facts["loan"]["interest_rate"], int(self.facts["loan"]["payments_per_year"]))
        event.update(missed_payment=Decimal(missed), missed_date=missed_date.isoformat(), cure_deadline=deemed.isoformat(),
                     payments_made=Decimal(missed - 1), balance=balance, accrued_interest=accrued, amount=balance + accrued,
                     rolled_over=_ZERO, taxable_kept=balance + accrued)
        entry = self.table[names.LOAN_CURE]
        self.say(names.LOAN_CURE, None if cure else entry.get("message", ""))
        self.say(names.LOAN_DEEMED)
        result = self._taxed(names.LOAN_DEEMED, event)
        return {"missed_payment": missed, "missed_date": missed_date.isoformat(), "cure_deadline": deemed.isoformat() if cure else None,
                "accrued_interest": money(accrued), "rollover_eligible": False, **result}

    def _nothing_owed(self, event: dict[str, Any]) -> dict[str, Any]:
        return {"date": event["date"], "age": float(event["age"]), "payments_made": int(event["payments_made"]), "balance": 0,
                "amount": 0, "taxable": 0, "tax_year": int(event["tax_year"]), "federal_income_tax": 0, "additional_tax": 0,
                "state_income_tax": 0, "total_tax": 0, "due_at_filing": 0, "exception_applied": None,
                "form_1099r": {"box1": 0, "box2a": 0, "box7": []}, "form_5329_needed": False,
                "rollover_eligible": False, "qualified_plan_loan_offset": False, "rollover_deadline": None, "rolled_over": 0}

    def _taxed(self, rule_id: str, event: dict[str, Any]) -> dict[str, Any]:
        """The tax on the event's taxable amount, the exception that frees it, and its Form 1099-R."""
        if event["tax_year"] != event["year"]:
            self.say(names.LOAN_TAX_YEAR)
        freed = next((e for e in self.table[rule_id].get("exceptions") or () if self.value(e["test"])), None)
        if freed is not None and event["age"] < self.params[names.PENALTY_FREE_AGE]:
            self.say(freed["exception"], freed["message"], table=names.EXCEPTIONS)
        tax = tax_on_distribution(self.rules, self.facts, event, freed["exception"] if freed else None, self.table[rule_id].get("code"))
        event.update(tax["facts"])
        self.say(names.LOAN_TAX)
        return {"date": event["date"], "age": float(event["age"]), "payments_made": int(event["payments_made"]),
                "balance": money(event["balance"]), "amount": money(event["amount"]), "taxable": money(event["taxable_kept"]),
                "tax_year": int(event["tax_year"]), **tax["result"]}

