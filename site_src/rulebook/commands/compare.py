"""``rulebook compare SCENARIO``: every option the plan allows for the scenario's need, ranked.

The scenario file is read like ``calc``'s; its request gives the need (a goal, or a gross amount)
and the choices that carry over (hardship reason, exception, destination where a route allows it).
JSON (the default) is exactly the engine's ``compare`` object, keys sorted. ``--format text`` prints
the ranked options with why each costs what it does, then the options that are not permitted and
why. Exit codes: 0 printed, 2 input errors, 1 the rules are invalid.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from ..engine import compare
from ..ground.wording import format_value
from . import HelpFormatter, exit_status
from .inputs import add_scenario_arguments, answer

__all__ = ["register", "render_text", "run"]


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "compare", help="compare every option the plan allows for the same need",
        description="Rank every route and source the plan allows (and pro-rata draws) for the scenario's need: "
                    "its goal or its gross amount.",
        epilog=exit_status({0: "the ranked options were printed",
                            1: "the rules are invalid (run rulebook check)",
                            2: "the scenario cannot be read or has input errors (one 'field: message' line each), "
                               "or bad arguments"}),
        formatter_class=HelpFormatter)
    add_scenario_arguments(parser, "scenario file", "a readable ranking")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return answer(args, "compare", compare, render_text)


def _label(tables: Mapping[str, Any], table: str, entry_id: str) -> str:
    return next((str(e["label"]) for e in tables[table]["entries"] if e["id"] == entry_id), entry_id)


def _source(tables: Mapping[str, Any], source: str) -> str:
    return _label(tables, "steps", "pro_rata") if source == "pro_rata" else _label(tables, "money_sources", source)


def render_text(result: Mapping[str, Any], tables: Mapping[str, Any]) -> str:
    """The ranking as a person reads it: each option's route and source by label, its figures and why."""
    need = result["need"]
    kind = _label(tables, "steps", f"goal_{need['kind']}") if need["kind"] != "gross" else _label(tables, "results", "gross")
    labels = {e["field"]: e["label"] for e in tables["results"]["entries"]}
    lines = [f"Need: {kind} {format_value(need['amount'], 'usd')}", ""]
    for option in result["options"]:
        mark = "  (cheapest)" if option["cheapest"] else ""
        lines.append(f"{option['rank']}. {_label(tables, 'routes', option['route'])}: {_source(tables, option['source'])}{mark}")
        for field in ("gross", "check_amount", "due_at_filing", "total_tax", "value_at_retirement"):
            lines.append(f"     {labels.get(field, field)}: {format_value(option[field], 'usd')}")
        lines.append(f"     {labels.get('total_tax_share', 'total_tax_share')}: {format_value(option['total_tax_share'], 'rate')}")
        lines.append(f"     {option['why']}")
    borrow = result.get("borrow_instead")
    if borrow:
        lines += ["", f"Borrow instead ({_label(tables, 'loan_rules', borrow['id'])}):"]
        if borrow["allowed"]:
            loan = borrow["loan"]
            lines.append(f"     {labels.get('check_amount', 'check_amount')}: {format_value(borrow['check_amount'], 'usd')}; "
                         f"{format_value(loan['payment'], 'usd')} × {loan['number_of_payments']} "
                         f"({format_value(loan['total_interest'], 'usd')} of interest)")
        lines.append(f"     {borrow['why']}")
    if result["not_permitted"]:
        lines += ["", "Not permitted:"]
        for option in result["not_permitted"]:
            why = " ".join(b["message"] for b in option["blocked"])  # each reason is a sentence of its own
            lines.append(f"  - {_label(tables, 'routes', option['route'])}: {_source(tables, option['source'])}: {why}")
    return "\n".join(lines)
