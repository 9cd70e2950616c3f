"""``rulebook vectors``: exit 0 when every vector agrees, 1 with a field-by-field report otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulebook.cli import main


def test_all_vectors_agree(project_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vectors", "--rules", str(project_root / "rules")]) == 0
    assert capsys.readouterr().out.startswith("ok: all ")


def test_disagreement_reported_field_by_field(rules_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = rules_copy / "vectors"
    path = folder / "hardship.yaml"
    path.write_text(path.read_text().replace("      federal_income_tax: 1200\n      additional_tax: 1000\n",
                                             "      federal_income_tax: 1201\n      additional_tax: 1000\n", 1))
    assert main(["vectors", str(folder), "--rules", str(rules_copy)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:" in out and "hardship_10000_at_45: disagrees" in out
    assert "federal_income_tax: expected 1201, got 1200" in out


def test_bad_vector_input_is_a_located_problem(rules_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = rules_copy / "vectors"
    (folder / "extra.yaml").write_text(
        "vectors:\n"
        "  - name: bad_input\n"
        "    why: an age out of range\n"
        "    input:\n"
        "      tax_year: 2026\n"
        "      person: {age: 130}\n"
        "      request: {route: rollover_source, source: rollover, amount: 1}\n"
        "    output: {allowed: true}\n")
    assert main(["vectors", "--rules", str(rules_copy)]) == 1
    out = capsys.readouterr().out
    assert f"{folder / 'extra.yaml'}:4: vectors[bad_input].input.person.age: must be from 0 to 120" in out
    assert main(["check", str(rules_copy)]) == 1
    assert "extra.yaml:4: vectors[bad_input].input.person.age" in capsys.readouterr().out
