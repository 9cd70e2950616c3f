"""Properties over generated scenarios: the identities the contract promises, whatever the figures.

Scenarios are drawn from the rule tables themselves (routes, sources, reasons, exceptions, years,
filing statuses), so a table change widens the search without touching this file.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rulebook.engine import evaluate
from rulebook.rules import load_rules

from ..conftest import RULES_DIR

# The rules as the browser receives them, read once for the strategies (fixtures cannot feed @given).
_LOADED, _ = load_rules(RULES_DIR)
assert _LOADED is not None
RULES: dict[str, Any] = json.loads(json.dumps(_LOADED.to_json()))
TABLES = RULES["tables"]
IDS = {name: [e["id"] for e in table["entries"]] for name, table in TABLES.items()}
YEARS = [e["year"] for e in TABLES["tax_years"]["entries"]]
PARAMS = {e["id"]: e.get("value") for e in TABLES["parameters"]["entries"]}
PENALTY_AGE = Decimal(str(PARAMS["penalty_free_age"]))
PENALTY_RATE = Decimal(str(PARAMS["additional_tax_rate"]))
ROUTES = {e["id"]: e for e in TABLES["routes"]["entries"]}
SELECTABLE = [e["id"] for e in TABLES["exceptions"]["entries"] if e.get("selectable") and not e.get("needs_amount")
              and not e.get("requires")]

money = st.integers(min_value=0, max_value=2_000_000).map(lambda cents: cents / 100)
positive = st.integers(min_value=1, max_value=500_000_00).map(lambda cents: cents / 100)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    year = draw(st.sampled_from(YEARS))
    route_id = draw(st.sampled_from(IDS["routes"]))
    route = ROUTES[route_id]
    source = draw(st.sampled_from(route["may_draw_from"]))
    balance = draw(positive)
    amount = draw(st.integers(min_value=1, max_value=max(1, int(balance * 100))).map(lambda c: c / 100))
    destination = draw(st.sampled_from(route["destinations"]))
    request: dict[str, Any] = {"route": route_id, "source": source, "amount": amount, "destination": destination}
    if route.get("needs_hardship_reason"):
        request["hardship_reason"] = draw(st.sampled_from(IDS["hardship_reasons"]))
    if destination == "indirect_rollover":
        request["rolled_over"] = draw(st.integers(min_value=0, max_value=int(amount * 100)).map(lambda c: c / 100))
    if destination == "split":  # Notice 2014-54: some dollars by direct rollover, the rest paid to you
        direct = draw(st.integers(min_value=1, max_value=round(amount * 100)))
        roth_ira = draw(st.integers(min_value=0, max_value=direct))
        request["split"] = {"traditional": (direct - roth_ira) / 100, "roth_ira": roth_ira / 100}
    if not route.get("builtin_exception") and draw(st.booleans()):
        request["exception"] = draw(st.sampled_from(SELECTABLE))
    if destination != "direct_rollover" and draw(st.booleans()):
        request["withholding_rate"] = draw(st.sampled_from([0, 0.05, 0.1, 0.2, 0.3, 1]))
    contributions = draw(money)
    balances: dict[str, Any] = {
        "pretax_deferrals": balance if source == "pretax_deferrals" else draw(money),
        "roth_deferrals": {"balance": balance if source == "roth_deferrals" else draw(money), "contributions": contributions,
                           "first_year": draw(st.integers(min_value=2006, max_value=year))},
        "after_tax": {"balance": balance if source == "after_tax" else draw(money), "contributions": contributions},
        "rollover": balance if source == "rollover" else draw(money),
        "employer": {"balance": balance if source == "employer" else draw(money), "vested": 1},
    }
    return {
        "tax_year": year,
        "person": {"age": draw(st.integers(min_value=0, max_value=240).map(lambda h: h / 2)),
                   "filing_status": draw(st.sampled_from(IDS["filing_statuses"])), "other_income": draw(money),
                   "state_tax_rate": draw(st.sampled_from([0, 0.03, 0.0575, 0.15]))},
        "plan": {"allows": list(IDS["routes"]), "age_based_min_age": draw(st.sampled_from([0, 50, 55, 59.5, 62]))},
        "balances": balances,
        "request": request,
    }


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


@SETTINGS
@given(scenarios())
def test_contract_identities(scenario: dict[str, Any]) -> None:
    result = evaluate(scenario, RULES)
    assert "errors" not in result, result.get("errors")
    json.dumps(result)  # plain JSON data, always
    if not result["allowed"]:
        assert result["gross"] == result["total_tax"] == result["cash_after_tax"] == 0
        assert result["blocked"]
        return
    gross, taxable, basis = _d(result["gross"]), _d(result["taxable"]), _d(result["basis"])
    withheld, kept = _d(result["withholding"]["federal"]), _d(result["taxable_kept"])
    direct = scenario["request"]["destination"] == "direct_rollover"
    if not direct and not result["roth_qualified"] and "split" not in scenario["request"]:
        assert taxable + basis == gross
    assert taxable + basis <= gross
    if direct:
        assert withheld == taxable == result["federal_income_tax"] == result["additional_tax"] == result["check_amount"] == 0
        assert result["total_tax"] == 0
    else:
        split = scenario["request"].get("split") or {}
        assert _d(result["check_amount"]) == gross - sum((_d(v) for v in split.values()), Decimal(0)) - withheld
    assert _d(result["additional_tax"]) <= PENALTY_RATE * kept + Decimal("0.005")
    if _d(scenario["person"]["age"]) >= PENALTY_AGE:
        assert result["additional_tax"] == 0 and result["exception_applied"] is None
    assert _d(result["total_tax"]) == (_d(result["federal_income_tax"]) + _d(result["additional_tax"])
                                        + _d(result["state_income_tax"]))


@SETTINGS
@given(scenarios(), money, money)
def test_federal_tax_never_falls_as_other_income_rises(scenario: dict[str, Any], low: float, extra: float) -> None:
    scenario["person"]["other_income"] = low
    first = evaluate(scenario, RULES)
    scenario["person"]["other_income"] = float(_d(low) + _d(extra))
    second = evaluate(scenario, RULES)
    if first.get("allowed") and second.get("allowed"):
        assert _d(second["federal_income_tax"]) >= _d(first["federal_income_tax"])


json_like = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**6, max_value=10**6) | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=20,
)
field_names = st.sampled_from(["tax_year", "person", "plan", "balances", "request", "assumptions", "age", "route", "source",
                               "amount", "pretax_deferrals", "roth_deferrals", "allows", "destination", "exception"])


@settings(max_examples=400, deadline=None)
@given(st.one_of(json_like, st.dictionaries(field_names, json_like, max_size=6)), st.data())
def test_never_raises_on_arbitrary_input(scenario: Any, data: st.DataObject) -> None:
    if isinstance(scenario, dict) and data.draw(st.booleans()):
        # Mostly-valid scenarios with one part replaced reach the deeper checks.
        base = data.draw(scenarios())
        base.update(scenario)
        scenario = base
    result = evaluate(scenario, RULES)
    assert isinstance(result, dict)
    if "errors" in result:
        assert set(result) == {"errors"} and result["errors"]
        assert all(isinstance(e["field"], str) and e["message"] for e in result["errors"])
    json.dumps(result)
