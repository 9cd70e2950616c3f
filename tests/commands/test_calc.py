"""``rulebook calc``: JSON equal to the engine's result, a readable trace, exit 2 naming each bad field."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rulebook.cli import main

SPEC_EXAMPLE = """\
tax_year: 2026
person: {age: 52, still_employed: true, filing_status: single, other_income: 60000, state_tax_rate: 0, disabled: false}
plan: {type: 401k, allows: [age_based, hardship], age_based_min_age: 59.5}
balances:
  pretax_deferrals: 80000
  roth_deferrals: {balance: 13000, contributions: 10000, first_year: 2019}
  after_tax: {balance: 25000, contributions: 20000}
  rollover: 15000
  employer: {balance: 30000, vested: 0.6}
request: {route: hardship, source: pretax_deferrals, amount: 10000, hardship_reason: medical, destination: cash,
          exception: none, withholding_rate: null}
assumptions: {annual_return: 0.06, years_to_retirement: 10}
"""


@pytest.fixture()
def example(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(SPEC_EXAMPLE)
    return path


def test_json_result_keys_sorted(example: Path, project_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calc", str(example), "--rules", str(project_root / "rules")]) == 0
    out = capsys.readouterr().out
    result = json.loads(out)
    assert result["allowed"] is True
    assert result["total_tax"] == 2550 and result["cash_after_tax"] == 7450
    assert out == json.dumps(result, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_text_prints_result_and_trace(example: Path, project_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calc", str(example), "--rules", str(project_root / "rules"), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "Allowed: yes" in out and "Trace:" in out
    assert "$7,450" in out
    assert "reference/withholding/#nonperiodic_10" in out


def test_json_scenario_from_stdin(project_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = {"tax_year": 2026, "person": {"age": 45}, "balances": {"pretax_deferrals": 1000},
                "request": {"route": "hardship", "source": "pretax_deferrals", "amount": 500, "hardship_reason": "medical"}}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(scenario)))
    assert main(["calc", "-", "--rules", str(project_root / "rules")]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["allowed"] is False and result["blocked_rules"] == ["plan_offers_route"]


def test_bad_scenario_exits_2_naming_each_field(tmp_path: Path, project_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("tax_year: 2019\nperson: {age: -1}\nrequest: {route: hardship, source: pretax_deferrals, amount: x}\n")
    assert main(["calc", str(path), "--rules", str(project_root / "rules")]) == 2
    err = capsys.readouterr().err.splitlines()
    fields = [line.split(":")[0] for line in err]
    assert fields == ["tax_year", "person.age", "request.amount", "request.hardship_reason"]


def test_unreadable_scenario_exits_2(tmp_path: Path, project_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("tax_year: [2026\n")
    assert main(["calc", str(path), "--rules", str(project_root / "rules")]) == 2
    assert "broken.yaml" in capsys.readouterr().err
    assert main(["calc", str(tmp_path / "missing.yaml"), "--rules", str(project_root / "rules")]) == 2


def test_invalid_rules_exit_1(example: Path, rules_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (rules_copy / "parameters.yaml").write_text("title: [\n")
    assert main(["calc", str(example), "--rules", str(rules_copy)]) == 1
    assert "parameters.yaml:1" in capsys.readouterr().err
