"""The names by which the engine reads the rule tables: table ids and the few parameters it uses.

The engine is mechanism: it holds no figure, list or wording of the law. What it does hold is
where to look, and those names are gathered here so that renaming a table or a parameter is a
one-file change and a reader can see at a glance everything the engine depends on.
"""

from __future__ import annotations

__all__ = [
    "AGE_EXCEPTION",
    "BALANCE_CHECK",
    "CAP_CHECK",
    "CASH",
    "CAUTIONS",
    "CODES",
    "DEFAULT_MIN_AGE",
    "DEFAULT_RETURN",
    "DEFAULT_YEARS",
    "DESTINATIONS",
    "DESTINATION_IDS",
    "DIRECT_ROLLOVER",
    "EXCEPTIONS",
    "FILING_STATUSES",
    "GOAL_AFTER_TAX",
    "GOAL_FIGURES",
    "GOAL_IN_HAND",
    "HARDSHIP_REASONS",
    "INDIRECT_ROLLOVER",
    "INELIGIBLE",
    "MEDICAL_EXCEPTION",
    "MEDICAL_FLOOR_RATE",
    "NO_EXCEPTION",
    "OTHER_FORM",
    "PARAMETERS",
    "PENALTY_FREE_AGE",
    "PENALTY_RATE",
    "PERMISSIONS",
    "PRO_RATA",
    "QUESTIONS",
    "REPAYMENT_WINDOW",
    "RESULTS",
    "ROLLOVER_WINDOW",
    "ROTH_FORM",
    "ROUTES",
    "SOURCES",
    "SPLIT",
    "SPLIT_ACCOUNTS",
    "STEPS",
    "STEP_COMPARE_CHEAPEST",
    "STEP_COMPARE_MORE",
    "STEP_COMPARE_SAME",
    "STEP_COMPARE_SHORT",
    "STEP_EVEN",
    "STEP_GOAL_NOT_MET",
    "STEP_HARDSHIP_TAXES",
    "STEP_LIMIT_BALANCE",
    "STEP_LIMIT_CAP",
    "STEP_MEDICAL_FLOOR",
    "STEP_OWED",
    "STEP_PRO_RATA",
    "STEP_PRO_RATA_LEFT_OUT",
    "STEP_REFUND",
    "STEP_SEPARATE_FORMS",
    "STEP_SEVERAL",
    "STEP_SPLIT",
    "STEP_SPLIT_CASH",
    "STEP_SPLIT_ROTH_IRA",
    "STEP_SPLIT_TRADITIONAL",
    "TAX_YEARS",
    "TO_ROTH_IRA",
    "TO_TRADITIONAL",
    "TO_YOU",
    "WITHHOLDING",
]

# Tables
PARAMETERS = "parameters"
TAX_YEARS = "tax_years"
FILING_STATUSES = "filing_statuses"
DESTINATIONS = "destinations"
SOURCES = "money_sources"
HARDSHIP_REASONS = "hardship_reasons"
PERMISSIONS = "permissions"
ROUTES = "routes"
EXCEPTIONS = "exceptions"
INELIGIBLE = "rollover_ineligible"
WITHHOLDING = "withholding"
CODES = "form_1099r_codes"
CAUTIONS = "cautions"
QUESTIONS = "questions"
STEPS = "steps"
RESULTS = "results"

# Parameters the engine applies by name (their values live in parameters.yaml)
PENALTY_FREE_AGE = "penalty_free_age"
PENALTY_RATE = "additional_tax_rate"
DEFAULT_MIN_AGE = "deferral_unlock_age"
DEFAULT_RETURN = "default_annual_return"
DEFAULT_YEARS = "default_years_to_retirement"
ROLLOVER_WINDOW = "rollover_window_days"
REPAYMENT_WINDOW = "repayment_years"
MEDICAL_FLOOR_RATE = "medical_expense_floor_rate"

# Exceptions table: the entry that explains why nothing is owed from the penalty-free age
AGE_EXCEPTION = "age_59_half"
# The request value meaning "no exception chosen" (spec/calculator.md)
NO_EXCEPTION = "none"

# Destinations: the engine treats each of these differently (spec/calculator.md), so their ids are
# mechanism; the destinations table gives them their words and sources and may not add one.
CASH = "cash"
DIRECT_ROLLOVER = "direct_rollover"
INDIRECT_ROLLOVER = "indirect_rollover"
SPLIT = "split"
DESTINATION_IDS = (CASH, DIRECT_ROLLOVER, INDIRECT_ROLLOVER, SPLIT)
# A split's direct rollovers (Notice 2014-54): the two kinds of account, keys of request.split.
TO_TRADITIONAL = "traditional"
TO_ROTH_IRA = "roth_ira"
SPLIT_ACCOUNTS = (TO_TRADITIONAL, TO_ROTH_IRA)
# Who receives a Form 1099-R's money: the person, or the account of a direct rollover.
TO_YOU = "you"

# Sources: the request value meaning "every source the route can pay from, in proportion".
PRO_RATA = "pro_rata"

# Goals (request.goal.kind): the result figure each one targets.
GOAL_IN_HAND = "in_hand"
GOAL_AFTER_TAX = "after_tax"
GOAL_FIGURES = {GOAL_IN_HAND: "check_amount", GOAL_AFTER_TAX: "cash_after_tax"}

# Tax characters of a Form 1099-R: designated Roth money is reported on a form of its own.
ROTH_FORM = "designated_roth"
OTHER_FORM = "other"

# Steps table: the calculator's own determinations, each with its trace line and sources.
STEP_OWED = "due_at_filing_owed"
STEP_REFUND = "due_at_filing_refund"
STEP_EVEN = "due_at_filing_even"
STEP_GOAL_NOT_MET = "goal_not_met"
STEP_LIMIT_BALANCE = "goal_limit_balance"
STEP_LIMIT_CAP = "goal_limit_cap"
STEP_HARDSHIP_TAXES = "hardship_need_includes_taxes"
STEP_PRO_RATA = "pro_rata"
STEP_PRO_RATA_LEFT_OUT = "pro_rata_left_out"
STEP_SEVERAL = "several_sources"
STEP_SEPARATE_FORMS = "separate_forms"
STEP_SPLIT = "split_allocation"
STEP_SPLIT_CASH = "split_to_cash"
STEP_SPLIT_TRADITIONAL = "split_to_traditional"
STEP_SPLIT_ROTH_IRA = "split_to_roth_ira"
STEP_MEDICAL_FLOOR = "medical_expense_floor"
STEP_COMPARE_CHEAPEST = "compare_cheapest"
STEP_COMPARE_MORE = "compare_costs_more"
STEP_COMPARE_SAME = "compare_same_tax"
STEP_COMPARE_SHORT = "compare_short"
# Permission checks a goal can run into: the balance and the route's limit.
BALANCE_CHECK = "within_available_balance"
CAP_CHECK = "within_route_cap"
# The medical expense exception: its floor applies when the person gives the expenses paid.
MEDICAL_EXCEPTION = "medical_expenses"

__all__ += [  # plan loans
    "LOAN_AMORTIZATION", "LOAN_CHECKS", "LOAN_CURE", "LOAN_CURE_QUARTERS", "LOAN_DEEMED", "LOAN_DEFAULT_RATE",
    "LOAN_DEFAULT_YEARS", "LOAN_FREQUENCIES", "LOAN_GROWTH", "LOAN_INTEREST", "LOAN_LIMIT_STEPS", "LOAN_MAX",
    "LOAN_OFFSET", "LOAN_OFFSET_ROLLOVER", "LOAN_OPTION", "LOAN_PAID_OFF", "LOAN_RESIDENCE", "LOAN_RULES", "LOAN_TAX",
    "LOAN_TAX_YEAR", "RETURN_DUE_DAY", "RETURN_DUE_MONTH",
]

# Plan loans (engine/loan*.py). The loan rules table holds the figures' formulas and wording; these
# are the entries the loan evaluation applies, in the order it applies them.
LOAN_RULES = "loan_rules"
LOAN_FREQUENCIES = "loan_frequencies"
LOAN_LIMIT_STEPS = (("dollar_limit", "dollar_limit"), ("vested_limit", "vested_limit"), ("all_loans_limit", "limit"),
                    ("account_balance", "max_loan"))
"""(rule id, fact): each rule computes the fact ``loan.<fact>`` from its ``amount`` expression, in this order."""
LOAN_MAX = "max_loan"
"""The fact holding the largest loan offered now (the last step's)."""
LOAN_CHECKS = ("all_loans_limit", "account_balance", "term", "level_payments", "something_to_lend")
"""Each entry's ``test`` must hold, or the loan is not allowed (``blocked``)."""
LOAN_RESIDENCE = "residence_loan"
LOAN_INTEREST = "plan_rate"
LOAN_AMORTIZATION = "amortization"
LOAN_GROWTH = "growth_given_up"
LOAN_OFFSET = "loan_offset"
LOAN_OFFSET_ROLLOVER = "offset_rollover"
LOAN_CURE = "missed_payment_cure"
LOAN_DEEMED = "deemed_distribution"
LOAN_TAX = "distribution_tax"
LOAN_TAX_YEAR = "tax_year_used"
LOAN_PAID_OFF = "paid_off"
LOAN_OPTION = "borrow_instead"

# Parameters of plan loans the engine applies by name
LOAN_DEFAULT_RATE = "default_loan_interest_rate"
LOAN_DEFAULT_YEARS = "loan_term_years"
LOAN_CURE_QUARTERS = "loan_cure_quarters"
RETURN_DUE_MONTH = "extended_return_due_month"
RETURN_DUE_DAY = "extended_return_due_day"
