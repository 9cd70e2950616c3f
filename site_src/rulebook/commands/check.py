"""``rulebook check [RULES_DIR]``: validate every table and vector, print every problem."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..rules import load_rules

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    parser = sub.add_parser("check", help="validate the rule tables and scenario vectors")
    parser.add_argument("rules_dir", nargs="?", default="rules", help="rules folder (default: ./rules)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    rules, problems = load_rules(args.rules_dir)
    if args.format == "json":
        json.dump({"ok": not problems, "problems": [p.to_json() for p in problems]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for problem in problems:
            print(problem)
        if problems:
            files = len({p.file for p in problems})
            print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files} file{'s' if files != 1 else ''}")
        else:
            assert rules is not None
            entries = sum(len(t.entries) for t in rules.tables.values())
            print(f"ok: {len(rules.tables)} tables, {entries} entries ({rules.version})")
    return 1 if problems else 0
