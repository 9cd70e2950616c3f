"""Check the request: what is asked for, from which money, sent where, with which exception.

A request names its route and asks in exactly one way: a gross ``amount`` from one ``source`` (an
id, or ``pro_rata`` across every source the route can pay from), a ``goal`` instead of the amount
(money in hand now, or kept after all taxes), or ``sources`` with an amount each. Messages name the
route or exception by its label from the tables, never by its id, because people read them next to
the form. Each rule below is one input error of the contract (docs: the calculator's contract page).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..ground.expressions import compile_expr
from . import names
from .checker import Checker
from .prepared import Prepared

__all__ = ["REQUEST_KEYS", "check_request"]

REQUEST_KEYS = ("route", "source", "amount", "goal", "sources", "hardship_reason", "destination", "split", "rolled_over",
                "exception", "exception_amount", "medical_expenses", "withholding_rate")
_GOAL_KEYS = ("kind", "amount")
_ZERO = Decimal(0)


def check_request(check: Checker, value: Any, rules: Prepared, scenario: dict[str, Any]) -> dict[str, Any]:
    """The request with its defaults, every problem recorded on ``check``."""
    data = check.mapping(value, "request", REQUEST_KEYS, required=True)
    if data is None:
        return {}
    routes = rules.by_id[names.ROUTES]
    route_id = check.choice(data, "route", "request.route", routes, None)
    route = routes.get(route_id or "")
    destination = check.choice(data, "destination", "request.destination", names.DESTINATION_IDS, names.CASH)
    out: dict[str, Any] = {"route": route_id, "destination": destination}
    out.update(_what(check, data, rules, destination))
    out["split"] = _split(check, data, destination, out["gross_known"])
    out["hardship_reason"] = _reason(check, data, rules, route)
    out["rolled_over"] = _rolled_over(check, data, destination, out["gross_known"])
    out.update(_exception(check, data, rules, route, scenario))
    out["withholding_rate"] = _withholding_rate(check, data, destination)
    return out


def _what(check: Checker, data: Mapping[str, Any], rules: Prepared, destination: str | None) -> dict[str, Any]:
    """How much from which money: ``amount``, ``goal`` or ``sources`` (exactly one), and ``source``."""
    sources = rules.by_id[names.SOURCES]
    given = [key for key in ("amount", "goal", "sources") if data.get(key) is not None]
    out: dict[str, Any] = {"source": None, "amount": None, "goal": None, "sources": None, "gross_known": None}
    if not given:
        check.error("request.amount", "required: the gross amount you ask for (or give request.goal, or request.sources)")
    for extra in given[1:]:
        check.error(f"request.{extra}", f"give only one of request.{given[0]} and request.{extra}")
    if data.get("sources") is not None:
        if data.get("source") is not None:
            check.error("request.source", "leave this out when request.sources names the sources")
        out["sources"] = _several(check, data["sources"], sources)
        if out["sources"]:
            out["gross_known"] = sum(out["sources"].values(), _ZERO)
        return out
    choices = rules.derived.get("source_choices")
    if choices is None:
        choices = rules.derived["source_choices"] = (*sources, names.PRO_RATA)
    out["source"] = check.choice(data, "source", "request.source", choices, None)
    if data.get("goal") is not None:
        out["goal"] = _goal(check, data["goal"], rules)
        if destination not in (None, names.CASH, names.INDIRECT_ROLLOVER):
            check.error("request.goal", "a goal is money paid to you: use it with the money paid in cash or an indirect rollover")
        return out
    out["amount"] = check.money(data, "amount", "request.amount", None, positive=True) if "amount" in given else None
    out["gross_known"] = out["amount"]
    return out


def _several(check: Checker, value: Any, sources: Mapping[str, Any]) -> dict[str, Decimal] | None:
    parts = check.mapping(value, "request.sources", tuple(sources), required=True)
    if parts is None:
        return None
    found: dict[str, Decimal] = {}
    for source_id in sources:  # table order, so results list the parts in a stable order
        if parts.get(source_id) is not None:
            amount = check.money(parts, source_id, f"request.sources.{source_id}", None, positive=True)
            if amount is not None:
                found[source_id] = amount
    if not parts:
        check.error("request.sources", "name at least one source with the amount to take from it")
    return found or None


def _goal(check: Checker, value: Any, rules: Prepared) -> dict[str, Any] | None:
    goal = check.mapping(value, "request.goal", _GOAL_KEYS, required=True)
    if goal is None:
        return None
    kind = check.choice(goal, "kind", "request.goal.kind", tuple(names.GOAL_FIGURES), None)
    amount = check.money(goal, "amount", "request.goal.amount", None, positive=True)
    return {"kind": kind, "amount": amount} if kind is not None and amount is not None else None


def _split(check: Checker, data: Mapping[str, Any], destination: str | None, gross: Decimal | None) -> dict[str, Decimal] | None:
    raw = data.get("split")
    if destination != names.SPLIT:
        if raw is not None:
            check.error("request.split", "only with the money split between direct rollovers and cash (destination split)")
        return None
    split = check.mapping(raw, "request.split", names.SPLIT_ACCOUNTS, required=True)
    if split is None:
        return None
    out = {account: check.money(split, account, f"request.split.{account}", _ZERO) for account in names.SPLIT_ACCOUNTS}
    if any(v is None for v in out.values()):
        return None
    amounts: dict[str, Decimal] = {k: v for k, v in out.items() if v is not None}
    total = sum(amounts.values(), _ZERO)
    if total <= 0:
        check.error("request.split", "send some of the money by direct rollover (a traditional IRA or plan, a Roth IRA, or both)")
    elif gross is not None and total > gross:
        check.error("request.split", "the direct rollovers add up to more than the amount you ask for")
    return amounts


def _reason(check: Checker, data: Mapping[str, Any], rules: Prepared, route: Mapping[str, Any] | None) -> str | None:
    reasons = rules.by_id[names.HARDSHIP_REASONS]
    if data.get("hardship_reason") is not None:
        reason = check.choice(data, "hardship_reason", "request.hardship_reason", reasons, None)
        if route is not None and not route.get("needs_hardship_reason") and reason is not None:
            check.error("request.hardship_reason", f"only for a hardship withdrawal; the {route['label']} route takes no reason")
        return reason
    if route is not None and route.get("needs_hardship_reason"):
        labels = "; ".join(str(r["label"]) for r in reasons.values())
        check.error("request.hardship_reason", f"required for the {route['label']} route: choose one of {labels}")
    return None


def _rolled_over(check: Checker, data: Mapping[str, Any], destination: str | None, gross: Decimal | None) -> Decimal | None:
    rolled = check.money(data, "rolled_over", "request.rolled_over", _ZERO)
    if rolled is not None and rolled > 0 and destination is not None and destination != names.INDIRECT_ROLLOVER:
        check.error("request.rolled_over", "only with an indirect rollover (paid to you, then redeposited)")
    elif rolled is not None and gross is not None and rolled > gross:
        check.error("request.rolled_over", "cannot be more than the amount you ask for")
    return rolled


def _exception(check: Checker, data: Mapping[str, Any], rules: Prepared, route: Mapping[str, Any] | None,
               scenario: dict[str, Any]) -> dict[str, Any]:
    exceptions = rules.by_id[names.EXCEPTIONS]
    choices = rules.derived.get("exception_choices")
    if choices is None:
        choices = rules.derived["exception_choices"] = (names.NO_EXCEPTION, *rules.selectable)
    exception = check.choice(data, "exception", "request.exception", choices, names.NO_EXCEPTION)
    entry = exceptions.get(exception or "")
    if entry is not None and route is not None and route.get("builtin_exception"):
        builtin = exceptions.get(str(route["builtin_exception"]), {}).get("label", route["builtin_exception"])
        check.error("request.exception", f"the {route['label']} route carries its own exception ({builtin}); leave this at none")
    person = scenario["person"]
    if entry is not None:
        facts = {"disabled": person.get("disabled"), "age": person.get("age"), "still_employed": person.get("still_employed")}
        for condition in entry.get("requires") or ():
            try:
                ok = bool(compile_expr(condition["test"])(facts))
            except Exception:  # a requirement over facts not known at input time is checked later
                ok = True
            if not ok:
                check.error("request.exception", str(condition.get("message", "")).strip())
    needs = entry is not None and bool(entry.get("needs_amount"))
    amounts = {}
    for key in ("exception_amount", "medical_expenses"):
        amounts[key] = check.money(data, key, f"request.{key}", None) if data.get(key) is not None else None
        if data.get(key) is not None and not needs and exception is not None:
            check.error(f"request.{key}", "only with an exception that needs an amount (the medical expense exception)")
    if needs and data.get("exception_amount") is None and data.get("medical_expenses") is None:
        assert entry is not None
        check.error("request.exception_amount", f"required with the {entry['label']} exception (or give request.medical_expenses)")
    if data.get("exception_amount") is not None and data.get("medical_expenses") is not None:
        check.error("request.medical_expenses", "give either the deductible amount (exception_amount) or the expenses paid, not both")
    return {"exception": exception, **amounts}


def _withholding_rate(check: Checker, data: Mapping[str, Any], destination: str | None) -> Decimal | None:
    if data.get("withholding_rate") is None:
        return None
    rate = check.number(data, "withholding_rate", "request.withholding_rate", None, _ZERO, Decimal(1))
    if destination == names.DIRECT_ROLLOVER:
        check.error("request.withholding_rate", "nothing is withheld from a direct rollover; leave this empty")
    return rate
