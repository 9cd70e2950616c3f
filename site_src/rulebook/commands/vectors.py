"""``rulebook vectors [DIR]``: run every scenario vector and report disagreements field by field.

DIR defaults to ``RULES_DIR/vectors``. A vector whose file or input is malformed is reported as a
located problem (as ``rulebook check`` would) and counts as a failure. Exit 0 when every vector
agrees, 1 otherwise (also when the rules are invalid).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..engine import run_vectors
from ..rules import load_rules
from ..rules.vectors import load_vectors
from . import HelpFormatter, exit_status
from .vector_inputs import input_problems

__all__ = ["register", "run"]


def register(sub: Any) -> None:
    parser = sub.add_parser("vectors", help="run the scenario vectors and report disagreements",
                            description="Run every scenario vector through the engine and report, field by field, "
                                        "each that disagrees with its expected output.",
                            epilog=exit_status({0: "every vector agrees",
                                                1: "a vector disagrees or is malformed, no vector was found, "
                                                   "or the rules are invalid",
                                                2: "bad arguments"}),
                            formatter_class=HelpFormatter)
    parser.add_argument("vectors_dir", nargs="?", metavar="DIR", help="folder of vector files (default: RULES/vectors)")
    parser.add_argument("--rules", default="rules", metavar="DIR", help="rules folder (default: ./rules)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    rules, problems = load_rules(args.rules)
    if rules is None:
        for problem in problems:
            print(problem)
        print(f"rulebook vectors: the rules in {args.rules} are invalid; run rulebook check", file=sys.stderr)
        return 1
    folder = Path(args.vectors_dir) if args.vectors_dir else Path(args.rules) / "vectors"
    vectors, problems = load_vectors(folder)
    rules_json = rules.to_json()
    problems += input_problems(vectors, rules_json)
    for problem in sorted(problems):
        print(problem)
    bad_inputs = {p.path.split("]")[0].split("[")[-1] for p in problems}
    reports = run_vectors(rules_json, [v.as_dict() for v in vectors])
    by_name = {v.name: v for v in vectors}
    failed = 0
    for report in reports:
        if report["ok"]:
            continue
        failed += 1
        vector = by_name[report["name"]]
        if report["name"] in bad_inputs:
            continue
        print(f"{vector.file}:{vector.line}: {report['name']}: disagrees")
        for line in report["disagreements"]:
            print(f"    {line}")
    total = len(vectors)
    if problems or failed:
        print(f"{total - failed} of {total} vectors agree; {failed} disagree, {len(problems)} problems")
        return 1
    if not total:
        print(f"no vectors found in {folder}")
        return 1
    print(f"ok: all {total} vectors agree")
    return 0
