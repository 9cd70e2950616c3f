"""The calculator in real Chromium: the same engine on Pyodide as on CPython, and the page a person uses.

One Pyodide boot serves the whole module (the session ``tab``); the scenario vectors are evaluated
in one ``page.evaluate`` call and every result object is compared, whole, with CPython's. The
flows a person goes through (switching routes, typing percent, letters, the link, print, the
keyboard, a phone) each have a test; expected figures are the CPython engine's for the request the
form should have sent, so the page is held to the engine, never to numbers copied from it.
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
from rulebook.engine.api import ENTRY_POINTS
from rulebook.ground.wording import format_value
from rulebook.rules.vectors import load_vectors

from ..conftest import example
from ..engine.test_properties import RULES as GENERATED_RULES
from ..engine.test_properties import field_names, json_like, scenarios
from .conftest import Tab

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = example()


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


def browser_results(tab: Tab, scenarios: list[Any], entries: list[str] | None = None) -> list[Any]:
    """Each scenario through window.rulebook.call with its entry point (``evaluate`` unless named)."""
    calls = [[entry, s] for entry, s in zip(entries or ["evaluate"] * len(scenarios), scenarios, strict=True)]
    text = tab.page.evaluate(
        "async (list) => JSON.stringify(await Promise.all(list.map(([e, s]) => window.rulebook.call(e, s))))", calls)
    return list(json.loads(text))


def test_every_vector_gives_the_cpython_result_in_pyodide_through_its_entry_point(tab: Tab, rules_json: dict[str, Any]) -> None:
    vectors, problems = load_vectors(ROOT / "rules" / "vectors")
    assert not problems and len(vectors) >= 20
    scenarios = [v.as_dict()["input"] for v in vectors]
    entries = [v.entry for v in vectors]
    assert {"evaluate", "compare", "loan"} <= set(entries), "every entry point has vectors in the browser run"
    results = browser_results(tab, scenarios, entries)
    mismatches = {}
    for vector, scenario, got in zip(vectors, scenarios, results, strict=True):
        expected = json.loads(json.dumps(ENTRY_POINTS[vector.entry](scenario, rules_json)))
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
    errors = tab.page.evaluate("window.rulebook.evaluate(null).then((r) => r.errors.length)")
    assert errors >= 1  # a null scenario is an input error, reported as data, never thrown
    unknown = tab.page.evaluate("window.rulebook.call('no_such_entry', {}).then((r) => r.errors[0].message)")
    assert "no calculator entry point 'no_such_entry'" in unknown


# ---------------------------------------------------------------------- what the page shows
BOUND_FIGURES = """() => Object.fromEntries(Array.from(document.querySelectorAll('#rb-calc [data-field][data-unit^="usd"]'))
    .filter((n) => !n.closest('template, [data-result], form, [hidden]')).map((n) => [n.dataset.field, n.textContent]))"""


def _dig(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _expected(tab: Tab, result: dict[str, Any]) -> dict[str, str]:
    paths = tab.page.evaluate(BOUND_FIGURES)
    assert len(paths) >= 10
    return {path: format_value(abs(_dig(result, path)) if path == "due_at_filing" else _dig(result, path), "usd") for path in paths}


def _wait_for_figures(tab: Tab, result: dict[str, Any]) -> None:
    expected = _expected(tab, result)
    try:
        tab.page.wait_for_function(
            f"""(want) => {{ const shown = ({BOUND_FIGURES})();
                 return Object.entries(want).every(([k, v]) => shown[k] === v) && document.getElementById('rb-stale').hidden; }}""",
            arg=expected, timeout=15_000)
    except Exception:  # show which figure is wrong rather than a bare timeout
        assert tab.page.evaluate(BOUND_FIGURES) == expected
        raise


def _scenario(changes: dict[str, Any]) -> dict[str, Any]:
    scenario = copy.deepcopy(EXAMPLE)
    for path, value in changes.items():
        *parents, last = path.split(".")
        here = scenario
        for key in parents:
            here = here.setdefault(key, {})
        if value is None:
            here.pop(last, None)
        else:
            here[last] = value
    return scenario


def _start_again(tab: Tab) -> None:
    before = tab.page.evaluate("Number(document.getElementById('rb-calc').dataset.evaluations || 0)")
    tab.page.click("[data-action='reset']")
    tab.page.wait_for_function(f"Number(document.getElementById('rb-calc').dataset.evaluations || 0) > {before}")


def _apply(tab: Tab, actions: list[tuple[str, str, Any]]) -> None:
    page = tab.page
    _start_again(tab)
    for kind, target, value in actions:
        if kind == "fill":
            page.fill(f'[name="{target}"]', value)
        elif kind == "select":
            page.select_option(f'select[name="{target}"]', value)
        elif kind == "open":
            page.evaluate("(sel) => { document.querySelector(sel).open = true; }", target)
        else:
            page.set_checked(target, value)


# Each: what a person types or picks, and the request the form must then send (the example, changed).
FORM_CASES: list[tuple[str, list[tuple[str, str, Any]], dict[str, Any]]] = [
    ("larger hardship amount", [("fill", "request.amount", "20,000")], {"request.amount": 20000}),
    ("age-based at 60: the hardship reason goes with the hardship route",
     [("fill", "person.age", "60"), ("select", "request.route", "age_based")],
     {"person.age": 60, "request.route": "age_based", "request.hardship_reason": None}),
    ("after-tax source: the route change picks a source it can pay from",
     [("open", ".rb-plan-routes", None), ("check", "#rb-plan-allows-after_tax_source", True),
      ("select", "request.route", "after_tax_source"), ("fill", "request.amount", "5000")],
     {"plan.allows": ["age_based", "hardship", "after_tax_source"], "request.route": "after_tax_source",
      "request.source": "after_tax", "request.hardship_reason": None, "request.amount": 5000}),
    ("direct rollover at 62", [("fill", "person.age", "62"), ("select", "request.route", "age_based"),
                               ("select", "request.destination", "direct_rollover")],
     {"person.age": 62, "request.route": "age_based", "request.hardship_reason": None, "request.destination": "direct_rollover"}),
    ("birth or adoption, married, 5% state tax typed as 5", [
        ("open", ".rb-plan-routes", None), ("check", "#rb-plan-allows-birth_adoption", True),
        ("select", "request.route", "birth_adoption"), ("fill", "request.amount", "$5,000"),
        ("select", "person.filing_status", "married_joint"), ("fill", "person.state_tax_rate", "5")],
     {"plan.allows": ["age_based", "hardship", "birth_adoption"], "request.route": "birth_adoption",
      "request.hardship_reason": None, "request.exception": None, "request.amount": 5000,
      "person.filing_status": "married_joint", "person.state_tax_rate": 0.05}),
    ("vested share typed in percent", [("fill", "balances.employer.vested", "50"), ("select", "request.source", "employer"),
                                       ("fill", "request.amount", "4000")],
     {"balances.employer.vested": 0.5, "request.source": "employer", "request.amount": 4000}),
]


@pytest.mark.parametrize(("name", "actions", "changes"), FORM_CASES, ids=[c[0] for c in FORM_CASES])
def test_typed_requests_show_the_cpython_figures(tab: Tab, rules_json: dict[str, Any], name: str,
                                                 actions: list[tuple[str, str, Any]], changes: dict[str, Any]) -> None:
    result = evaluate(_scenario(changes), rules_json)
    assert "errors" not in result, result
    _apply(tab, actions)
    _wait_for_figures(tab, result)
    trace_links = tab.page.eval_on_selector_all("[data-list='trace'] > li a", "(links) => links.map((a) => a.href)")
    assert trace_links == [tab.base + step["page"] for step in result["trace"]]
    assert not tab.page.locator("[aria-invalid='true']").count(), "the form left an error behind"


def test_switching_route_leaves_no_stale_field_or_error(tab: Tab, rules_json: dict[str, Any]) -> None:
    """Issue 11: away from hardship, 'Medical care' used to stay selected and raise an error with an id in it."""
    _apply(tab, [("select", "request.route", "age_based")])
    assert tab.page.locator("[data-path='request.hardship_reason']").is_hidden()
    tab.page.wait_for_function("document.getElementById('rb-stale').hidden")
    assert not tab.page.locator(".rb-error:not([hidden])").count()
    shown = tab.page.text_content("#rb-calc-result")
    assert "age_based" not in (shown or "")
    tab.page.select_option('select[name="request.route"]', "hardship")
    assert tab.page.locator("[data-path='request.hardship_reason']").is_visible()
    _wait_for_figures(tab, evaluate(EXAMPLE, rules_json))


def test_letters_in_a_number_field_say_enter_a_number(tab: Tab, rules_json: dict[str, Any]) -> None:
    good = evaluate(_scenario({"request.amount": 7000}), rules_json)
    _apply(tab, [("fill", "request.amount", "7000")])
    _wait_for_figures(tab, good)
    tab.page.fill('[name="request.amount"]', "ten thousand")
    tab.page.wait_for_function("!document.getElementById('rb-stale').hidden")
    field = tab.page.locator('[name="request.amount"]')
    assert field.get_attribute("aria-invalid") == "true"
    assert "rb-request-amount-error" in (field.get_attribute("aria-describedby") or "").split()
    assert tab.page.text_content("#rb-request-amount-error") == "Enter a number."
    assert tab.page.input_value('[name="request.amount"]') == "ten thousand"  # what was typed stays
    assert tab.page.text_content('#rb-calc-result [data-field="gross"]') == format_value(good["gross"], "usd")  # last good answer
    tab.page.fill('[name="request.amount"]', "-5")
    tab.page.wait_for_function("document.getElementById('rb-request-amount-error').textContent === 'must be more than 0'")
    assert not tab.page.locator("#rb-stale").is_hidden()
    tab.page.fill('[name="request.amount"]', "7000")
    _wait_for_figures(tab, good)
    assert field.get_attribute("aria-invalid") is None


def test_every_change_updates_the_url_and_the_url_reproduces_the_answer(tab: Tab, rules_json: dict[str, Any]) -> None:
    changes = {"person.age": 45, "request.amount": 12345.67, "person.other_income": 30000, "person.state_tax_rate": 0.0725}
    result = evaluate(_scenario(changes), rules_json)
    _apply(tab, [("fill", "person.age", "45"), ("fill", "request.amount", "12,345.67"), ("fill", "person.other_income", "30000"),
                 ("fill", "person.state_tax_rate", "7.25")])
    _wait_for_figures(tab, result)
    shared = tab.page.url
    assert "request.amount=12345.67" in shared and "person.age=45" in shared and "person.state_tax_rate=0.0725" in shared
    assert "rolled_over" not in shared  # a hidden field is no part of the request, nor of its link
    tab.page.goto(tab.base)  # away, then a fresh load of the shared URL
    tab.page.goto(shared)
    _wait_for_figures(tab, result)
    assert tab.page.input_value('[name="person.state_tax_rate"]') == "7.25"
    query = urlencode({"request.amount": "2500", "request.hardship_reason": "tuition"})
    tab.page.goto(f"{tab.base}calculator/?{query}")
    _wait_for_figures(tab, evaluate(_scenario({"request.amount": 2500, "request.hardship_reason": "tuition"}), rules_json))


def test_copy_link_puts_the_url_on_the_clipboard(tab: Tab) -> None:
    tab.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _apply(tab, [("fill", "request.amount", "3333")])
    tab.page.wait_for_function("location.search.includes('request.amount=3333')")
    tab.page.click("[data-action='copy-link']")
    tab.page.wait_for_function("document.getElementById('rb-tools-status').textContent === 'Link copied.'")
    assert tab.page.evaluate("navigator.clipboard.readText()") == tab.page.url


def test_start_again_restores_the_example(tab: Tab, rules_json: dict[str, Any]) -> None:
    _apply(tab, [("fill", "request.amount", "1234"), ("select", "request.route", "age_based")])
    tab.page.wait_for_function("location.search.includes('request.amount=1234')")
    _start_again(tab)
    _wait_for_figures(tab, evaluate(EXAMPLE, rules_json))
    assert tab.page.input_value('[name="request.amount"]') == "10,000"
    assert "request.amount" not in tab.page.url
    assert tab.page.locator("[data-path='request.amount'][data-example]").count() == 1


def test_clearing_the_example_asks_for_what_is_needed_without_shouting(tab: Tab) -> None:
    _start_again(tab)
    tab.page.click("[data-action='clear-example']")
    tab.page.wait_for_function("!document.getElementById('rb-stale').hidden")
    stale = tab.page.text_content("#rb-stale") or ""
    assert stale.startswith("Fill in") and "Your age" in stale and "Amount" in stale
    assert not tab.page.locator("[data-example]").count()
    assert not tab.page.locator("[aria-invalid='true']").count()  # nothing typed wrong, so nothing marked red
    _start_again(tab)


ANSWER_TEXT = "() => ['rb-calc-result', 'rb-details'].map((id) => document.getElementById(id).innerText)"


def test_prerendered_and_live_answers_read_the_same(browser: Any, served_site: str, tab: Tab) -> None:
    """The templates (build) and bindings.js (browser) draw the example's answer identically."""
    context = browser.new_context(java_script_enabled=False)
    try:
        static = context.new_page()
        static.goto(served_site + "calculator/")
        served = static.evaluate(ANSWER_TEXT)
    finally:
        context.close()
    tab.calculator()
    tab.page.wait_for_function("Number(document.getElementById('rb-calc').dataset.evaluations || 0) > 0")
    live = tab.page.evaluate(ANSWER_TEXT)
    assert live[1].strip() == served[1].strip()
    assert live[0].split("Copy link")[0].strip() == served[0].split("Copy link")[0].strip()


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
    # to have shown its first live answer, as a person would see it.
    page.wait_for_function("""() => { const root = document.getElementById('rb-calc');
        return root && root.dataset.bound === 'true' && Number(root.dataset.evaluations || 0) > 0; }""")
    result = evaluate(_scenario({"request.amount": 4321}), rules_json)
    page.fill('[name="request.amount"]', "4321")
    _wait_for_figures(tab, result)
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


def test_content_pages_download_no_pyodide_and_no_calculator_module(browser: Any, served_site: str) -> None:
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
        assert not [u for u in seen if "/assets/rulebook/calculator/" in u]
        assert all(u.startswith(served_site) for u in seen)
        reason = page.evaluate("window.rulebook.evaluate({}).then(() => 'resolved', (e) => e.message)")
        assert reason == "The calculator is not on this page."
    finally:
        context.close()


def test_prerendered_answer_is_shown_without_javascript(browser: Any, served_site: str, rules_json: dict[str, Any]) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served_site + "calculator/")
        result = evaluate(EXAMPLE, rules_json)
        shown = page.evaluate(BOUND_FIGURES)
        assert shown and shown == {path: format_value(_dig(result, path), "usd") for path in shown}
        assert page.locator("[data-path='request.rolled_over']").is_hidden()  # decided at build time
    finally:
        context.close()


def test_status_reaches_ready_and_the_progress_bar_hides(tab: Tab) -> None:
    tab.calculator()
    tab.page.wait_for_function("document.getElementById('rb-status-text').textContent === 'Ready'")
    assert tab.page.locator("#rb-progress").is_hidden()
    assert tab.page.get_attribute("#rb-calc", "data-stage") == "4"


def test_keyboard_reaches_the_amount_in_a_few_tab_presses(tab: Tab, rules_json: dict[str, Any]) -> None:
    """From the page's title (where Material's "Skip to content" link leads) to the amount. Counted, and kept small."""
    page = tab.page
    tab.calculator()
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.click("article h1", position={"x": 5, "y": 5})  # sets the point Tab starts from, as the skip link does
    trail: list[str] = []
    while page.evaluate("document.activeElement.name") != "request.amount" and len(trail) < 40:
        page.keyboard.press("Tab")
        trail.append(page.evaluate("(a => a.name || a.textContent.trim().slice(0, 30))(document.activeElement)"))
    assert page.evaluate("document.activeElement.name") == "request.amount"
    assert len(trail) <= 8, f"{len(trail)} Tab presses from the content to the amount: {trail}"
    page.keyboard.press("Control+A")
    page.keyboard.type("3000")
    _wait_for_figures(tab, evaluate(_scenario({"request.amount": 3000}), rules_json))


def test_a_runtime_that_cannot_load_rejects_ready_with_a_reason(browser: Any, served_site: str) -> None:
    context = browser.new_context(service_workers="block")
    try:
        context.route("**/*.wasm", lambda route: route.fulfill(status=404, body="gone"))
        context.add_init_script("window.__rulebookBootTimeoutMs = 4000")  # loadPyodide never settles without its wasm
        page = context.new_page()
        page.goto(served_site + "calculator/")
        reason = page.evaluate("window.rulebook.ready.then(() => 'resolved', (e) => e.message)")
        assert reason != "resolved" and "Python" in reason
        page.wait_for_function("(r) => document.getElementById('rb-status-text').textContent.includes(r)", arg=reason)
        assert page.text_content('#rb-calc-result [data-field="gross"]') == "$10,000"  # the prerendered answer stays
    finally:
        context.close()
