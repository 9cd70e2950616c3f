"""The generated reference pages speak to people: sentences and labels; ids and expressions folded away.

Each entry's fields are shown under a heading from ``macros/reference-fields.md.j2``; what the
calculator evaluates (expressions, conditions' tests, closed-set codes, the id) sits in a collapsed
"As the calculator checks it" block, as the YAML file has it. These tests read the generated
Markdown, so they name the exact text a reader gets.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from rulebook.rules import RuleSet
from rulebook.rules.loader import table_page
from rulebook.rules.schema import TABLE_ORDER, Condition
from rulebook.site.generator import generate
from rulebook.site.reference import _markers

FOLD = '??? note "As the calculator checks it"'


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Path:
    out = tmp_path_factory.mktemp("reference") / "docs"
    generate(project_root, out)
    return out


def _sections(tree: Path, table: str) -> dict[str, str]:
    page = (tree / (table_page(table).rstrip("/") + ".md")).read_text(encoding="utf-8")
    parts = re.split(r"^## .* \{ #([a-z0-9_]+) \}$", page, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _split(section: str) -> tuple[str, str]:
    """(what is shown open, what is folded into the block)."""
    match = re.search(re.escape(FOLD) + r"\n    ```yaml\n(.*?)\n    ```\n", section, flags=re.DOTALL)
    if match is None:
        assert FOLD not in section
        return section, ""
    return section[:match.start()] + section[match.end():], match.group(1)


def _expressions(entry: object) -> list[str]:
    from rulebook.rules.fields import Expr

    found = []
    for spec in dataclasses.fields(entry):  # type: ignore[arg-type]
        value = getattr(entry, spec.name)
        if isinstance(value, list) and value and isinstance(value[0], Condition):
            found += [c.test.strip() for c in value]
        elif any(isinstance(m, Expr) for m in _markers(type(entry))[spec.name][1]) and value:
            found.append(str(value).strip())
    return found


def test_every_expression_is_folded_never_shown_open(tree: Path, rules: RuleSet) -> None:
    checked = 0
    for table in TABLE_ORDER:
        sections = _sections(tree, table)
        for entry in rules[table].entries:
            shown, folded = _split(sections[entry.id])
            for expression in _expressions(entry):
                checked += 1
                assert f": {expression}" in folded or f": '{expression}'" in folded or f': "{expression}"' in folded, \
                    (table, entry.id, expression)
                assert f"`{expression}`" not in shown, (table, entry.id, expression)
            if folded:
                assert folded.strip().startswith(f"id: {entry.id}"), (table, entry.id)
                assert f"Id `{entry.id}`" not in shown
    assert checked > 40  # cautions, questions, withholding, codes, permissions, routes, exceptions, sources


def test_conditions_read_as_their_sentences(tree: Path, rules: RuleSet) -> None:
    age_based = rules["routes"].get("age_based")
    shown, folded = _split(_sections(tree, "routes")["age_based"])
    for condition in age_based.conditions:  # type: ignore[attr-defined]
        assert condition.label, f"{condition.id} has no label: the page would fall back to its failure message"
        assert f"- id: {condition.id}\n" in folded
    assert "    - You have reached the age the plan states for age-based withdrawals.\n" in shown
    assert "age >= plan.age_based_min_age" not in shown


def test_every_condition_in_the_rules_has_a_sentence(rules: RuleSet) -> None:
    """The schema lets `label` be empty (the message stands in); this knowledge base words every one."""
    for table in ("routes", "exceptions"):
        for entry in rules[table].entries:
            for condition in getattr(entry, "conditions", None) or getattr(entry, "requires", None) or []:
                assert condition.label, (table, entry.id, condition.id)


def test_destinations_and_codes_show_labels_not_ids(tree: Path, rules: RuleSet) -> None:
    shown, _ = _split(_sections(tree, "routes")["age_based"])
    for destination in rules["destinations"].entries:
        assert f"[{destination.label}](../reference/destinations.md#{destination.id})" in shown
    assert "direct_rollover`" not in shown and "`cash`" not in shown
    code_g, folded_g = _split(_sections(tree, "form_1099r_codes")["code_g"])
    assert "- **May be combined with:** [4](../reference/form-1099r-codes.md#code_4), [B](" in code_g
    assert "kind: primary" in folded_g and "primary" not in code_g  # a closed-set code without words: folded
    money, folded_money = _split(_sections(tree, "money_sources")["after_tax"])
    assert "- **When it went in:** After tax (not Roth)" in money  # a closed-set code with words: shown in them
    assert "after_tax" not in money.replace("#after_tax", "") and "tax_character" not in folded_money


def test_field_headings_are_words_not_field_names(tree: Path) -> None:
    for table in TABLE_ORDER:
        for section in _sections(tree, table).values():
            shown, _ = _split(section)
            for heading in re.findall(r"^- \*\*(.+?):\*\*", shown, flags=re.MULTILINE):
                assert "_" not in heading and heading not in ("Iras", "Plans", "Kind", "Scope"), (table, heading)


def test_a_page_link_is_titled_as_the_page(tree: Path) -> None:
    shown, _ = _split(_sections(tree, "permissions")["in_service"])
    assert "- **Explained on:** [Early retirement and the Rule of 55](../rule-of-55.md)" in shown


_LINK = re.compile(r"\[([^\]]+)\]\((?:\.\./)*reference/([a-z0-9-]+)\.md#([a-z0-9_]+)\)")


def test_links_keep_the_labels_capitals(tree: Path, rules: RuleSet) -> None:
    """No page lower-cases a label in a link ("designated Roth deferrals", "iRS levy")."""
    by_page = {table_page(t).rstrip("/").split("/")[-1]: t for t in TABLE_ORDER}
    seen = 0
    for path in tree.rglob("*.md"):
        for text, page, entry_id in _LINK.findall(path.read_text(encoding="utf-8")):
            label = rules[by_page[page]].get(entry_id).label
            seen += 1
            recased = text != label and text.lower() == label.lower()
            assert not recased, f"{path.name}: link text {text!r} re-cases the label {label!r}"
    assert seen > 200
