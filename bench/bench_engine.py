"""The calculator engine's speed in this CPython: evaluations per second, and one compare in goal mode.

Targets (issues 10 and 13): one evaluation at 30,000/s or more; ``compare`` of the spec's example
scenario asking for 8,000 in hand at 20 ms or less (median). Prints figures; asserts nothing
(timings belong in a report, not in a test). Run from the repository root:
``python bench/bench_engine.py [SECONDS]``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from rulebook.engine import compare, evaluate, prepare
from rulebook.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent


def scenarios() -> list[dict[str, object]]:
    """A mix of routes, sources, destinations and ages, so no single path is measured alone."""
    base: dict[str, object] = {
        "tax_year": 2026,
        "person": {"age": 52, "filing_status": "single", "other_income": 60000},
        "plan": {"allows": ["age_based", "hardship", "after_tax_source", "rollover_source", "birth_adoption"]},
        "balances": {"pretax_deferrals": 80000, "roth_deferrals": {"balance": 13000, "contributions": 10000, "first_year": 2019},
                     "after_tax": {"balance": 25000, "contributions": 20000}, "rollover": 15000,
                     "employer": {"balance": 30000, "vested": 0.6}},
    }
    requests = [
        {"route": "hardship", "source": "pretax_deferrals", "amount": 10000, "hardship_reason": "medical"},
        {"route": "after_tax_source", "source": "after_tax", "amount": 5000, "destination": "indirect_rollover", "rolled_over": 2000},
        {"route": "rollover_source", "source": "rollover", "amount": 8000, "destination": "direct_rollover"},
        {"route": "birth_adoption", "source": "roth_deferrals", "amount": 5000},
        {"route": "age_based", "source": "pretax_deferrals", "amount": 10000},  # blocked at 52
    ]
    out = []
    for age in (45, 52, 61):
        for request in requests:
            scenario = json.loads(json.dumps(base))
            scenario["person"]["age"] = age  # type: ignore[index]
            scenario["request"] = request
            out.append(scenario)
    return out


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    loaded, problems = load_rules(ROOT / "rules")
    if loaded is None:
        raise SystemExit("\n".join(str(p) for p in problems))
    rules = json.loads(json.dumps(loaded.to_json()))  # exactly what the browser receives
    prepare(rules)
    cases = scenarios()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for scenario in cases:
            evaluate(scenario, rules)
        count += len(cases)
    elapsed = time.perf_counter() - start
    print(f"{count / elapsed:,.0f} evaluations/s ({count} in {elapsed:.2f} s, {len(cases)} scenarios, "
          f"Python {sys.version.split()[0]})")
    example = goal_example()
    times = []
    for _ in range(max(5, int(seconds * 10))):
        begin = time.perf_counter()
        compare(example, rules)
        times.append(time.perf_counter() - begin)
    times.sort()
    print(f"compare, goal mode (8,000 in hand, the spec's example): median {times[len(times) // 2] * 1000:.1f} ms, "
          f"p95 {times[int(len(times) * 0.95)] * 1000:.1f} ms ({len(times)} runs)")


def goal_example() -> dict[str, object]:
    """spec/calculator.md's example scenario, asking for 8,000 in hand instead of a gross amount."""
    return {
        "tax_year": 2026,
        "person": {"age": 52, "still_employed": True, "filing_status": "single", "other_income": 60000},
        "plan": {"type": "401k", "allows": ["age_based", "hardship"], "age_based_min_age": 59.5},
        "balances": {"pretax_deferrals": 80000, "roth_deferrals": {"balance": 13000, "contributions": 10000, "first_year": 2019},
                     "after_tax": {"balance": 25000, "contributions": 20000}, "rollover": 15000,
                     "employer": {"balance": 30000, "vested": 0.6}},
        "request": {"route": "hardship", "source": "pretax_deferrals", "goal": {"kind": "in_hand", "amount": 8000},
                    "hardship_reason": "medical", "destination": "cash", "exception": "none"},
        "assumptions": {"annual_return": 0.06, "years_to_retirement": 10},
    }

if __name__ == "__main__":
    main()
