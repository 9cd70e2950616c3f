"""The editor's promise: a caution added in YAML, as the guide shows, reaches the page and the calculator."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from rulebook.engine import evaluate
from rulebook.rules import load_rules
from rulebook.site.generator import generate

NEW_CAUTION = """
  - id: large_withdrawal
    label: The withdrawal is large compared with your savings
    when: amount > 0.5 * vested_total
    summary: >
      You are taking out more than half of what the plan holds for you.
    sources:
      - title: IRS Publication 575, Pension and Annuity Income
        url: https://www.irs.gov/publications/p575
    reviewed: 2026-11-28
"""


def test_guide_example_caution_reaches_page_and_calculator(tmp_path: Path, project_root: Path) -> None:
    guide = (project_root / "content" / "editors-guide.md").read_text(encoding="utf-8")
    assert "id: large_withdrawal" in guide and "when: amount > 0.5 * vested_total" in guide
    project = tmp_path / "project"
    for folder in ("rules", "content", "macros"):
        shutil.copytree(project_root / folder, project / folder)
    cautions = project / "rules" / "cautions.yaml"
    cautions.write_text(cautions.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_CAUTION, encoding="utf-8")

    out = tmp_path / "docs"
    generate(project, out)
    page = (out / "reference" / "cautions.md").read_text(encoding="utf-8")
    assert "## The withdrawal is large compared with your savings { #large_withdrawal }" in page
    careful = (out / "when-to-be-careful.md").read_text(encoding="utf-8")
    assert re.search(r"reference/cautions\.md#large_withdrawal", careful)

    rules, problems = load_rules(project / "rules")
    assert not problems and rules is not None
    scenario = {
        "tax_year": 2026, "person": {"age": 45}, "plan": {"allows": ["rollover_source"]},
        "balances": {"rollover": 10000}, "request": {"route": "rollover_source", "source": "rollover", "amount": 6000},
    }
    result = evaluate(scenario, rules.to_json())
    assert "large_withdrawal" in result["cautions"]
    smaller = evaluate({**scenario, "request": {**scenario["request"], "amount": 4000}}, rules.to_json())
    assert "large_withdrawal" not in smaller["cautions"]
