"""The loan entry point: identities of every schedule, a trace that names its rules, the worker's
``call``, rule edits that move the results, and no exception on any input."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rulebook.engine import api
from rulebook.engine.loan import evaluate_loan
from rulebook.rules import load_rules

from .test_properties import RULES, json_like

FREQUENCIES = [e["id"] for e in RULES["tables"]["loan_frequencies"]["entries"]]
LOAN_RULES = {e["id"] for e in RULES["tables"]["loan_rules"]["entries"]}
EXCEPTIONS = {e["id"] for e in RULES["tables"]["exceptions"]["entries"]}
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BASE: dict[str, Any] = {
    "person": {"age": 45, "other_income": 60000},
    "balances": {"vested": 40000},
    "loan": {"amount": 10000, "years": 5, "start_date": "2026-03-01"},
    "separation": {"date": "2027-03-15"},
    "default": {"missed_payment": 13},
}


@st.composite
def loans(draw: st.DrawFn) -> dict[str, Any]:
    """Valid loan scenarios within the limit, the term and the frequencies the rules allow."""
    frequency = draw(st.sampled_from([f for f in FREQUENCIES if f != "semiannual"]))
    years = draw(st.integers(min_value=1, max_value=5))
    vested = draw(st.integers(min_value=2_000_00, max_value=400_000_00)) / 100
    amount = draw(st.integers(min_value=1_00, max_value=int(min(50000, vested / 2) * 100))) / 100
    return {
        "person": {"age": draw(st.integers(min_value=18, max_value=80)), "other_income": draw(st.integers(0, 300000))},
        "plan": {"interest_rate": draw(st.integers(min_value=0, max_value=2500)) / 10000},
        "balances": {"vested": vested},
        "loan": {"amount": amount, "years": years, "frequency": frequency,
                 "start_date": draw(st.dates(datetime.date(2024, 1, 1), datetime.date(2026, 12, 31))).isoformat()},
    }


def _cents(value: Any) -> Decimal:
    return Decimal(str(value))


@SETTINGS
@given(loans())
def test_every_schedule_repays_the_loan_to_the_cent(scenario: dict[str, Any]) -> None:
    result = evaluate_loan(scenario, RULES)
    assert result["allowed"], result.get("blocked")
    rows = result["schedule"]
    amount = _cents(scenario["loan"]["amount"])
    assert sum(_cents(r["principal"]) for r in rows) == amount
    assert rows[-1]["balance"] == 0
    assert sum(_cents(r["interest"]) for r in rows) == _cents(result["total_interest"])
    assert sum(_cents(r["payment"]) for r in rows) == _cents(result["total_repaid"]) == amount + _cents(result["total_interest"])
    balance = amount
    for row in rows:
        assert _cents(row["payment"]) == _cents(row["interest"]) + _cents(row["principal"])
        balance -= _cents(row["principal"])
        assert _cents(row["balance"]) == balance
    assert all(r["payment"] == result["payment"] for r in rows[:-1])
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert result["payoff_date"] == rows[-1]["date"]


def _mangled(part: str, key: str, value: Any) -> dict[str, Any]:
    return {**BASE, part: {**BASE.get(part, {}), key: value}}


_MANGLED = st.one_of(
    json_like,
    st.dictionaries(st.sampled_from(list(BASE)), json_like, max_size=6),
    st.builds(_mangled, st.sampled_from(["person", "plan", "balances", "loan", "separation", "default", "assumptions"]),
              st.sampled_from(["age", "amount", "years", "frequency", "start_date", "date", "missed_payment", "rolled_over",
                               "vested", "outstanding", "interest_rate", "annual_return", "cure_period", "zzz"]),
              json_like),
)


@SETTINGS
@given(_MANGLED)
def test_no_input_raises_and_errors_name_fields(scenario: Any) -> None:
    result = evaluate_loan(scenario, RULES)
    assert isinstance(result, dict)
    if "errors" in result:
        assert result["errors"] and all({"field", "message"} <= set(e) for e in result["errors"])
        assert not any("please report" in e["message"] for e in result["errors"]), result["errors"]


def test_every_trace_line_names_a_rule_and_its_page() -> None:
    result = evaluate_loan(BASE, RULES)
    assert result["allowed"]
    rules = {line["rule"] for line in result["trace"]}
    assert rules <= LOAN_RULES | EXCEPTIONS
    for line in result["trace"]:
        table = "loan-rules" if line["rule"] in LOAN_RULES else "exceptions"
        assert line["page"] == f"reference/{table}/#{line['rule']}"
        assert "{" not in line["message"], line  # every placeholder was filled
    # each figure of the result is in the trace, named by the rule that made it
    by_rule = {line["rule"]: line["message"] for line in result["trace"]}
    assert "$202.76" in by_rule["amortization"] and "$40,000" not in by_rule["amortization"]
    assert "$20,000" in by_rule["vested_limit"]
    assert "$8,305.67" in by_rule["loan_offset"]
    assert "2027-09-30" in by_rule["missed_payment_cure"]


def test_call_gives_what_evaluate_loan_gives(rules_json: dict[str, Any]) -> None:
    api.load(json.dumps(rules_json))
    assert json.loads(api.call("loan", json.dumps(BASE))) == json.loads(json.dumps(evaluate_loan(BASE, rules_json)))
    assert "errors" in json.loads(api.call("loan", "{}"))


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text()
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.S)
    assert count == 1, f"pattern not found in {path.name}: {pattern}"
    path.write_text(changed)


def test_the_limits_come_from_the_tables(rules_copy: Path) -> None:
    scenario = {"person": {"age": 45}, "balances": {"vested": 120000}, "loan": {"start_date": "2026-03-01", "years": 6}}
    before = evaluate_loan(scenario, RULES)
    assert before["limits"]["limit"] == 50000 and before["blocked_rules"] == ["term"]
    _edit(rules_copy / "parameters.yaml", r"(id: loan_dollar_limit.*?value: )50000", r"\g<1>100000")
    _edit(rules_copy / "parameters.yaml", r"(id: loan_term_years.*?value: )5", r"\g<1>7")
    _edit(rules_copy / "parameters.yaml", r"(id: loan_vested_share.*?value: )0\.5", r"\g<1>0.75")
    rules, problems = load_rules(rules_copy)
    assert rules is not None, problems
    after = evaluate_loan(scenario, rules.to_json())
    # 75% × 120,000 = 90,000 is now below the 100,000 dollar limit; a 6-year term is within 7
    assert after["limits"] == {"dollar_limit": 100000, "vested_limit": 90000, "limit": 90000, "max_loan": 90000, "outstanding": 0}
    assert after["allowed"] and after["amount"] == 90000
    assert any("7-year limit" in line["message"] for line in after["trace"])


def test_the_floor_is_a_plan_choice() -> None:
    scenario = {"person": {"age": 45}, "balances": {"vested": 12000}, "loan": {"start_date": "2026-03-01"}}
    without = evaluate_loan(scenario, RULES)
    with_floor = evaluate_loan({**scenario, "plan": {"ten_k_floor": True}}, RULES)
    assert without["max_loan"] == 6000 and with_floor["max_loan"] == 10000  # 50% × 12,000; the 10,000 floor
