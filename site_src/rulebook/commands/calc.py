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
import json
import sys
from typing import Any

from ..engine import evaluate
from ..ground.wording import format_value
from ..rules import load_rules
from .scenario_file import read_scenario_file

__all__ = ["register", "render_text", "run"]


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "calc", help="evaluate one scenario and print the result",
        description="Evaluate a scenario file (YAML or JSON; '-' reads standard input). "
                    "Exit 0 with a result, 2 for input errors, 1 when the rules are invalid.")
    parser.add_argument("scenario", help="scenario file (YAML or JSON), or - for standard input")
    parser.add_argument("--rules", default="rules", help="rules folder (default: ./rules)")
    parser.add_argument("--format", choices=("json", "text"), default="json", help="json (default) or a readable text summary")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    rules, problems = load_rules(args.rules)
    if rules is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        print(f"rulebook calc: the rules in {args.rules} are invalid ({count}); run rulebook check", file=sys.stderr)
        return 1
    scenario, unreadable = read_scenario_file(args.scenario)
    if unreadable:
        for error in unreadable:
            print(error, file=sys.stderr)
        return 2
    result = evaluate(scenario, rules.to_json())
    if "errors" in result:
        for error in result["errors"]:
            print(f"{error['field'] or '(scenario)'}: {error['message']}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(result, sort_keys=True, indent=2, ensure_ascii=False))
    else:
        print(render_text(result))
    return 0


_FIGURES = (
    ("gross", "Gross amount"), ("basis", "Return of contributions (basis)"), ("taxable", "Taxable amount"),
    ("withholding.federal", "Federal tax withheld"), ("check_amount", "Check to you"), ("taxable_kept", "Taxable amount kept"),
    ("federal_income_tax", "Federal income tax"), ("additional_tax", "Additional tax on early distributions"),
    ("state_income_tax", "State income tax"),
    ("total_tax", "Total tax"), ("cash_after_tax", "Cash after tax"), ("replacement_cash", "Replacement cash for a full rollover"),
    ("value_at_retirement", "Value at retirement if left in the plan"),
)


def _get(result: dict[str, Any], path: str) -> Any:
    value: Any = result
    for part in path.split("."):
        value = value[part]
    return value


def render_text(result: dict[str, Any]) -> str:
    """A readable summary: allowed or why not, the figures, the forms, cautions, then the trace."""
    lines = []
    if result["allowed"]:
        lines.append("Allowed: yes")
        width = max(len(label) for _, label in _FIGURES)
        for path, label in _FIGURES:
            lines.append(f"  {label:<{width}}  {format_value(_get(result, path), 'usd'):>12}")
        withholding = result["withholding"]
        lines.append(f"  Withholding rate: {format_value(withholding['rate'], 'rate')}"
                     f" ({'mandatory' if withholding['mandatory'] else 'elective'}"
                     f"{', may elect less' if withholding['can_opt_out'] else ''})")
        lines.append(f"  Eligible rollover distribution: {format_value(result['rollover_eligible'], 'bool')}"
                     + (f" ({result['rollover_ineligible_reason']})" if result["rollover_ineligible_reason"] else ""))
        if result["exception_applied"]:
            applied = result["exception_applied"]
            lines.append(f"  Exception applied: {applied['id']} ({format_value(applied['exempt_amount'], 'usd')})")
        form = result["form_1099r"]
        lines.append(f"  Form 1099-R: box 1 {format_value(form['box1'], 'usd')}, box 2a {format_value(form['box2a'], 'usd')}, "
                     f"box 4 {format_value(form['box4'], 'usd')}, box 5 {format_value(form['box5'], 'usd')}, "
                     f"box 7 {''.join(form['box7'])}")
        lines.append(f"  Form 5329 needed: {format_value(result['form_5329_needed'], 'bool')}")
    else:
        lines.append("Allowed: no")
        lines.extend(f"  - {item['message']} [{item['rule']}]" for item in result["blocked"])
    if result["cautions"]:
        lines.append(f"Cautions: {', '.join(result['cautions'])}")
    if result["questions"]:
        lines.append(f"Questions for the plan administrator: {', '.join(result['questions'])}")
    lines.append("Trace:")
    for number, entry in enumerate(result["trace"], 1):
        lines.append(f"  {number:>2}. {entry['message']}")
        lines.append(f"      [{entry['rule']}] {entry['page']}")
    return "\n".join(lines)
