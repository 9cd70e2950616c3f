"""``rulebook check``: exit codes, one line per problem, JSON for tools, freshness, one-file mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rulebook.cli import main
from rulebook.rules.schema import TABLES

MINIMAL = Path(__file__).resolve().parent.parent / "rules" / "minimal"


@pytest.fixture()
def small_rules(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    root.mkdir()
    for path in MINIMAL.iterdir():
        (root / path.name).write_bytes(path.read_bytes())
    return root


def test_clean_rules_exit_0(rules_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(rules_copy)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"ok: {len(TABLES)} tables, ")


def test_broken_table_prints_file_line_and_exits_1(small_rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = small_rules / "cautions.yaml"
    path.write_text(path.read_text().replace("    label: You", "    lable: You").replace("reviewed: 2026-11-28", "reviewed: 2026-13-01"))
    (small_rules / "glossary.yaml").write_text("title: [\n")
    assert main(["check", str(small_rules)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{path}:5: entries[under_59_half].lable: unknown key 'lable' (did you mean 'label'?); "
        "expected one of: id, label, summary, details, sources, reviewed, when, kind",
        f"{path}:13: entries[under_59_half].reviewed: '2026-13-01' is not a real date; expected YYYY-MM-DD",
        f"{small_rules}/glossary.yaml:1: YAML syntax error: a '[' or '{{' opened on this line is never closed (the file ends first)",
        "3 problems in 2 files",
    ]


def test_json_format(small_rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small_rules / "questions.yaml").write_text("")
    assert main(["check", str(small_rules), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report == {"ok": False, "problems": [{
        "file": f"{small_rules}/questions.yaml", "line": 1, "path": "",
        "message": "file is empty (or only comments); expected a mapping with title, intro and entries"}]}


def test_json_format_clean(small_rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(small_rules), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "problems": []}


def test_stale_entries_listed_at_their_reviewed_line(small_rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = small_rules / "cautions.yaml"
    path.write_text(path.read_text().replace("reviewed: 2026-11-28", "reviewed: 2025-01-15"))
    assert main(["check", str(small_rules), "--stale-after", "365", "--today", "2026-11-28"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{path}:13: cautions.under_59_half: reviewed 2025-01-15 (682 days ago)",
        "1 entry reviewed more than 365 days ago",
    ]


def test_nothing_stale_exits_0(small_rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(small_rules), "--stale-after", "0", "--today", "2026-11-28"]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


def test_stale_boundary_and_json(small_rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Exactly DAYS days ago is not stale; one day more is."""
    assert main(["check", str(small_rules), "--stale-after", "30", "--today", "2026-12-28", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["stale"] == []
    assert main(["check", str(small_rules), "--stale-after", "30", "--today", "2026-12-29", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and len(report["stale"]) == 22
    assert report["stale"][0] == {"file": f"{small_rules}/alternatives.yaml", "line": 11, "table": "alternatives",
                                  "id": "plan_loan", "reviewed": "2026-11-28", "days": 31}


def test_bad_stale_arguments_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--stale-after", "soon"])
    assert exit_info.value.code == 2
    assert "'soon' is not a whole number of days" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["check", "--stale-after", "3", "--today", "28/11/2026"])
    assert "'28/11/2026' is not a date YYYY-MM-DD" in capsys.readouterr().err


def test_one_file_shows_only_its_problems(small_rules: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (small_rules / "glossary.yaml").write_text("title: [\n")
    routes = small_rules / "routes.yaml"
    routes.write_text(routes.read_text().replace("may_draw_from: [pretax_deferrals]", "may_draw_from: [pretax_deferals]", 1))
    assert main(["check", str(routes)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{routes}:9: entries[hardship].may_draw_from[0]: 'pretax_deferals' is not an id in money_sources "
        "(did you mean 'pretax_deferrals'?)",
        "1 problem in 1 file",
    ]
    assert main(["check", str(small_rules / "cautions.yaml")]) == 0
    assert "no problems in this file" in capsys.readouterr().out


def test_missing_folder_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope")]) == 1
    assert "rules folder not found" in capsys.readouterr().out


def test_internal_error_is_one_line_not_a_traceback(small_rules: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from rulebook.commands import check

    def broken(folder: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(check, "load_rules", broken)
    assert main(["check", str(small_rules)]) == 1
    err = capsys.readouterr().err
    assert err == "rulebook check: internal error (ValueError: boom); please report this with the file that caused it\n"
