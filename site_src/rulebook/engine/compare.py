"""Options compared: every way the plan allows to meet the same need, ranked by what it costs.

For the scenario's need (its goal, or its gross amount), each route the plan allows is tried with
each source the route can draw on and, where two or more sources hold money, with a pro-rata draw
across them. An option the rules permit is evaluated like any request (a goal solved for its own
gross); one they do not permit is listed with the checks it fails. Permitted options are ranked:
those that reach the need first, then by total tax, then by the retirement value given up, then in
the tables' order, so CPython and the browser always list them alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..ground.wording import format_value
from . import names
from .evaluate import Evaluation, guarded
from .loan_compare import borrow_option
from .prepared import Prepared
from .scenario import validate
from .trace import SILENT, Trace

__all__ = ["compare"]

_ZERO = Decimal(0)
_FIGURES = ("gross", "check_amount", "due_at_filing", "total_tax", "total_tax_share", "cash_after_tax", "value_at_retirement")
_TAXES = ("federal_income_tax", "additional_tax", "state_income_tax")


def compare(scenario: Any, rules: Mapping[str, Any] | Prepared) -> dict[str, Any]:
    """``{need, options, not_permitted, borrow_instead}`` for ``scenario``, or ``{"errors": [...]}`` as :func:`evaluate` gives."""
    return guarded(lambda prepared: _compare(scenario, prepared), rules)


def _compare(scenario: Any, rules: Prepared) -> dict[str, Any]:
    valid, errors = validate(scenario, rules)
    if valid is None:
        return {"errors": errors}
    request = valid["request"]
    need = _need(request)
    options: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    order = 0
    for route_id, source in _candidates(valid, rules):
        option_request = _request_for(request, rules.by_id[names.ROUTES][route_id], source)
        option_scenario = {**scenario, "request": option_request} if isinstance(scenario, Mapping) else scenario
        checked, problems = validate(option_scenario, rules)
        option_id = f"{route_id}/{source}"
        if checked is None:
            refused.append({"id": option_id, "route": route_id, "source": source,
                            "blocked": [{"rule": p["field"], "message": p["message"]} for p in problems]})
            continue
        result = Evaluation(checked, rules, SILENT).run()
        if not result["allowed"]:
            refused.append({"id": option_id, "route": route_id, "source": source, "blocked": result["blocked"]})
            continue
        goal = result.get("goal")
        options.append({"id": option_id, "route": route_id, "source": source, "destination": option_request["destination"],
                        **{key: result[key] for key in _FIGURES}, **{key: result[key] for key in _TAXES},
                        "need_met": goal["met"] if goal else True, "limit": goal["limit"] if goal else None,
                        "request": option_request, "order": order})
        order += 1
    options.sort(key=lambda o: (not o["need_met"], Decimal(str(o["total_tax"])), Decimal(str(o["value_at_retirement"])), o["order"]))
    _explain(options, rules)
    # A loan is weighed beside the withdrawals, not ranked among them: at no tax it would always come
    # first, while what it costs is interest paid to yourself, growth given up and the risk of an offset.
    borrow = borrow_option(valid, rules, {"kind": need["kind"], "amount": Decimal(str(need["amount"]))})
    return {"need": need, "options": options, "not_permitted": refused, names.LOAN_OPTION: borrow}  # keyed by the row's id


def _need(request: Mapping[str, Any]) -> dict[str, Any]:
    goal = request.get("goal")
    if goal:
        return {"kind": goal["kind"], "amount": _money(goal["amount"])}
    amount = request["amount"] if request.get("amount") is not None else sum((request.get("sources") or {}).values(), _ZERO)
    return {"kind": "gross", "amount": _money(amount)}


def _candidates(scenario: Mapping[str, Any], rules: Prepared) -> list[tuple[str, str]]:
    """(route, source) pairs in the tables' order: each source the route names, then a pro-rata draw."""
    balances = scenario["balances"]
    allowed = set(scenario["plan"]["allows"])
    pairs = []
    for route in rules.entries[names.ROUTES]:
        if route["id"] not in allowed:
            continue
        sources = list(route.get("may_draw_from") or ())
        pairs += [(route["id"], source) for source in sources]
        funded = [s for s in sources if balances[s]["balance"] * balances[s]["vested"] > 0]
        if len(funded) > 1:
            pairs.append((route["id"], names.PRO_RATA))
    return pairs


def _request_for(request: Mapping[str, Any], route: Mapping[str, Any], source: str) -> dict[str, Any]:
    """The scenario's request moved to ``route`` and ``source``: the same need, where the money may go."""
    destination = request["destination"]
    if destination not in (route.get("destinations") or ()) or destination == names.SPLIT:
        destination = names.CASH
    out: dict[str, Any] = {"route": route["id"], "source": source, "destination": destination}
    if request.get("goal"):
        out["goal"] = {"kind": request["goal"]["kind"], "amount": _plain(request["goal"]["amount"])}
    else:
        out["amount"] = _plain(request["amount"] if request.get("amount") is not None
                               else sum((request.get("sources") or {}).values(), _ZERO))
    if route.get("needs_hardship_reason") and request.get("hardship_reason"):
        out["hardship_reason"] = request["hardship_reason"]
    if not route.get("builtin_exception") and request.get("exception") not in (None, names.NO_EXCEPTION):
        out["exception"] = request["exception"]
        for key in ("exception_amount", "medical_expenses"):
            if request.get(key) is not None:
                out[key] = _plain(request[key])
    if destination == names.INDIRECT_ROLLOVER and request.get("rolled_over"):
        out["rolled_over"] = _plain(request["rolled_over"])
    if destination != names.DIRECT_ROLLOVER and request.get("withholding_rate") is not None:
        out["withholding_rate"] = _plain(request["withholding_rate"])
    return out


def _explain(options: list[dict[str, Any]], rules: Prepared) -> None:
    """Rank, mark the cheapest, and say in a sentence why each other option costs more."""
    steps = rules.by_id[names.STEPS]
    results = {e["field"]: e["label"] for e in rules.entries[names.RESULTS]}
    say = Trace(rules)
    best = options[0] if options and options[0]["need_met"] else None
    for rank, option in enumerate(options, 1):
        option["rank"] = rank
        option["cheapest"] = option is best
        option.pop("order")
        if best is None or not option["need_met"]:
            facts = {**option, "goal_limit": steps[names.STEP_LIMIT_CAP if option["limit"] == names.CAP_CHECK
                                                    else names.STEP_LIMIT_BALANCE]["label"],
                     "goal_reached": option["check_amount"] if option["request"].get("goal", {}).get("kind") == names.GOAL_IN_HAND
                     else option["cash_after_tax"]}
            option["extra_tax"] = None  # its tax is for less money than the need: no figure to set beside the cheapest's
            option["why"] = say.fill(steps[names.STEP_COMPARE_SHORT]["trace"], _decimals(facts))
            continue
        extra = Decimal(str(option["total_tax"])) - Decimal(str(best["total_tax"]))
        forgone = Decimal(str(option["value_at_retirement"])) - Decimal(str(best["value_at_retirement"]))
        option["extra_tax"] = _money(extra)
        if option is best:
            option["why"] = say.fill(steps[names.STEP_COMPARE_CHEAPEST]["trace"], {})
        elif extra > 0:
            differences = [f"{results.get(key, key)} {_signed(Decimal(str(option[key])) - Decimal(str(best[key])))}"
                           for key in _TAXES if option[key] != best[key]]
            option["why"] = say.fill(steps[names.STEP_COMPARE_MORE]["trace"],
                                     {"extra_tax": extra, "tax_differences": ", ".join(differences)})
        else:
            option["why"] = say.fill(steps[names.STEP_COMPARE_SAME]["trace"], {"extra_forgone": forgone})
    for option in options:
        for key in _TAXES:
            option.pop(key)
        option.pop("limit")


def _signed(value: Decimal) -> str:
    text = format_value(abs(value), "usd")
    return f"+{text}" if value >= 0 else f"−{text}"


def _decimals(facts: Mapping[str, Any]) -> dict[str, Any]:
    return {k: Decimal(str(v)) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for k, v in facts.items()}


def _money(value: Decimal) -> int | float:
    from .result import money

    return money(value)


def _plain(value: Any) -> Any:
    """A Decimal from validation back to a JSON number, as a form would send it."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
