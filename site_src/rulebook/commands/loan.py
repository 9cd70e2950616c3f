"""``rulebook loan SCENARIO``: the loan calculator on a scenario file, as ``calc`` is the withdrawal one.

The file is read like ``calc``'s (JSON and YAML 1.2 meanings, exact numbers, repeated keys refused)
and answered by the engine's ``loan`` entry point, the one the loan calculator page calls. JSON (the
default) is exactly that result, keys sorted; ``--format text`` prints the limit, the payments, what
leaving or a missed payment would cost, then the trace with the page of each rule. Exit codes: 0 a
result was printed (also when the loan is not allowed), 2 input errors, 1 the rules are invalid.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from ..engine.api import ENTRY_POINTS
from ..ground.wording import format_value
from . import HelpFormatter, exit_status
from .inputs import add_scenario_arguments, answer

__all__ = ["register", "render_text", "run"]


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "loan", help="evaluate one plan-loan scenario and print the result",
        description="Evaluate a loan scenario file (YAML or JSON; '-' reads standard input) as the loan calculator "
                    "does: the most you may borrow, the payments and interest, and what leaving the job or missing "
                    "a payment would cost in tax. Prints the result object as JSON (keys sorted) or a readable summary.",
        epilog=exit_status({0: "a result was printed (also when the loan is not allowed)",
                            1: "the rules are invalid (run rulebook check)",
                            2: "the scenario cannot be read or has input errors (one 'field: message' line each), "
                               "or bad arguments"}),
        formatter_class=HelpFormatter)
    add_scenario_arguments(parser, "loan scenario file", "a readable text summary")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return answer(args, "loan", ENTRY_POINTS["loan"], render_text)


def _usd(value: Any) -> str:
    return format_value(value, "usd")


def _event(title: str, event: Mapping[str, Any]) -> list[str]:
    lines = [f"{title} on {event['date']} (age {format_value(event['age'], 'age')}): {_usd(event['balance'])} still owed"]
    if event["amount"]:
        lines.append(f"  taxable {_usd(event['taxable'])}: federal {_usd(event['federal_income_tax'])}, "
                     f"additional {_usd(event['additional_tax'])}, state {_usd(event['state_income_tax'])}, "
                     f"total {_usd(event['total_tax'])}; Form 1099-R box 7 {''.join(event['form_1099r']['box7'])}")
    if event.get("rollover_deadline"):
        lines.append(f"  can be rolled over until {event['rollover_deadline']}")
    return lines


def render_text(result: Mapping[str, Any], tables: Mapping[str, Any] | None = None) -> str:
    """A readable summary: allowed or why not, the limit, the payments, the what-ifs, then the trace."""
    lines = [f"Allowed: {'yes' if result['allowed'] else 'no'}", f"  Most you may borrow now: {_usd(result['max_loan'])}"]
    if result["allowed"]:
        lines += [f"  Loan: {_usd(result['amount'])} at {format_value(result['interest_rate'], 'rate')}, "
                  f"{result['number_of_payments']} payments of {_usd(result['payment'])} (last {_usd(result['final_payment'])}), "
                  f"{result['first_payment_date']} to {result['payoff_date']}",
                  f"  Interest in all: {_usd(result['total_interest'])} (repaid {_usd(result['total_repaid'])})",
                  f"  Growth the account gives up by retirement: {_usd(result['growth']['value_at_retirement'])}"]
        for key, title in (("separation", "If your job ends"), ("default", "If a payment is missed, deemed distributed")):
            if result.get(key):
                lines += _event(title, result[key])
    else:
        lines.extend(f"  - {item['message']} [{item['rule']}]" for item in result["blocked"])
    lines.append("Trace:")
    for number, entry in enumerate(result["trace"], 1):
        lines.append(f"  {number:>2}. {entry['message']}")
        lines.append(f"      [{entry['rule']}] {entry['page']}")
    return "\n".join(lines)
