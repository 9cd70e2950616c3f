"""Evaluate one scenario against the rule tables: the determinations of spec/calculator.md, in order.

Each step reads its rule from a table (a condition, a rate, an exempt amount, a code) and writes
one trace line naming the entry that decided it and the page anchor that explains it. The
engine itself knows only the order of the steps and the arithmetic between them; every figure,
list and sentence comes from the tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from ..ground.expressions import FACTS, PARAM_PREFIX, ExprError, compile_expr
from ..ground.wording import format_value, split_template
from . import names
from .prepared import Prepared, prepare
from .scenario import Scenario, validate
from .tax import cents, marginal_rate, tax_on

__all__ = ["evaluate"]

_ZERO = Decimal(0)
_ONE = Decimal(1)
_CENT = Decimal("0.01")


def evaluate(scenario: Any, rules: Mapping[str, Any] | Prepared) -> dict[str, Any]:
    """The result object for ``scenario``, or ``{"errors": [...]}`` listing every input error.

    Never raises, whatever ``scenario`` holds: input errors name their field; a table expression
    that cannot be applied names the rules; anything else is reported as the calculator's own fault.
    """
    try:
        prepared = prepare(rules)
    except Exception as exc:  # rules that are not a rule set: say so, never raise
        return {"errors": [{"field": "rules", "message": f"the rule set cannot be read ({type(exc).__name__}: {exc})"}]}
    try:
        valid, errors = validate(scenario, prepared)
        if valid is None:
            return {"errors": errors}
        return _Evaluation(valid, prepared).run()
    except ExprError as exc:  # a rule-table expression that cannot be evaluated: the rules' fault
        return {"errors": [{"field": "rules", "message": f"a rule could not be applied ({exc})"}]}
    except RecursionError:
        return {"errors": [{"field": "", "message": "the scenario is nested too deeply to be read"}]}
    except Exception as exc:  # never the reader's fault: say so instead of raising
        return {"errors": [{"field": "", "message": f"the calculator could not evaluate this scenario "
                                                    f"({type(exc).__name__}: {exc}); please report it"}]}


def _money(value: Decimal) -> int | float:
    value = cents(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _rate(value: Decimal) -> float:
    return float(value)


class _Evaluation:
    """One scenario's facts, trace and figures while the steps run."""

    def __init__(self, scenario: Scenario, rules: Prepared) -> None:
        self.rules = rules
        self.scenario = scenario
        self.trace: list[dict[str, str]] = []
        self.facts = self._facts(scenario)

    # ------------------------------------------------------------------ facts and trace

    def _facts(self, s: Scenario) -> dict[str, Any]:
        rules, person, plan, request = self.rules, s["person"], s["plan"], s["request"]
        year = s["tax_year"]
        params = rules.params[year]
        balances = s["balances"]
        sources = rules.by_id[names.SOURCES]
        vested_total = sum((b["balance"] * b["vested"] for b in balances.values()), _ZERO)
        source_entry = sources[request["source"]]
        held = balances[request["source"]]
        route = rules.by_id[names.ROUTES][request["route"]]
        reason_id = route.get("rollover_ineligible_reason")
        reason = rules.by_id[names.INELIGIBLE].get(reason_id or "")
        character = source_entry.get("tax_character")
        facts: dict[str, Any] = {
            "tax_year": Decimal(year), "age": person["age"], "still_employed": person["still_employed"],
            "disabled": person["disabled"], "filing_status": person["filing_status"],
            "filing_status_label": rules.by_id[names.FILING_STATUSES][person["filing_status"]]["label"],
            "other_income": person["other_income"],
            "plans_roth_conversion": person["plans_roth_conversion"], "uses_aca_subsidy": person["uses_aca_subsidy"],
            "state_tax_rate": person["state_tax_rate"],
            "plan": {"type": plan["type"], "allows": plan["allows"], "age_based_min_age": plan["age_based_min_age"]},
            "source": {
                "id": source_entry["id"], "label": source_entry["label"], "pretax": character == "pretax",
                "roth": character == "roth", "after_tax": character == "after_tax",
                "elective_deferral": bool(source_entry.get("elective_deferral")), "vesting": bool(source_entry.get("vesting")),
                "available": held["balance"] * held["vested"], "balance": held["balance"],
                "contributions": held["contributions"], "first_year": Decimal(held["first_year"]), "vested": held["vested"],
            },
            "vested_total": vested_total, "destination": request["destination"],
            "destination_label": rules.by_id[names.DESTINATIONS][request["destination"]]["label"], "amount": request["amount"],
            "rolled_over": request["rolled_over"], "exception": request["exception"],
            "exception_amount": request["exception_amount"] if request["exception_amount"] is not None else _ZERO,
            "hardship_reason": request["hardship_reason"] or names.NO_EXCEPTION,
            "elected_withholding_rate": request["withholding_rate"],
            "annual_return": s["assumptions"]["annual_return"],
            "years_to_retirement": Decimal(s["assumptions"]["years_to_retirement"]),
            "param": params,
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

    def value(self, expression: str) -> Any:
        return compile_expr(expression)(self.facts)

    def _unit(self, name: str) -> str:
        if name.startswith(PARAM_PREFIX):
            return self.rules.param_units.get(name[len(PARAM_PREFIX):], "")
        fact = FACTS.get(name)
        return fact[0] if fact else ""

    def _compiled(self, template: str) -> tuple[tuple[str, tuple[str, ...], str], ...]:
        """``template`` as (literal, name path, unit) triples, built once per rule set and template."""
        cache = self.rules.templates
        compiled = cache.get(template)
        if compiled is None:
            compiled = tuple((literal, tuple(name.split(".")) if name else (), self._unit(name) if name else "")
                             for literal, name in split_template(template))
            cache[template] = compiled
        return compiled

    def say(self, table: str, entry: Mapping[str, Any], template: str | None = None,
            rule: str | None = None, page: str | None = None) -> None:
        """Add a trace line: ``template`` (else the entry's ``trace``, else its label) filled from the facts."""
        text = template if template is not None else (entry.get("trace") or entry.get("label") or "")
        facts = self.facts
        out = []
        for literal, path, unit in self._compiled(str(text)):
            out.append(literal)
            if path:
                value: Any = facts
                try:
                    for part in path:
                        value = value[part]
                except (KeyError, TypeError, IndexError):
                    out.append("{" + ".".join(path) + "}")
                    continue
                out.append(value if type(value) is str else format_value(value, unit))
        self.trace.append({"rule": rule or entry["id"], "message": "".join(out),
                           "page": page or self.rules.page(table, entry["id"])})

    # ------------------------------------------------------------------ the steps

    def run(self) -> dict[str, Any]:
        blocked = self.permission()
        if blocked:
            return self.blocked_result(blocked)
        return self.allowed_result()

    def permission(self) -> list[dict[str, str]]:
        blocked: list[dict[str, str]] = []
        rules = self.rules
        for entry in rules.entries[names.PERMISSIONS]:
            if self.value(entry["test"]):
                self.say(names.PERMISSIONS, entry)
            else:  # a failure points at the page that explains what to do instead, where the entry names one
                self.say(names.PERMISSIONS, entry, entry.get("message", ""), page=entry.get("page") or None)
                blocked.append({"rule": entry["id"], "message": self.trace[-1]["message"]})
        route = rules.by_id[names.ROUTES][self.facts["route"]["id"]]
        page = rules.page(names.ROUTES, route["id"])
        for condition in route.get("conditions") or ():
            if self.value(condition["test"]):
                if condition.get("trace"):
                    self.say(names.ROUTES, condition, condition["trace"], page=page)
            else:
                self.say(names.ROUTES, condition, condition.get("message", ""), page=page)
                blocked.append({"rule": condition["id"], "message": self.trace[-1]["message"]})
        return blocked

    def blocked_result(self, blocked: list[dict[str, str]]) -> dict[str, Any]:
        route = self.facts["route"]
        reason = self.rules.by_id[names.ROUTES][route["id"]].get("rollover_ineligible_reason")
        return {
            "allowed": False, "blocked": blocked, "blocked_rules": [b["rule"] for b in blocked], "gross": 0, "basis": 0, "taxable": 0,
            "rollover_eligible": route["rollover_eligible"], "rollover_ineligible_reason": reason,
            "withholding": {"federal": 0, "rate": 0.0, "mandatory": False, "can_opt_out": False},
            "check_amount": 0, "taxable_kept": 0, "federal_income_tax": 0, "additional_tax": 0, "exception_applied": None,
            "state_income_tax": 0, "total_tax": 0, "cash_after_tax": 0, "replacement_cash": 0, "value_at_retirement": 0,
            "form_1099r": {"box1": 0, "box2a": 0, "box4": 0, "box5": 0, "box7": []}, "form_5329_needed": False,
            "roth_qualified": False, "cautions": [], "questions": self.questions(), "trace": self.trace,
        }

    def allowed_result(self) -> dict[str, Any]:
        facts = self.facts
        gross = facts["amount"]
        facts["gross"] = gross
        basis, taxable = self.basis_and_taxable(gross)
        route = self.rules.by_id[names.ROUTES][facts["route"]["id"]]
        reason = route.get("rollover_ineligible_reason")
        if reason:
            self.say(names.INELIGIBLE, self.rules.by_id[names.INELIGIBLE][reason])
        withholding = self.withholding(taxable)
        check_amount = _ZERO if facts["destination"] == names.DIRECT_ROLLOVER else gross - withholding["federal"]
        facts["check_amount"] = check_amount
        rolled = facts["rolled_over"]
        kept = max(_ZERO, taxable - rolled)
        facts["taxable_kept"] = kept
        facts["kept_out"] = _ZERO if facts["destination"] == names.DIRECT_ROLLOVER else gross - rolled
        replacement = withholding["federal"] if facts["destination"] == names.INDIRECT_ROLLOVER else _ZERO
        facts["replacement_cash"] = replacement
        if facts["destination"] == names.INDIRECT_ROLLOVER:
            window = names.ROLLOVER_WINDOW if facts["route"]["rollover_eligible"] else names.REPAYMENT_WINDOW
            self.say(names.PARAMETERS, self.rules.by_id[names.PARAMETERS][window])
        state = cents(facts["state_tax_rate"] * kept)
        facts["state_income_tax"] = state
        federal = self.federal_tax(kept)
        additional, exempt_used, applied = self.additional_tax(kept)
        total = federal + additional + state
        facts["total_tax"] = total
        cash = _ZERO if facts["destination"] == names.DIRECT_ROLLOVER else gross - rolled - total
        facts["cash_after_tax"] = cash
        codes, needs_5329 = self.box7(exempt_used)
        value = self.value_at_retirement()
        cautions = self.cautions()
        return {
            "allowed": True, "blocked": [], "blocked_rules": [], "gross": _money(gross), "basis": _money(basis), "taxable": _money(taxable),
            "rollover_eligible": facts["route"]["rollover_eligible"], "rollover_ineligible_reason": reason,
            "withholding": {"federal": _money(withholding["federal"]), "rate": _rate(withholding["rate"]),
                            "mandatory": withholding["mandatory"], "can_opt_out": withholding["can_opt_out"]},
            "check_amount": _money(check_amount), "taxable_kept": _money(kept), "federal_income_tax": _money(federal),
            "additional_tax": _money(additional), "exception_applied": applied, "state_income_tax": _money(state),
            "total_tax": _money(total), "cash_after_tax": _money(cash), "replacement_cash": _money(replacement),
            "value_at_retirement": _money(value),
            "form_1099r": {"box1": _money(gross), "box2a": _money(taxable), "box4": _money(withholding["federal"]),
                           "box5": _money(basis), "box7": codes},
            "form_5329_needed": needs_5329, "roth_qualified": facts["roth_qualified"],
            "marginal_rate_before": _rate(facts["marginal_rate_before"]), "marginal_rate_after": _rate(facts["marginal_rate_after"]),
            "cautions": cautions, "questions": self.questions(), "trace": self.trace,
        }

    def basis_and_taxable(self, gross: Decimal) -> tuple[Decimal, Decimal]:
        facts = self.facts
        source = self.rules.by_id[names.SOURCES][facts["source"]["id"]]
        basis = cents(self.value(source["basis"])) if source.get("basis") else _ZERO
        basis = min(max(basis, _ZERO), gross)
        qualified = bool(self.value(source["qualified_when"])) if source.get("qualified_when") else False
        facts["roth_qualified"] = qualified
        taxable = _ZERO if qualified or facts["destination"] == names.DIRECT_ROLLOVER else gross - basis
        facts["basis"], facts["taxable"] = basis, taxable
        self.say(names.SOURCES, source)
        return basis, taxable

    def withholding(self, taxable: Decimal) -> dict[str, Any]:
        facts = self.facts
        rule = next(e for e in self.rules.entries[names.WITHHOLDING] if self.value(e["when"]))
        rate = Decimal(self.value(rule["rate"]))
        elected = facts["elected_withholding_rate"]
        ignored = False
        if elected is not None:
            if rule["election"] == "any" or (rule["election"] == "higher_only" and elected >= rate):
                rate = elected
            elif rule["election"] == "higher_only":
                ignored = True
        federal = cents(rate * taxable)
        facts["withholding_rate"], facts["withholding"] = rate, federal
        self.say(names.WITHHOLDING, rule)
        if ignored and rule.get("election_ignored"):
            self.say(names.WITHHOLDING, rule, rule["election_ignored"])
        return {"federal": federal, "rate": rate, "mandatory": bool(rule["mandatory"]), "can_opt_out": bool(rule["can_opt_out"])}

    def federal_tax(self, kept: Decimal) -> Decimal:
        facts = self.facts
        year = int(facts["tax_year"])
        schedule = self.rules.schedules[year][facts["filing_status"]]
        before = max(_ZERO, facts["other_income"] - schedule.standard_deduction)
        after = max(_ZERO, facts["other_income"] + kept - schedule.standard_deduction)
        federal = cents(tax_on(after, schedule) - tax_on(before, schedule))
        facts.update(standard_deduction=schedule.standard_deduction, taxable_income_before=before, taxable_income_after=after,
                     marginal_rate_before=marginal_rate(before, schedule), marginal_rate_after=marginal_rate(after, schedule),
                     federal_income_tax=federal)
        self.say(names.TAX_YEARS, self.rules.year_entry[year])
        return federal

    def additional_tax(self, kept: Decimal) -> tuple[Decimal, Decimal, dict[str, Any] | None]:
        facts, rules = self.facts, self.rules
        params = facts["param"]
        exceptions = rules.by_id[names.EXCEPTIONS]
        route = rules.by_id[names.ROUTES][facts["route"]["id"]]
        chosen = route.get("builtin_exception") or (facts["exception"] if facts["exception"] != names.NO_EXCEPTION else None)
        exempt_used = _ZERO
        if facts["age"] >= params[names.PENALTY_FREE_AGE]:
            facts["exempt_used"], facts["additional_tax"] = _ZERO, _ZERO
            self.say(names.EXCEPTIONS, exceptions[names.AGE_EXCEPTION])
            return _ZERO, _ZERO, None
        if chosen:
            entry = exceptions[chosen]
            exempt = Decimal(self.value(entry["exempt"])) if entry.get("exempt") else _ZERO
            exempt_used = cents(min(max(exempt, _ZERO), kept))  # the min exactly, then round (the contract's order)
            facts["exempt_used"] = exempt_used
            self.say(names.EXCEPTIONS, entry)
        facts["exempt_used"] = exempt_used
        additional = cents(params[names.PENALTY_RATE] * (kept - exempt_used))
        facts["additional_tax"] = additional
        self.say(names.PARAMETERS, rules.by_id[names.PARAMETERS][names.PENALTY_RATE])
        applied = {"id": chosen, "exempt_amount": _money(exempt_used)} if chosen and exempt_used > 0 else None
        return additional, exempt_used, applied

    def box7(self, exempt_used: Decimal) -> tuple[list[str], bool]:
        primary: Mapping[str, Any] | None = None
        extra: list[Mapping[str, Any]] = []
        for entry in self.rules.entries[names.CODES]:
            if not entry.get("when"):
                continue
            if entry["kind"] == "primary":
                if primary is None and self.value(entry["when"]):
                    primary = entry
            elif self.value(entry["when"]):
                extra.append(entry)
        chosen = ([primary] if primary is not None else []) + extra
        for code in chosen:
            self.say(names.CODES, code)
        needs_5329 = bool(primary is not None and primary.get("exception_claimed_on_5329") and exempt_used > 0)
        if needs_5329 and primary is not None and primary.get("form_5329_trace"):
            self.say(names.CODES, primary, primary["form_5329_trace"])
        return [str(e["code"]) for e in chosen], needs_5329

    def value_at_retirement(self) -> Decimal:
        facts = self.facts
        growth = (_ONE + facts["annual_return"]) ** int(facts["years_to_retirement"])
        value = cents(facts["kept_out"] * growth)
        facts["value_at_retirement"] = value
        if facts["kept_out"] > 0:
            self.say(names.PARAMETERS, self.rules.by_id[names.PARAMETERS][names.DEFAULT_RETURN])
        return value

    def cautions(self) -> list[str]:
        found = []
        caution: Mapping[str, Any]
        for caution in self.rules.entries[names.CAUTIONS]:
            if self.value(caution["when"]):
                found.append(caution["id"])
                self.say(names.CAUTIONS, caution)
        return found

    def questions(self) -> list[str]:
        first: list[str] = []
        rest: list[str] = []
        for entry in self.rules.entries[names.QUESTIONS]:
            when = entry.get("when")
            relevant = False
            if when:
                try:
                    relevant = bool(self.value(when))
                except (KeyError, TypeError, ArithmeticError, ValueError):  # a fact not known yet (blocked request)
                    relevant = False
            (first if relevant else rest).append(entry["id"])
        return first + rest
