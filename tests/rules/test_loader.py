"""The loader on valid tables: what it keeps, where it says things are, and how it reads YAML."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from rulebook.rules import RuleSet, load_rules
from rulebook.rules.loader import table_page
from rulebook.rules.schema import TABLE_ORDER
from rulebook.rules.yamlsrc import MAX_BYTES, LocatedStr, parse_text, read_yaml

MINIMAL = Path(__file__).parent / "minimal"


def test_real_rules_load_clean(rules: RuleSet) -> None:
    assert list(rules.tables) == list(TABLE_ORDER)
    assert rules.years == sorted(rules.years) and rules.years


def test_entries_know_their_lines() -> None:
    rules, _ = load_rules(MINIMAL)
    assert rules is not None
    cautions = rules["cautions"]
    assert cautions.file == str(MINIMAL / "cautions.yaml")
    entry = cautions.get("under_59_half")
    assert entry.line == 4
    assert cautions.line_of("under_59_half", "reviewed") == 13
    assert cautions.line_of("under_59_half", "when") == 6
    assert cautions.line_of("under_59_half", "no_such_key") == 4


def test_values_are_plain_python() -> None:
    """Located helper types stay inside the loader: the rule set holds plain str, int, float."""
    rules, _ = load_rules(MINIMAL)
    assert rules is not None
    entry = rules["cautions"].get("under_59_half")
    assert type(entry.summary) is str and type(entry.id) is str
    assert entry.summary == "Before {param.penalty_free_age}, the taxable part usually costs more.\n"
    values = rules["parameters"].get("domestic_abuse_cap").values  # type: ignore[attr-defined]
    assert values == {2025: 10300, 2026: 10500}


def test_reviewed_dates_stay_text() -> None:
    rules, _ = load_rules(MINIMAL)
    assert rules is not None
    assert rules["questions"].get("which_routes").reviewed == "2026-11-28"


def test_json_shape_has_no_editorial_fields(rules: RuleSet) -> None:
    data = rules.to_json()
    route = data["tables"]["routes"]["entries"][0]
    assert "sources" not in route and "reviewed" not in route and "line" not in route
    assert data["tables"]["routes"]["page"] == table_page("routes") == "reference/routes/"


def test_problem_paths_are_relative_to_the_folder_as_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "myrules").mkdir()
    for path in MINIMAL.iterdir():
        (tmp_path / "myrules" / path.name).write_bytes(path.read_bytes())
    (tmp_path / "myrules" / "glossary.yaml").write_text("title: [\n")
    _, problems = load_rules("myrules")
    assert [p.file for p in problems] == ["myrules/glossary.yaml"]


def test_missing_folder() -> None:
    rules, problems = load_rules("/no/such/folder")
    assert rules is None
    assert [str(p) for p in problems] == ["/no/such/folder:1: rules folder not found; expected a folder of <table>.yaml files"]


def test_text_knows_the_line_of_each_part() -> None:
    data, problems = parse_text("a: 1\nb: >\n  first line\n  second {x} line\nc: plain\n", "f.yaml")
    assert problems == []
    assert isinstance(data["b"], LocatedStr)
    assert data["b"].locate("{x}") == 4
    assert data["b"].locate("absent") == 2
    assert data.key_lines == {"a": 1, "b": 2, "c": 5}


def test_keys_are_kept_as_written() -> None:
    """PyYAML would turn `yes:` into True and `2025:` into 2025; an editor means the words."""
    data, problems = parse_text("yes: 1\n2025: 2\nnull: 3\n", "f.yaml")
    assert problems == []
    assert list(data) == ["yes", "2025", "null"]


def test_duplicate_keys_all_reported_and_document_kept() -> None:
    data, problems = parse_text("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", "f.yaml")
    assert data == {"a": 1, "b": {"c": 1}}
    assert [(p.line, p.path) for p in problems] == [(4, "b.c"), (5, "a")]


def test_alias_bomb_is_refused_fast() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 30):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i > 1 else "*a"] * 10) + "]")
    started = time.perf_counter()
    data, problems = parse_text("\n".join(lines) + "\n", "bomb.yaml")
    print(f"alias bomb refused in {(time.perf_counter() - started) * 1000:.1f} ms")
    assert data is None
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(2, "alias '*a' refused")]


def test_deep_nesting_is_refused() -> None:
    data, problems = parse_text("a: " + "[" * 5000 + "]" * 5000 + "\n", "deep.yaml")
    assert data is None
    assert "nesting deeper than" in problems[0].message


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "questions.yaml"
    path.write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
    data, problems = read_yaml(path, "questions.yaml")
    assert data is None
    assert [str(p) for p in problems] == [f"questions.yaml:1: file is {MAX_BYTES + 3:,} bytes; "
                                          f"a rule table must be under {MAX_BYTES:,} (split it or check it is the right file)"]


def test_thousands_of_entries_load(tmp_path: Path) -> None:
    """Scale: a table of 3,000 entries loads (time printed, not asserted)."""
    root = tmp_path / "rules"
    root.mkdir()
    for path in MINIMAL.iterdir():
        (root / path.name).write_bytes(path.read_bytes())
    entry = """  - id: q{n}
    label: Question {n}
    summary: Ask about {{age}} number {n}.
    sources:
      - title: IRC 72(t)
        url: https://www.law.cornell.edu/uscode/text/26/72
    reviewed: 2026-11-28
"""
    (root / "questions.yaml").write_text("title: Q\nintro: Q\nentries:\n" + "".join(entry.format(n=n) for n in range(3000)))
    started = time.perf_counter()
    rules, problems = load_rules(root)
    print(f"3,000 entries loaded in {time.perf_counter() - started:.2f} s")
    assert problems == []
    assert rules is not None and len(rules["questions"].entries) == 3000


def test_destination_ids_are_the_engines() -> None:
    """The schema's destinations and the engine's must be one set, or the form offers one the engine refuses."""
    from typing import get_args

    from rulebook.engine import names
    from rulebook.rules.schema import Destination

    assert get_args(Destination) == names.DESTINATION_IDS


def test_a_destination_without_an_entry_is_reported(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "rules"
    shutil.copytree(Path(__file__).parent / "minimal", root)
    text = (root / "destinations.yaml").read_text(encoding="utf-8")
    (root / "destinations.yaml").write_text(text[: text.index("  - id: indirect_rollover")], encoding="utf-8")
    rules, problems = load_rules(root)
    assert rules is None
    assert [(p.line, p.message) for p in problems] == [
        (1, f"destination '{missing}' has no entry; the calculator offers every destination the engine knows, "
            "so each needs a label and sources") for missing in ("indirect_rollover", "split")]
