"""``rulebook calc SCENARIO``: evaluate one scenario file and print the result (spec/cli.md).

The file is read by :mod:`.scenario_file` (JSON and YAML 1.2 meanings, exact numbers, repeated
keys refused). JSON (the default) is exactly the engine's result object, keys sorted, so a browser
result and a CLI result can be compared byte for byte. ``--format text`` prints the figures a
person asks about and then the trace, each line with the page that explains its rule. Exit codes:
0 a result was printed (also when the withdrawal is not allowed), 2 input errors (one
``field: message`` or ``file:line: message`` line each), 1 the rules themselves are invalid.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from ..engine import evaluate
from ..ground.wording import format_value
from . import HelpFormatter, exit_status
from .inputs import add_scenario_arguments, answer

__all__ = ["register", "render_text", "run"]


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "calc", help="evaluate one scenario and print the result",
        description="Evaluate a scenario file (YAML or JSON; '-' reads standard input) and print the result: "
                    "the engine's result object as JSON (keys sorted), or a readable summary with the trace.",
        epilog=exit_status({0: "a result was printed (also when the withdrawal is not allowed)",
                            1: "the rules are invalid (run rulebook check)",
                            2: "the scenario cannot be read or has input errors (one 'field: message' line each), "
                               "or bad arguments"}),
        formatter_class=HelpFormatter)
    add_scenario_arguments(parser, "scenario file", "a readable text summary")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return answer(args, "calc", evaluate, render_text)


def _get(result: Mapping[str, Any], path: str) -> Any:
    value: Any = result
    for part in path.split("."):
        value = value[part] if isinstance(value, Mapping) else None
    return value


def _labels(tables: Mapping[str, Any], name: str) -> dict[str, str]:
    return {e["id"]: str(e["label"]) for e in tables[name]["entries"]}


def _show(value: Any, unit: str) -> str:
    if unit == "codes":
        return "".join(value or [])
    return format_value(value, unit if unit != "bool" else "bool")


def render_text(result: Mapping[str, Any], tables: Mapping[str, Any]) -> str:
    """A readable summary: allowed or why not, the figures by group, the forms, cautions, then the trace.

    Every label comes from the tables (the results table for figures), so the command line and the
    calculator page name each figure alike.
    """
    lines = []
    figures = tables["results"]["entries"]
    if result["allowed"]:
        lines.append("Allowed: yes")
        goal = result.get("goal")
        if goal:
            steps = _labels(tables, "steps")
            lines.append(f"Goal: {steps.get('goal_' + goal['kind'], goal['kind'])} {format_value(goal['amount'], 'usd')}, "
                         + ("met" if goal["met"] else f"not met ({goal['limit']})"))
        width = max(len(str(e["label"])) for e in figures)
        for entry in figures:
            value = _get(result, entry["field"])
            if value is not None:
                lines.append(f"  {entry['label']:<{width}}  {_show(value, entry['unit']):>12}")
        if result["exception_applied"]:
            applied = result["exception_applied"]
            lines.append(f"  Exception applied: {_labels(tables, 'exceptions').get(applied['id'], applied['id'])} "
                         f"({format_value(applied['exempt_amount'], 'usd')})")
        for form in result.get("forms_1099r") or []:
            lines.append(f"  Form 1099-R ({form['character']}, to {form['to']}): box 1 {format_value(form['box1'], 'usd')}, "
                         f"box 2a {format_value(form['box2a'], 'usd')}, box 4 {format_value(form['box4'], 'usd')}, "
                         f"box 5 {format_value(form['box5'], 'usd')}, box 7 {''.join(form['box7'])}")
    else:
        lines.append("Allowed: no")
        lines.extend(f"  - {item['message']} [{item['rule']}]" for item in result["blocked"])
    cautions = _labels(tables, "cautions")
    for title, key in (("Cautions", "cautions"), ("Good to know", "good_to_know")):
        if result.get(key):
            lines.append(f"{title}: {'; '.join(cautions.get(c, c) for c in result[key])}")
    if result["questions"]:
        questions = _labels(tables, "questions")
        lines.append(f"Questions for the plan administrator: {' · '.join(questions.get(q, q) for q in result['questions'][:4])}")
    lines.append("Trace:")
    for number, entry in enumerate(result["trace"], 1):
        lines.append(f"  {number:>2}. {entry['message']}")
        lines.append(f"      [{entry['rule']}] {entry['page']}")
    return "\n".join(lines)
