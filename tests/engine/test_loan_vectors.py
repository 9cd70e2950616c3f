"""The loan vectors (entry ``loan``) cover the loan rules: every check refused somewhere, every
frequency, offsets and deemed distributions, the residence term, input errors, and every rule that
writes a trace line written by some vector. (Each vector itself runs in test_vectors.py.)"""

from __future__ import annotations

from typing import Any

from rulebook.engine import names
from rulebook.engine.vectors import run_one as run
from rulebook.rules.vectors import load_vectors

from ..conftest import RULES_DIR

LOAN_VECTORS = [v for v in load_vectors(RULES_DIR / "vectors")[0] if v.entry == "loan"]


def test_there_are_enough_loan_vectors() -> None:
    assert len(LOAN_VECTORS) >= 25


def test_loan_vectors_cover_the_rules(browser_rules: dict[str, Any]) -> None:
    tables = browser_rules["tables"]
    blocked: set[str] = set()
    frequencies: set[str] = set()
    traced: set[str] = set()
    kinds = {"separation": 0, "default": 0, "errors": 0, "residence": 0}
    for vector in LOAN_VECTORS:
        blocked.update(vector.output.get("blocked_rules", ()))
        loan = vector.input.get("loan") or {}
        frequencies.add(loan.get("frequency", "monthly"))
        kinds["residence"] += bool(loan.get("residence"))
        for kind in ("separation", "default", "errors"):
            kinds[kind] += kind in vector.output
        result = run(vector.as_dict(), browser_rules)
        traced.update(line["rule"] for line in result.get("trace", ()))
    assert set(names.LOAN_CHECKS) <= blocked
    assert {e["id"] for e in tables["loan_frequencies"]["entries"]} <= frequencies
    assert all(count >= 1 for count in kinds.values()), kinds
    writers = {e["id"] for e in tables["loan_rules"]["entries"] if e.get("trace") and e["id"] != names.LOAN_OPTION}
    assert writers <= traced, writers - traced
    assert {"separation_age_55", "disability"} <= traced
