"""The rule tables' schemas, declared once as typed dataclasses.

Each file ``rules/<table>.yaml`` is a :class:`TableFile` whose ``entries`` are of the dataclass
named in :data:`TABLES`. The validator reads these declarations (types, ``Annotated`` markers,
defaults, field docs); the editor's guide renders them as field-reference tables; the build writes
the validated entries to ``rules.json`` for the engine. Change a field here and all three follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Literal

from .fields import Expr, Ident, IsoDate, Ref, Template, Url, doc

__all__ = ["TABLES", "TABLE_ORDER", "UNITS", "Entry", "Number", "Source", "TableFile"]

Number = int | float | Decimal
Id = Annotated[str, Ident()]
Units = Literal["usd", "rate", "age", "years", "days", "count"]
UNITS: tuple[str, ...] = ("usd", "rate", "age", "years", "days", "count")
Destination = Literal["cash", "direct_rollover", "indirect_rollover", "split"]
FigureUnit = Literal["usd", "rate", "bool", "codes", "text"]
FigureGroup = Literal["headline", "tax", "withholding", "forms", "rollover", "retirement"]


@dataclass(frozen=True, kw_only=True)
class Source:
    """A primary source: statute, regulation, IRS publication or form instructions."""

    title: str = doc("Name of the source, precise enough to find the passage", "IRC 72(t)(2)(B)")
    url: Annotated[str, Url()] = doc("Deep link to the passage", "https://www.law.cornell.edu/uscode/text/26/72#t_2_B")


@dataclass(frozen=True, kw_only=True)
class Entry:
    """Fields every entry of every table has."""

    id: Id = doc("Stable identifier; pages anchor on it (`#id`) and the engine refers to it", "hardship")
    label: str = doc("Short human name", "Hardship withdrawal")
    summary: Annotated[str, Template()] = doc("One or two sentences in our own words (Markdown)")
    details: Annotated[str, Template()] = doc("Longer explanation (Markdown), optional", default="")
    sources: list[Source] = doc("Primary sources, at least one (editorial figures excepted)")
    reviewed: Annotated[str, IsoDate()] = doc("Date an editor last checked the entry against its sources", "2026-11-28")
    line: int = field(default=0, compare=False, metadata={"internal": True})


@dataclass(frozen=True, kw_only=True)
class Parameter(Entry):
    """A figure the rules use: fixed (`value`) or by tax year (`values`)."""

    unit: Units = doc("usd, rate (a fraction: 0.2), age (years, 59.5 = 59½), years, days or count")
    value: Number | None = doc("The figure when it does not change by year", default=None)
    values: dict[int, Number] | None = doc("The figure by tax year, when it changes", "{2025: 10300, 2026: 10500}", default=None)
    editorial: bool = doc("A default or threshold chosen by the editors, not set by law (may have no sources)", default=False)
    trace: Annotated[str, Template()] = doc("Calculator trace line, with {placeholders}; the label when empty", default="")


@dataclass(frozen=True, kw_only=True)
class FilingStatus(Entry):
    """A federal filing status."""


@dataclass(frozen=True, kw_only=True)
class DestinationEntry(Entry):
    """Where the money of a distribution goes. The three ids are the engine's own (a direct
    rollover is neither taxed nor withheld on, spec/calculator.md), so the table words and sources
    them and may not add one the engine would not know how to treat."""

    id: Destination = doc("cash, direct_rollover, indirect_rollover or split", "direct_rollover")
    trace: Annotated[str, Template()] = doc("Calculator trace line, with {placeholders}; none when empty", default="")


@dataclass(frozen=True, kw_only=True)
class TaxYear(Entry):
    """One tax year's federal rate schedules and standard deductions."""

    year: int = doc("The tax year", "2026")
    rates: list[Number] = doc("Marginal rates from the lowest bracket up", "[0.10, 0.12, 0.22, 0.24, 0.32, 0.35, 0.37]")
    bracket_tops: dict[Annotated[str, Ref("filing_statuses")], list[Number]] = doc(
        "Per filing status, taxable income at the top of each bracket but the last (tops are inclusive)")
    standard_deduction: dict[Annotated[str, Ref("filing_statuses")], Number] = doc("Basic standard deduction per filing status")
    trace: Annotated[str, Template()] = doc("Calculator trace line, with {placeholders}; the label when empty", default="")


@dataclass(frozen=True, kw_only=True)
class MoneySource(Entry):
    """A source (bucket) of money inside the plan."""

    tax_character: Literal["pretax", "roth", "after_tax"] = doc("How the money was taxed going in")
    elective_deferral: bool = doc("Elective deferrals: locked in service until 59½ or another distributable event")
    vesting: bool = doc("Subject to a vesting schedule: only the vested part can come out")
    in_service: Annotated[str, Template()] = doc("When the plan may pay it out while you still work there")
    taxation: Annotated[str, Template()] = doc("How a distribution from it is taxed")
    basis: Annotated[str, Expr()] | None = doc(
        "Return of contributions in a withdrawal, as an expression; none: no basis",
        "amount * min(1, source.contributions / source.balance)", default=None)
    qualified_when: Annotated[str, Expr()] | None = doc(
        "When a withdrawal is a qualified (tax-free) distribution, as an expression; none: never", default=None)
    trace: Annotated[str, Template()] = doc("Calculator trace line, with {placeholders}; the label when empty", default="")


@dataclass(frozen=True, kw_only=True)
class HardshipReason(Entry):
    """A safe-harbor reason that is deemed an immediate and heavy financial need."""


@dataclass(frozen=True, kw_only=True)
class Condition:
    """A test the engine evaluates, with the message it gives when the test fails."""

    id: Id = doc("Rule id shown in `blocked` and the trace")
    test: Annotated[str, Expr()] = doc("Expression that must hold", "age >= plan.age_based_min_age")
    message: Annotated[str, Template()] = doc("Why it failed, with {placeholders}")
    trace: Annotated[str, Template()] = doc("Trace line when the test holds; empty: none", default="")
    label: Annotated[str, Template()] = doc(
        "The condition as a sentence for readers; the reference pages show it (the message when empty) and fold "
        "the test away", "You have reached the age the plan states.", default="")


@dataclass(frozen=True, kw_only=True)
class Permission(Entry):
    """A check every request must pass before any tax question; failing ones are listed in `blocked`."""

    test: Annotated[str, Expr()] = doc("Expression that must hold", "route.id in plan.allows")
    applies_when: Annotated[str, Expr()] | None = doc(
        "Only requests for which this holds are checked; none: every request", "destination == 'split'", default=None)
    message: Annotated[str, Template()] = doc("Why it failed, with {placeholders}")
    page: str = doc("Site page that explains a failure, when not this table's entry", "rule-of-55/", default="")
    trace: Annotated[str, Template()] = doc("Trace line when the test holds; the label is used when empty", default="")


@dataclass(frozen=True, kw_only=True)
class Route(Entry):
    """An in-service access route a written plan may offer."""

    usually_means: Annotated[str, Template()] = doc("What the route usually means (access-types table)")
    main_caution: Annotated[str, Template()] = doc("Its main caution (access-types table)")
    may_draw_from: list[Annotated[str, Ref("money_sources")]] = doc("Money sources the route can pay from")
    minimum_age: Annotated[str, Template()] = doc("Plain statement of its minimum age", default="none")
    conditions: list[Condition] = doc("Further tests for permission, each a blocked reason when it fails", default_factory=list)
    cap: Annotated[str, Expr()] | None = doc(
        "Largest amount, as an expression over the facts", "min(param.domestic_abuse_cap, 0.5 * vested_total)", default=None)
    cap_text: Annotated[str, Template()] = doc("The cap in words", default="")
    needs_hardship_reason: bool = doc("A hardship reason is required (and only allowed) on this route", default=False)
    destinations: list[Destination] = doc("Where the money may go", "[cash, direct_rollover, indirect_rollover]")
    rollover_ineligible_reason: Annotated[str, Ref("rollover_ineligible")] | None = doc(
        "Why it is not an eligible rollover distribution, if it is not", default=None)
    builtin_exception: Annotated[str, Ref("exceptions")] | None = doc("Exception to the additional tax the route carries", default=None)
    repayable: Annotated[str, Template()] = doc("Whether and when it can be repaid", default="")


@dataclass(frozen=True, kw_only=True)
class Caution(Entry):
    """A reason to slow down (or a thing worth knowing), shown when its condition holds."""

    when: Annotated[str, Expr()] = doc("Expression over the facts", "age < param.penalty_free_age")
    kind: Literal["caution", "good_to_know"] = doc(
        "caution: a reason to slow down (result `cautions`); good_to_know: a helpful fact (result `good_to_know`)",
        default="caution")


@dataclass(frozen=True, kw_only=True)
class RolloverIneligible(Entry):
    """A kind of distribution that is not an eligible rollover distribution."""

    citation: str = doc("Where the Code or regulations exclude it", "IRC 402(c)(4)(C)")
    scope: Literal["all", "withholding_and_notice"] = doc(
        "all: never rollable; withholding_and_notice: not an ERD for 401(a)(31), 402(f) and 3405 but repayable")
    trace: Annotated[str, Template()] = doc("Calculator trace line, with {placeholders}; the label when empty", default="")


@dataclass(frozen=True, kw_only=True)
class AdditionalTaxException(Entry):
    """An exception to the additional tax on early distributions, IRC 72(t)."""

    citation: str = doc("The Code section", "IRC 72(t)(2)(A)(iii)")
    plans: bool = doc("Applies to 401(k) and other qualified plans")
    iras: bool = doc("Applies to IRAs")
    while_employed: Literal["yes", "no"] = doc("Can apply to an in-service distribution from the employer's plan")
    selectable: bool = doc("Offered as `request.exception` in the calculator", default=False)
    exempt: Annotated[str, Expr()] | None = doc("Amount it exempts, as an expression (taxable_kept, exception_amount, …)", default=None)
    needs_amount: bool = doc("The person must state `exception_amount` (or `medical_expenses`, the expenses paid)", default=False)
    requires: list[Condition] = doc("Input requirements; a failing one is an input error on request.exception", default_factory=list)
    limit: Annotated[str, Template()] = doc("Its dollar or other limit in words", default="")
    form_5329_number: str = doc("Exception number on Form 5329 line 2, where confirmed", default="")
    trace: Annotated[str, Template()] = doc("Calculator trace line, with {placeholders}; the label when empty", default="")


@dataclass(frozen=True, kw_only=True)
class WithholdingRule(Entry):
    """How federal income tax is withheld from one kind of payment; the first that applies wins."""

    when: Annotated[str, Expr()] = doc("Expression over the facts")
    rate: Annotated[str, Expr()] = doc("Rate on the taxable part", "param.mandatory_withholding_rate")
    mandatory: bool = doc("The rate is mandatory: an election may raise it, never lower it")
    election: Literal["none", "higher_only", "any"] = doc("What an elected rate may do: nothing, raise it, or replace it")
    can_opt_out: bool = doc("The person may elect less than the rate, down to 0%")
    trace: Annotated[str, Template()] = doc("Calculator trace line, with {placeholders}; the label when empty", default="")
    election_ignored: Annotated[str, Template()] = doc("Trace line when an elected rate is below the rate and so ignored", default="")


@dataclass(frozen=True, kw_only=True)
class Form1099RCode(Entry):
    """A Form 1099-R box 7 distribution code."""

    code: str = doc("The code as printed in box 7", "1")
    kind: Literal["primary", "additional"] = doc("The engine reports the first primary code that applies, then every additional one")
    when: Annotated[str, Expr()] | None = doc("When the engine reports it; leave out for codes the site only explains", default=None)
    exception_claimed_on_5329: bool = doc("With this code, an exception to the additional tax is claimed on Form 5329", default=False)
    pairs_with: list[str] = doc("Codes it may be combined with in box 7", default_factory=list)
    trace: Annotated[str, Template()] = doc("Calculator trace line, with {placeholders}; the label when empty", default="")
    form_5329_trace: Annotated[str, Template()] = doc("Trace line when an exception must be claimed on Form 5329", default="")


@dataclass(frozen=True, kw_only=True)
class Step(Entry):
    """One way the calculator works a figure out (a goal, a pro-rata draw, a split, the settle-up),
    with the primary source that says it may be done so and the trace line it writes."""

    trace: Annotated[str, Template()] = doc("Calculator trace line, with {placeholders}; the label when empty", default="")
    editorial: bool = doc("A way of working chosen by the editors, not set by law (may have no sources)", default=False)


@dataclass(frozen=True, kw_only=True)
class ResultFigure(Entry):
    """A figure of the calculator's result as a person reads it: its label, meaning and group."""

    field: str = doc("The result field it labels (a dotted path)", "withholding.federal")
    unit: FigureUnit = doc("How it is shown: usd, rate, bool (yes/no), codes or text")
    group: FigureGroup = doc("Where the page shows it: headline, tax, withholding, forms, rollover or retirement")
    editorial: bool = doc("An illustration of ours rather than a figure of law (may have no sources)", default=False)


@dataclass(frozen=True, kw_only=True)
class Question(Entry):
    """A question to ask the plan administrator."""

    when: Annotated[str, Expr()] | None = doc("Makes the question most relevant when it holds", default=None)


@dataclass(frozen=True, kw_only=True)
class Alternative(Entry):
    """Another way to raise cash, to weigh before withdrawing."""

    tradeoffs: Annotated[str, Template()] = doc("What it costs or risks")


@dataclass(frozen=True, kw_only=True)
class Comparison(Entry):
    """A tool related to the in-service withdrawal, compared on the same questions."""

    while_employed: Annotated[str, Template()] = doc("Available while still employed?")
    taxed: Annotated[str, Template()] = doc("Income tax")
    additional_tax: Annotated[str, Template()] = doc("The additional tax on early distributions")
    pay_back: Annotated[str, Template()] = doc("Repayment or rollover")
    best_for: Annotated[str, Template()] = doc("What job it does well")


@dataclass(frozen=True, kw_only=True)
class LoanException:
    """An exception to the additional tax that can free a loan's deemed distribution or offset."""

    exception: Annotated[str, Ref("exceptions")] = doc("The exception, an id of the exceptions table", "separation_age_55")
    test: Annotated[str, Expr()] = doc("When it applies, as an expression over the loan facts", "event.age >= param.separation_age")
    message: Annotated[str, Template()] = doc("Trace line when it applies, with {placeholders}")


@dataclass(frozen=True, kw_only=True)
class LoanRule(Entry):
    """A rule a plan loan must follow (IRC 72(p)) or a consequence when it does not, as the loan
    calculator applies it: a figure it computes, a test the loan must pass, or both."""

    citation: str = doc("Where the Code or regulations state it", "IRC 72(p)(2)(A)")
    amount: Annotated[str, Expr()] | None = doc(
        "The figure the rule computes, as an expression over the loan facts; none: it computes nothing",
        "param.loan_dollar_limit - max(0, loan.highest_outstanding_12m - loan.outstanding)", default=None)
    test: Annotated[str, Expr()] | None = doc(
        "A condition the loan must meet; when it fails the loan is not allowed", "loan.amount <= loan.max_by_law", default=None)
    message: Annotated[str, Template()] = doc("Why the loan is not allowed when the test fails, with {placeholders}", default="")
    exceptions: list[LoanException] = doc(
        "Exceptions to the additional tax that can free the distribution this rule creates", default_factory=list)
    code: Annotated[str, Ref("form_1099r_codes")] | None = doc(
        "The Form 1099-R box 7 letter code of the distribution this rule creates", "code_l", default=None)
    editorial: bool = doc("A rule of ours for the calculator, not set by law (may have no sources)", default=False)
    trace: Annotated[str, Template()] = doc(
        "Calculator trace line, with {placeholders}; the label when empty (a check with none says nothing when it passes)",
        default="")


@dataclass(frozen=True, kw_only=True)
class LoanFrequency(Entry):
    """How often loan payments fall due: a calendar step, not a rule of law (the rule, payments at
    least quarterly, is the level_payments entry of the loan rules)."""

    per_year: int = doc("Payments in a year; the loan's periodic rate is the yearly rate divided by it", "12")
    every_months: int | None = doc("Months between due dates, for a monthly or longer step", "1", default=None)
    every_days: int | None = doc("Days between due dates, for a weekly or biweekly step", "14", default=None)
    default: bool = doc("The frequency the calculator uses when none is given (exactly one entry)", default=False)
    editorial: bool = doc("A calendar step, not a rule of law (may have no sources)", default=True)


@dataclass(frozen=True, kw_only=True)
class GlossaryTerm(Entry):
    """A term explained in a tooltip wherever it appears on the site."""

    abbreviation: str = doc("The exact text that gets the tooltip, when it differs from the label", default="")


TABLES: dict[str, type[Entry]] = {
    "parameters": Parameter,
    "filing_statuses": FilingStatus,
    "destinations": DestinationEntry,
    "tax_years": TaxYear,
    "money_sources": MoneySource,
    "hardship_reasons": HardshipReason,
    "permissions": Permission,
    "routes": Route,
    "exceptions": AdditionalTaxException,
    "rollover_ineligible": RolloverIneligible,
    "withholding": WithholdingRule,
    "form_1099r_codes": Form1099RCode,
    "cautions": Caution,
    "steps": Step,
    "results": ResultFigure,
    "questions": Question,
    "alternatives": Alternative,
    "comparisons": Comparison,
    "loan_rules": LoanRule,
    "loan_frequencies": LoanFrequency,
    "glossary": GlossaryTerm,
}
TABLE_ORDER: tuple[str, ...] = tuple(TABLES)


@dataclass(frozen=True, kw_only=True)
class TableFile:
    """One file in ``rules/``: the table's page title and introduction, and its entries."""

    title: str = doc("Title of the table's explainer page")
    intro: Annotated[str, Template()] = doc("Introduction shown above the entries (Markdown)")
    entries: list[Entry] = doc("The entries, in the order pages show them")
