"""Calculators are declared, not wired: a third one is configuration, an entry point and templates.

The tiny calculator here exists only in this test's temporary project: its own engine entry point
(registered for the test), its own form and result templates, its own page and example. The
generator builds it with no change, prerendered with the entry point's real answer; every mistake
in a declaration is a ``macros/calculators.yaml:line`` message.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rulebook.engine import Prepared
from rulebook.engine.api import ENTRY_POINTS
from rulebook.site.calculators.conditions import show_if, when
from rulebook.site.generator import BuildError, generate

TINY_DECLARATION = """\
calculators:
  - id: tiny
    page: tiny.md
    entry: double_amount
    form: calculators/tiny/form.html.j2
    result: calculators/tiny/result.html.j2
    example: calculators/tiny/example.yaml
"""

TINY_FORM = """\
{% import "rulebook/controls.html.j2" as ui %}
<fieldset class="rb-group"><legend>Tiny</legend>
{% call ui.field("amount", "An amount", s.amount) %}Any amount.{% endcall %}
{% call ui.field("extra", "Extra, only for big amounts", none, show={"amount": ["*"]}) %}{% endcall %}
</fieldset>
"""

TINY_RESULT = """\
{% macro answer() %}<p>Twice that is {{ ui.value("doubled") }}.</p>
<p class="tiny-big"{{ when("doubled > 50", r) }}>That is a lot.</p>{% endmacro %}
{% macro details() %}{% call(item, index) ui.list("steps", tag="ol") %}<li data-item="text">{{ item.text }}</li>{% endcall %}
{% call(item, index) ui.list("cautions", table="cautions") %}
<li><a href="{{ item.href }}" data-item-href="href" data-item="label">{{ item.label }}</a></li>{% endcall %}
{% endmacro %}
"""


def double_amount(request: Any, rules: Prepared) -> dict[str, Any]:
    """The tiny calculator's engine: twice the amount, a trace of one step, one caution id from the real table."""
    amount = request.get("amount") if isinstance(request, dict) else None
    if not isinstance(amount, (int, float)):
        return {"errors": [{"field": "amount", "message": "required"}]}
    doubled = Decimal(str(amount)) * 2
    return {"doubled": float(doubled), "steps": [{"text": f"{amount} twice"}], "cautions": ["taxable"]}


@pytest.fixture()
def tiny_project(tmp_path: Path, project_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "project"
    shutil.copytree(project_root / "rules", project / "rules")
    shutil.copytree(project_root / "macros", project / "macros")
    shutil.copytree(project_root / "content", project / "content")  # reference pages link to its pages
    (project / "content" / "calculator.md").write_text("# No withdrawal calculator here\n", encoding="utf-8")
    (project / "content" / "loan-calculator.md").write_text("# No loan calculator here\n", encoding="utf-8")
    (project / "content" / "tiny.md").write_text('# Tiny\n\n{{ calculator("tiny") }}\n', encoding="utf-8")
    shutil.rmtree(project / "macros" / "calculators")
    folder = project / "macros" / "calculators" / "tiny"
    folder.mkdir(parents=True)
    (project / "macros" / "calculators.yaml").write_text(TINY_DECLARATION, encoding="utf-8")
    (folder / "form.html.j2").write_text(TINY_FORM, encoding="utf-8")
    (folder / "result.html.j2").write_text(TINY_RESULT, encoding="utf-8")
    (folder / "example.yaml").write_text("amount: 21\n", encoding="utf-8")
    monkeypatch.setitem(ENTRY_POINTS, "double_amount", double_amount)
    return project


def test_a_third_calculator_is_configuration_and_templates(tiny_project: Path, tmp_path: Path) -> None:
    generate(tiny_project, tmp_path / "docs")
    page = (tmp_path / "docs" / "tiny.md").read_text(encoding="utf-8")
    assert 'data-calculator="tiny"' in page and 'data-entry="double_amount"' in page
    assert 'name="amount"' in page and 'value="21"' in page  # its own form, with its example
    assert '<span data-field="doubled" data-unit="usd">$42</span>' in page  # the entry point's real answer, prerendered
    assert 'class="tiny-big" data-when="doubled &gt; 50" hidden' in page
    assert "<li data-item=\"text\">21 twice</li>" in page and "<template><li data-item=\"text\"></li></template>" in page
    assert 'href="../reference/cautions/#taxable"' in page  # ids become the table's labels and links
    labels = json.loads(__import__("html").unescape(page.split('data-labels="', 1)[1].split('"', 1)[0]))
    assert labels["labels"]["cautions"]["taxable"] and "cautions" in labels["summaries"]
    assert 'data-path="extra" data-show-if="{&#34;amount&#34;:[&#34;*&#34;]}"' in page.replace("&quot;", "&#34;")
    assert (tmp_path / "docs" / "assets" / "rulebook" / "calculator" / "page.js").is_file()  # the same front end


def _problem(project: Path, tmp_path: Path) -> list[str]:
    with pytest.raises(BuildError) as raised:
        generate(project, tmp_path / "docs")
    return raised.value.lines


def test_an_unknown_entry_point_is_located(tiny_project: Path, tmp_path: Path) -> None:
    declaration = tiny_project / "macros" / "calculators.yaml"
    declaration.write_text(TINY_DECLARATION.replace("entry: double_amount", "entry: triple_amount"), encoding="utf-8")
    lines = _problem(tiny_project, tmp_path)
    assert lines[0].startswith("macros/calculators.yaml:4: calculators[tiny].entry: 'triple_amount' is not an engine entry point")
    assert "double_amount" in lines[0] and "evaluate" in lines[0]


def test_missing_templates_unknown_keys_and_twins_are_all_reported(tiny_project: Path, tmp_path: Path) -> None:
    declaration = tiny_project / "macros" / "calculators.yaml"
    twin = TINY_DECLARATION.split("\n", 1)[1].replace("page: tiny.md", "page: disclaimer.md")
    text = TINY_DECLARATION.replace("form: calculators/tiny/form.html.j2", "form: calculators/tiny/forms.html.j2") + twin
    third = twin.replace("id: tiny", "id: third").replace("page: disclaimer.md", "page: tiny.md")
    declaration.write_text(text + third + "    colour: blue\n", encoding="utf-8")
    lines = _problem(tiny_project, tmp_path)
    assert any(line.startswith("macros/calculators.yaml:5: calculators[tiny].form: macros/calculators/tiny/forms.html.j2 does not exist")
               for line in lines), lines
    assert any("declared twice" in line for line in lines), lines
    assert any("colour" in line and "unknown" in line for line in lines), lines


def test_a_page_that_never_places_its_calculator_is_an_error(tiny_project: Path, tmp_path: Path) -> None:
    (tiny_project / "content" / "tiny.md").write_text("# Tiny, forgotten\n", encoding="utf-8")
    assert _problem(tiny_project, tmp_path) == [
        "macros/calculators.yaml:2: calculator 'tiny' is declared for content/tiny.md, but that page never writes "
        '{{ calculator("tiny") }}']


def test_an_undeclared_calculator_and_a_wrong_page_are_errors(tiny_project: Path, tmp_path: Path) -> None:
    (tiny_project / "content" / "disclaimer.md").write_text('# Disclaimer\n\n{{ calculator("loan") }}\n', encoding="utf-8")
    assert "no calculator 'loan' is declared in macros/calculators.yaml (declared: tiny)" in _problem(tiny_project, tmp_path)[0]
    (tiny_project / "content" / "disclaimer.md").write_text('# Disclaimer\n\n{{ calculator("tiny") }}\n', encoding="utf-8")
    assert "is declared for content/tiny.md, but content/disclaimer.md calls it" in _problem(tiny_project, tmp_path)[0]


def test_an_example_the_engine_refuses_stops_the_build(tiny_project: Path, tmp_path: Path) -> None:
    (tiny_project / "macros" / "calculators" / "tiny" / "example.yaml").write_text("amount: lots\n", encoding="utf-8")
    assert _problem(tiny_project, tmp_path) == [
        "macros/calculators/tiny/example.yaml:1: the example is not a valid request for 'double_amount': amount: required"]


def test_show_if_and_when_read_as_the_page_script_reads_them() -> None:
    values = {"request.route": ["hardship"], "plan.allows": ["age_based", "hardship"], "balances.rollover": ["0"],
              "person.disabled": ["false"]}
    assert show_if({"request.route": ["hardship", "age_based"]}, values)
    assert not show_if({"request.route": ["age_based"]}, values)
    assert show_if({"plan.allows": ["hardship"]}, values) and not show_if({"plan.allows": ["sepp"]}, values)
    assert not show_if({"balances.rollover": ["*"]}, values) and not show_if({"balances.missing": ["*"]}, values)
    assert show_if({"person.disabled": ["false"], "request.route": ["hardship"]}, values)
    result = {"allowed": True, "due": -12.5, "cautions": [], "goal": None, "kind": "in_hand"}
    assert when("allowed", result) and not when("!allowed", result)
    assert when("due < 0", result) and not when("due > 0", result) and not when("missing > 0", result)
    assert not when("cautions", result) and when("!goal", result) and when("goal == null", result)
    assert when("kind == 'in_hand' and allowed", result) and not when("kind != 'in_hand'", result)
    with pytest.raises(ValueError, match="cannot read"):
        when("allowed or due", result)
