"""What ``calc``, ``compare`` and ``loan`` share: their arguments, loading the rules, reading the
scenario file and saying why not, and printing an entry point's answer as JSON or text.

Exit codes of spec/cli.md: 1 when the rules are invalid (each problem printed as ``file:line``),
2 when the scenario cannot be read (each error as ``field: message`` or ``file:line: message``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from typing import Any

from ..rules import RuleSet, load_rules
from .scenario_file import read_scenario_file

__all__ = ["add_scenario_arguments", "answer", "print_errors", "rules_and_scenario"]

Entry = Callable[[Any, Mapping[str, Any]], dict[str, Any]]
Render = Callable[[Mapping[str, Any], Mapping[str, Any]], str]


def add_scenario_arguments(parser: argparse.ArgumentParser, what: str, text: str) -> None:
    """SCENARIO, --rules and --format, alike for every command that answers a scenario file."""
    parser.add_argument("scenario", metavar="SCENARIO", help=f"{what} (YAML or JSON), or - for standard input")
    parser.add_argument("--rules", default="rules", metavar="DIR", help="rules folder (default: ./rules)")
    parser.add_argument("--format", choices=("json", "text"), default="json", help=f"json (default) or {text}")


def answer(args: argparse.Namespace, command: str, entry: Entry, render: Render) -> int:
    """Run ``entry`` on the scenario file: its result as JSON (keys sorted) or ``render``'s text; the exit code."""
    loaded = rules_and_scenario(command, args.rules, args.scenario)
    if isinstance(loaded, int):
        return loaded
    rules, scenario = loaded
    plain = rules.to_json()
    result = entry(scenario, plain)
    if print_errors(result):
        return 2
    print(json.dumps(result, sort_keys=True, indent=2, ensure_ascii=False) if args.format == "json" else render(result, plain["tables"]))
    return 0


def rules_and_scenario(command: str, rules_dir: str, scenario_name: str) -> tuple[RuleSet, Any] | int:
    """The loaded rules and the scenario as read, or the exit code after printing why not."""
    rules, problems = load_rules(rules_dir)
    if rules is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        print(f"rulebook {command}: the rules in {rules_dir} are invalid ({count}); run rulebook check", file=sys.stderr)
        return 1
    scenario, unreadable = read_scenario_file(scenario_name)
    if unreadable:
        for error in unreadable:
            print(error, file=sys.stderr)
        return 2
    return rules, scenario


def print_errors(result: dict[str, Any]) -> bool:
    """Print an engine result's input errors, one ``field: message`` line each; whether there were any."""
    for error in result.get("errors", ()):
        print(f"{error['field'] or '(scenario)'}: {error['message']}", file=sys.stderr)
    return "errors" in result
