"""What ``calc`` and ``compare`` both do first: load the rules, read the scenario file, and say why not.

Exit codes of spec/cli.md: 1 when the rules are invalid (each problem printed as ``file:line``),
2 when the scenario cannot be read (each error as ``field: message`` or ``file:line: message``).
"""

from __future__ import annotations

import sys
from typing import Any

from ..rules import RuleSet, load_rules
from .scenario_file import read_scenario_file

__all__ = ["print_errors", "rules_and_scenario"]


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
