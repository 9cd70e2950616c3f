"""The editor's guide: its reference tables come from the schemas, and its how-tos actually work."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import jinja2
import pytest

from rulebook.ground.expressions import FACTS, compile_expr, dotted_names
from rulebook.rules import RuleSet, load_rules
from rulebook.rules.schema import TABLES, UNITS, Condition, Entry, Source, TableFile
from rulebook.site.guide import PARTS, expression_reference, facts_reference, schema_reference, units_reference

GUIDE = Path(__file__).resolve().parents[2] / "content" / "editors-guide.md"


def _cells(html_text: str) -> list[list[str]]:
    """The guide's tables (raw HTML) as rows of cell text, tags and break points removed."""
    rows = re.findall(r"^<tr>(.*)</tr>$", html_text, flags=re.MULTILINE)
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<td>(.*?)</td>", row)] for row in rows]


def _rows(html_text: str) -> list[str]:
    return [row[0] for row in _cells(html_text)]


def _row(html_text: str, name: str) -> list[str]:
    return next(row for row in _cells(html_text) if row[0] == name)


def _fields(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


def test_every_schema_field_is_in_the_guide() -> None:
    common = _rows(schema_reference("common"))
    for cls in (TableFile, Entry, Source, Condition):
        assert set(_fields(cls)) <= set(common), cls.__name__
    shared = set(_fields(Entry))
    for name, cls in TABLES.items():
        own = [f for f in _fields(cls) if f not in shared]
        assert _rows(schema_reference(name)) == own, name


def test_every_table_has_a_section() -> None:
    tables = schema_reference("tables")
    for name in TABLES:
        assert f"### `{name}`\n\nFile `rules/{name}.yaml`." in tables


def test_every_fact_and_unit_is_listed() -> None:
    assert _rows(facts_reference())[:-1] == list(FACTS)
    assert _rows(units_reference()) == list(UNITS)


def test_required_and_defaults_shown() -> None:
    route = schema_reference("routes")
    assert _row(route, "may_draw_from")[1:3] == ["list of id from money_sources", "required"]
    assert "<td><strong>required</strong></td>" in route
    assert _row(route, "conditions")[1:3] == ["list of mapping (id, test, message, trace, label)", "optional (default: none)"]
    assert _row(route, "minimum_age")[1:3] == ["text (Markdown, {placeholders})", "optional (default none)"]
    parameters = schema_reference("parameters")
    assert _row(parameters, "values")[1:3] == ["mapping of tax year to number or null", "optional"]


def test_code_in_the_guide_breaks_only_after_separators() -> None:
    """Field names and examples may wrap after _ . / ( , (a <wbr>), never inside a word or a number."""
    route = schema_reference("routes")
    assert "<td><code>needs_<wbr>hardship_<wbr>reason</code></td>" in route
    assert "<code>min(<wbr>param.<wbr>domestic_<wbr>abuse_<wbr>cap, 0.5 * vested_<wbr>total)</code>" in route
    assert "<code>{placeholders}</code>" in route
    assert "<table>" in route and "\n\n" not in route.split("<table>", 1)[1]  # one raw HTML block


def test_expression_examples_are_valid_expressions() -> None:
    rows = [line.rsplit("|", 2)[1] for line in expression_reference().split("Nothing else")[0].splitlines()[2:] if line]
    examples = [e for row in rows for e in re.findall(r"`([^`]+)`", row)]
    checked = 0
    for example in examples:
        try:
            names = dotted_names(example)
            compile_expr(example)
        except ValueError:
            continue  # an operator on its own, such as `<=`
        checked += 1
        for name in names:
            assert name in FACTS or name.startswith("param."), (example, name)
    assert checked >= 8


def test_unknown_part_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown part 'nope'"):
        schema_reference("nope")
    for part in PARTS:
        assert schema_reference(part)


def test_page_renders_with_jinja(rules: RuleSet) -> None:
    page = GUIDE.read_text(encoding="utf-8")
    rendered = jinja2.Environment(undefined=jinja2.StrictUndefined).from_string(page).render(
        schema_reference=schema_reference, rules=rules, version=rules.version)
    assert "{{" not in rendered
    entries = sum(len(t.entries) for t in rules.tables.values())
    assert f"ok: {len(rules.tables)} tables, {entries} entries ({rules.version})" in rendered  # what `rulebook check` prints
    for heading in ("## Add a caution", "## Add an access route", "## Add an exception", "## Add a new tax year",
                    "## Add a scenario vector"):
        assert heading in rendered
    assert _row(rendered, "when")[1:3] == ["expression", "required"]


def _example_after(heading: str) -> str:
    page = GUIDE.read_text(encoding="utf-8")
    section = page.split(heading, 1)[1]
    return re.search(r"```yaml\n(.*?)```", section, flags=re.DOTALL).group(1)  # type: ignore[union-attr]


@pytest.mark.parametrize(("heading", "table", "entry_id"), [
    ("## Add a caution", "cautions", "large_withdrawal"),
    ("## Add an access route", "routes", "disaster_recovery"),
])
def test_guide_examples_load_clean(heading: str, table: str, entry_id: str, rules_copy: Path) -> None:
    """Following the guide, an editor's new entry passes the checker and reaches the engine's data."""
    path = rules_copy / f"{table}.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + _example_after(heading), encoding="utf-8")
    rules, problems = load_rules(rules_copy)
    assert problems == []
    assert rules is not None
    ids = [e["id"] for e in rules.to_json()["tables"][table]["entries"]]
    assert ids[-1] == entry_id
