"""The small language of the rule tables, and the vocabulary of facts it may name.

Editors write conditions such as ``age < param.penalty_free_age and taxable_kept > 0`` in YAML so
that a new caution or exception needs no Python. This module is ground that two parts stand on:
the loader validates every expression at load time (grammar and names, reported at ``file:line``)
and the engine evaluates them; neither imports the other.

The grammar is a strict subset of Python expressions, parsed with :mod:`ast` (standard library, so
it runs in Pyodide too). Nothing an editor writes is ever passed to ``eval``: only
the node kinds listed below are accepted, names resolve only against the facts mapping the engine
supplies, and numbers are ``Decimal`` so money stays exact. Each checked tree is then written out as
one small Python function (names as mapping lookups, numbers as constants) and compiled once.

``FACTS`` is the vocabulary: one name, one unit, one meaning. It is the contract between the tables
and the engine (the engine computes each fact under that name), and the editor's guide lists it.
``param.<id>`` reads any figure of the parameters table for the scenario's tax year.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

__all__ = ["FACTS", "PARAM_PREFIX", "Evaluator", "ExprError", "compile_expr", "dotted_names", "is_known_name"]

Evaluator = Callable[[Mapping[str, Any]], Any]

_FUNCTIONS: dict[str, Callable[..., Any]] = {"min": min, "max": max}


class ExprError(ValueError):
    """An expression outside the grammar, or a name the facts do not define."""


def dotted_names(source: str) -> list[str]:
    """Every fact an expression reads, as dotted paths (``source.roth``), for load-time checks."""
    tree = _parse(source)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Name, ast.Attribute)):
            path = _dotted(node)
            if path is not None and not _is_part_of_longer_path(node, tree) and path not in _FUNCTIONS:
                found.append(path)
    return found


_CACHE: dict[str, Evaluator] = {}


def compile_expr(source: str) -> Evaluator:
    """Compile once; the returned function evaluates the expression against a facts mapping."""
    cached = _CACHE.get(source)
    if cached is None:
        cached = _compile(_parse(source).body, source)
        _CACHE[source] = cached
    return cached


def _parse(source: str) -> ast.Expression:
    if not isinstance(source, str) or not source.strip():
        raise ExprError("an expression must be a non-empty string")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"not a valid expression: {exc.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ExprError(f"'{type(node).__name__}' is not allowed in a rule expression")
        if isinstance(node, ast.Call) and (not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS or node.keywords):
            raise ExprError("only min(...) and max(...) may be called")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str, bool, type(None))):
            raise ExprError(f"constant {node.value!r} is not allowed")
    return tree


_ALLOWED_NODES = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.BinOp,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt,
    ast.GtE, ast.In, ast.NotIn, ast.Name, ast.Attribute, ast.Load, ast.Constant, ast.Call,
    ast.IfExp, ast.List, ast.Tuple,
)


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def _is_part_of_longer_path(node: ast.AST, tree: ast.AST) -> bool:
    return any(isinstance(parent, ast.Attribute) and parent.value is node for parent in ast.walk(tree))


_OPERATORS: dict[type[ast.AST], str] = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.In: "in",
    ast.NotIn: "not in", ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
}


def _compile(node: ast.AST, source: str) -> Evaluator:
    """The expression as one Python function of the facts, built from the checked tree.

    Each name becomes a lookup in the facts mapping (``plan.allows`` → ``_f["plan"]["allows"]``),
    each number a ``Decimal`` constant, ``min``/``max`` the built-ins; nothing else can appear,
    because :func:`_parse` refused every other node. Compiled once per expression, it runs at the
    interpreter's own speed instead of walking a tree of closures on every evaluation.
    """
    constants: dict[str, Any] = {}
    body = _code(node, constants)
    text = (f"def _rule(_f):\n    try:\n        return {body}\n"
            f"    except KeyError as _missing:\n        raise _ExprError(f\"unknown name '{{_missing.args[0]}}'\") from None\n")
    namespace: dict[str, Any] = {"__builtins__": {}, "KeyError": KeyError, "_ExprError": ExprError, "_min": min, "_max": max,
                                 "_bool": bool,
                                 **constants}
    # The code is built from the checked tree only: names as lookups, numbers as constants.
    exec(compile(text, f"<rule: {' '.join(source.split())}>", "exec"), namespace)
    rule: Evaluator = namespace["_rule"]
    return rule


def _code(node: ast.AST, constants: dict[str, Any]) -> str:
    if isinstance(node, ast.Constant):
        value: Any = node.value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            name = f"_c{len(constants)}"
            constants[name] = Decimal(str(value))
            return name
        return repr(value)
    if isinstance(node, (ast.Name, ast.Attribute)):
        path = _dotted(node)
        if path is None:
            raise ExprError("attributes may only follow names")
        return "_f" + "".join(f"[{part!r}]" for part in path.split("."))
    if isinstance(node, ast.BoolOp):
        joiner = " and " if isinstance(node.op, ast.And) else " or "
        return "_bool(" + joiner.join(f"({_code(v, constants)})" for v in node.values) + ")"
    if isinstance(node, ast.UnaryOp):
        operand = _code(node.operand, constants)
        return f"(not {operand})" if isinstance(node.op, ast.Not) else f"(-{operand})"
    if isinstance(node, ast.BinOp):
        return f"({_code(node.left, constants)} {_OPERATORS[type(node.op)]} {_code(node.right, constants)})"
    if isinstance(node, ast.Compare):
        parts = [_code(node.left, constants)]
        for op, right in zip(node.ops, node.comparators, strict=True):
            parts += [_OPERATORS[type(op)], _code(right, constants)]
        return "(" + " ".join(parts) + ")"
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        return f"_{node.func.id}(" + ", ".join(_code(a, constants) for a in node.args) + ")"
    if isinstance(node, ast.IfExp):
        return f"({_code(node.body, constants)} if {_code(node.test, constants)} else {_code(node.orelse, constants)})"
    if isinstance(node, (ast.List, ast.Tuple)):
        return "(" + "".join(f"{_code(e, constants)}, " for e in node.elts) + ")"
    raise ExprError(f"'{type(node).__name__}' is not allowed in a rule expression")


# ---------------------------------------------------------------------------------- the vocabulary

PARAM_PREFIX = "param."


FACTS: dict[str, tuple[str, str]] = {  # name: (unit, meaning)
    "tax_year": ("year", "the scenario's tax year"),
    "age": ("age", "age on the distribution date (59.5 means 59½ has been reached)"),
    "still_employed": ("bool", "works for the employer that sponsors the plan"),
    "disabled": ("bool", "meets the Code's definition of disabled, IRC 72(m)(7)"),
    "filing_status": ("text", "filing status id"),
    "filing_status_label": ("text", "the filing status's name"),
    "other_income": ("usd", "other ordinary income this year, before the standard deduction"),
    "plans_roth_conversion": ("bool", "the person plans Roth conversions this year"),
    "uses_aca_subsidy": ("bool", "the person relies on income-based health insurance subsidies"),
    "plan.type": ("text", "plan type id (401k or 403b)"),
    "plan.allows": ("list", "the in-service routes the written plan permits (a list of route ids)"),
    "plan.age_based_min_age": ("age", "the plan's stated age for age-based withdrawals"),
    "route.id": ("text", "the requested access route"),
    "route.label": ("text", "the requested route's name"),
    "route.builtin_exception": ("bool", "the route carries its own exception to the additional tax on early distributions"),
    "route.may_draw_from": ("list", "the source ids the route can pay from"),
    "route.destinations": ("list", "where the route's money may go"),
    "route.cap": ("usd", "the route's limit for this person, exact (not rounded), or None when it has none"),
    "route.largest": ("usd", "the largest whole-cent amount within the route's limit, or None when it has none"),
    "route.rollover_eligible": ("bool", "an eligible rollover distribution for 401(a)(31), 402(f) and 3405"),
    "route.can_roll_over": ("bool", "may be rolled over or repaid at all (hardship may not)"),
    "source.id": ("text", "the money source the withdrawal comes from"),
    "source.label": ("text", "the source's name"),
    "source.pretax": ("bool", "the source is pre-tax money"),
    "source.roth": ("bool", "the source is designated Roth money"),
    "source.after_tax": ("bool", "the source is after-tax (non-Roth) employee money"),
    "source.elective_deferral": ("bool", "the source holds elective deferrals, locked in service until 59½"),
    "source.vesting": ("bool", "the source is subject to a vesting schedule"),
    "source.available": ("usd", "the distributable balance of the source (vested part for employer money)"),
    "vested_total": ("usd", "V: every balance before the distribution, employer money at its vested part"),
    "destination": ("text", "cash, direct_rollover or indirect_rollover"),
    "destination_label": ("text", "where the money goes, in words"),
    "amount": ("usd", "the gross amount requested"),
    "rolled_over": ("usd", "dollars re-deposited within the rollover or repayment window"),
    "exception": ("text", "the chosen exception id, or none"),
    "exception_amount": ("usd", "the medical expense amount claimed against the additional tax on early distributions"),
    "roth_qualified": ("bool", "the Roth money comes out as a qualified distribution"),
    "basis": ("usd", "the return of contributions in the distribution"),
    "taxable": ("usd", "the part includible in income before any rollover"),
    "taxable_kept": ("usd", "the taxable part left outside retirement savings"),
    "marginal_rate_before": ("rate", "the federal marginal rate on other income alone"),
    "marginal_rate_after": ("rate", "the federal marginal rate once the taxable amount kept is added"),
    # Known once the source is read (balances as entered).
    "hardship_reason": ("text", "the hardship reason id, or none"),
    "source.balance": ("usd", "the source's balance as entered (before vesting)"),
    "source.contributions": ("usd", "after-tax or Roth contributions in the source (its basis), 0 for pre-tax money"),
    "source.first_year": ("year", "first year of designated Roth contributions, 0 for other money"),
    "source.vested": ("rate", "the vested share of the source, 1 for money without vesting"),
    # Results, readable by trace lines (and by later conditions) once computed.
    "gross": ("usd", "the amount distributed"),
    "kept_out": ("usd", "the amount left outside retirement savings: gross less the amount rolled over"),
    "elected_withholding_rate": ("rate", "the withholding rate the person elected, or None"),
    "withholding_rate": ("rate", "the withholding rate that applies to the taxable part"),
    "withholding": ("usd", "federal income tax withheld by the plan"),
    "check_amount": ("usd", "the amount paid to the person"),
    "replacement_cash": ("usd", "money from elsewhere needed to roll over the whole gross amount"),
    "exempt_used": ("usd", "the part of the taxable amount kept that an exception frees of the additional tax on early distributions"),
    "additional_tax": ("usd", "the additional tax on early distributions (IRC 72(t))"),
    "standard_deduction": ("usd", "the basic standard deduction for the year and filing status"),
    "taxable_income_before": ("usd", "taxable income from other income alone"),
    "taxable_income_after": ("usd", "taxable income once the taxable amount kept is added"),
    "federal_income_tax": ("usd", "the federal income tax the withdrawal adds"),
    "state_tax_rate": ("rate", "the flat state rate entered"),
    "state_income_tax": ("usd", "state income tax on the taxable amount kept"),
    "total_tax": ("usd", "federal, additional and state tax together"),
    "cash_after_tax": ("usd", "what the person keeps once taxes are settled"),
    "annual_return": ("rate", "the yearly return assumed for the value-at-retirement estimate"),
    "years_to_retirement": ("years", "the years to retirement assumed for the estimate"),
    "value_at_retirement": ("usd", "what the money kept out might have grown to by retirement"),
    # Settling up at filing.
    "due_at_filing": ("usd", "the tax the withdrawal adds less the federal tax withheld (negative: money back)"),
    "refund_at_filing": ("usd", "withholding beyond the tax the withdrawal adds: what comes back at filing"),
    "total_tax_share": ("rate", "the total tax as a share of the gross amount"),
    "withheld_on": ("usd", "the taxable part paid to you, on which federal tax is withheld"),
    "early_base": ("usd", "the taxable amount kept that the additional tax on early distributions can reach"),
    "deferral_taxable_kept": ("usd", "the part of that amount which comes from elective deferrals"),
    # The medical expense exception.
    "medical_expenses": ("usd", "unreimbursed medical expenses paid this year, as entered, or None"),
    "agi": ("usd", "adjusted gross income as the calculator models it: other income plus the taxable amount kept"),
    "medical_floor": ("usd", "the share of that income medical expenses must exceed to count"),
    "exempt": ("usd", "the amount the chosen exception would free, before it is limited to the taxable amount kept"),
    # Goals, several sources, several forms.
    "goal_amount": ("usd", "the money in hand or after tax you asked for, or None"),
    "goal_reached": ("usd", "the money in hand or after tax the amount found gives"),
    "goal_limit": ("text", "the limit that stops a goal: the available balance or the route's limit"),
    "parts_count": ("count", "how many sources the distribution draws on"),
    "pro_rata_sources": ("text", "the sources of a pro-rata draw, each with its share"),
    "forms_count": ("count", "how many Forms 1099-R the distribution comes with"),
    # Options compared for the same need.
    "extra_tax": ("usd", "how much more tax an option costs than the cheapest"),
    "extra_forgone": ("usd", "how much more of the value at retirement an option gives up than the cheapest"),
    "tax_differences": ("text", "which taxes make an option cost more than the cheapest, each with the difference"),
    # A distribution split between direct rollovers and cash (Notice 2014-54).
    "split_pretax_total": ("usd", "the pre-tax money in a split distribution"),
    "split_after_tax_total": ("usd", "the after-tax money (basis) in a split distribution"),
    "split_direct_total": ("usd", "the dollars sent by direct rollover in a split"),
    "split_traditional": ("usd", "the dollars sent to a traditional IRA or another plan"),
    "split_traditional_pretax": ("usd", "the pre-tax money among them"),
    "split_traditional_after_tax": ("usd", "the after-tax money among them"),
    "split_roth_ira": ("usd", "the dollars sent to a Roth IRA"),
    "split_roth_ira_pretax": ("usd", "the pre-tax money among them (taxed now, as a conversion)"),
    "split_roth_ira_after_tax": ("usd", "the after-tax money among them (not taxed)"),
    "split_cash": ("usd", "the dollars paid to you in a split"),
    "split_cash_pretax": ("usd", "the pre-tax money among them (taxable)"),
    "split_cash_after_tax": ("usd", "the after-tax money among them (not taxed)"),
    # Plan loans (the loan calculator, rulebook.engine.loan): the loan as asked for and as figured.
    "loan.vested_balance": ("usd", "the vested account balance the loan limit is figured on, loans owed included"),
    "loan.outstanding": ("usd", "the balance owed today on all loans from all of the employer's plans"),
    "loan.highest_outstanding_12m": ("usd", "the highest balance owed on those loans in the year ending the day before the new loan"),
    "loan.ten_k_floor": ("bool", "the plan uses the floor of IRC 72(p)(2)(A)(ii)(II)"),
    "loan.residence": ("bool", "the loan is used to buy the participant's principal residence"),
    "loan.cure_period": ("bool", "the plan allows the cure period of Treas. Reg. 1.72(p)-1, Q&A-10"),
    "loan.years": ("years", "the loan's term in whole years"),
    "loan.frequency_label": ("text", "how often payments fall due, in words"),
    "loan.payments_per_year": ("count", "payments due in a year"),
    "loan.number_of_payments": ("count", "payments over the whole term"),
    "loan.dollar_limit": ("usd", "the dollar limit on all loans, after the reduction for the past year's highest balance"),
    "loan.vested_limit": ("usd", "the limit figured on the vested balance"),
    "loan.limit": ("usd", "what the Code still allows to be borrowed now, loans owed counted"),
    "loan.max_loan": ("usd", "the largest loan the calculator offers now"),
    "loan.amount": ("usd", "the amount borrowed"),
    "loan.interest_rate": ("rate", "the plan's yearly interest rate on the loan"),
    "loan.payment": ("usd", "each level payment, rounded to the cent"),
    "loan.final_payment": ("usd", "the last payment, which clears the balance"),
    "loan.total_interest": ("usd", "interest paid over the whole schedule"),
    "loan.total_repaid": ("usd", "all payments together: the amount borrowed plus the interest"),
    "loan.start_date": ("text", "the date the loan is made"),
    "loan.payoff_date": ("text", "the date of the last payment"),
    "loan.borrowed_grown": ("usd", "the amount borrowed, grown at the assumed return to retirement"),
    "loan.repayments_grown": ("usd", "the repayments, each grown from the end of its year, plus any balance still owed at retirement"),
    "loan.growth_given_up": ("usd", "what the account is short at retirement because of the loan (negative: ahead)"),
    # A loan's distribution (an offset at separation, or a deemed distribution after a missed payment).
    "event.date": ("text", "the date of the offset or deemed distribution"),
    "event.year": ("year", "the calendar year of that date"),
    "event.age": ("age", "age on that date"),
    "event.age_at_year_end": ("age", "age reached by December 31 of that year (the Rule of 55 reads the calendar year)"),
    "event.payments_made": ("count", "payments made on schedule before it"),
    "event.balance": ("usd", "principal still owed then"),
    "event.accrued_interest": ("usd", "interest of the missed payments due by then"),
    "event.amount": ("usd", "the amount distributed: the balance plus the unpaid interest"),
    "event.rolled_over": ("usd", "the part rolled over by the deadline"),
    "event.taxable_kept": ("usd", "the part taxed: the amount less what was rolled over"),
    "event.rollover_deadline": ("text", "the last day to roll an offset over: the return's due date with extensions"),
    "event.missed_payment": ("count", "the number of the first payment not made"),
    "event.missed_date": ("text", "the due date of that payment"),
    "event.cure_deadline": ("text", "the last day of the cure period"),
    "event.tax_year": ("year", "the year of tax tables the estimate uses"),
    "event.federal_income_tax": ("usd", "federal income tax the distribution adds"),
    "event.additional_tax": ("usd", "the additional tax on early distributions on it"),
    "event.state_income_tax": ("usd", "state income tax on it, at the flat rate entered"),
    "event.total_tax": ("usd", "the three taxes together"),
}


def is_known_name(name: str, params: set[str] | None) -> bool:
    """Whether an expression or ``{placeholder}`` may read ``name``: a fact, or ``param.<id>`` of a known id.

    ``params`` is the parameters table's ids, or ``None`` when that table could not be read (then
    every ``param.`` name passes, so one broken table does not bury the rest in follow-on errors).
    """
    if name.startswith(PARAM_PREFIX):
        return params is None or name[len(PARAM_PREFIX):] in params
    return name in FACTS
