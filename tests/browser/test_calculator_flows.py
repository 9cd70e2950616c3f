"""What a person does on the calculator page, in Chromium: ask for money in hand, draw from several
sources, split a distribution, compare the plan's options and take one, meet a blocked request,
print the answer, use it on a phone.

Every figure expected on the page is the CPython engine's for the request the form should have
sent (or compare's for the same request), never a number copied from a run of the page.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from rulebook.engine import compare, evaluate
from rulebook.ground.wording import format_value

from ..conftest import example
from .conftest import SHOWN, Tab, answer_shows

pytestmark = pytest.mark.browser

EXAMPLE = example()


def _request(changes: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    scenario = copy.deepcopy(EXAMPLE)
    for key in drop:
        scenario["request"].pop(key, None)
    for path, value in changes.items():
        *parents, last = path.split(".")
        here = scenario
        for key in parents:
            here = here.setdefault(key, {})
        here[last] = value
    return scenario


def _fresh(tab: Tab) -> None:
    tab.calculator()
    tab.page.wait_for_function("Number(document.getElementById('rb-calc').dataset.evaluations || 0) > 0")



def test_how_much_to_ask_for_to_have_8000_in_hand(tab: Tab, rules_json: dict[str, Any]) -> None:
    _fresh(tab)
    tab.page.fill('[name="request.amount"]', "8,000")
    tab.page.select_option('select[name="request.goal.kind"]', "in_hand")
    assert tab.page.input_value('[name="request.goal.amount"]') == "8,000"  # the amount carried over to the goal
    assert tab.page.locator("[data-path='request.amount']").is_hidden()
    result = evaluate(_request({"request.goal": {"kind": "in_hand", "amount": 8000}}, drop=("amount",)), rules_json)
    assert result["goal"]["met"] and result["check_amount"] == 8000
    answer_shows(tab, "gross", format_value(result["gross"], "usd"))
    assert "request.goal.kind=in_hand" in tab.page.url and "request.goal.amount=8000" in tab.page.url
    headline = tab.page.text_content(".rb-goal-line") or ""
    assert "Ask the plan for" in headline and format_value(result["gross"], "usd") in headline


def test_several_sources_each_with_an_amount(tab: Tab, rules_json: dict[str, Any]) -> None:
    _fresh(tab)
    tab.page.select_option('select[name="request.source"]', "several")
    assert tab.page.locator("[data-path='request.amount']").is_hidden()
    assert tab.page.locator("[data-path='request.sources.after_tax']").is_hidden()  # hardship cannot pay from it
    tab.page.fill('[name="request.sources.pretax_deferrals"]', "6000")
    tab.page.fill('[name="request.sources.roth_deferrals"]', "4000")
    result = evaluate(_request({"request.sources": {"pretax_deferrals": 6000, "roth_deferrals": 4000}}, drop=("amount", "source")),
                      rules_json)
    assert len(result["parts"]) == 2 and len(result["forms_1099r"]) == 2
    answer_shows(tab, "check_amount", format_value(result["check_amount"], "usd"))
    forms = tab.page.evaluate(SHOWN, "[data-list='forms_1099r'] [data-item='box7']")
    assert forms == [", ".join(f["box7"]) for f in result["forms_1099r"]]
    parts = tab.page.evaluate(SHOWN, "[data-list='parts'] [data-item='taxable']")
    assert parts == [format_value(p["taxable"], "usd") for p in result["parts"]]


def test_after_tax_money_to_a_roth_ira_by_a_split(tab: Tab, rules_json: dict[str, Any]) -> None:
    _fresh(tab)
    page = tab.page
    page.fill('[name="person.age"]', "60")
    page.select_option('select[name="request.route"]', "age_based")
    page.select_option('select[name="request.source"]', "after_tax")
    page.fill('[name="request.amount"]', "25000")
    page.select_option('select[name="request.destination"]', "split")
    page.fill('[name="request.split.traditional"]', "5000")
    page.fill('[name="request.split.roth_ira"]', "20000")
    scenario = _request({"person.age": 60, "request.route": "age_based", "request.source": "after_tax", "request.amount": 25000,
                         "request.destination": "split", "request.split": {"traditional": 5000, "roth_ira": 20000}},
                        drop=("hardship_reason",))
    result = evaluate(scenario, rules_json)
    assert "errors" not in result and result["split"]["roth_ira"]["after_tax"] == 20000
    answer_shows(tab, "total_tax", format_value(result["total_tax"], "usd"))
    assert page.evaluate(SHOWN, '[data-field="split.roth_ira.after_tax"]') == [format_value(20000, "usd")]
    assert page.evaluate(SHOWN, '[data-field="split.roth_ira.pretax"]') == [format_value(0, "usd")]


def test_options_side_by_side_and_choosing_one_fills_the_form(tab: Tab, rules_json: dict[str, Any]) -> None:
    _fresh(tab)
    compared = compare(EXAMPLE, rules_json)
    cheapest = compared["options"][0]
    assert cheapest["cheapest"]
    rows = tab.page.evaluate(SHOWN, "#rb-options tbody [data-item='total_tax']")
    assert rows == [format_value(o["total_tax"], "usd") for o in compared["options"]]
    assert tab.page.locator("#rb-options tbody tr").first.locator(".rb-cheapest").is_visible()
    assert tab.page.locator("#rb-options tbody tr").nth(1).locator(".rb-cheapest").is_hidden()
    tab.page.locator("#rb-options tbody tr").first.locator("[data-action='use-option']").click()
    assert tab.page.input_value('select[name="request.source"]') == cheapest["request"]["source"]
    result = evaluate(_request({f"request.{k}": v for k, v in cheapest["request"].items()}), rules_json)
    answer_shows(tab, "total_tax", format_value(result["total_tax"], "usd"))
    assert format_value(result["total_tax"], "usd") == format_value(cheapest["total_tax"], "usd")


def test_a_blocked_request_says_why_shows_no_figures_and_points_to_what_is_allowed(tab: Tab, rules_json: dict[str, Any]) -> None:
    _fresh(tab)
    tab.page.fill('[name="request.amount"]', "100000")
    result = evaluate(_request({"request.amount": 100000}), rules_json)
    assert not result["allowed"]
    tab.page.wait_for_function("!document.querySelector('.rb-blocked-box').hidden")
    assert tab.page.evaluate(SHOWN, "[data-list='blocked'] [data-item='message']") == [b["message"] for b in result["blocked"]]
    assert tab.page.locator(".rb-allowed").is_hidden() and tab.page.locator(".rb-groups").is_hidden()
    assert not tab.page.evaluate(SHOWN, "#rb-calc-result dd[data-field]")  # no $0 figures beside a refusal
    assert tab.page.locator("#rb-calc-result a[href$='#rb-options']").is_visible()


def test_switching_to_the_medical_exception_asks_for_the_expenses(tab: Tab, rules_json: dict[str, Any]) -> None:
    _fresh(tab)
    assert tab.page.locator("[data-path='request.medical_expenses']").is_hidden()
    tab.page.select_option('select[name="request.exception"]', "medical_expenses")
    assert tab.page.locator("[data-path='request.medical_expenses']").is_visible()
    tab.page.fill('[name="request.medical_expenses"]', "12000")
    result = evaluate(_request({"request.exception": "medical_expenses", "request.medical_expenses": 12000}), rules_json)
    answer_shows(tab, "total_tax", format_value(result["total_tax"], "usd"))
    tab.page.select_option('select[name="request.exception"]', "none")
    assert tab.page.locator("[data-path='request.medical_expenses']").is_hidden()
    answer_shows(tab, "total_tax", format_value(evaluate(EXAMPLE, rules_json)["total_tax"], "usd"))
    assert not tab.page.locator("[aria-invalid='true']").count()


def test_print_is_the_answer_forms_and_checklist_on_two_pages_at_most(tab: Tab) -> None:
    _fresh(tab)
    page = tab.page
    page.emulate_media(media="print")
    try:
        assert page.locator("#rb-calc-form").is_hidden() and page.locator("#rb-tools").is_hidden()
        assert page.locator("#rb-calc-result").is_visible() and page.locator(".rb-1099r").first.is_visible()
        assert page.locator(".rb-checklist").is_visible() and page.locator(".rb-w4r").is_visible()
        assert not page.evaluate("Array.from(document.querySelectorAll('#rb-calc input, #rb-calc select, #rb-calc button'))"
                                 ".filter((n) => n.offsetParent !== null).length")
        pdf = page.pdf(format="Letter")
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert 1 <= pages <= 2, f"the calculator prints on {pages} pages"
    finally:
        page.emulate_media(media="screen")


def test_on_a_phone_nothing_is_wider_than_the_screen_and_the_summary_stays_reachable(tab: Tab) -> None:
    page = tab.page
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        _fresh(tab)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        wide = page.evaluate("""Array.from(document.querySelectorAll('#rb-calc *')).filter((n) => n.offsetParent !== null
            && n.getBoundingClientRect().right > 391 && !n.closest('[data-rb-scroll]'))
            .map((n) => n.tagName + '.' + n.className).slice(0, 5)""")
        assert wide == []
        peek = page.locator("#rb-peek")
        page.locator("[name='balances.rollover']").scroll_into_view_if_needed()
        page.wait_for_function("!document.getElementById('rb-peek').hasAttribute('data-answer-visible')")
        box = peek.bounding_box()
        assert box and box["y"] + box["height"] <= 845 and box["y"] > 700  # at the bottom of the screen
        cards = page.evaluate("getComputedStyle(document.querySelector('#rb-options tbody tr')).display")
        assert cards == "block"  # the options table turns into one card per option
        peek.click()
        page.wait_for_function("document.getElementById('rb-peek').hasAttribute('data-answer-visible')")
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})


def test_on_a_wide_screen_the_answer_stays_beside_the_form_while_typing(tab: Tab) -> None:
    page = tab.page
    page.set_viewport_size({"width": 1280, "height": 900})
    _fresh(tab)
    page.locator("[name='balances.employer.balance']").scroll_into_view_if_needed()
    page.locator("[name='balances.employer.balance']").focus()
    answer = page.locator("#rb-calc-result").bounding_box()
    field = page.locator("[name='balances.employer.balance']").bounding_box()
    assert answer and field and answer["x"] > field["x"] + field["width"]
    assert 0 <= answer["y"] < 900 and answer["y"] + 100 < 900  # in view, not scrolled away
