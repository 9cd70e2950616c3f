"""The names by which the engine reads the rule tables: table ids and the few parameters it uses.

The engine is mechanism: it holds no figure, list or wording of the law. What it does hold is
where to look, and those names are gathered here so that renaming a table or a parameter is a
one-file change and a reader can see at a glance everything the engine depends on.
"""

from __future__ import annotations

__all__ = [
    "AGE_EXCEPTION", "CASH", "CAUTIONS", "CODES", "DEFAULT_MIN_AGE", "DEFAULT_RETURN", "DEFAULT_YEARS", "DESTINATIONS",
    "DESTINATION_IDS", "DIRECT_ROLLOVER", "EXCEPTIONS", "FILING_STATUSES", "HARDSHIP_REASONS", "INDIRECT_ROLLOVER",
    "INELIGIBLE", "NO_EXCEPTION", "PARAMETERS", "PENALTY_FREE_AGE",
    "PENALTY_RATE", "PERMISSIONS", "QUESTIONS", "REPAYMENT_WINDOW", "ROLLOVER_WINDOW", "ROUTES", "SOURCES", "TAX_YEARS",
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

# Parameters the engine applies by name (their values live in parameters.yaml)
PENALTY_FREE_AGE = "penalty_free_age"
PENALTY_RATE = "additional_tax_rate"
DEFAULT_MIN_AGE = "deferral_unlock_age"
DEFAULT_RETURN = "default_annual_return"
DEFAULT_YEARS = "default_years_to_retirement"
ROLLOVER_WINDOW = "rollover_window_days"
REPAYMENT_WINDOW = "repayment_years"

# Exceptions table: the entry that explains why nothing is owed from the penalty-free age
AGE_EXCEPTION = "age_59_half"
# The request value meaning "no exception chosen" (spec/calculator.md)
NO_EXCEPTION = "none"

# Destinations: the engine treats each of these differently (spec/calculator.md), so their ids are
# mechanism; the destinations table gives them their words and sources and may not add one.
CASH = "cash"
DIRECT_ROLLOVER = "direct_rollover"
INDIRECT_ROLLOVER = "indirect_rollover"
DESTINATION_IDS = (CASH, DIRECT_ROLLOVER, INDIRECT_ROLLOVER)
