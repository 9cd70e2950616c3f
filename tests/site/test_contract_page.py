"""The contract page names every field the engine accepts and every field it returns.

The page is written by hand (its sentences are the contract's meanings), so this test is what keeps
it from drifting: a new scenario field or result field without a line on the page fails here.
"""

from __future__ import annotations

from typing import Any

from rulebook.engine import compare, evaluate
from rulebook.engine.request import REQUEST_KEYS
from rulebook.engine.scenario import _ASSUMPTIONS, _PERSON, _PLAN, _TOP

from ..conftest import ROOT, example

DEFAULT_SCENARIO = example()

PAGE = (ROOT / "content" / "calculator-contract.md").read_text(encoding="utf-8")


def test_every_scenario_field_is_on_the_page() -> None:
    for key in (*_TOP, *_PERSON, *_PLAN, *_ASSUMPTIONS, *REQUEST_KEYS):
        assert f"{key}:" in PAGE or f"`request.{key}" in PAGE or f"`{key}`" in PAGE, key


def test_every_result_field_is_on_the_page(rules_json: dict[str, Any]) -> None:
    result = evaluate(DEFAULT_SCENARIO, rules_json)
    missing = [key for key in result if f"`{key}`" not in PAGE]
    assert missing == []


def test_every_compare_field_is_on_the_page(rules_json: dict[str, Any]) -> None:
    result = compare(DEFAULT_SCENARIO, rules_json)
    option = result["options"][0]
    missing = [key for key in [*result, *option] if f"`{key}`" not in PAGE]
    assert missing == []
