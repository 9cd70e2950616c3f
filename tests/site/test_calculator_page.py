"""The calculator page as served, before any script runs: a form made from the tables and a real result."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from rulebook.engine import evaluate
from rulebook.ground.wording import format_value
from rulebook.rules import RuleSet
from rulebook.site.calculator import DEFAULT_SCENARIO, FIGURES


class _Page(HTMLParser):
    """Elements of interest: controls (name, type, value, id), labels, data-field texts, links, scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: list[dict[str, str]] = []
        self.options: dict[str, list[str]] = {}
        self.labels: set[str] = set()
        self.fields: dict[str, str] = {}
        self.links: list[str] = []
        self.scripts: list[str] = []
        self.root: dict[str, str] = {}
        self.ids: set[str] = set()
        self._field: str | None = None
        self._depth = 0
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if a.get("id") == "rb-calc":
            self.root = a
        if tag in ("input", "select") and a.get("name") and a.get("id", "").startswith("rb-"):
            self.controls.append({"tag": tag, **a})
            if tag == "select":
                self._select = a["name"]
                self.options[a["name"]] = []
        if tag == "option" and self._select:
            self.options[self._select].append(a.get("value", ""))
        if tag == "label":
            self.labels.add(a.get("for", ""))
        if tag == "a":
            self.links.append(a.get("href", ""))
        if tag == "script":
            self.scripts.append(a.get("src", ""))
        if self._field is not None:
            self._depth += 1
        elif "data-field" in a:
            self._field, self._depth = a["data-field"], 1
            self.fields[self._field] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if self._field is not None:
            self._depth -= 1
            if self._depth == 0:
                self._field = None

    def handle_data(self, data: str) -> None:
        if self._field is not None:
            self.fields[self._field] += data


@pytest.fixture(scope="module")
def page(built_site: Path) -> _Page:
    parsed = _Page()
    parsed.feed((built_site / "calculator" / "index.html").read_text(encoding="utf-8"))
    return parsed


def _ids(rules: RuleSet, table: str, **where: Any) -> list[str]:
    return [e["id"] for e in rules.to_json()["tables"][table]["entries"] if all(e.get(k) == v for k, v in where.items())]


def test_choices_come_from_the_rule_tables(page: _Page, rules: RuleSet) -> None:
    assert page.options["request.route"] == _ids(rules, "routes")
    assert page.options["request.source"] == _ids(rules, "money_sources")
    assert page.options["request.hardship_reason"] == ["", *_ids(rules, "hardship_reasons")]
    assert page.options["request.exception"] == ["none", *_ids(rules, "exceptions", selectable=True)]
    assert page.options["person.filing_status"] == _ids(rules, "filing_statuses")
    assert sorted(page.options["tax_year"]) == [str(y) for y in rules.years]
    allows = [c["value"] for c in page.controls if c["name"] == "plan.allows"]
    assert allows == _ids(rules, "routes")


def test_every_control_is_a_labelled_scenario_path_with_help(page: _Page) -> None:
    names = {c["name"] for c in page.controls}
    assert {"tax_year", "person.age", "person.still_employed", "request.amount", "request.route", "balances.employer.vested",
            "balances.roth_deferrals.first_year", "assumptions.years_to_retirement", "plan.allows"} <= names
    for control in page.controls:
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)*", control["name"]), control["name"]
        assert control["id"] in page.labels, f"{control['name']} has no <label>"
        if control["name"] != "plan.allows":
            assert f"{control['id']}-help" in page.ids and f"{control['id']}-help" in control["aria-describedby"]


def test_prerendered_result_is_the_engines(page: _Page, rules: RuleSet) -> None:
    result = evaluate(DEFAULT_SCENARIO, rules.to_json())
    for path, _label in FIGURES:
        value: Any = result
        for key in path.split("."):
            value = value[key]
        assert page.fields[path] == format_value(value, "usd"), path
    assert page.fields["form_1099r.box7"] == ", ".join(result["form_1099r"]["box7"])
    assert page.root["data-version"] == rules.version
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


def test_engine_zip_runs_on_its_own(built_site: Path, tmp_path: Path) -> None:
    """Only the zip on sys.path, isolated mode: the engine needs nothing else, not even the rest of rulebook."""
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); from rulebook.engine import evaluate; "
            "rules = json.load(open(sys.argv[2])); print(json.dumps(evaluate(json.loads(sys.argv[3]), rules), sort_keys=True))")
    done = subprocess.run([sys.executable, "-I", "-c", code, str(built_site / "rulebook-engine.zip"), str(built_site / "rules.json"),
                           json.dumps(DEFAULT_SCENARIO)], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_tax"] == 2550


def test_only_the_calculator_page_can_start_python(built_site: Path) -> None:
    """calculator.js starts the worker only where #rb-calc is; no page links Pyodide's files directly."""
    holders = []
    for html in built_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="[^"]*pyodide[^"]*"', text), html
        if 'id="rb-calc"' in text:
            holders.append(html.relative_to(built_site).as_posix())
    assert holders == ["calculator/index.html"]
