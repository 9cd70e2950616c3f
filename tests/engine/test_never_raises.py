"""evaluate() and compare() never raise, whatever they are given (issue 9: validation ran outside the guard).

Each input here once printed a traceback or blamed the rules: a number too long for Python's
int-to-text limit, amounts of 10^26 and more, nesting a thousand levels deep, and values of every
JSON type in every field.
"""

from __future__ import annotations

from typing import Any

import pytest

from rulebook.engine import compare, evaluate

BASE: dict[str, Any] = {"tax_year": 2026, "person": {"age": 45}, "plan": {"allows": ["rollover_source"]},
                        "balances": {"rollover": 40000}, "request": {"route": "rollover_source", "source": "rollover", "amount": 5000}}


def _with(path: str, value: Any) -> dict[str, Any]:
    scenario: dict[str, Any] = {k: dict(v) if isinstance(v, dict) else v for k, v in BASE.items()}
    head, _, key = path.rpartition(".")
    target = scenario[head] if head else scenario
    target[key] = value
    return scenario


def _deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = {"x": value}
    return value


@pytest.mark.parametrize(("path", "digits", "field"), [
    ("request.amount", 5001, "request.amount"),
    ("request.amount", 27, "request.amount"),
    ("balances.rollover", 27, "balances.rollover"),
    ("person.other_income", 4301, "person.other_income"),
    ("person.age", 5001, "person.age"),
    ("tax_year", 5001, "tax_year"),
])
def test_huge_numbers_are_field_errors(path: str, digits: int, field: str, rules_json: dict[str, Any]) -> None:
    value = 10 ** (digits - 1)  # an int of that many digits (too long for str() beyond 4,300)
    for run in (evaluate, compare):
        result = run(_with(path, value), rules_json)
        assert [e["field"] for e in result["errors"]] == [field], result


@pytest.mark.parametrize("path", ["person", "request", "balances", "plan", "request.amount", "person.age"])
def test_deep_nesting_is_an_error_not_a_crash(path: str, rules_json: dict[str, Any]) -> None:
    for run in (evaluate, compare):
        result = run(_with(path, _deep(2000)), rules_json)
        assert result["errors"] and all(e["field"] != "rules" for e in result["errors"])


@pytest.mark.parametrize("value", [None, True, "text", [], {}, 1.5, float("nan"), float("inf"), [1, [2]], {"a": {"b": []}}])
@pytest.mark.parametrize("path", ["tax_year", "person", "person.age", "plan.allows", "balances.rollover", "request",
                                  "request.goal", "request.sources", "request.split", "request.destination"])
def test_any_json_value_anywhere_gives_errors_or_a_result(path: str, value: Any, rules_json: dict[str, Any]) -> None:
    for run in (evaluate, compare):
        result = run(_with(path, value), rules_json)
        assert isinstance(result, dict)
        assert "errors" in result or "allowed" in result or "options" in result
        assert all(e["field"] != "rules" for e in result.get("errors", ()))
