"""Change a figure in a copy of rules/ and the results move with it: the engine holds no figure itself."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rulebook.engine import evaluate
from rulebook.rules import load_rules

SCENARIO: dict[str, Any] = {
    "tax_year": 2026,
    "person": {"age": 59.5, "other_income": 0},
    "plan": {"allows": ["age_based", "rollover_source"]},
    "balances": {"pretax_deferrals": 40000, "rollover": 40000},
    "request": {"route": "rollover_source", "source": "rollover", "amount": 30000},
}


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text()
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.S)
    assert count == 1, f"pattern not found in {path.name}: {pattern}"
    path.write_text(changed)


def _evaluate(folder: Path, **request: Any) -> dict[str, Any]:
    rules, problems = load_rules(folder)
    assert rules is not None, "\n".join(str(p) for p in problems)
    scenario = {**SCENARIO, "request": {**SCENARIO["request"], **request}}
    return evaluate(scenario, rules.to_json())


def test_figures_come_from_the_tables(rules_copy: Path) -> None:
    before = _evaluate(rules_copy)
    # 30,000 − 16,100 = 13,900 taxable: 12,400 × 10% + 1,500 × 12% = 1,420; 20% withheld; 59½ reached.
    assert before["withholding"]["federal"] == 6000
    assert before["additional_tax"] == 0
    assert before["federal_income_tax"] == 1420
    assert before["form_1099r"]["box7"] == ["7"]

    _edit(rules_copy / "parameters.yaml", r"(id: mandatory_withholding_rate.*?value: )0\.20", r"\g<1>0.25")
    _edit(rules_copy / "parameters.yaml", r"(id: penalty_free_age.*?value: )59\.5", r"\g<1>60")
    _edit(rules_copy / "tax_years.yaml", r"(id: tax_year_2026.*?single: \[)12400", r"\g<1>13400")
    after = _evaluate(rules_copy)

    assert after["withholding"] == {"federal": 7500, "rate": 0.25, "mandatory": True, "can_opt_out": False}
    assert after["additional_tax"] == 3000  # 59½ is now "under 60": 10% × 30,000
    assert after["form_1099r"]["box7"] == ["1"]
    assert "under_59_half" in after["cautions"]
    assert after["federal_income_tax"] == 1400  # 13,400 × 10% + 500 × 12% = 1,340 + 60
    messages = " ".join(line["message"] for line in after["trace"])
    assert "25%" in messages and "Before 60" in messages
