"""Check a scenario against the input contract and fill in its defaults: who, the plan, balances.

Every problem is collected with the dotted path of the field it concerns (:mod:`.checker`), so a
form can mark each bad field at once and ``rulebook calc`` can name them all. The ranges below are
the input contract (what the calculator accepts), not rules of law; every id (routes, sources,
filing statuses, tax years) is checked against the rule tables, and editorial defaults come from
the parameters table. The request, the part with most rules of its own, is checked in
:mod:`.request`. Nothing here raises on any JSON-like input.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from . import names
from .checker import AGE, MONEY_MAX, RETURN, STATE_RATE, YEARS, Checker, Error, kind_of
from .loan_scenario import validate_plan_loans
from .prepared import Prepared
from .request import check_request

__all__ = ["MONEY_MAX", "PLAN_TYPES", "Scenario", "validate"]

Scenario = dict[str, Any]

PLAN_TYPES = ("401k", "403b")

_TOP = ("tax_year", "person", "plan", "balances", "request", "assumptions")
_PERSON = ("age", "still_employed", "filing_status", "other_income", "state_tax_rate", "disabled",
           "plans_roth_conversion", "uses_aca_subsidy")
_PLAN = ("type", "allows", "age_based_min_age", "loans")
_ASSUMPTIONS = ("annual_return", "years_to_retirement")
_ZERO = Decimal(0)
_ONE = Decimal(1)

_MIN_AGE = (Decimal(0), Decimal(75))


def validate(scenario: Any, rules: Prepared) -> tuple[Scenario | None, list[Error]]:
    """The scenario with every default filled in, or ``None`` and every input error."""
    check = Checker()
    top = check.mapping(scenario, "", _TOP, required=True)
    if top is None:
        return None, check.errors
    year = check.whole(top, "tax_year", "tax_year", None)
    if year is not None and year not in rules.schedules:
        shown = str(year) if abs(year) < 10**9 else "that number"  # str() of a 5,000-digit int raises
        check.error("tax_year", f"{shown} is not a year the rule tables cover ({', '.join(str(y) for y in rules.years)})")
        year = None
    params = rules.params[year] if year is not None else rules.params[rules.years[-1]]
    out: Scenario = {"tax_year": year}
    out["person"] = _person(check, top.get("person"), rules)
    out["plan"] = _plan(check, top.get("plan"), rules, params)
    out["balances"] = _balances(check, top.get("balances"), rules, year)
    out["assumptions"] = _assumptions(check, top.get("assumptions"), params)
    out["request"] = check_request(check, top.get("request"), rules, out)
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
        "still_employed": check.flag(data, "still_employed", "person.still_employed", True),
        "filing_status": check.choice(data, "filing_status", "person.filing_status", statuses, next(iter(statuses))),
        "other_income": check.money(data, "other_income", "person.other_income", _ZERO),
        "state_tax_rate": check.number(data, "state_tax_rate", "person.state_tax_rate", _ZERO, *STATE_RATE),
        "disabled": check.flag(data, "disabled", "person.disabled", False),
        "plans_roth_conversion": check.flag(data, "plans_roth_conversion", "person.plans_roth_conversion", False),
        "uses_aca_subsidy": check.flag(data, "uses_aca_subsidy", "person.uses_aca_subsidy", False),
    }


def _plan(check: Checker, value: Any, rules: Prepared, params: Mapping[str, Decimal]) -> dict[str, Any]:
    data = check.mapping(value, "plan", _PLAN, required=False)
    if data is None:
        return {}
    allows: list[str] = []
    raw = data.get("allows")
    routes = rules.by_id[names.ROUTES]
    if raw is not None:
        if not isinstance(raw, (list, tuple)):
            check.error("plan.allows", f"expected a list of route ids, got {kind_of(raw)}")
        else:
            for index, item in enumerate(raw):
                if not isinstance(item, str) or item not in routes:
                    shown = item if isinstance(item, str) else kind_of(item)
                    check.error(f"plan.allows[{index}]", f"'{shown}' is not a route; expected one of: {', '.join(routes)}")
                elif item in allows:  # most likely a slip for another route: say so rather than guess
                    check.error(f"plan.allows[{index}]", f"'{item}' is listed twice")
                else:
                    allows.append(item)
    loans, problems = validate_plan_loans(data.get("loans"), rules)  # does the plan lend, and how (for compare)
    check.errors.extend(problems)
    return {
        "loans": loans,
        "type": check.choice(data, "type", "plan.type", PLAN_TYPES, PLAN_TYPES[0]),
        "allows": tuple(allows),
        "age_based_min_age": check.number(data, "age_based_min_age", "plan.age_based_min_age",
                                          params.get(names.DEFAULT_MIN_AGE), *_MIN_AGE),
    }


def _balance_keys(source: Mapping[str, Any]) -> tuple[str, ...]:
    """The fields a source's balance needs: from its tax character and vesting in the tables."""
    keys = ["balance"]
    if source.get("tax_character") != "pretax":
        keys.append("contributions")
    if source.get("tax_character") == "roth":
        keys.append("first_year")
    if source.get("vesting"):
        keys.append("vested")
    return tuple(keys)


_BalanceSpec = tuple[str, tuple[str, ...], frozenset[str], str, str, str, str, str]


def _balance_specs(rules: Prepared) -> list[_BalanceSpec]:
    """Each source's id, balance fields and the dotted names of those fields, once per rule set."""
    specs: list[_BalanceSpec] | None = rules.derived.get("balance_specs")
    if specs is None:
        specs = []
        for source_id, source in rules.by_id[names.SOURCES].items():
            field = f"balances.{source_id}"
            keys = _balance_keys(source)
            specs.append((source_id, keys, frozenset(keys), field, f"{field}.balance", f"{field}.contributions",
                          f"{field}.first_year", f"{field}.vested"))
        rules.derived["balance_specs"] = specs
    return specs


def _balances(check: Checker, value: Any, rules: Prepared, year: int | None) -> dict[str, dict[str, Any]]:
    sources = rules.by_id[names.SOURCES]
    data = check.mapping(value, "balances", tuple(sources), required=False) or {}
    out: dict[str, dict[str, Any]] = {}
    for source_id, keys, known, field, balance_field, contributions_field, first_year_field, vested_field in _balance_specs(rules):
        raw = data.get(source_id)
        entry: dict[str, Any] = {"balance": _ZERO, "contributions": _ZERO, "first_year": 0, "vested": _ONE}
        if raw is None:
            out[source_id] = entry
            continue
        if keys == ("balance",):
            entry["balance"] = check.money({"b": raw}, "b", field, None)
            out[source_id] = entry
            continue
        # A plain object of known keys needs no check of its own (the usual case); anything else is checked.
        parts = raw if type(raw) is dict and raw.keys() <= known else check.mapping(raw, field, keys, required=True)
        if parts is None:
            out[source_id] = entry
            continue
        entry["balance"] = check.money(parts, "balance", balance_field, None)
        if "contributions" in keys:
            entry["contributions"] = check.money(parts, "contributions", contributions_field, None)
        if "first_year" in keys:
            entry["first_year"] = check.whole(parts, "first_year", first_year_field, None, 1, year)
        if "vested" in keys:
            entry["vested"] = check.number(parts, "vested", vested_field, None, _ZERO, _ONE)
        out[source_id] = entry
    return out


def _assumptions(check: Checker, value: Any, params: Mapping[str, Decimal]) -> dict[str, Any]:
    data = check.mapping(value, "assumptions", _ASSUMPTIONS, required=False)
    if data is None:
        return {}
    default_years = params.get(names.DEFAULT_YEARS)
    return {
        "annual_return": check.number(data, "annual_return", "assumptions.annual_return", params.get(names.DEFAULT_RETURN), *RETURN),
        "years_to_retirement": check.whole(data, "years_to_retirement", "assumptions.years_to_retirement",
                                           int(default_years) if default_years is not None else None, *YEARS),
    }
