"""The calculator in real Chromium: the same engine on Pyodide as on CPython, the form, links, safety.

One Pyodide boot serves the whole module (the session ``tab``); the scenario vectors are evaluated
in one ``page.evaluate`` call and every result object is compared, whole, with CPython's.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rulebook.engine import evaluate
from rulebook.ground.wording import format_value
from rulebook.rules.vectors import load_vectors
from rulebook.site.calculator import DEFAULT_SCENARIO, FIGURES

from ..engine.test_properties import RULES as GENERATED_RULES
from ..engine.test_properties import field_names, json_like, scenarios
from .conftest import Tab

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


def strict_diff(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Differences between two JSON values; ``True`` never equals ``1``, ints equal floats of the same value."""
    where = path or "(result)"
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = [f"{path}.{k}".lstrip(".") + ": missing in the browser" for k in expected if k not in actual]
        found += [f"{path}.{k}".lstrip(".") + ": only in the browser" for k in actual if k not in expected]
        for key in expected.keys() & actual.keys():
            found += strict_diff(expected[key], actual[key], f"{path}.{key}".lstrip("."))
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: {len(expected)} items in CPython, {len(actual)} in the browser"]
        return [d for i, (e, a) in enumerate(zip(expected, actual, strict=True)) for d in strict_diff(e, a, f"{path}[{i}]")]
    numbers = (int, float)
    if (isinstance(expected, bool) or isinstance(actual, bool)) and type(expected) is not type(actual):
        return [f"{where}: CPython {expected!r}, browser {actual!r}"]
    if isinstance(expected, numbers) and isinstance(actual, numbers):
        return [] if expected == actual else [f"{where}: CPython {expected!r}, browser {actual!r}"]
    return [] if expected == actual and type(expected) is type(actual) else [f"{where}: CPython {expected!r}, browser {actual!r}"]


def browser_results(tab: Tab, scenarios: list[Any]) -> list[Any]:
    text = tab.page.evaluate(
        "async (list) => JSON.stringify(await Promise.all(list.map((s) => window.rulebook.evaluate(s))))", scenarios)
    return list(json.loads(text))


def test_every_vector_gives_the_cpython_result_in_pyodide(tab: Tab, rules_json: dict[str, Any]) -> None:
    vectors, problems = load_vectors(ROOT / "rules" / "vectors")
    assert not problems and len(vectors) >= 20
    scenarios = [v.as_dict()["input"] for v in vectors]
    results = browser_results(tab, scenarios)
    mismatches = {}
    for vector, scenario, got in zip(vectors, scenarios, results, strict=True):
        expected = json.loads(json.dumps(evaluate(scenario, rules_json)))
        found = strict_diff(expected, got)
        if found:
            mismatches[vector.name] = found[:5]
    assert not mismatches, json.dumps(mismatches, indent=1)


# Scenarios no vector names: drawn from the rule tables (valid) and mangled (bad types, non-finite
# numbers, unknown keys), so the browser is held to CPython beyond the hand-worked cases.
_mangled = st.tuples(scenarios(), st.dictionaries(field_names, json_like, max_size=3)).map(lambda pair: {**pair[0], **pair[1]})


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(scenarios(), _mangled, json_like), min_size=40, max_size=40))
def test_generated_scenarios_give_the_cpython_result_in_pyodide(tab: Tab, scenarios_drawn: list[Any]) -> None:
    results = browser_results(tab, scenarios_drawn)
    for scenario, got in zip(scenarios_drawn, results, strict=True):
        expected = json.loads(json.dumps(evaluate(scenario, GENERATED_RULES)))
        assert not strict_diff(expected, got), (scenario, strict_diff(expected, got)[:5])


def test_non_finite_numbers_are_reported_as_in_cpython(tab: Tab, rules_json: dict[str, Any]) -> None:
    scenario = _scenario({"person.age": float("nan"), "request.amount": float("inf"), "person.other_income": float("-inf")})
    expected = json.loads(json.dumps(evaluate(scenario, rules_json)))
    assert {e["message"] for e in expected["errors"]} == {"expected a finite number"}
    assert browser_results(tab, [scenario]) == [expected]


def test_version_and_runtime(tab: Tab, rules: Any) -> None:
    assert tab.page.evaluate("window.rulebook.version") == rules.version
    python = tab.page.evaluate("window.rulebook.evaluate(null).then((r) => r.errors.length)")
    assert python >= 1  # a null scenario is an input error, reported as data, never thrown


def _expected_texts(result: dict[str, Any]) -> dict[str, str]:
    texts = {f'[data-field="{path}"]': format_value(_dig(result, path), "usd") for path, _ in FIGURES}
    texts['[data-field="form_1099r.box7"]'] = ", ".join(result["form_1099r"]["box7"])
    texts['[data-field="allowed"]'] = "Allowed: the plan can pay this now." if result["allowed"] else "Not allowed as entered."
    return texts


def _dig(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data[key]
    return data


def _shown(tab: Tab, selectors: list[str]) -> dict[str, str]:
    return dict(zip(selectors, tab.page.evaluate(
        "(sels) => sels.map((s) => document.querySelector(s).textContent)", selectors), strict=True))


def _wait_for_figures(tab: Tab, expected: dict[str, str]) -> None:
    try:
        tab.page.wait_for_function(
            """(want) => Object.entries(want).every(([sel, text]) => {
                 const node = document.querySelector(sel); return node && node.textContent === text; })
               && document.getElementById('rb-stale').hidden""", arg=expected, timeout=15_000)
    except Exception:  # show which figure is wrong rather than a bare timeout
        assert _shown(tab, list(expected)) == expected


# Each: what a reader types or picks, and the same change applied to the default scenario.
FORM_CASES: list[tuple[str, list[tuple[str, str, Any]], dict[str, Any]]] = [
    ("larger hardship amount", [("fill", "request.amount", "20000")], {"request.amount": 20000}),
    ("age-based at 60", [("fill", "person.age", "60"), ("select", "request.route", "age_based"),
                         ("select", "request.hardship_reason", "")],
     {"person.age": 60, "request.route": "age_based", "request.hardship_reason": None}),
    ("after-tax source with basis", [("check", "#rb-plan-allows-after_tax_source", True),
                                     ("select", "request.route", "after_tax_source"), ("select", "request.source", "after_tax"),
                                     ("select", "request.hardship_reason", ""), ("fill", "request.amount", "5000")],
     {"plan.allows": ["age_based", "hardship", "after_tax_source"], "request.route": "after_tax_source",
      "request.source": "after_tax", "request.hardship_reason": None, "request.amount": 5000}),
    ("direct rollover at 62", [("fill", "person.age", "62"), ("select", "request.route", "age_based"),
                               ("select", "request.hardship_reason", ""), ("select", "request.destination", "direct_rollover")],
     {"person.age": 62, "request.route": "age_based", "request.hardship_reason": None, "request.destination": "direct_rollover"}),
    ("birth or adoption, married, state tax", [
        ("check", "#rb-plan-allows-birth_adoption", True), ("select", "request.route", "birth_adoption"),
        ("select", "request.hardship_reason", ""), ("fill", "request.amount", "5000"),
        ("select", "person.filing_status", "married_joint"), ("fill", "person.state_tax_rate", "0.05")],
     {"plan.allows": ["age_based", "hardship", "birth_adoption"], "request.route": "birth_adoption",
      "request.hardship_reason": None, "request.amount": 5000, "person.filing_status": "married_joint",
      "person.state_tax_rate": 0.05}),
    ("no longer employed: blocked", [("check", "#rb-person-still-employed", False)], {"person.still_employed": False}),
]


def _apply(tab: Tab, actions: list[tuple[str, str, Any]]) -> None:
    page = tab.page
    page.evaluate("document.getElementById('rb-calc-form').reset()")
    for kind, target, value in actions:
        if kind == "fill":
            page.fill(f'[name="{target}"]', value)
        elif kind == "select":
            page.select_option(f'select[name="{target}"]', value)
        else:
            page.set_checked(target, value)


def _scenario(changes: dict[str, Any]) -> dict[str, Any]:
    scenario = copy.deepcopy(DEFAULT_SCENARIO)
    for path, value in changes.items():
        *parents, last = path.split(".")
        here = scenario
        for key in parents:
            here = here[key]
        if value is None:
            here.pop(last, None)
        else:
            here[last] = value
    return scenario


@pytest.mark.parametrize(("name", "actions", "changes"), FORM_CASES, ids=[c[0] for c in FORM_CASES])
def test_typed_scenarios_show_the_cpython_figures(tab: Tab, rules_json: dict[str, Any], name: str,
                                                  actions: list[tuple[str, str, Any]], changes: dict[str, Any]) -> None:
    result = evaluate(_scenario(changes), rules_json)
    assert "errors" not in result, result
    _apply(tab, actions)
    _wait_for_figures(tab, _expected_texts(result))
    trace_links = tab.page.eval_on_selector_all('[data-field="trace"] a', "(links) => links.map((a) => a.href)")
    assert trace_links == [tab.base + step["page"] for step in result["trace"]]


def test_bad_input_is_marked_beside_the_field_and_the_last_result_stays(tab: Tab, rules_json: dict[str, Any]) -> None:
    good = evaluate(_scenario({"request.amount": 7000}), rules_json)
    _apply(tab, [("fill", "request.amount", "7000")])
    _wait_for_figures(tab, _expected_texts(good))
    tab.page.fill('[name="request.amount"]', "-5")
    tab.page.wait_for_function("!document.getElementById('rb-stale').hidden")
    field = tab.page.locator('[name="request.amount"]')
    assert field.get_attribute("aria-invalid") == "true"
    assert "rb-request-amount-error" in (field.get_attribute("aria-describedby") or "").split()
    assert tab.page.text_content("#rb-request-amount-error") == "must be more than 0"
    assert tab.page.text_content('[data-field="gross"]') == format_value(good["gross"], "usd")
    tab.page.fill('[name="request.amount"]', "7000")
    _wait_for_figures(tab, _expected_texts(good))
    assert field.get_attribute("aria-invalid") is None


def test_every_change_updates_the_url_and_the_url_reproduces_the_result(tab: Tab, rules_json: dict[str, Any]) -> None:
    changes = {"person.age": 45, "request.amount": 12345.67, "person.other_income": 30000}
    result = evaluate(_scenario(changes), rules_json)
    _apply(tab, [("fill", "person.age", "45"), ("fill", "request.amount", "12345.67"), ("fill", "person.other_income", "30000")])
    _wait_for_figures(tab, _expected_texts(result))
    shared = tab.page.url
    assert "request.amount=12345.67" in shared and "person.age=45" in shared
    tab.page.goto(tab.base)  # away, then a fresh load of the shared URL
    tab.page.goto(shared)
    _wait_for_figures(tab, _expected_texts(result))
    query = urlencode({"request.amount": "2500", "request.hardship_reason": "tuition"})
    tab.page.goto(f"{tab.base}calculator/?{query}")
    _wait_for_figures(tab, _expected_texts(evaluate(_scenario({"request.amount": 2500, "request.hardship_reason": "tuition"}),
                                                    rules_json)))


def test_instant_navigation_away_and_back_still_computes_with_one_boot(tab: Tab, rules_json: dict[str, Any]) -> None:
    page = tab.page
    tab.calculator()
    page.evaluate("window.__sameTab = 'yes'")
    boots = sum(url.endswith("pyodide.asm.wasm") for url in tab.requests)
    page.locator('.md-nav--primary a[href$="taxes/"]').first.dispatch_event("click")
    page.wait_for_url("**/taxes/")
    assert page.evaluate("window.__sameTab") == "yes", "Material fell back to a full page load"
    page.locator('.md-nav--primary a[href$="calculator/"]').first.dispatch_event("click")
    page.wait_for_url("**/calculator/")
    assert page.evaluate("window.__sameTab") == "yes"
    # The URL changes before Material has finished swapping the page in: typing into the form at
    # that moment can land in a field that is then replaced. Wait for the new form to be bound and
    # to have shown its first live result, as a reader would see it.
    page.wait_for_function("""() => { const root = document.getElementById('rb-calc');
        return root && root.dataset.bound === 'true' && Number(root.dataset.evaluations || 0) > 0; }""")
    result = evaluate(_scenario({"request.amount": 4321}), rules_json)
    page.fill('[name="request.amount"]', "4321")
    _wait_for_figures(tab, _expected_texts(result))
    assert sum(url.endswith("pyodide.asm.wasm") for url in tab.requests) == boots, "Pyodide was booted twice in one tab"


SCRIPTY = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def test_script_like_strings_in_the_query_and_fields_stay_inert(tab: Tab) -> None:
    page = tab.page
    query = urlencode({"request.route": SCRIPTY, "request.amount": SCRIPTY, "person.filing_status": "\"><svg onload=window.__pwned=3>"})
    page.goto(f"{tab.base}calculator/?{query}")
    page.evaluate("window.rulebook.ready")
    page.wait_for_timeout(300)
    assert SCRIPTY in page.text_content("#rb-request-route-error")  # shown as text, not markup
    assert page.locator('[name="request.route"]').get_attribute("aria-invalid") == "true"
    assert not page.locator("#rb-stale").is_hidden()
    page.locator('[name="person.age"]').press_sequentially("<script>window.__pwned=4</script>")
    page.wait_for_timeout(400)
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('#rb-calc img, #rb-calc script, #rb-calc-form svg').length") == 0
    result = json.loads(page.evaluate("async (s) => JSON.stringify(await window.rulebook.evaluate(s))",
                                      {"tax_year": 2026, "person": {"age": SCRIPTY}}))
    assert any(SCRIPTY[:20] in e["message"] for e in result["errors"])


def test_nothing_is_requested_from_another_origin(tab: Tab) -> None:
    assert tab.requests, "no requests recorded"
    foreign = [url for url in tab.requests if not url.startswith(tab.base) and not url.startswith(("data:", "blob:"))]
    assert not foreign
    assert not tab.errors


def test_content_pages_download_no_pyodide(browser: Any, served_site: str) -> None:
    context = browser.new_context(service_workers="block")
    try:
        seen: list[str] = []
        context.on("request", lambda request: seen.append(request.url))
        page = context.new_page()
        for path in ("", "taxes/", "reference/routes/"):
            page.goto(served_site + path)
        page.wait_for_timeout(300)
        assert page.evaluate("typeof Worker") == "function"
        assert not [u for u in seen if "pyodide" in u or u.endswith((".wasm", ".zip", "rules.json"))]
        assert all(u.startswith(served_site) for u in seen)
    finally:
        context.close()


def test_prerendered_result_is_shown_without_javascript(browser: Any, served_site: str, rules_json: dict[str, Any]) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served_site + "calculator/")
        expected = _expected_texts(evaluate(DEFAULT_SCENARIO, rules_json))
        assert _shown(Tab(page, served_site), list(expected)) == expected
    finally:
        context.close()


def test_status_reaches_ready_and_the_progress_bar_hides(tab: Tab) -> None:
    tab.calculator()
    tab.page.wait_for_function("document.getElementById('rb-status-text').textContent === 'Ready'")
    assert tab.page.locator("#rb-progress").is_hidden()
    assert tab.page.get_attribute("#rb-calc", "data-stage") == "4"


def test_keyboard_alone_reaches_a_field_and_updates_the_result(tab: Tab, rules_json: dict[str, Any]) -> None:
    page = tab.page
    tab.calculator()
    page.focus('[name="tax_year"]')
    for _ in range(80):
        if page.evaluate("document.activeElement.name") == "request.amount":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "request.amount"
    page.keyboard.press("Control+A")
    page.keyboard.type("3000")
    _wait_for_figures(tab, _expected_texts(evaluate(_scenario({"request.amount": 3000}), rules_json)))


def test_a_runtime_that_cannot_load_rejects_ready_with_a_reason(browser: Any, served_site: str) -> None:
    context = browser.new_context(service_workers="block")
    try:
        context.route("**/*.wasm", lambda route: route.fulfill(status=404, body="gone"))
        context.add_init_script("window.__rulebookBootTimeoutMs = 4000")  # loadPyodide never settles without its wasm
        page = context.new_page()
        page.goto(served_site + "calculator/")
        reason = page.evaluate("window.rulebook.ready.then(() => 'resolved', (e) => e.message)")
        assert reason != "resolved" and "Python" in reason
        assert reason in page.text_content("#rb-status-text")
        assert page.text_content('[data-field="gross"]') == "$10,000"  # the prerendered result stays
    finally:
        context.close()
