"""The vocabulary rule-table expressions may read: one name, one meaning.

Declared here, next to the code that computes the facts, so that the loader can reject a
misspelt name in a YAML condition at ``file:line`` and the editor's guide can list every name
with its meaning. ``param.<id>`` reads any figure of the parameters table for the scenario's tax
year; the loader checks those ids against the table.
"""

from __future__ import annotations

__all__ = ["FACTS", "PARAM_PREFIX"]

PARAM_PREFIX = "param."

FACTS: dict[str, tuple[str, str]] = {  # name: (unit, meaning)
    "tax_year": ("year", "the scenario's tax year"),
    "age": ("age", "age on the distribution date (59.5 means 59½ has been reached)"),
    "still_employed": ("bool", "works for the employer that sponsors the plan"),
    "disabled": ("bool", "meets the Code's definition of disabled, IRC 72(m)(7)"),
    "filing_status": ("text", "filing status id"),
    "filing_status_label": ("text", "the filing status's name"),
    "other_income": ("usd", "other ordinary income this year, before the standard deduction"),
    "plans_roth_conversion": ("bool", "the person plans Roth conversions this year"),
    "uses_aca_subsidy": ("bool", "the person relies on income-based health insurance subsidies"),
    "plan.type": ("text", "plan type id (401k or 403b)"),
    "plan.allows": ("list", "the in-service routes the written plan permits (a list of route ids)"),
    "plan.age_based_min_age": ("age", "the plan's stated age for age-based withdrawals"),
    "route.id": ("text", "the requested access route"),
    "route.label": ("text", "the requested route's name"),
    "route.builtin_exception": ("bool", "the route carries its own exception to the additional tax on early distributions"),
    "route.may_draw_from": ("list", "the source ids the route can pay from"),
    "route.destinations": ("list", "where the route's money may go"),
    "route.cap": ("usd", "the route's limit for this person, or None when it has none"),
    "route.rollover_eligible": ("bool", "an eligible rollover distribution for 401(a)(31), 402(f) and 3405"),
    "route.can_roll_over": ("bool", "may be rolled over or repaid at all (hardship may not)"),
    "source.id": ("text", "the money source the withdrawal comes from"),
    "source.label": ("text", "the source's name"),
    "source.pretax": ("bool", "the source is pre-tax money"),
    "source.roth": ("bool", "the source is designated Roth money"),
    "source.after_tax": ("bool", "the source is after-tax (non-Roth) employee money"),
    "source.elective_deferral": ("bool", "the source holds elective deferrals, locked in service until 59½"),
    "source.vesting": ("bool", "the source is subject to a vesting schedule"),
    "source.available": ("usd", "the distributable balance of the source (vested part for employer money)"),
    "vested_total": ("usd", "V: every balance before the distribution, employer money at its vested part"),
    "destination": ("text", "cash, direct_rollover or indirect_rollover"),
    "destination_label": ("text", "where the money goes, in words"),
    "amount": ("usd", "the gross amount requested"),
    "rolled_over": ("usd", "dollars re-deposited within the rollover or repayment window"),
    "exception": ("text", "the chosen exception id, or none"),
    "exception_amount": ("usd", "the medical expense amount claimed against the additional tax on early distributions"),
    "roth_qualified": ("bool", "the Roth money comes out as a qualified distribution"),
    "basis": ("usd", "the return of contributions in the distribution"),
    "taxable": ("usd", "the part includible in income before any rollover"),
    "taxable_kept": ("usd", "the taxable part left outside retirement savings"),
    "marginal_rate_before": ("rate", "the federal marginal rate on other income alone"),
    "marginal_rate_after": ("rate", "the federal marginal rate once the taxable amount kept is added"),
    # Known once the source is read (balances as entered).
    "hardship_reason": ("text", "the hardship reason id, or none"),
    "source.balance": ("usd", "the source's balance as entered (before vesting)"),
    "source.contributions": ("usd", "after-tax or Roth contributions in the source (its basis), 0 for pre-tax money"),
    "source.first_year": ("year", "first year of designated Roth contributions, 0 for other money"),
    "source.vested": ("rate", "the vested share of the source, 1 for money without vesting"),
    # Results, readable by trace lines (and by later conditions) once computed.
    "gross": ("usd", "the amount distributed"),
    "kept_out": ("usd", "the amount left outside retirement savings: gross less the amount rolled over"),
    "elected_withholding_rate": ("rate", "the withholding rate the person elected, or None"),
    "withholding_rate": ("rate", "the withholding rate that applies to the taxable part"),
    "withholding": ("usd", "federal income tax withheld by the plan"),
    "check_amount": ("usd", "the amount paid to the person"),
    "replacement_cash": ("usd", "money from elsewhere needed to roll over the whole gross amount"),
    "exempt_used": ("usd", "the part of the taxable amount kept that an exception frees of the additional tax on early distributions"),
    "additional_tax": ("usd", "the additional tax on early distributions (IRC 72(t))"),
    "standard_deduction": ("usd", "the basic standard deduction for the year and filing status"),
    "taxable_income_before": ("usd", "taxable income from other income alone"),
    "taxable_income_after": ("usd", "taxable income once the taxable amount kept is added"),
    "federal_income_tax": ("usd", "the federal income tax the withdrawal adds"),
    "state_tax_rate": ("rate", "the flat state rate entered"),
    "state_income_tax": ("usd", "state income tax on the taxable amount kept"),
    "total_tax": ("usd", "federal, additional and state tax together"),
    "cash_after_tax": ("usd", "what the person keeps once taxes are settled"),
    "annual_return": ("rate", "the yearly return assumed for the value-at-retirement estimate"),
    "years_to_retirement": ("years", "the years to retirement assumed for the estimate"),
    "value_at_retirement": ("usd", "what the money kept out might have grown to by retirement"),
}
