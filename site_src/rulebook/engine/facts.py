"""The facts of one scenario that do not depend on how much is drawn: who, the plan, the route, each source.

Rule-table expressions and trace templates read facts by the names declared in
:data:`rulebook.ground.expressions.FACTS`; this module computes the ones known before any amount is
chosen. The figures that follow from an amount (basis, taxes, …) are added by :mod:`.figures`.
``source`` is the source drawn from, or, for a distribution from several sources, their union
(a flag holds when it holds for any part, balances add up), so table conditions such as "the
money is Roth" read naturally for either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from ..ground.expressions import compile_expr
from . import names
from .prepared import Prepared

__all__ = ["base_facts", "source_facts", "union_of"]

_ZERO = Decimal(0)
_CENT = Decimal("0.01")


def source_facts(rules: Prepared, balances: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every source's facts, by id: its tax character and vesting from the tables, its balance as entered."""
    out = {}
    for source_id, table in _table_facts(rules):
        held = balances[source_id]
        balance, vested = held["balance"], held["vested"]
        out[source_id] = {**table, "available": balance * vested, "balance": balance, "contributions": held["contributions"],
                          "first_year": Decimal(held["first_year"]), "vested": vested}
    return out


def _table_facts(rules: Prepared) -> list[tuple[str, dict[str, Any]]]:
    """Each source's facts that come from the tables alone (id, label, tax character, vesting), once per rule set."""
    found: list[tuple[str, dict[str, Any]]] | None = rules.derived.get("source_facts")
    if found is None:
        found = []
        for source_id, entry in rules.by_id[names.SOURCES].items():
            character = entry.get("tax_character")
            found.append((source_id, {
                "id": source_id, "label": entry["label"], "pretax": character == "pretax", "roth": character == "roth",
                "after_tax": character == "after_tax", "elective_deferral": bool(entry.get("elective_deferral")),
                "vesting": bool(entry.get("vesting"))}))
        rules.derived["source_facts"] = found
    return found


def union_of(parts: Iterable[Mapping[str, Any]], source_id: str, label: str) -> dict[str, Any]:
    """One ``source`` fact for a distribution drawn from several sources."""
    items = list(parts)
    return {
        "id": source_id, "label": label,
        **{flag: any(p[flag] for p in items) for flag in ("pretax", "roth", "after_tax", "elective_deferral", "vesting")},
        **{amount: sum([p[amount] for p in items], _ZERO) for amount in ("available", "balance", "contributions")},
        "first_year": max((p["first_year"] for p in items), default=_ZERO), "vested": Decimal(1),
    }


def joined(labels: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: labels as a sentence lists them."""
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


def base_facts(scenario: Mapping[str, Any], rules: Prepared, sources: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """The facts of the scenario before any amount is chosen; ``source`` is set by the caller."""
    person, plan, request = scenario["person"], scenario["plan"], scenario["request"]
    year = scenario["tax_year"]
    vested_total = sum((s["available"] for s in sources.values()), _ZERO)
    route = rules.by_id[names.ROUTES][request["route"]]
    reason = rules.by_id[names.INELIGIBLE].get(route.get("rollover_ineligible_reason") or "")
    goal = request.get("goal")
    facts: dict[str, Any] = {
        "tax_year": Decimal(year), "age": person["age"], "still_employed": person["still_employed"],
        "disabled": person["disabled"], "filing_status": person["filing_status"],
        "filing_status_label": rules.by_id[names.FILING_STATUSES][person["filing_status"]]["label"],
        "other_income": person["other_income"],
        "plans_roth_conversion": person["plans_roth_conversion"], "uses_aca_subsidy": person["uses_aca_subsidy"],
        "state_tax_rate": person["state_tax_rate"],
        "plan": {"type": plan["type"], "allows": plan["allows"], "age_based_min_age": plan["age_based_min_age"]},
        "vested_total": vested_total, "destination": request["destination"],
        "destination_label": rules.by_id[names.DESTINATIONS][request["destination"]]["label"],
        "rolled_over": request["rolled_over"], "exception": request["exception"],
        "exception_amount": request["exception_amount"] if request["exception_amount"] is not None else _ZERO,
        "medical_expenses": request.get("medical_expenses"),
        "hardship_reason": request["hardship_reason"] or names.NO_EXCEPTION,
        "elected_withholding_rate": request["withholding_rate"],
        "annual_return": scenario["assumptions"]["annual_return"],
        "years_to_retirement": Decimal(scenario["assumptions"]["years_to_retirement"]),
        "goal_amount": goal["amount"] if goal else None,
        "param": rules.params[year],
    }
    facts["route"] = {
        "id": route["id"], "label": route["label"], "builtin_exception": bool(route.get("builtin_exception")),
        "may_draw_from": tuple(route.get("may_draw_from") or ()), "destinations": tuple(route.get("destinations") or ()),
        "cap": None, "largest": None, "rollover_eligible": reason is None,
        "can_roll_over": reason is None or reason.get("scope") != "all",
    }
    if route.get("cap"):
        # Compared exactly: half of $18,661.37 is $9,330.685, so $9,330.69 is over it (IRC 72(t)(2)(K)).
        cap = max(_ZERO, Decimal(compile_expr(route["cap"])(facts)))
        facts["route"]["cap"] = cap
        facts["route"]["largest"] = cap.quantize(_CENT, rounding=ROUND_FLOOR)
    return facts
