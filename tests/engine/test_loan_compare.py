"""The "borrow instead" row compare shows beside the withdrawal options, and the withdrawal
scenario's ``plan.loans`` field (loan-interface.md). Figures worked by hand in each test."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rulebook.engine import evaluate, prepare
from rulebook.engine.loan import evaluate_loan
from rulebook.engine.loan_compare import borrow_option
from rulebook.engine.loan_scenario import validate_plan_loans
from rulebook.engine.scenario import validate

from .test_properties import RULES

PREPARED = prepare(RULES)

# Should I borrow $10,000 or take a hardship withdrawal? 45, single, 50,000 of other income in
# 2026, 40,000 of pre-tax deferrals; the plan offers hardship withdrawals and loans at 8% over 5
# years, paid monthly; "if employment ends" is measured one year after borrowing.
WITHDRAWAL: dict[str, Any] = {
    "tax_year": 2026, "person": {"age": 45, "other_income": 50000}, "plan": {"allows": ["hardship"]},
    "balances": {"pretax_deferrals": 40000},
    "request": {"route": "hardship", "source": "pretax_deferrals", "amount": 10000, "hardship_reason": "medical"},
}
LOANS = {"offered": True, "interest_rate": 0.08, "years": 5, "frequency": "monthly", "separation_after_years": 1}


def _scenario(loans: Any = LOANS) -> dict[str, Any]:
    valid, errors = validate(WITHDRAWAL, PREPARED)
    assert valid is not None, errors
    checked, errors = validate_plan_loans(loans, PREPARED)
    assert not errors
    valid["plan"]["loans"] = checked
    return valid


def test_borrowing_10000_instead_of_a_hardship_withdrawal() -> None:
    row = borrow_option(_scenario(), PREPARED, {"kind": "in_hand", "amount": Decimal(10000)})
    assert row is not None
    # In hand 10,000, no tax, nothing withheld.
    assert (row["gross"], row["check_amount"], row["cash_after_tax"], row["total_tax"], row["due_at_filing"]) == (10000, 10000, 10000, 0, 0)
    assert row["need_met"] and row["limit"] is None and row["allowed"]
    # Limit: 50% × 40,000 = 20,000. Payment 10,000 × (0.08/12) × 1.48984571 ÷ 0.48984571 = 202.7639 → 202.76;
    # the 60-row table gives 2,165.92 of interest (see the vector loan_10000_five_years_monthly_at_8_percent).
    assert row["loan"] == {"max_loan": 20000, "amount": 10000, "payment": 202.76, "payments_per_year": 12, "number_of_payments": 60,
                           "total_interest": 2165.92, "total_repaid": 12165.92, "interest_rate": 0.08, "frequency": "monthly"}
    # 10,000 × 1.06^10 = 17,908.48 against 18,355.16 of repayments grown (vector ..._loan_rate_beats_the_return).
    assert row["value_at_retirement"] == -446.68
    # Leaving on 2027-01-01 after 12 payments: 8,305.67 offset; taxed with 2026's tables (no 2027 ones):
    # 33,900 → 42,205.67, all at 12%: 996.6804 → 996.68; 10% = 830.567 → 830.57; total 1,827.25.
    assert row["if_employment_ends"] == {"after_years": 1, "balance": 8305.67, "federal_income_tax": 996.68, "additional_tax": 830.57,
                                         "state_income_tax": 0, "total_tax": 1827.25, "rollover_deadline": "2028-10-15",
                                         "exception_applied": None}
    assert "$12,165.92" in row["why"] and "$1,827.25" in row["why"]
    assert row["trace"][-1]["rule"] == "borrow_instead"


def test_the_hardship_side_of_the_same_question() -> None:
    """The withdrawal engine's answer for the same 10,000 (the vector hardship_10000_at_45)."""
    result = evaluate(WITHDRAWAL, RULES)
    # 10% withheld: check 9,000. 33,900 → 43,900 at 12%: 1,200; 10% additional: 1,000; kept 7,800.
    figures = (result["check_amount"], result["federal_income_tax"], result["additional_tax"], result["cash_after_tax"])
    assert figures == (9000, 1200, 1000, 7800)
    assert result["value_at_retirement"] == 17908.48


def test_the_row_reproduces_in_the_loan_calculator() -> None:
    row = borrow_option(_scenario(), PREPARED, {"kind": "gross", "amount": Decimal(10000)})
    assert row is not None
    again = evaluate_loan(row["request"], RULES)
    assert again["amount"] == row["gross"] and again["payment"] == row["loan"]["payment"]
    assert again["separation"]["total_tax"] == row["if_employment_ends"]["total_tax"]


def test_a_need_above_the_limit_borrows_the_limit() -> None:
    row = borrow_option(_scenario(), PREPARED, {"kind": "after_tax", "amount": Decimal(25000)})
    assert row is not None
    assert row["gross"] == 20000 and not row["need_met"] and row["limit"] == "all_loans_limit"  # 50% × 40,000


def test_leaving_after_the_loan_is_repaid_costs_nothing() -> None:
    row = borrow_option(_scenario({**LOANS, "years": 1, "separation_after_years": 1}), PREPARED,
                        {"kind": "in_hand", "amount": Decimal(1200)})
    assert row is not None
    assert row["if_employment_ends"]["balance"] == 0 and row["if_employment_ends"]["total_tax"] == 0
    assert "leaving then costs nothing" in row["why"]


def test_no_loans_no_row() -> None:
    assert borrow_option(_scenario(None), PREPARED, {"kind": "gross", "amount": Decimal(1)}) is None
    assert borrow_option(_scenario({"offered": False}), PREPARED, {"kind": "gross", "amount": Decimal(1)}) is None


def test_plan_loans_errors_are_field_level() -> None:
    _, errors = validate_plan_loans({"interest_rate": "8%", "years": 6, "frequency": "daily", "outstanding": 500,
                                     "highest_outstanding_12m": 100, "extra": 1}, PREPARED)
    assert [e["field"] for e in errors] == ["plan.loans.extra", "plan.loans.offered", "plan.loans.highest_outstanding_12m",
                                            "plan.loans.years", "plan.loans.interest_rate", "plan.loans.frequency"]
    assert validate_plan_loans(None, PREPARED) == (None, [])
