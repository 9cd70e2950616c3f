"""Every scenario vector in rules/vectors/ agrees with the engine, field by field (one test per vector)."""

from __future__ import annotations

from typing import Any

import pytest

from rulebook.engine import disagreements as find_disagreements
from rulebook.engine.vectors import run_one
from rulebook.rules.vectors import Vector, load_vectors

from ..conftest import RULES_DIR

VECTORS, PROBLEMS = load_vectors(RULES_DIR / "vectors")


def test_vector_files_have_no_problems() -> None:
    assert PROBLEMS == []
    assert len(VECTORS) >= 40


@pytest.mark.parametrize("vector", VECTORS, ids=[v.name for v in VECTORS])
def test_vector(vector: Vector, browser_rules: dict[str, Any]) -> None:
    result = run_one(vector.as_dict(), browser_rules)
    disagreements = find_disagreements(vector.output, result, vector.tolerance)
    assert not disagreements, f"{vector.file}:{vector.line}: {vector.name}\n" + "\n".join(disagreements)


def test_vectors_cover_the_contract(browser_rules: dict[str, Any]) -> None:
    """The set touches every route, source, destination, exception, year, filing status and blocked reason."""
    seen: dict[str, set[Any]] = {k: set() for k in ("route", "source", "destination", "exception", "year", "status", "blocked")}
    for vector in VECTORS:
        request = vector.input.get("request", {})
        seen["route"].add(request.get("route"))
        seen["source"].update([request.get("source"), *(request.get("sources") or ())])
        seen["destination"].add(request.get("destination", "cash"))
        seen["exception"].add(request.get("exception", "none"))
        seen["year"].add(vector.input.get("tax_year"))
        seen["status"].add(vector.input.get("person", {}).get("filing_status", "single"))
        seen["blocked"].update(vector.output.get("blocked_rules", ()))
    tables = browser_rules["tables"]
    routes = {e["id"] for e in tables["routes"]["entries"]}
    selectable = {e["id"] for e in tables["exceptions"]["entries"] if e.get("selectable")}
    reasons = {e["id"] for e in tables["permissions"]["entries"]}
    reasons |= {c["id"] for e in tables["routes"]["entries"] for c in e.get("conditions", ())}
    assert routes <= seen["route"]
    assert {e["id"] for e in tables["money_sources"]["entries"]} <= seen["source"]
    assert {"cash", "direct_rollover", "indirect_rollover", "split"} <= seen["destination"]
    assert selectable <= seen["exception"]
    assert {2025, 2026} <= seen["year"]
    assert {e["id"] for e in tables["filing_statuses"]["entries"]} <= seen["status"]
    assert reasons <= seen["blocked"]
