"""The generator: rule edits reach the pages, every entry has an anchor, errors are located, nothing is lost."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from rulebook.rules.loader import table_page
from rulebook.rules.schema import TABLE_ORDER
from rulebook.site.generator import BuildError, generate


@pytest.fixture()
def project(tmp_path: Path, project_root: Path) -> Path:
    """A private copy of the project's sources (rules, content, macros) a test may edit."""
    copy = tmp_path / "project"
    for folder in ("rules", "content", "macros"):
        shutil.copytree(project_root / folder, copy / folder)
    return copy


@pytest.fixture(scope="module")
def real_tree(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Path:
    out = tmp_path_factory.mktemp("tree") / "docs"
    generate(project_root, out)
    return out


def _page(tree: Path, table: str) -> str:
    return (tree / (table_page(table).rstrip("/") + ".md")).read_text(encoding="utf-8")


def test_every_table_has_a_page_with_one_anchor_per_entry(real_tree: Path, rules) -> None:  # type: ignore[no-untyped-def]
    for table in TABLE_ORDER:
        page = _page(real_tree, table)
        anchors = re.findall(r"\{ #([a-z0-9_]+) \}", page)
        assert anchors == [e.id for e in rules[table].entries], table


def test_every_entry_shows_its_sources_and_review_date(real_tree: Path, rules) -> None:  # type: ignore[no-untyped-def]
    for table in TABLE_ORDER:
        page = _page(real_tree, table)
        for entry in rules[table].entries:
            section = page.split(f"{{ #{entry.id} }}", 1)[1].split("\n## ", 1)[0]
            assert f"Reviewed {entry.reviewed}" in section, (table, entry.id)
            for source in entry.sources:
                assert source.url in section, (table, entry.id, source.url)


def test_sources_page_lists_every_entry_with_its_review_date(real_tree: Path, rules) -> None:  # type: ignore[no-untyped-def]
    sources = (real_tree / "sources.md").read_text(encoding="utf-8")
    for table in TABLE_ORDER:
        for entry in rules[table].entries:
            assert f"#{entry.id})" in sources
    assert sources.count("| 2026-") >= sum(len(rules[t].entries) for t in TABLE_ORDER)


def test_placeholders_are_filled_on_pages(real_tree: Path) -> None:
    for page in real_tree.rglob("*.md"):
        if page.name == "editors-guide.md":  # the guide shows placeholders as examples, in code
            continue
        text = page.read_text(encoding="utf-8")
        assert "{param." not in text, page


def test_rules_json_is_the_engines_input(real_tree: Path, rules_json) -> None:  # type: ignore[no-untyped-def]
    import json

    written = json.loads((real_tree / "rules.json").read_text(encoding="utf-8"))
    assert written["tables"] == json.loads(json.dumps(rules_json["tables"]))
    assert written["version"].startswith("0.")


def test_a_label_edit_in_rules_changes_the_page(project: Path, tmp_path: Path) -> None:
    routes = project / "rules" / "routes.yaml"
    routes.write_text(routes.read_text(encoding="utf-8").replace("label: Hardship withdrawal", "label: Hardship payout (edited)"),
                      encoding="utf-8")
    out = tmp_path / "out"
    generate(project, out)
    assert "## Hardship payout (edited) { #hardship }" in _page(out, "routes")
    assert "Hardship payout (edited)" in (out / "types-of-access.md").read_text(encoding="utf-8")


def test_a_figure_edit_in_rules_changes_the_prose(project: Path, tmp_path: Path) -> None:
    # A figure no worked example depends on: editing one that changes a computed example (the
    # withholding rate, say) rightly stops the build until the scenario vectors are updated too.
    params = project / "rules" / "parameters.yaml"
    text = params.read_text(encoding="utf-8")
    assert text.count("    value: 3\n") == 1
    params.write_text(text.replace("    value: 3\n", "    value: 4\n", 1), encoding="utf-8")
    out = tmp_path / "out"
    generate(project, out)
    routes = _page(out, "routes")
    assert "within 4 years" in routes and "within 3 years" not in routes


def test_undefined_name_in_content_is_located(project: Path, tmp_path: Path) -> None:
    page = project / "content" / "how-it-works.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "{{ no_such_thing }}")
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        generate(project, tmp_path / "out")
    assert caught.value.lines == ["content/how-it-works.md:3: undefined name: 'no_such_thing' is undefined"]


def test_template_syntax_error_is_located(project: Path, tmp_path: Path) -> None:
    page = project / "content" / "questions.md"
    page.write_text("# Questions\n\n{% if %}\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        generate(project, tmp_path / "out")
    assert len(caught.value.lines) == 1
    assert caught.value.lines[0].startswith("content/questions.md:3: template syntax error:")


def test_rules_problem_stops_generation_with_file_and_line(project: Path, tmp_path: Path) -> None:
    cautions = project / "rules" / "cautions.yaml"
    cautions.write_text(cautions.read_text(encoding="utf-8").replace("when: taxable_kept > 0", "when: taxable_kep > 0", 1),
                        encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        generate(project, tmp_path / "out")
    assert any(line.startswith("rules/cautions.yaml:") and "taxable_kep" in line for line in caught.value.lines)


def test_failed_generation_leaves_the_previous_tree_intact(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(project, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (project / "rules" / "routes.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(BuildError):
        generate(project, out)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_worked_examples_tell_the_scenario_from_the_vector_and_tables(real_tree: Path, rules) -> None:  # type: ignore[no-untyped-def]
    """The box opens with the scenario in words (labels from the tables); the checker's note is folded away."""
    taxes = (real_tree / "taxes.md").read_text(encoding="utf-8")
    box = taxes.split('!!! example "A hardship withdrawal from pre-tax money', 1)[1].split("\n", 1)[1]
    opening = box.split("\n\n", 1)[0].strip()
    route = rules["routes"].get("hardship").label
    source = rules["money_sources"].get("pretax_deferrals").label
    assert opening.startswith("In 2026, a 45-year-old still at work")
    # The labels as the tables write them, capitals kept, each a link to its entry.
    assert (f"takes $10,000 from [{source}](reference/money-sources.md#pretax_deferrals) through the route "
            f"[{route}](reference/routes.md#hardship)") in opening
    assert "retirement_income" not in opening  # the vector's own arithmetic note stays in the folded block
    assert '??? note "How these figures were checked"' in box


def test_an_edited_template_is_rendered_afresh_in_the_same_process(project: Path, tmp_path: Path) -> None:
    """Compiled templates are cached across generations (mkdocs serve); an edit must still show."""
    out = tmp_path / "out"
    generate(project, out)
    for path, old, new in ((project / "content" / "bottom-line.md", "# The bottom line", "# The bottom line, edited"),
                           (project / "macros" / "kb.md.j2", "| Type of access |", "| Kind of access (edited) |")):
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    generate(project, out)
    assert "# The bottom line, edited" in (out / "bottom-line.md").read_text(encoding="utf-8")
    assert "| Kind of access (edited) |" in (out / "types-of-access.md").read_text(encoding="utf-8")
