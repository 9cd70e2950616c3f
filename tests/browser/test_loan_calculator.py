"""The loan calculator page in Chromium: ready, typed input, a bad field, a refused loan, the URL
round trip and print, as a person meets them.

Every figure expected on the page is the CPython loan entry point's for the scenario the form
should have sent, never a number copied from a run of the page.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from rulebook.engine.loan import evaluate_loan
from rulebook.ground.wording import format_value

from .conftest import READY_TIMEOUT_MS, SHOWN, Tab, answer_shows

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = yaml.safe_load((ROOT / "macros" / "calculators" / "loan" / "example.yaml").read_text(encoding="utf-8"))


def _open(tab: Tab, query: str = "") -> None:
    tab.page.goto(f"{tab.base}loan-calculator/{query}")
    tab.page.wait_for_function("window.rulebook && window.rulebook.ready", timeout=READY_TIMEOUT_MS)
    tab.page.evaluate("window.rulebook.ready")
    tab.page.wait_for_function("Number(document.getElementById('rb-calc').dataset.evaluations || 0) > 0")


def _with(changes: dict[str, Any]) -> dict[str, Any]:
    scenario = copy.deepcopy(EXAMPLE)
    for path, value in changes.items():
        *parents, last = path.split(".")
        here = scenario
        for key in parents:
            here = here.setdefault(key, {})
        here[last] = value
    return scenario



def test_the_page_is_ready_and_its_example_is_the_engines(tab: Tab, rules_json: dict[str, Any]) -> None:
    _open(tab)
    expected = evaluate_loan(EXAMPLE, rules_json)
    assert expected["allowed"] and expected["separation"]
    answer_shows(tab, "payment", format_value(expected["payment"], "usd"))
    answer_shows(tab, "max_loan", format_value(expected["max_loan"], "usd"))
    answer_shows(tab, "separation.total_tax", format_value(expected["separation"]["total_tax"], "usd"))
    assert tab.page.evaluate("document.getElementById('rb-calc').dataset.entry") == "loan"
    rows = tab.page.locator(".rb-schedule tbody tr:not(template tr)")
    assert rows.count() == expected["number_of_payments"]


def test_typing_an_amount_updates_the_answer_and_the_url_reproduces_it(tab: Tab, rules_json: dict[str, Any]) -> None:
    _open(tab)
    tab.page.fill("#rb-loan-amount", "12,500")
    tab.page.select_option("#rb-loan-frequency", "biweekly")
    expected = evaluate_loan(_with({"loan.amount": 12500, "loan.frequency": "biweekly"}), rules_json)
    assert expected["allowed"] and expected["payment"] != evaluate_loan(EXAMPLE, rules_json)["payment"]
    answer_shows(tab, "payment", format_value(expected["payment"], "usd"))
    tab.page.wait_for_function("location.search.includes('loan.amount=12500')")
    url = tab.page.url
    _open(tab, url[url.index("?"):])
    answer_shows(tab, "payment", format_value(expected["payment"], "usd"))
    assert tab.page.input_value("#rb-loan-frequency") == "biweekly"


def test_a_bad_field_says_so_beside_it_and_marks_the_answer_out_of_date(tab: Tab) -> None:
    _open(tab)
    tab.page.fill("#rb-loan-start-date", "next spring")
    error = tab.page.locator("#rb-loan-start-date-error")
    error.wait_for(state="visible")
    assert "date" in error.text_content().lower()
    assert tab.page.locator("#rb-stale").is_visible()
    assert tab.page.get_attribute("#rb-loan-start-date", "aria-invalid") == "true"


def test_a_loan_above_the_limit_is_refused_with_the_rules_reason(tab: Tab, rules_json: dict[str, Any]) -> None:
    _open(tab)
    tab.page.fill("#rb-loan-amount", "30000")
    expected = evaluate_loan(_with({"loan.amount": 30000}), rules_json)
    assert not expected["allowed"]
    message = expected["blocked"][0]["message"]
    tab.page.wait_for_function(f"(t) => ({SHOWN})('.rb-blocked [data-item=message]').includes(t)", arg=message, timeout=15_000)
    assert tab.page.locator("#rb-calc-result .rb-allowed").is_hidden()


def test_print_is_the_answer_without_the_form(tab: Tab) -> None:
    _open(tab)
    page = tab.page
    page.emulate_media(media="print")
    try:
        assert page.locator("#rb-calc-form").is_hidden() and page.locator("#rb-tools").is_hidden()
        assert page.locator("#rb-calc-result").is_visible()
        pdf = page.pdf(format="Letter")
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert 1 <= pages <= 2, f"the loan calculator prints on {pages} pages"
    finally:
        page.emulate_media(media="screen")
