"""Index a rule set (the plain data of ``rules.json``) once, so each evaluation is a few lookups.

The engine receives the tables as JSON-like data, possibly with floats; every number is turned
into a ``Decimal`` here through ``str`` so that 0.1 stays exactly one tenth. A prepared rule set is
cached per rules object, which is how a page or a benchmark evaluates thousands of scenarios
against one ``rules.json`` without re-indexing it each time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..ground.expressions import Evaluator, compile_expr, dotted_names
from . import names

__all__ = ["Prepared", "TaxSchedule", "deferred", "number", "prepare"]

_ZERO = Decimal(0)


def number(value: Any) -> Decimal:
    """A JSON number as an exact decimal (floats through their shortest text form)."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


@dataclass(frozen=True)
class TaxSchedule:
    """One tax year's rates, bracket tops and standard deduction for one filing status.

    ``bases`` is the exact tax on the income below each bracket, summed bracket by bracket in the
    order :func:`.tax.tax_on` adds them (so either way gives the same decimal); it is empty when the
    tops do not rise or do not number one fewer than the rates, and then only the loop is used.
    """

    rates: tuple[Decimal, ...]
    tops: tuple[Decimal, ...]
    standard_deduction: Decimal
    bases: tuple[Decimal, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        bases: list[Decimal] = []
        tops = self.tops
        if len(self.rates) == len(tops) + 1 and all(a < b for a, b in zip((_ZERO, *tops), tops, strict=False)):
            total, lower = _ZERO, _ZERO
            bases.append(total)
            for rate, top in zip(self.rates, tops, strict=False):
                total += rate * (top - lower)
                lower = top
                bases.append(total)
        object.__setattr__(self, "bases", tuple(bases))


class Prepared:
    """The tables indexed by id, parameters by year, tax schedules by year and status."""

    def __init__(self, rules: Mapping[str, Any]) -> None:
        tables = rules["tables"]
        self.tables: Mapping[str, Any] = tables
        self.entries: dict[str, list[dict[str, Any]]] = {name: list(t["entries"]) for name, t in tables.items()}
        self.by_id: dict[str, dict[str, dict[str, Any]]] = {
            name: {e["id"]: e for e in entries} for name, entries in self.entries.items()}
        self.pages: dict[str, str] = {name: str(t.get("page", "")) for name, t in tables.items()}
        self.schedules: dict[int, dict[str, TaxSchedule]] = {}
        self.year_entry: dict[int, dict[str, Any]] = {}
        for entry in self.entries[names.TAX_YEARS]:
            year = int(entry["year"])
            rates = tuple(number(r) for r in entry["rates"])
            self.year_entry[year] = entry
            self.schedules[year] = {
                status: TaxSchedule(rates, tuple(number(t) for t in tops), number(entry["standard_deduction"][status]))
                for status, tops in entry["bracket_tops"].items()}
        self.years: tuple[int, ...] = tuple(sorted(self.schedules))
        self.param_units: dict[str, str] = {}
        self.params: dict[int, dict[str, Decimal]] = {year: {} for year in self.years}
        for entry in self.entries[names.PARAMETERS]:
            self.param_units[entry["id"]] = str(entry["unit"])
            for year in self.years:
                values = entry.get("values")
                if values:
                    raw = values.get(str(year), values.get(year))
                    if raw is None:
                        continue
                else:
                    raw = entry["value"]
                self.params[year][entry["id"]] = number(raw)
        self._questions: list[tuple[str, Evaluator | None]] | None = None
        self.derived: dict[str, Any] = {}  # what other modules derive from these tables alone, on first use
        self.templates: dict[str, Any] = {}  # trace templates compiled by the evaluation, per rule set
        self.lines: dict[tuple[str, str, str], Any] = {}  # (table, entry id, template): its filler and page
        self.selectable = tuple(e["id"] for e in self.entries[names.EXCEPTIONS] if e.get("selectable"))
        self.coded = [e for e in self.entries[names.CODES] if e.get("when")]  # the codes the engine reports
        # Checks that read a fact of the source run once per source drawn (a distribution may have several).
        tests = [e["test"] for e in self.entries[names.PERMISSIONS]]
        tests += [c["test"] for r in self.entries[names.ROUTES] for c in r.get("conditions") or ()]
        self.per_source = {t for t in tests if any(n.startswith("source.") for n in dotted_names(t))}

    def question_tests(self) -> list[tuple[str, Evaluator | None]]:
        """Each question's id and its compiled ``when`` (``None`` without one), once per rule set."""
        if self._questions is None:
            self._questions = [(e["id"], deferred(e, "when") if e.get("when") else None) for e in self.entries[names.QUESTIONS]]
        return self._questions

    def conditions(self, name: str, entries: list[dict[str, Any]], key: str = "when") -> list[tuple[dict[str, Any], Evaluator]]:
        """``entries`` (known as ``name``) each with its ``key`` expression compiled, once per rule set."""
        found: list[tuple[dict[str, Any], Evaluator]] | None = self.derived.get(name)
        if found is None:
            found = self.derived[name] = [(e, deferred(e, key)) for e in entries]
        return found

    def compiled(self, expression: str) -> Evaluator:
        return compile_expr(expression)

    def page(self, table: str, entry_id: str) -> str:
        return f"{self.pages.get(table, '')}#{entry_id}"


def deferred(entry: Mapping[str, Any], key: str) -> Evaluator:
    """``entry[key]`` compiled; if that fails, a function raising the same error where it is applied.

    So a rule that cannot be compiled is reported by the evaluation that meets it, exactly as when
    each expression was compiled at its first use.
    """
    try:
        return compile_expr(entry[key])
    except Exception as exc:  # kept for the evaluation that applies it
        error = exc

        def fail(facts: Mapping[str, Any]) -> Any:
            raise error.with_traceback(None)
        return fail


_CACHE: dict[int, tuple[Mapping[str, Any], Prepared]] = {}


def prepare(rules: Mapping[str, Any] | Prepared) -> Prepared:
    """The prepared form of ``rules``, built once per rules object."""
    if isinstance(rules, Prepared):
        return rules
    cached = _CACHE.get(id(rules))
    if cached is not None and cached[0] is rules:
        return cached[1]
    prepared = Prepared(rules)
    if len(_CACHE) > 16:
        _CACHE.clear()
    _CACHE[id(rules)] = (rules, prepared)
    return prepared
