"""``rulebook check [RULES_DIR]``: validate every table and vector, print every problem.

Every problem of every file is printed in one run as ``file:line: key.path: message``, sorted by
file and line, then a one-line summary; ``--format json`` gives tools the same list. Given one
table file instead of a folder, only that file's problems are shown (its sibling tables are
still read, so references and ``param.`` names are checked against them).

``--stale-after DAYS`` also lists every entry whose ``reviewed`` date is more than DAYS days
before today (``--today`` fixes "today" for tests and reproducible reports), as
``file:line: table.id: reviewed YYYY-MM-DD (N days ago)``. A stale entry is a finding the editor
asked for, so it makes the exit code 1 like a problem does; without the option the exit code is
0 for clean rules and 1 for problems, as in ``spec/cli.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..rules import RuleSet, load_rules
from ..rules.errors import Problem
from ..rules.vectors import load_vectors
from . import HelpFormatter, exit_status
from .vector_inputs import input_problems

__all__ = ["Stale", "register", "run", "stale_entries"]


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "check", help="validate the rule tables and scenario vectors",
        description="Validate every rule table and scenario vector; print every problem as file:line: key.path: message, "
                    "then a one-line summary.",
        epilog=exit_status({0: "the rules and vectors are clean",
                            1: "problems found (or, with --stale-after, entries reviewed too long ago)",
                            2: "bad arguments"}),
        formatter_class=HelpFormatter)
    parser.add_argument("rules_dir", nargs="?", default="rules", metavar="RULES_DIR",
                        help="rules folder, or one table file in it (default: ./rules)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (json: for tools)")
    parser.add_argument("--stale-after", type=_days, metavar="DAYS",
                        help="also list entries reviewed more than DAYS days ago; any such entry makes the exit code 1")
    parser.add_argument("--today", type=_day, metavar="YYYY-MM-DD", help="the date --stale-after counts from (default: today)")
    parser.set_defaults(run=run)


@dataclass(frozen=True, order=True)
class Stale:
    """An entry whose review is overdue, located at its ``reviewed`` key."""

    file: str
    line: int
    table: str
    entry: str
    reviewed: str
    days: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.table}.{self.entry}: reviewed {self.reviewed} ({self.days} days ago)"

    def to_json(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "table": self.table, "id": self.entry,
                "reviewed": self.reviewed, "days": self.days}


def stale_entries(rules: RuleSet, days: int, today: date) -> list[Stale]:
    """Entries whose ``reviewed`` date is more than ``days`` days before ``today``, by file and line."""
    found = []
    for name, table in rules.tables.items():
        for entry in table.entries:
            age = (today - date.fromisoformat(entry.reviewed)).days
            if age > days:
                found.append(Stale(table.file, table.line_of(entry.id, "reviewed"), name, entry.id, entry.reviewed, age))
    return sorted(found)


def run(args: argparse.Namespace) -> int:
    try:
        rules, problems = _load(Path(args.rules_dir))
        stale = stale_entries(rules, args.stale_after, args.today or date.today()) if rules and args.stale_after is not None else []
    except Exception as exc:  # a bug in rulebook, never the editor's fault: still no traceback
        print(f"rulebook check: internal error ({type(exc).__name__}: {exc}); please report this with the file that caused it",
              file=sys.stderr)
        return 1
    if args.format == "json":
        report: dict[str, Any] = {"ok": not problems and not stale, "problems": [p.to_json() for p in problems]}
        if args.stale_after is not None:
            report["stale"] = [s.to_json() for s in stale]
        json.dump(report, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print_text(rules, problems, stale, args.stale_after)
    return 1 if problems or stale else 0


def _load(target: Path) -> tuple[RuleSet | None, list[Problem]]:
    if target.is_file():
        shown = str(target.parent / target.name)
        rules, problems = load_rules(target.parent)
        mine = [p for p in problems if p.file == shown]
        return (rules if not problems else None), mine
    rules, problems = load_rules(target)
    problems = sorted(problems + _vector_problems(target, rules))
    return (rules if not problems else None), problems


def _vector_problems(target: Path, rules: RuleSet | None) -> list[Problem]:
    """Scenario vectors in ``RULES_DIR/vectors/``: their files, and each input against the engine."""
    vectors, problems = load_vectors(target / "vectors")
    if rules is not None:
        problems += input_problems(vectors, rules.to_json())
    return problems


def _print_text(rules: RuleSet | None, problems: list[Problem], stale: list[Stale], days: int | None) -> None:
    for problem in problems:
        print(problem)
    if problems:
        files = len({p.file for p in problems})
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files} file{'s' if files != 1 else ''}")
        return
    for entry in stale:
        print(entry)
    if stale:
        print(f"{len(stale)} entr{'ies' if len(stale) != 1 else 'y'} reviewed more than {days} days ago")
    elif rules is not None:
        print(f"ok: {len(rules.tables)} tables, {rules.entry_count} entries ({rules.version})")
    else:
        print("ok: no problems in this file (other tables in its folder have problems: check the folder)")


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of days") from None
    if value < 0:
        raise argparse.ArgumentTypeError("DAYS must be 0 or more")
    return value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date YYYY-MM-DD") from None
