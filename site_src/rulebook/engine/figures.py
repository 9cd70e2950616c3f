"""Steps 2 to 7 of a determination: from the parts drawn to every figure of the result.

Given how much comes from which source, in order: each part's basis and taxable amount (by its
own source's rule), the Forms 1099-R (one per tax character and payee), the withholding, what is
rolled over, the taxable amount kept, the federal, additional and state tax, the settle-up at
filing and the value at retirement; then the box 7 codes, cautions and questions. Every rule comes
from the tables; this module knows only the order and the arithmetic between them.

The same code runs exactly (``exact=True``: nothing rounded, the piecewise-linear function a goal
is solved on) or as the contract rounds (half up to the cent, in the contract's order), and with
or without a trace, so the solver, the comparison and the full result can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..ground.expressions import compile_expr
from . import names
from .draw import Split, allocate
from .prepared import Prepared
from .tax import cents, marginal_rate, tax_on
from .trace import Trace

__all__ = ["Form", "Outcome", "Part", "compute"]

_ZERO = Decimal(0)
_ONE = Decimal(1)
_SHARE = Decimal("0.0001")


@dataclass
class Part:
    """One source's share of the distribution and how it is taxed."""

    source: str
    gross: Decimal
    basis: Decimal
    includible: Decimal  # income if not rolled over: gross − basis, 0 when qualified
    qualified: bool
    roth: bool
    deferral: bool


@dataclass
class Form:
    """One Form 1099-R: a tax character and a payee (you, or the account of a direct rollover)."""

    character: str
    to: str
    box1: Decimal
    box2a: Decimal
    box5: Decimal
    box4: Decimal = _ZERO
    box7: list[str] = field(default_factory=list)
    primary: Mapping[str, Any] | None = None


@dataclass
class Outcome:
    """Every figure of one determination (exact or in cents), before the result's JSON shape."""

    parts: list[Part]
    forms: list[Form]
    values: dict[str, Any]
    split: Split | None = None
    codes: list[str] = field(default_factory=list)
    cautions: list[str] = field(default_factory=list)
    good_to_know: list[str] = field(default_factory=list)


def _identity(value: Decimal) -> Decimal:
    return value


def compute(rules: Prepared, facts: dict[str, Any], sources: Mapping[str, dict[str, Any]], drawn: list[tuple[str, Decimal]],
            trace: Trace, exact: bool = False, full: bool = True) -> Outcome:
    """The figures for ``drawn`` (source id, gross) parts; ``facts`` gains every computed fact."""
    rnd: Callable[[Decimal], Decimal] = _identity if exact else cents
    value = _evaluator(facts)
    gross = sum([amount for _, amount in drawn], _ZERO)
    facts["amount"] = facts["gross"] = gross
    destination = facts["destination"]
    direct = destination == names.DIRECT_ROLLOVER
    facts["roth_qualified"] = False
    parts = [_part(rules, facts, sources[source_id], source_id, amount, direct, rnd, trace) for source_id, amount in drawn]
    facts["basis"] = sum([p.basis for p in parts], _ZERO)
    forms, allocation = _forms(rules, parts, facts, destination, trace)
    taxable = sum([f.box2a for f in forms], _ZERO)
    facts["taxable"] = taxable
    reason = rules.by_id[names.ROUTES][facts["route"]["id"]].get("rollover_ineligible_reason")
    if reason:
        trace.say(names.INELIGIBLE, rules.by_id[names.INELIGIBLE][reason], facts)
    withholding = _withholding(rules, facts, forms, value, rnd, trace)
    paid = _ZERO if direct else gross - (allocation.direct if allocation else _ZERO)
    check_amount = paid - withholding["federal"] if not direct else _ZERO
    facts["check_amount"] = check_amount
    rolled = facts["rolled_over"]
    conversion = allocation.roth_ira_pretax if allocation else _ZERO
    kept = max(_ZERO, taxable - rolled)
    early = kept - conversion  # a rollover to a Roth IRA is income but never an early distribution (IRC 408A(d)(3)(A))
    includible = sum([p.includible for p in parts], _ZERO)
    deferral_share = (sum([p.includible for p in parts if p.deferral], _ZERO) / includible) if includible else _ZERO
    facts.update(taxable_kept=kept, early_base=early, deferral_taxable_kept=early * deferral_share,
                 kept_out=paid - rolled if not direct else _ZERO)
    replacement = withholding["federal"] if destination == names.INDIRECT_ROLLOVER else _ZERO
    facts["replacement_cash"] = replacement
    if destination == names.INDIRECT_ROLLOVER:
        window = names.ROLLOVER_WINDOW if facts["route"]["rollover_eligible"] else names.REPAYMENT_WINDOW
        trace.say(names.PARAMETERS, rules.by_id[names.PARAMETERS][window], facts)
    state = rnd(facts["state_tax_rate"] * kept)
    facts["state_income_tax"] = state
    federal = _federal_tax(rules, facts, kept, rnd, trace)
    additional, exempt_used, applied = _additional_tax(rules, facts, early, value, rnd, trace)
    total = federal + additional + state
    due = total - withholding["federal"]
    facts.update(total_tax=total, due_at_filing=due, refund_at_filing=-due,
                 cash_after_tax=_ZERO if direct else facts["kept_out"] - total,
                 total_tax_share=(total / gross).quantize(_SHARE) if gross else _ZERO)
    growth = (_ONE + facts["annual_return"]) ** int(facts["years_to_retirement"])
    facts["value_at_retirement"] = rnd(facts["kept_out"] * growth)
    outcome = Outcome(parts, forms, {"withholding": withholding, "exempt_used": exempt_used, "exception_applied": applied},
                      allocation)
    if not full:
        return outcome
    _settle_up_trace(rules, facts, trace)
    if facts["kept_out"] > 0:
        trace.say(names.PARAMETERS, rules.by_id[names.PARAMETERS][names.DEFAULT_RETURN], facts)
    _box7(rules, facts, forms, exempt_used, trace, outcome)
    _cautions(rules, facts, trace, outcome)
    return outcome


def _evaluator(facts: Mapping[str, Any]) -> Callable[..., Any]:
    def value(expression: str, where: Mapping[str, Any] | None = None) -> Any:
        return compile_expr(expression)(facts if where is None else where)
    return value


def _part(rules: Prepared, facts: dict[str, Any], source: dict[str, Any], source_id: str, amount: Decimal, direct: bool,
          rnd: Callable[[Decimal], Decimal], trace: Trace) -> Part:
    entry = rules.by_id[names.SOURCES][source_id]
    here = {**facts, "source": source, "amount": amount, "gross": amount}
    basis = rnd(Decimal(compile_expr(entry["basis"])(here))) if entry.get("basis") else _ZERO
    basis = min(max(basis, _ZERO), amount)  # the share is at most 1: never more basis than the amount paid
    qualified = bool(compile_expr(entry["qualified_when"])(here)) if entry.get("qualified_when") else False
    includible = _ZERO if qualified else amount - basis
    here.update(basis=basis, taxable=_ZERO if direct else includible, roth_qualified=qualified)
    facts["roth_qualified"] = facts.get("roth_qualified", False) or qualified
    trace.say(names.SOURCES, entry, here)
    return Part(source_id, amount, basis, includible, qualified, bool(source["roth"]), bool(source["elective_deferral"]))


def _forms(rules: Prepared, parts: list[Part], facts: dict[str, Any], destination: str,
           trace: Trace) -> tuple[list[Form], Split | None]:
    """One Form 1099-R per tax character and payee; for a split, the Notice 2014-54 allocation."""
    forms: list[Form] = []
    allocation: Split | None = None
    for character, roth in ((names.OTHER_FORM, False), (names.ROTH_FORM, True)):
        group = [p for p in parts if p.roth == roth]
        if not group:
            continue
        box1 = sum([p.gross for p in group], _ZERO)
        basis = sum([p.basis for p in group], _ZERO)
        includible = sum([p.includible for p in group], _ZERO)
        if destination == names.DIRECT_ROLLOVER:
            forms.append(Form(character, names.TO_ROTH_IRA if roth else names.TO_TRADITIONAL, box1, _ZERO, basis))
        elif destination == names.SPLIT and not roth:
            amounts = facts["split_amounts"]
            allocation = allocate(includible, box1 - includible, amounts[names.TO_TRADITIONAL], amounts[names.TO_ROTH_IRA])
            for to, pretax, after_tax, taxed in (
                    (names.TO_TRADITIONAL, allocation.traditional_pretax, allocation.traditional_after_tax, _ZERO),
                    (names.TO_ROTH_IRA, allocation.roth_ira_pretax, allocation.roth_ira_after_tax, allocation.roth_ira_pretax),
                    (names.TO_YOU, allocation.cash_pretax, allocation.cash_after_tax, allocation.cash_pretax)):
                if pretax + after_tax > 0:
                    forms.append(Form(character, to, pretax + after_tax, taxed, after_tax))
        else:
            forms.append(Form(character, names.TO_YOU, box1, includible, basis))
    facts["forms_count"] = Decimal(len(forms))
    if allocation is not None:
        _split_facts(facts, allocation)
        steps = rules.by_id[names.STEPS]
        trace.say(names.STEPS, steps[names.STEP_SPLIT], facts)
        for step, amount in ((names.STEP_SPLIT_TRADITIONAL, facts["split_traditional"]),
                             (names.STEP_SPLIT_ROTH_IRA, facts["split_roth_ira"]), (names.STEP_SPLIT_CASH, allocation.cash)):
            if amount > 0:
                trace.say(names.STEPS, steps[step], facts)
    return forms, allocation


def _split_facts(facts: dict[str, Any], a: Split) -> None:
    facts.update(
        split_pretax_total=a.traditional_pretax + a.roth_ira_pretax + a.cash_pretax,
        split_after_tax_total=a.traditional_after_tax + a.roth_ira_after_tax + a.cash_after_tax, split_direct_total=a.direct,
        split_traditional=a.traditional_pretax + a.traditional_after_tax, split_traditional_pretax=a.traditional_pretax,
        split_traditional_after_tax=a.traditional_after_tax, split_roth_ira=a.roth_ira_pretax + a.roth_ira_after_tax,
        split_roth_ira_pretax=a.roth_ira_pretax, split_roth_ira_after_tax=a.roth_ira_after_tax,
        split_cash=a.cash, split_cash_pretax=a.cash_pretax, split_cash_after_tax=a.cash_after_tax)


def _withholding(rules: Prepared, facts: dict[str, Any], forms: list[Form], value: Callable[..., Any],
                 rnd: Callable[[Decimal], Decimal], trace: Trace) -> dict[str, Any]:
    rule = next(e for e, when in rules.conditions(names.WITHHOLDING, rules.entries[names.WITHHOLDING]) if when(facts))
    rate = Decimal(value(rule["rate"]))
    elected = facts["elected_withholding_rate"]
    ignored = False
    if elected is not None:
        if rule["election"] == "any" or (rule["election"] == "higher_only" and elected >= rate):
            rate = elected
        elif rule["election"] == "higher_only":
            ignored = True
    for form in forms:  # withheld on the taxable part paid to you, form by form (so the boxes add up)
        if form.to == names.TO_YOU:
            form.box4 = rnd(rate * form.box2a)
    federal = sum([f.box4 for f in forms], _ZERO)
    facts.update(withholding_rate=rate, withholding=federal,
                 withheld_on=sum([f.box2a for f in forms if f.to == names.TO_YOU], _ZERO))
    trace.say(names.WITHHOLDING, rule, facts)
    if ignored and rule.get("election_ignored"):
        trace.say(names.WITHHOLDING, rule, facts, rule["election_ignored"])
    return {"federal": federal, "rate": rate, "mandatory": bool(rule["mandatory"]), "can_opt_out": bool(rule["can_opt_out"])}


def _federal_tax(rules: Prepared, facts: dict[str, Any], kept: Decimal, rnd: Callable[[Decimal], Decimal], trace: Trace) -> Decimal:
    year = int(facts["tax_year"])
    schedule = rules.schedules[year][facts["filing_status"]]
    before = max(_ZERO, facts["other_income"] - schedule.standard_deduction)
    after = max(_ZERO, facts["other_income"] + kept - schedule.standard_deduction)
    federal = rnd(tax_on(after, schedule) - tax_on(before, schedule))
    facts.update(standard_deduction=schedule.standard_deduction, taxable_income_before=before, taxable_income_after=after,
                 marginal_rate_before=marginal_rate(before, schedule), marginal_rate_after=marginal_rate(after, schedule),
                 federal_income_tax=federal)
    trace.say(names.TAX_YEARS, rules.year_entry[year], facts)
    return federal


def _additional_tax(rules: Prepared, facts: dict[str, Any], early: Decimal, value: Callable[..., Any],
                    rnd: Callable[[Decimal], Decimal], trace: Trace) -> tuple[Decimal, Decimal, dict[str, Any] | None]:
    params = facts["param"]
    exceptions = rules.by_id[names.EXCEPTIONS]
    route = rules.by_id[names.ROUTES][facts["route"]["id"]]
    chosen = route.get("builtin_exception") or (facts["exception"] if facts["exception"] != names.NO_EXCEPTION else None)
    facts["agi"] = facts["other_income"] + facts["taxable_kept"]
    facts["medical_floor"] = params.get(names.MEDICAL_FLOOR_RATE, _ZERO) * facts["agi"]
    facts["exempt"] = facts["exempt_used"] = _ZERO
    if facts["age"] >= params[names.PENALTY_FREE_AGE]:
        facts["additional_tax"] = _ZERO
        trace.say(names.EXCEPTIONS, exceptions[names.AGE_EXCEPTION], facts)
        return _ZERO, _ZERO, None
    exempt_used = _ZERO
    if chosen:
        entry = exceptions[chosen]
        exempt = max(Decimal(value(entry["exempt"])), _ZERO) if entry.get("exempt") else _ZERO
        exempt_used = rnd(min(exempt, early))  # the min exactly, then round (the contract's order)
        facts.update(exempt=exempt, exempt_used=exempt_used)
        if chosen == names.MEDICAL_EXCEPTION and facts["medical_expenses"] is not None:
            trace.say(names.STEPS, rules.by_id[names.STEPS][names.STEP_MEDICAL_FLOOR], facts)
        trace.say(names.EXCEPTIONS, entry, facts)
    additional = rnd(params[names.PENALTY_RATE] * (early - exempt_used))
    facts["additional_tax"] = additional
    trace.say(names.PARAMETERS, rules.by_id[names.PARAMETERS][names.PENALTY_RATE], facts)
    applied = {"id": chosen, "exempt_amount": exempt_used} if chosen and exempt_used > 0 else None
    return additional, exempt_used, applied


def _settle_up_trace(rules: Prepared, facts: dict[str, Any], trace: Trace) -> None:
    due = facts["due_at_filing"]
    step = names.STEP_OWED if due > 0 else names.STEP_REFUND if due < 0 else names.STEP_EVEN
    trace.say(names.STEPS, rules.by_id[names.STEPS][step], facts)


def _box7(rules: Prepared, facts: dict[str, Any], forms: list[Form], exempt_used: Decimal, trace: Trace,
          outcome: Outcome) -> None:
    """Box 7 of each form: the first primary code that applies, then every additional one."""
    union, destination = facts["source"], facts["destination"]
    try:  # each form's own source and payee, set in the facts for its codes (no copy of every fact), then put back
        for form in forms:
            facts["source"] = {**union, "roth": form.character == names.ROTH_FORM}
            facts["destination"] = names.DIRECT_ROLLOVER if form.to != names.TO_YOU else \
                (names.CASH if destination == names.SPLIT else destination)
            primary: Mapping[str, Any] | None = None
            extra: list[Mapping[str, Any]] = []
            for entry, when in rules.conditions(names.CODES, rules.coded):
                if entry["kind"] == "primary":
                    if primary is None and when(facts):
                        primary = entry
                elif when(facts):
                    extra.append(entry)
            chosen = ([primary] if primary is not None else []) + extra
            for code in chosen:
                trace.say(names.CODES, code, facts)
            form.box7, form.primary = [str(e["code"]) for e in chosen], primary
    finally:
        facts["source"], facts["destination"] = union, destination
    claim = next((f.primary for f in forms if f.to == names.TO_YOU and f.primary is not None
                  and f.primary.get("exception_claimed_on_5329")), None)
    outcome.values["form_5329_needed"] = bool(claim is not None and exempt_used > 0)
    if claim is not None and exempt_used > 0 and claim.get("form_5329_trace"):
        trace.say(names.CODES, claim, facts, claim["form_5329_trace"])
    codes = {c for f in forms for c in f.box7}
    outcome.codes = sorted(codes, key=lambda c: (not c.isdigit(), c))


def _cautions(rules: Prepared, facts: dict[str, Any], trace: Trace, outcome: Outcome) -> None:
    for caution, when in rules.conditions(names.CAUTIONS, rules.entries[names.CAUTIONS]):
        if when(facts):
            (outcome.good_to_know if caution.get("kind") == "good_to_know" else outcome.cautions).append(caution["id"])
            trace.say(names.CAUTIONS, caution, facts)
