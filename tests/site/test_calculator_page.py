"""The calculator page as served, before any script runs: a form made from the tables and a real answer."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from rulebook.engine import compare, evaluate
from rulebook.ground.wording import format_value
from rulebook.rules import RuleSet

from ..conftest import example

EXAMPLE = example()


class _Page(HTMLParser):
    """Elements of interest: controls, options, labels, bound figures, links, hidden parts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: list[dict[str, str]] = []
        self.options: dict[str, list[dict[str, str]]] = {}
        self.labels: set[str] = set()
        self.fields: dict[str, tuple[str, str]] = {}
        self.links: list[str] = []
        self.root: dict[str, str] = {}
        self.ids: set[str] = set()
        self.parts: dict[str, dict[str, str]] = {}  # data-path → attributes of the field's box
        self._field: str | None = None
        self._unit = ""
        self._depth = 0
        self._select: str | None = None
        self._template = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "template":
            self._template += 1
        if self._template:
            return
        if "id" in a:
            self.ids.add(a["id"])
        if a.get("id") == "rb-calc":
            self.root = a
        if "data-path" in a:
            self.parts.setdefault(a["data-path"], a)
        if tag in ("input", "select") and a.get("name") and a.get("id", "").startswith("rb-"):
            self.controls.append({"tag": tag, **a})
            if tag == "select":
                self._select = a["name"]
                self.options[a["name"]] = []
        if tag == "option" and self._select:
            self.options[self._select].append(a)
        if tag == "label":
            self.labels.add(a.get("for", ""))
        if tag == "a":
            self.links.append(a.get("href", ""))
        if self._field is not None:
            self._depth += 1
        elif "data-field" in a and a["data-field"] not in self.fields:
            self._field, self._unit, self._depth = a["data-field"], a.get("data-unit", ""), 1
            self.fields[self._field] = ("", self._unit)

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._template -= 1
            return
        if self._template:
            return
        if tag == "select":
            self._select = None
        if self._field is not None:
            self._depth -= 1
            if self._depth == 0:
                self._field = None

    def handle_data(self, data: str) -> None:
        if self._field is not None and not self._template:
            text, unit = self.fields[self._field]
            self.fields[self._field] = (text + data, unit)


@pytest.fixture(scope="module")
def page(built_site: Path) -> _Page:
    parsed = _Page()
    parsed.feed((built_site / "calculator" / "index.html").read_text(encoding="utf-8"))
    return parsed


def _ids(rules: RuleSet, table: str, **where: Any) -> list[str]:
    return [e["id"] for e in rules.to_json()["tables"][table]["entries"] if all(e.get(k) == v for k, v in where.items())]


def _dig(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data


def test_choices_come_from_the_rule_tables(page: _Page, rules: RuleSet) -> None:
    values = {name: [o.get("value", "") for o in options] for name, options in page.options.items()}
    assert values["request.route"] == _ids(rules, "routes")
    assert values["request.source"][: len(_ids(rules, "money_sources"))] == _ids(rules, "money_sources")
    assert values["request.hardship_reason"] == _ids(rules, "hardship_reasons")
    assert values["request.exception"] == ["none", *_ids(rules, "exceptions", selectable=True)]
    assert values["request.destination"] == _ids(rules, "destinations")
    assert values["person.filing_status"] == _ids(rules, "filing_statuses")
    assert sorted(values["tax_year"]) == [str(y) for y in rules.years]
    allows = [c["value"] for c in page.controls if c["name"] == "plan.allows"]
    assert allows == _ids(rules, "routes")


def test_which_fields_show_is_read_from_the_tables(page: _Page, rules: RuleSet) -> None:
    """A hardship reason only for routes that need one, a source only for routes that pay from it, and so on."""
    routes = rules.to_json()["tables"]["routes"]["entries"]
    hardship = [r["id"] for r in routes if r.get("needs_hardship_reason")]
    assert json.loads(page.parts["request.hardship_reason"]["data-show-if"]) == {"request.route": hardship}
    for option in page.options["request.source"]:
        if option["value"] in _ids(rules, "money_sources"):
            paying = [r["id"] for r in routes if option["value"] in r["may_draw_from"]]
            assert json.loads(option["data-show-if"]) == {"request.route": paying}, option["value"]
    for option in page.options["request.destination"]:
        allowed = [r["id"] for r in routes if option["value"] in r["destinations"]]
        assert json.loads(option["data-show-if"]) == {"request.route": allowed}, option["value"]
    for option in page.options["request.route"]:
        assert json.loads(option["data-show-if"]) == {"plan.allows": [option["value"]]}
    assert json.loads(page.parts["request.rolled_over"]["data-show-if"]) == {"request.destination": ["indirect_rollover"]}


def test_parts_that_do_not_apply_to_the_example_are_hidden(page: _Page) -> None:
    """The example is a hardship withdrawal paid in cash: no rolled-over dollars, no medical amount."""
    assert EXAMPLE["request"]["route"] == "hardship" and EXAMPLE["request"]["destination"] == "cash"
    assert "hidden" not in page.parts["request.hardship_reason"]
    assert "hidden" in page.parts["request.rolled_over"]
    assert "hidden" in page.parts["request.medical_expenses"]
    assert "hidden" in page.parts["request.goal.amount"] and "hidden" not in page.parts["request.amount"]
    assert all("hidden" in page.parts[f"request.sources.{s}"] for s in ("pretax_deferrals", "after_tax"))
    hidden_routes = {o["value"] for o in page.options["request.route"] if "hidden" in o}
    assert hidden_routes == {r for r in (o["value"] for o in page.options["request.route"]) if r not in EXAMPLE["plan"]["allows"]}
    assert {o["value"] for o in page.options["request.source"] if "hidden" in o} == {"after_tax", "rollover"}


def test_every_control_is_a_labelled_request_path_with_help(page: _Page) -> None:
    names = {c["name"] for c in page.controls}
    assert {"tax_year", "person.age", "person.still_employed", "request.amount", "request.route", "balances.employer.vested",
            "balances.roth_deferrals.first_year", "assumptions.years_to_retirement", "plan.allows"} <= names
    for control in page.controls:
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)*", control["name"]), control["name"]
        assert control["id"] in page.labels, f"{control['name']} has no <label>"
        if control["name"] != "plan.allows":
            assert f"{control['id']}-help" in page.ids and f"{control['id']}-help" in control["aria-describedby"]
            assert f"{control['id']}-error" in page.ids, control["name"]


def test_rates_are_typed_in_percent_and_amounts_in_dollars(page: _Page) -> None:
    controls = {c["name"]: c for c in page.controls}
    assert controls["balances.employer.vested"]["data-kind"] == "percent"
    assert controls["balances.employer.vested"]["value"] == "60"  # the example's 0.6
    assert controls["assumptions.annual_return"]["value"] == "6"
    assert controls["request.amount"]["data-kind"] == "money" and controls["request.amount"]["value"] == "10,000"
    assert controls["request.amount"]["type"] == "text"  # letters stay visible and get "Enter a number"


def test_example_figures_are_marked_as_such(page: _Page) -> None:
    for path in ("request.amount", "person.age", "person.other_income", "balances.pretax_deferrals", "balances.rollover"):
        assert "data-example" in page.parts[path], path
    assert "rb-example-note" in page.ids


def test_prerendered_answer_is_the_engines(page: _Page, rules: RuleSet, built_site: Path) -> None:
    result = evaluate(EXAMPLE, rules.to_json())
    money = [(path, text) for path, (text, unit) in page.fields.items() if unit == "usd"]
    assert len(money) >= 15
    compared = compare(EXAMPLE, rules.to_json())
    for path, text in money:
        value = _dig(compared if path.startswith("need.") else result, path)
        assert text == ("" if value is None else format_value(value, "usd")), path
    assert page.fields["due_at_filing"][0] == format_value(result["due_at_filing"], "usd") != ""
    html = (built_site / "calculator" / "index.html").read_text(encoding="utf-8")
    for form in result["forms_1099r"]:
        assert f'<dd data-item="box7" data-unit="codes">{", ".join(form["box7"])}</dd>' in html
    assert page.fields["withholding.rate"][0] == format_value(result["withholding"]["rate"], "rate")
    assert page.root["data-version"] == rules.version and page.root["data-entry"] == "evaluate"
    trace_links = [link for link in page.links if link.startswith("../reference/") or link == "../rule-of-55/"]
    for step in result["trace"]:
        assert f"../{step['page']}" in trace_links


def test_page_states_the_simplifications_and_that_it_is_not_advice(built_site: Path) -> None:
    text = (built_site / "calculator" / "index.html").read_text(encoding="utf-8")
    for phrase in ("not tax advice", "standard deduction", "W-4R", "separate contract", "one child", "flat rate"):
        assert phrase in text, phrase


def test_links_to_explainer_anchors_exist(built_site: Path, page: _Page) -> None:
    for link in {link for link in page.links if link.startswith("../reference/")}:
        target, _, anchor = link.removeprefix("../").partition("#")
        html = (built_site / target / "index.html").read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in html, link


def test_runtime_config_points_inside_the_site(built_site: Path, page: _Page) -> None:
    root = page.root
    for key in ("data-runtime", "data-stdlib", "data-rules", "data-engine"):
        assert not re.match(r"[a-z]+:|//", root[key]), key
        assert (built_site / root[key]).exists(), key
    lock = json.loads(root["data-lock-info"])
    assert {"abi_version", "arch", "platform", "python"} <= set(lock)
    assert json.loads((built_site / "rules.json").read_text(encoding="utf-8"))["version"] == root["data-version"]


def test_labels_for_the_script_come_from_the_tables(page: _Page, rules: RuleSet) -> None:
    labels = json.loads(page.root["data-labels"])
    tables = rules.to_json()["tables"]
    assert labels["labels"]["cautions"] == {e["id"]: e["label"] for e in tables["cautions"]["entries"]}
    assert set(labels["summaries"]) >= {"cautions", "routes", "money_sources", "destinations", "exceptions"}
    assert "{param." not in json.dumps(labels["summaries"])  # filled from the parameters table


def test_engine_zip_runs_on_its_own(built_site: Path, tmp_path: Path) -> None:
    """Only the zip on sys.path, isolated mode: the engine needs nothing else, not even the rest of rulebook."""
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); from rulebook.engine import evaluate; "
            "rules = json.load(open(sys.argv[2])); print(json.dumps(evaluate(json.loads(sys.argv[3]), rules), sort_keys=True))")
    done = subprocess.run([sys.executable, "-I", "-c", code, str(built_site / "rulebook-engine.zip"), str(built_site / "rules.json"),
                           json.dumps(EXAMPLE)], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_tax"] == 2550


def test_only_the_calculator_pages_can_start_python(built_site: Path) -> None:
    """calculator.js imports the modules only where #rb-calc is (the pages macros/calculators.yaml
    declares); no page links Pyodide's files directly."""
    holders = []
    for html in built_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="[^"]*pyodide[^"]*"', text), html
        assert "assets/rulebook/calculator/" not in text, html  # the modules are imported, never linked
        if 'id="rb-calc"' in text:
            holders.append(html.relative_to(built_site).as_posix())
    assert sorted(holders) == ["calculator/index.html", "loan-calculator/index.html"]


def test_front_end_modules_each_say_their_role(built_site: Path) -> None:
    """Split by job: every module opens with a comment; the script every page loads stays small."""
    folder = built_site / "assets" / "rulebook"
    modules = sorted((folder / "calculator").glob("*.js"))
    assert {m.name for m in modules} >= {"boot.js", "form.js", "bindings.js", "page.js", "share.js"}
    for script in [folder / "calculator.js", *modules]:
        text = script.read_text(encoding="utf-8")
        assert text.startswith("// "), script.name
        assert len(text.splitlines()) < 400, script.name
    every_page = (folder / "calculator.js").read_text(encoding="utf-8")
    assert len(every_page.encode()) < 4000 and "import(" in every_page and "textContent" not in every_page
