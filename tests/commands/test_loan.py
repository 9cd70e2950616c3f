"""``rulebook loan``: JSON equal to the engine's loan result, a readable summary, exit 2 naming each bad field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rulebook.cli import main
from rulebook.engine.api import ENTRY_POINTS
from rulebook.rules import load_rules

# The loan side of "borrow 10,000 or take a hardship withdrawal?" (vector loan_versus_hardship_10000).
LOAN = """\
person: {age: 45, other_income: 50000}
balances: {vested: 40000}
loan: {amount: 10000, years: 5, frequency: monthly, start_date: "2026-01-01"}
separation: {date: "2027-01-01"}
"""


@pytest.fixture()
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "loan.yaml"
    path.write_text(LOAN)
    return path


def test_json_is_the_engines_loan_result(scenario: Path, project_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["loan", str(scenario), "--rules", str(project_root / "rules")]) == 0
    out = capsys.readouterr().out
    rules, _ = load_rules(project_root / "rules")
    assert rules is not None
    expected = ENTRY_POINTS["loan"]({"person": {"age": 45, "other_income": 50000}, "balances": {"vested": 40000},
                                     "loan": {"amount": 10000, "years": 5, "frequency": "monthly", "start_date": "2026-01-01"},
                                     "separation": {"date": "2027-01-01"}}, rules.to_json())
    assert json.loads(out) == expected
    assert out == json.dumps(expected, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert expected["payment"] == 202.76 and expected["separation"]["total_tax"] == 1827.25


def test_text_says_the_payment_the_offset_and_the_trace(scenario: Path, project_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["loan", str(scenario), "--rules", str(project_root / "rules"), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "Most you may borrow now: $20,000" in out
    assert "60 payments of $202.76" in out
    assert "total $1,827.25" in out and "until 2028-10-15" in out
    assert "reference/loan-rules/#dollar_limit" in out


def test_a_refused_loan_says_why(tmp_path: Path, project_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "used_up.yaml"
    path.write_text('person: {age: 45}\nbalances: {vested: 200000, highest_outstanding_12m: 60000}\nloan: {start_date: "2026-03-01"}\n')
    assert main(["loan", str(path), "--rules", str(project_root / "rules"), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "Allowed: no" in out and "Nothing can be borrowed now" in out and "[something_to_lend]" in out


def test_bad_loan_scenario_exits_2_naming_each_field(tmp_path: Path, project_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text('person: {age: 45}\nbalances: {vested: 0.001}\nloan: {start_date: "2026-02-30"}\n')
    assert main(["loan", str(path), "--rules", str(project_root / "rules")]) == 2
    fields = [line.split(":")[0] for line in capsys.readouterr().err.splitlines()]
    assert fields == ["balances.vested", "loan.start_date"]
