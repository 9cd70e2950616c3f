"""Check a scenario against the input contract of spec/calculator.md and fill in its defaults.

Every problem is collected with the dotted path of the field it concerns, so a form can mark each
bad field at once and ``rulebook calc`` can name them all. The ranges below are the input
contract (what the calculator accepts), not rules of law; every id (routes, sources, reasons,
exceptions, filing statuses, tax years) is checked against the rule tables, and editorial
defaults come from the parameters table. Nothing here raises on any JSON-like input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..ground.expressions import compile_expr
from . import names
from .prepared import Prepared

__all__ = ["MONEY_MAX", "PLAN_TYPES", "Scenario", "validate"]

Scenario = dict[str, Any]
Error = dict[str, str]

PLAN_TYPES = ("401k", "403b")

_TOP = ("tax_year", "person", "plan", "balances", "request", "assumptions")
_PERSON = ("age", "still_employed", "filing_status", "other_income", "state_tax_rate", "disabled",
           "plans_roth_conversion", "uses_aca_subsidy")
_PLAN = ("type", "allows", "age_based_min_age")
_REQUEST = ("route", "source", "amount", "hardship_reason", "destination", "rolled_over", "exception",
            "exception_amount", "withholding_rate")
_ASSUMPTIONS = ("annual_return", "years_to_retirement")
_ZERO = Decimal(0)
_ONE = Decimal(1)

# Money: no real account, income or withdrawal reaches a trillion dollars. The bound keeps every
# figure far inside Decimal's exact range, so arithmetic can never overflow or lose a cent.
MONEY_MAX = Decimal(10) ** 12
_AGE = (Decimal(0), Decimal(120))
_MIN_AGE = (Decimal(0), Decimal(75))
_STATE_RATE = (Decimal(0), Decimal("0.15"))
_RETURN = (Decimal("-0.5"), Decimal("0.5"))
_YEARS = (0, 60)


class _Checker:
    def __init__(self) -> None:
        self.errors: list[Error] = []

    def error(self, field: str, message: str) -> None:
        self.errors.append({"field": field, "message": message})

    def mapping(self, value: Any, field: str, keys: tuple[str, ...], required: bool) -> Mapping[str, Any] | None:
        if value is None and not required:
            return {}
        if not isinstance(value, Mapping):
            self.error(field, "expected an object" if value is not None else "required")
            return None
        # Sorted: a JavaScript object lists integer-like keys ("0") before the
        # rest whatever order they were written in, so insertion order would
        # make the browser and CPython report the same mistakes differently.
        for key in sorted((k for k in value if k not in keys), key=str):
            where = f"{field}.{key}" if field else str(key)
            self.error(where, f"unknown key; expected one of: {', '.join(keys)}")
        return value

    def number(self, data: Mapping[str, Any], key: str, field: str, default: Decimal | None,
               low: Decimal | None = None, high: Decimal | None = None, above: Decimal | None = None) -> Decimal | None:
        value = data.get(key)
        if value is None:
            if default is None:
                self.error(field, "required")
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            self.error(field, f"expected a number, got {_kind(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.error(field, "expected a finite number")
            return None
        if isinstance(value, Decimal) and not value.is_finite():
            self.error(field, "expected a finite number")
            return None
        # An int goes to Decimal directly: str() of a 5,000-digit int raises (Python's digit limit).
        number = value if isinstance(value, Decimal) else Decimal(value) if isinstance(value, int) else Decimal(str(value))
        if (low is not None and number < low) or (high is not None and number > high):
            self.error(field, f"must be from {_show(low)} to {_show(high)}" if low is not None and high is not None
                       else f"must be at least {_show(low)}" if low is not None else f"must be at most {_show(high)}")
            return None
        if above is not None and number <= above:
            self.error(field, f"must be more than {_show(above)}")
            return None
        return number

    def money(self, data: Mapping[str, Any], key: str, field: str, default: Decimal | None,
              positive: bool = False) -> Decimal | None:
        """A dollar amount: at least 0 (more than 0 when ``positive``) and at most :data:`MONEY_MAX`."""
        number = self.number(data, key, field, default)
        if number is None:
            return None
        if number > MONEY_MAX:
            self.error(field, f"must be at most ${MONEY_MAX:,.0f}; no real account or income is that large")
            return None
        if positive and number <= 0:
            self.error(field, "must be more than 0")
            return None
        if number < 0:
            self.error(field, "must be at least 0")
            return None
        return number

    def whole(self, data: Mapping[str, Any], key: str, field: str, default: int | None,
              low: int | None = None, high: int | None = None) -> int | None:
        value = data.get(key)
        if value is None:
            if default is None:
                self.error(field, "required")
            return default
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(field, f"expected a whole number, got {_kind(value)}")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(field, f"must be from {low} to {high}" if low is not None and high is not None
                       else f"must be at least {low}" if low is not None else f"must be at most {high}")
            return None
        return value

    def flag(self, data: Mapping[str, Any], key: str, field: str, default: bool) -> bool:
        value = data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(field, f"expected true or false, got {_kind(value)}")
            return default
        return value

    def choice(self, data: Mapping[str, Any], key: str, field: str, choices: Any, default: str | None) -> str | None:
        value = data.get(key)
        if value is None:
            if default is None:
                self.error(field, "required")
            return default
        if not isinstance(value, str) or value not in choices:
            shown = value if isinstance(value, str) else _kind(value)
            self.error(field, f"'{shown}' is not one of: {', '.join(str(c) for c in choices)}")
            return None
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return f"text '{value[:40]}'"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return type(value).__name__


def _show(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def validate(scenario: Any, rules: Prepared) -> tuple[Scenario | None, list[Error]]:
    """The scenario with every default filled in, or ``None`` and every input error."""
    check = _Checker()
    top = check.mapping(scenario, "", _TOP, required=True)
    if top is None:
        return None, check.errors
    year = check.whole(top, "tax_year", "tax_year", None)
    if year is not None and year not in rules.schedules:
        check.error("tax_year", f"{year} is not a year the rule tables cover ({', '.join(str(y) for y in rules.years)})")
        year = None
    params = rules.params[year] if year is not None else rules.params[rules.years[-1]]
    out: Scenario = {"tax_year": year}
    out["person"] = _person(check, top.get("person"), rules)
    out["plan"] = _plan(check, top.get("plan"), rules, params)
    out["balances"] = _balances(check, top.get("balances"), rules, year)
    out["assumptions"] = _assumptions(check, top.get("assumptions"), params)
    out["request"] = _request(check, top.get("request"), rules, out)
    if check.errors:
        return None, check.errors
    return out, []


def _person(check: _Checker, value: Any, rules: Prepared) -> dict[str, Any]:
    data = check.mapping(value, "person", _PERSON, required=True)
    if data is None:
        return {}
    statuses = rules.by_id[names.FILING_STATUSES]
    return {
        "age": check.number(data, "age", "person.age", None, *_AGE),
        "still_employed": check.flag(data, "still_employed", "person.still_employed", True),
        "filing_status": check.choice(data, "filing_status", "person.filing_status", statuses, next(iter(statuses))),
        "other_income": check.money(data, "other_income", "person.other_income", _ZERO),
        "state_tax_rate": check.number(data, "state_tax_rate", "person.state_tax_rate", _ZERO, *_STATE_RATE),
        "disabled": check.flag(data, "disabled", "person.disabled", False),
        "plans_roth_conversion": check.flag(data, "plans_roth_conversion", "person.plans_roth_conversion", False),
        "uses_aca_subsidy": check.flag(data, "uses_aca_subsidy", "person.uses_aca_subsidy", False),
    }


def _plan(check: _Checker, value: Any, rules: Prepared, params: Mapping[str, Decimal]) -> dict[str, Any]:
    data = check.mapping(value, "plan", _PLAN, required=False)
    if data is None:
        return {}
    allows: list[str] = []
    raw = data.get("allows")
    routes = rules.by_id[names.ROUTES]
    if raw is not None:
        if not isinstance(raw, (list, tuple)):
            check.error("plan.allows", f"expected a list of route ids, got {_kind(raw)}")
        else:
            for index, item in enumerate(raw):
                if not isinstance(item, str) or item not in routes:
                    shown = item if isinstance(item, str) else _kind(item)
                    check.error(f"plan.allows[{index}]", f"'{shown}' is not a route; expected one of: {', '.join(routes)}")
                else:
                    allows.append(item)
    return {
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


def _balances(check: _Checker, value: Any, rules: Prepared, year: int | None) -> dict[str, dict[str, Any]]:
    sources = rules.by_id[names.SOURCES]
    data = check.mapping(value, "balances", tuple(sources), required=False)
    out: dict[str, dict[str, Any]] = {}
    for source_id, source in sources.items():
        keys = _balance_keys(source)
        field = f"balances.{source_id}"
        raw = (data or {}).get(source_id)
        entry: dict[str, Any] = {"balance": _ZERO, "contributions": _ZERO, "first_year": 0, "vested": _ONE}
        if raw is None:
            out[source_id] = entry
            continue
        if keys == ("balance",):
            entry["balance"] = check.money({"b": raw}, "b", field, None)
            out[source_id] = entry
            continue
        parts = check.mapping(raw, field, keys, required=True)
        if parts is None:
            out[source_id] = entry
            continue
        entry["balance"] = check.money(parts, "balance", f"{field}.balance", None)
        if "contributions" in keys:
            entry["contributions"] = check.money(parts, "contributions", f"{field}.contributions", None)
        if "first_year" in keys:
            entry["first_year"] = check.whole(parts, "first_year", f"{field}.first_year", None, 1, year)
        if "vested" in keys:
            entry["vested"] = check.number(parts, "vested", f"{field}.vested", None, _ZERO, _ONE)
        out[source_id] = entry
    return out


def _assumptions(check: _Checker, value: Any, params: Mapping[str, Decimal]) -> dict[str, Any]:
    data = check.mapping(value, "assumptions", _ASSUMPTIONS, required=False)
    if data is None:
        return {}
    default_years = params.get(names.DEFAULT_YEARS)
    return {
        "annual_return": check.number(data, "annual_return", "assumptions.annual_return", params.get(names.DEFAULT_RETURN), *_RETURN),
        "years_to_retirement": check.whole(data, "years_to_retirement", "assumptions.years_to_retirement",
                                           int(default_years) if default_years is not None else None, *_YEARS),
    }


def _request(check: _Checker, value: Any, rules: Prepared, scenario: Scenario) -> dict[str, Any]:  # noqa: C901 - one rule per line
    data = check.mapping(value, "request", _REQUEST, required=True)
    if data is None:
        return {}
    routes, sources = rules.by_id[names.ROUTES], rules.by_id[names.SOURCES]
    route_id = check.choice(data, "route", "request.route", routes, None)
    route = routes.get(route_id or "")
    source = check.choice(data, "source", "request.source", sources, None)
    amount = check.money(data, "amount", "request.amount", None, positive=True)
    destination = check.choice(data, "destination", "request.destination", names.DESTINATION_IDS, names.CASH)
    reasons = rules.by_id[names.HARDSHIP_REASONS]
    reason = data.get("hardship_reason")
    if reason is not None:
        reason = check.choice(data, "hardship_reason", "request.hardship_reason", reasons, None)
        if route is not None and not route.get("needs_hardship_reason") and reason is not None:
            check.error("request.hardship_reason", f"only for a route that needs a hardship reason, not {route_id}")
    elif route is not None and route.get("needs_hardship_reason"):
        check.error("request.hardship_reason", f"required for the {route_id} route; one of: {', '.join(reasons)}")
    rolled = check.money(data, "rolled_over", "request.rolled_over", _ZERO)
    if rolled is not None and rolled > 0 and destination is not None and destination != names.INDIRECT_ROLLOVER:
        check.error("request.rolled_over", f"only with destination {names.INDIRECT_ROLLOVER}")
    elif rolled is not None and amount is not None and rolled > amount:
        check.error("request.rolled_over", "cannot be more than request.amount")
    exception = check.choice(data, "exception", "request.exception", (names.NO_EXCEPTION, *rules.selectable), names.NO_EXCEPTION)
    entry = rules.by_id[names.EXCEPTIONS].get(exception or "")
    if entry is not None and route is not None and route.get("builtin_exception"):
        check.error("request.exception", f"the {route_id} route carries its own exception ({route['builtin_exception']}); "
                                         f"leave this at {names.NO_EXCEPTION}")
    person = scenario["person"]
    if entry is not None:
        for condition in entry.get("requires") or ():
            facts = {"disabled": person.get("disabled"), "age": person.get("age"), "still_employed": person.get("still_employed")}
            try:
                ok = bool(compile_expr(condition["test"])(facts))
            except Exception:  # a requirement over facts not known at input time is checked later
                ok = True
            if not ok:
                check.error("request.exception", str(condition.get("message", "")).strip())
    exception_amount = None
    if data.get("exception_amount") is not None:
        exception_amount = check.money(data, "exception_amount", "request.exception_amount", None)
        if (entry is None or not entry.get("needs_amount")) and exception is not None:
            check.error("request.exception_amount", "only with an exception that needs an amount")
    elif entry is not None and entry.get("needs_amount"):
        check.error("request.exception_amount", f"required with the {exception} exception")
    rate = None
    if data.get("withholding_rate") is not None:
        rate = check.number(data, "withholding_rate", "request.withholding_rate", None, _ZERO, _ONE)
        if destination == names.DIRECT_ROLLOVER:
            check.error("request.withholding_rate", f"nothing is withheld from a {names.DIRECT_ROLLOVER}; leave this null")
    return {"route": route_id, "source": source, "amount": amount, "hardship_reason": reason, "destination": destination,
            "rolled_over": rolled, "exception": exception, "exception_amount": exception_amount, "withholding_rate": rate}
