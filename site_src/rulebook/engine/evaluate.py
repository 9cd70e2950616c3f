"""Evaluate one scenario against the rule tables: the determinations of the contract, in order.

1. Permission (the permissions table, then the route's own conditions; a condition that reads a
   fact of the source is checked for every source drawn). 2–7. The figures (:mod:`.figures`).
A goal (money in hand, or kept after tax) is first turned into the smallest whole-cent gross that
reaches it (:mod:`.goal`); a pro-rata request into each source's share (:mod:`.draw`). Every line of
the trace names the entry that decided it and the page that explains it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..ground.expressions import ExprError, compile_expr
from . import names
from .draw import proportional
from .facts import base_facts, joined, source_facts, union_of
from .figures import Outcome, compute
from .prepared import Prepared, deferred, prepare
from .result import allowed_result, blocked_result
from .scenario import Scenario, validate
from .trace import SILENT, Trace

__all__ = ["Evaluation", "evaluate"]

_ZERO = Decimal(0)


def evaluate(scenario: Any, rules: Mapping[str, Any] | Prepared) -> dict[str, Any]:
    """The result object for ``scenario``, or ``{"errors": [...]}`` listing every input error.

    Never raises, whatever ``scenario`` holds: input errors name their field; a table expression
    that cannot be applied names the rules; anything else is reported as the calculator's own fault.
    """
    return guarded(lambda prepared: _evaluate(scenario, prepared), rules)


def guarded(run: Any, rules: Mapping[str, Any] | Prepared) -> dict[str, Any]:
    """``run(prepared)``, with every failure turned into an ``errors`` result (shared by every entry point)."""
    try:
        prepared = prepare(rules)
    except Exception as exc:  # rules that are not a rule set: say so, never raise
        return {"errors": [{"field": "rules", "message": f"the rule set cannot be read ({type(exc).__name__}: {exc})"}]}
    try:
        result: dict[str, Any] = run(prepared)
        return result
    except ExprError as exc:  # a rule-table expression that cannot be evaluated: the rules' fault
        return {"errors": [{"field": "rules", "message": f"a rule could not be applied ({exc})"}]}
    except RecursionError:
        return {"errors": [{"field": "", "message": "the scenario is nested too deeply to be read"}]}
    except Exception as exc:  # never the reader's fault: say so instead of raising
        return {"errors": [{"field": "", "message": f"the calculator could not evaluate this scenario "
                                                    f"({type(exc).__name__}: {exc}); please report it"}]}


def _evaluate(scenario: Any, rules: Prepared) -> dict[str, Any]:
    valid, errors = validate(scenario, rules)
    if valid is None:
        return {"errors": errors}
    return Evaluation(valid, rules, Trace(rules)).run()


class Evaluation:
    """One valid scenario: its facts, the parts it draws, its permission and its figures."""

    def __init__(self, scenario: Scenario, rules: Prepared, trace: Trace = SILENT) -> None:
        self.scenario, self.rules, self.trace = scenario, rules, trace
        self.request = scenario["request"]
        self.sources = source_facts(rules, scenario["balances"])
        self.facts = base_facts(scenario, rules, self.sources)
        self.facts["split_amounts"] = self.request.get("split")
        route = rules.by_id[names.ROUTES][self.request["route"]]
        self.route = route
        self.candidates = self._candidates()
        self.facts["source"] = self._union([s for s, _ in self.candidates])

    # ------------------------------------------------------------------ what is drawn

    def _candidates(self) -> list[tuple[str, Decimal]]:
        """The sources drawn on, each with its available balance (the weights of a pro-rata draw)."""
        request = self.request
        if request.get("sources"):
            return [(s, self.sources[s]["available"]) for s in request["sources"]]
        if request["source"] != names.PRO_RATA:
            return [(request["source"], self.sources[request["source"]]["available"])]
        eligible = []
        for source_id in self.route.get("may_draw_from") or ():
            source = self.sources[source_id]
            if source["available"] > 0 and self._passes_source_rules(source):
                eligible.append((source_id, source["available"]))
            elif source["available"] > 0:
                self.trace.say(names.STEPS, self.rules.by_id[names.STEPS][names.STEP_PRO_RATA_LEFT_OUT],
                               {**self.facts, "source": source})
        return eligible

    def _passes_source_rules(self, source: Mapping[str, Any]) -> bool:
        """Whether the route can pay from ``source`` for this person at all (any amount within its balance)."""
        here = {**self.facts, "source": source, "amount": _ZERO}
        checks = [*self.rules.entries[names.PERMISSIONS], *(self.route.get("conditions") or ())]
        return all(bool(compile_expr(c["test"])(here)) for c in checks if c["test"] in self.rules.per_source
                   and (not c.get("applies_when") or compile_expr(c["applies_when"])(here)))

    def _union(self, ids: list[str]) -> dict[str, Any]:
        if len(ids) == 1:
            return self.sources[ids[0]]
        source_id = names.PRO_RATA if self.request.get("source") == names.PRO_RATA else "several"
        return union_of((self.sources[s] for s in ids), source_id, joined([self.sources[s]["label"] for s in ids]) if ids else "")

    def drawn(self, gross: Decimal, exact: bool = False) -> list[tuple[str, Decimal]]:
        """The (source, amount) parts of a distribution of ``gross``."""
        request = self.request
        if request.get("sources"):
            return list(request["sources"].items())
        if request["source"] != names.PRO_RATA:
            return [(request["source"], gross)]
        return proportional(gross, self.candidates, exact)

    def largest(self) -> Decimal:
        """The largest gross this route may pay from these sources (exact): the balance, or the route's limit."""
        available = sum([a for _, a in self.candidates], _ZERO)
        cap = self.facts["route"]["cap"]
        return min(available, cap) if cap is not None else available

    # ------------------------------------------------------------------ the steps

    def run(self) -> dict[str, Any]:
        goal = self.request.get("goal")
        solved: dict[str, Any] | None = None
        if goal is not None:
            from .goal import largest_cents, solve  # the solver evaluates figures through this class

            # A request the rules refuse whatever the amount (a route the plan lacks, a locked source)
            # is refused before any solving: probe with the largest amount the route could pay.
            top = largest_cents(self)
            probe = top if top > 0 else goal["amount"]
            if self.permission(probe, self.drawn(probe), SILENT):
                solved = {"kind": goal["kind"], "amount": goal["amount"], "gross": probe, "met": False, "limit": None}
            else:
                solved = solve(self, goal)
            gross = solved["gross"]
            if self.request["rolled_over"] > gross:
                return {"errors": [{"field": "request.rolled_over",
                                    "message": f"cannot be more than the amount the goal asks for ({self._money(gross)})"}]}
        elif self.request.get("sources"):
            gross = sum(self.request["sources"].values(), _ZERO)
        else:
            gross = self.request["amount"]
        drawn = self.drawn(gross)
        blocked = self.permission(gross, drawn)
        if blocked:
            return blocked_result(self, blocked, solved)
        if len(drawn) > 1 or self.request.get("source") == names.PRO_RATA:
            self._say_draw(drawn)
        outcome = self.figures(drawn, exact=False, full=True)
        if solved is not None:
            self._say_goal(solved)
        if len(outcome.forms) > 1 and any(f.character == names.ROTH_FORM for f in outcome.forms):
            self.trace.say(names.STEPS, self.rules.by_id[names.STEPS][names.STEP_SEPARATE_FORMS], self.facts)
        return allowed_result(self, outcome, solved)

    def figures(self, drawn: list[tuple[str, Decimal]], exact: bool, full: bool, trace: Trace | None = None) -> Outcome:
        return compute(self.rules, self.facts, self.sources, drawn, self.trace if trace is None else trace, exact=exact, full=full)

    def permission(self, gross: Decimal, drawn: list[tuple[str, Decimal]], trace: Trace | None = None) -> list[dict[str, str]]:
        """Every failing check, in table order; a check that reads the source runs for each part."""
        facts, rules = self.facts, self.rules
        trace = self.trace if trace is None else trace
        facts["amount"] = facts["gross"] = gross
        # Nothing to draw from (a pro-rata draw with no source open to you): each source the route
        # names is checked for the whole amount, so the reasons say which check each one fails.
        named = list(self.route.get("may_draw_from") or ())
        funded = [s for s in named if self.sources[s]["available"] > 0]
        sources = drawn or [(s, gross) for s in (funded or named)]
        if len(sources) == 1 and sources[0][1] is gross and facts["source"] is self.sources[sources[0][0]]:
            parts = [facts]  # the one part is the whole distribution: its facts are these, no copy needed
        else:
            parts = [{**facts, "source": self.sources[s], "amount": a, "gross": a} for s, a in sources]
        blocked: list[dict[str, str]] = []
        only = [facts]
        for table, entry, message, fail_page, passed, said_page, applies_when, test, per_source in self._checks():
            if applies_when is not None and not applies_when(facts):
                continue
            for here in (parts if per_source else only):
                if test(here):
                    if passed is not None or table == names.PERMISSIONS:
                        trace.say(table, entry, here, passed or None, page=said_page)
                else:
                    said = trace.say(table, entry, here, message, page=fail_page)
                    blocked.append({"rule": entry["id"], "message": said if trace.enabled else Trace(rules).fill(message, here)})
        return blocked

    def _checks(self) -> list[tuple[Any, ...]]:
        """The route's checks in table order, each with its texts, pages and expressions (once per rule set and route)."""
        rules, route_id = self.rules, self.route["id"]
        cache = rules.derived.setdefault("checks", {})
        checks: list[tuple[Any, ...]] | None = cache.get(route_id)
        if checks is None:
            page = rules.page(names.ROUTES, route_id)
            checks = [(names.PERMISSIONS, e, e.get("message", ""), e.get("page") or None, e.get("trace"), None)
                      for e in rules.entries[names.PERMISSIONS]]
            checks += [(names.ROUTES, c, c.get("message", ""), page, c.get("trace") or None, page)
                       for c in self.route.get("conditions") or ()]
            checks = [(*check, deferred(check[1], "applies_when") if check[1].get("applies_when") else None,
                       deferred(check[1], "test"), check[1]["test"] in rules.per_source) for check in checks]
            cache[route_id] = checks
        return checks

    def _say_draw(self, drawn: list[tuple[str, Decimal]]) -> None:
        steps = self.rules.by_id[names.STEPS]
        self.facts["parts_count"] = Decimal(len(drawn))
        if self.request.get("source") == names.PRO_RATA:
            self.facts["pro_rata_sources"] = joined([f"{self.sources[s]['label']} ({self._money(a)})" for s, a in drawn]) if drawn else ""
            self.trace.say(names.STEPS, steps[names.STEP_PRO_RATA], self.facts)
        if len(drawn) > 1:
            self.trace.say(names.STEPS, steps[names.STEP_SEVERAL], self.facts)

    def _say_goal(self, solved: Mapping[str, Any]) -> None:
        steps, facts = self.rules.by_id[names.STEPS], self.facts
        kind = solved["kind"]
        facts["goal_reached"] = facts[names.GOAL_FIGURES[kind]]
        if solved["met"]:
            self.trace.say(names.STEPS, steps[f"goal_{kind}"], facts)
            if self.route.get("needs_hardship_reason") and kind == names.GOAL_AFTER_TAX:
                self.trace.say(names.STEPS, steps[names.STEP_HARDSHIP_TAXES], facts)
        else:
            limit = names.STEP_LIMIT_CAP if solved["limit"] == names.CAP_CHECK else names.STEP_LIMIT_BALANCE
            facts["goal_limit"] = steps[limit]["label"]
            self.trace.say(names.STEPS, steps[names.STEP_GOAL_NOT_MET], facts)

    def _money(self, value: Decimal) -> str:
        from ..ground.wording import format_value

        return format_value(value, "usd")
