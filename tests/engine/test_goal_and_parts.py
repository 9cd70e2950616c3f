"""Properties of the extended contract: parts and forms add up, goals are minimal, compare is exact.

Generated scenarios (hypothesis) over every route, several sources, pro-rata draws, splits, goals
and the medical floor. Each property is one the contract states: the parts of a distribution add up
to its totals; the Forms 1099-R add up to the result; a goal's gross reaches it and one cent less
does not; compare lists exactly the options the plan permits, every one of them.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rulebook.engine import compare, evaluate, prepare
from rulebook.rules import load_rules

from ..conftest import RULES_DIR

_LOADED, _ = load_rules(RULES_DIR)
assert _LOADED is not None
RULES = prepare(json.loads(json.dumps(_LOADED.to_json())))
TABLES = RULES.tables
ROUTES = {e["id"]: e for e in TABLES["routes"]["entries"]}
SOURCES = [e["id"] for e in TABLES["money_sources"]["entries"]]
REASONS = [e["id"] for e in TABLES["hardship_reasons"]["entries"]]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CENT = Decimal("0.01")

dollars = st.integers(min_value=0, max_value=15_000_000).map(lambda c: c / 100)
amounts = st.integers(min_value=1, max_value=5_000_000).map(lambda c: c / 100)


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


@st.composite
def balances(draw: st.DrawFn, year: int) -> dict[str, Any]:
    return {
        "pretax_deferrals": draw(dollars),
        "roth_deferrals": {"balance": draw(dollars), "contributions": draw(dollars), "first_year": draw(st.integers(2006, year))},
        "after_tax": {"balance": draw(dollars), "contributions": draw(dollars)},
        "rollover": draw(dollars),
        "employer": {"balance": draw(dollars), "vested": draw(st.sampled_from([0, 0.2, 0.6, 1]))},
    }


@st.composite
def scenarios(draw: st.DrawFn, goal: bool = False) -> dict[str, Any]:
    route_id = draw(st.sampled_from(list(ROUTES)))
    route = ROUTES[route_id]
    destination = draw(st.sampled_from(["cash", "indirect_rollover"] if goal else route["destinations"]))
    request: dict[str, Any] = {"route": route_id, "destination": destination}
    way = "source" if goal else draw(st.sampled_from(["source", "pro_rata", "sources"]))
    if goal:
        request["source"] = draw(st.sampled_from([*route["may_draw_from"], "pro_rata"]))
        request["goal"] = {"kind": draw(st.sampled_from(["in_hand", "after_tax"])), "amount": draw(amounts)}
    elif way == "sources":
        chosen = draw(st.lists(st.sampled_from(SOURCES), min_size=1, max_size=3, unique=True))
        request["sources"] = {s: draw(amounts) for s in chosen}
    else:
        request["source"] = draw(st.sampled_from(route["may_draw_from"])) if way == "source" else "pro_rata"
        request["amount"] = draw(amounts)
    gross = request.get("amount") or sum(request.get("sources", {}).values())
    if route.get("needs_hardship_reason"):
        request["hardship_reason"] = draw(st.sampled_from(REASONS))
    if destination == "split":
        direct = draw(st.integers(min_value=1, max_value=max(1, round(gross * 100))))
        roth_ira = draw(st.integers(min_value=0, max_value=direct))
        request["split"] = {"traditional": (direct - roth_ira) / 100, "roth_ira": roth_ira / 100}
    if destination == "indirect_rollover" and not goal:
        request["rolled_over"] = draw(st.integers(min_value=0, max_value=round(gross * 100))) / 100
    if not route.get("builtin_exception") and draw(st.booleans()):
        request["exception"] = "medical_expenses"
        request["medical_expenses"] = draw(dollars)
    year = draw(st.sampled_from([2024, 2025, 2026]))
    return {
        "tax_year": year,
        "person": {"age": draw(st.integers(min_value=18, max_value=75)), "other_income": draw(dollars),
                   "filing_status": draw(st.sampled_from(["single", "married_joint", "head_of_household"])),
                   "state_tax_rate": draw(st.sampled_from([0, 0.05]))},
        "plan": {"allows": list(ROUTES), "age_based_min_age": draw(st.sampled_from([50, 55, 59.5]))},
        "balances": draw(balances(year)),
        "request": request,
    }


@SETTINGS
@given(scenarios())
def test_parts_and_forms_add_up_to_the_result(scenario: dict[str, Any]) -> None:
    result = evaluate(scenario, RULES)
    assert "errors" not in result, result.get("errors")
    if not result["allowed"]:
        assert result["parts"] == [] and result["forms_1099r"] == [] and result["gross"] == 0
        return
    parts, forms = result["parts"], result["forms_1099r"]
    assert sum(_d(p["gross"]) for p in parts) == _d(result["gross"])
    assert sum(_d(p["basis"]) for p in parts) == _d(result["basis"])
    total = result["form_1099r"]
    for box, figure in (("box1", result["gross"]), ("box2a", result["taxable"]), ("box4", result["withholding"]["federal"]),
                        ("box5", result["basis"])):
        assert sum(_d(f[box]) for f in forms) == _d(total[box]) == _d(figure), box
    codes = {c for f in forms for c in f["box7"]}
    assert set(total["box7"]) == codes
    assert len({f["id"] for f in forms}) == len(forms)
    assert _d(result["due_at_filing"]) == _d(result["total_tax"]) - _d(result["withholding"]["federal"])
    assert all(f["character"] == "designated_roth" for f in forms if "B" in f["box7"] or "H" in f["box7"])


def _figure(result: dict[str, Any], kind: str) -> Decimal:
    return _d(result["check_amount"] if kind == "in_hand" else result["cash_after_tax"])


@SETTINGS
@given(scenarios(goal=True))
def test_a_goal_is_reached_and_one_cent_less_does_not_reach_it(scenario: dict[str, Any]) -> None:
    result = evaluate(scenario, RULES)
    assert "errors" not in result, result.get("errors")
    if not result["allowed"]:
        return
    goal = scenario["request"]["goal"]
    gross = _d(result["gross"])
    fixed = {**scenario, "request": {k: v for k, v in scenario["request"].items() if k != "goal"}}
    if result["goal"]["met"]:
        assert _figure(result, goal["kind"]) >= _d(goal["amount"])
        if gross > CENT:
            less = evaluate({**fixed, "request": {**fixed["request"], "amount": float(gross - CENT)}}, RULES)
            assert less["allowed"] and _figure(less, goal["kind"]) < _d(goal["amount"])
    else:
        assert _figure(result, goal["kind"]) < _d(goal["amount"])
        more = evaluate({**fixed, "request": {**fixed["request"], "amount": float(gross + CENT)}}, RULES)
        assert not more["allowed"], "a goal not met must stop at the largest permitted amount"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_compare_lists_exactly_the_permitted_options(scenario: dict[str, Any]) -> None:
    request = scenario["request"]
    if request.get("sources") or request.get("destination") == "split":
        return  # compare tries each source on its own; the need is the same gross
    result = compare(scenario, RULES)
    assert "errors" not in result, result.get("errors")
    listed = {o["id"] for o in result["options"]} | {o["id"] for o in result["not_permitted"]}
    assert len(listed) == len(result["options"]) + len(result["not_permitted"])
    for option in result["options"] + result["not_permitted"]:
        alone = evaluate({**scenario, "request": option["request"]} if "request" in option else
                         {**scenario, "request": {**request, "route": option["route"], "source": option["source"]}}, RULES)
        permitted = "errors" not in alone and alone["allowed"]
        assert permitted == (option in result["options"]), option["id"]
        if permitted:
            assert alone["total_tax"] == option["total_tax"] and alone["gross"] == option["gross"]
    taxes = [(not o["need_met"], _d(o["total_tax"]), _d(o["value_at_retirement"])) for o in result["options"]]
    assert taxes == sorted(taxes)
    assert [o["rank"] for o in result["options"]] == list(range(1, len(result["options"]) + 1))
