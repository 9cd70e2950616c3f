"""The command-line page is generated from the parser: every subcommand, option and exit code, once.

The parser (:func:`rulebook.cli.build_parser`) is the one source: ``--help`` prints it, the site's
*Command line* page renders it, and the README's short table must name every subcommand it has.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from rulebook.cli import build_parser, main
from rulebook.cli import command_reference as page_reference
from rulebook.commands.reference import command_reference, exit_codes, subcommands, usage

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def parser() -> argparse.ArgumentParser:
    return build_parser()


def test_every_subcommand_states_its_exit_codes(parser: argparse.ArgumentParser) -> None:
    found = subcommands(parser)
    assert {"check", "calc", "vectors", "generate"} <= set(found)
    for name, (sub, _) in found.items():
        codes = exit_codes(sub)
        assert "0" in codes and "2" in codes, f"rulebook {name}: its epilog must list its exit codes (commands.exit_status)"
        assert all(meaning.strip() for meaning in codes.values()), name
    assert exit_codes(parser)["2"].startswith("no command")


def test_the_page_shows_each_subcommand_with_usage_options_and_exit_codes(parser: argparse.ArgumentParser) -> None:
    page = command_reference(parser)
    for name, (sub, _) in subcommands(parser).items():
        start = page.index(f"## `rulebook {name}`")
        following = page.find("\n## ", start + 1)
        section = page[start:following if following > 0 else len(page)]
        assert f"```text\n{usage(sub)}\n```" in section, name
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}" in section, f"{name}: {option} missing"
        rows = re.findall(r"^\| (\d+) \| (.+) \|$", section, flags=re.MULTILINE)
        assert dict(rows).keys() == exit_codes(sub).keys(), name


def test_exit_codes_read_back_what_help_prints(parser: argparse.ArgumentParser, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["check", "--help"])
    assert stopped.value.code == 0
    printed = capsys.readouterr().out
    check = subcommands(parser)["check"][0]
    for code, meaning in exit_codes(check).items():
        assert re.search(rf"^  {code}\s+{re.escape(meaning.split()[0])}", printed, flags=re.MULTILINE), (code, printed)


def test_usage_is_the_same_whatever_the_terminal_width(parser: argparse.ArgumentParser, monkeypatch: pytest.MonkeyPatch) -> None:
    sub = subcommands(parser)["generate"][0]
    monkeypatch.setenv("COLUMNS", "40")
    narrow = usage(sub)
    monkeypatch.setenv("COLUMNS", "300")
    assert usage(sub) == narrow


def test_the_page_reaches_the_parser_through_the_declared_entry_point(parser: argparse.ArgumentParser) -> None:
    from importlib.metadata import entry_points

    points = {point.name: point for point in entry_points(group="rulebook.page_globals")}
    assert "command_reference" in points, "reinstall the project (make setup): pyproject.toml declares the entry point"
    assert points["command_reference"].load() is page_reference
    assert page_reference() == command_reference(parser)


def test_the_page_is_in_the_nav_after_the_editors_guide() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    guide, page = nav.index("  - Editor's guide: editors-guide.md\n"), nav.index("  - Command line: command-line.md\n")
    assert 0 < page - guide < 120, "the command-line page belongs with the editor's pages"
    assert "{{ command_reference() }}" in (ROOT / "content" / "command-line.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_built_page_lists_every_subcommand(built_site: Path, parser: argparse.ArgumentParser) -> None:
    html = (built_site / "command-line" / "index.html").read_text(encoding="utf-8")
    for name in subcommands(parser):
        assert f'id="rulebook-{name}"' in html, name


def test_readme_table_names_every_subcommand_and_no_missing_file(parser: argparse.ArgumentParser) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in subcommands(parser):
        assert re.search(rf"^\| `rulebook {name}\b", readme, flags=re.MULTILINE), f"README: no row for rulebook {name}"
    assert "../shared/" not in readme, "the README must not send readers outside the clone"
