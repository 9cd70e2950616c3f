"""Load and validate every table in a rules folder into one immutable :class:`RuleSet`.

One pass reads each ``rules/<table>.yaml`` with line numbers, builds its dataclasses, then runs the
checks that need all tables at once: duplicate ids, references between tables, names inside
expressions and text placeholders, units against values, tax years against yearly figures. All
problems of all files are returned together, sorted by file and line; a caller decides whether to
print them (``rulebook check``) or stop a build (the generator). Nothing here raises on bad input.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..engine.expr import ExprError, dotted_names
from ..engine.facts import FACTS, PARAM_PREFIX
from ..engine.text import PLACEHOLDER
from .errors import Problem, did_you_mean
from .schema import TABLE_ORDER, TABLES, Entry, Parameter, TableFile, TaxYear
from .validate import Builder
from .yamlsrc import read_yaml

__all__ = ["RuleSet", "Table", "load_rules", "rules_to_json", "table_page"]


@dataclass(frozen=True)
class Table:
    """One loaded table: where it came from, its page text and its entries in file order."""

    name: str
    file: str
    title: str
    intro: str
    entries: tuple[Entry, ...]

    def get(self, entry_id: str) -> Entry:
        return next(e for e in self.entries if e.id == entry_id)


@dataclass(frozen=True)
class RuleSet:
    """Every table, validated. ``to_json()`` is the plain-data shape the engine receives."""

    folder: str
    tables: dict[str, Table]

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]

    @property
    def years(self) -> list[int]:
        return sorted(e.year for e in self.tables["tax_years"].entries if isinstance(e, TaxYear))

    def to_json(self) -> dict[str, Any]:
        return rules_to_json(self)

    @property
    def version(self) -> str:
        """A short digest of the rules data: pages, CLI and browser print the same one."""
        from .. import __version__

        canonical = json.dumps(self.to_json()["tables"], sort_keys=True, separators=(",", ":"))
        return f"{__version__}+rules.{hashlib.sha256(canonical.encode()).hexdigest()[:10]}"


def rules_to_json(rules: RuleSet) -> dict[str, Any]:
    """The engine's input: table name → entries as plain dicts, numbers as JSON numbers."""

    def plain(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value) if not f.metadata.get("internal")}
        if isinstance(value, Decimal):
            return float(value) if value != value.to_integral_value() else int(value)
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    tables: dict[str, Any] = {}
    for name, table in rules.tables.items():
        entries = []
        for entry in table.entries:
            data = {f.name: plain(getattr(entry, f.name)) for f in dataclasses.fields(entry)
                    if not f.metadata.get("internal") and f.name not in ("details", "reviewed", "sources")}
            entries.append(data)
        tables[name] = {"title": table.title, "page": table_page(name), "entries": entries}
    return {"tables": tables}


def table_page(name: str) -> str:
    """Site path of a table's generated explainer page; entries anchor on their ids there."""
    return f"reference/{name.replace('_', '-')}/"


def load_rules(folder: Path | str) -> tuple[RuleSet | None, list[Problem]]:
    """Read every table in ``folder``; the rule set only when there are no problems at all."""
    root = Path(folder)
    problems: list[Problem] = []
    if not root.is_dir():
        return None, [Problem(str(root), 1, "", "rules folder not found; expected a folder of <table>.yaml files")]
    builders: dict[str, Builder] = {}
    tables: dict[str, Table] = {}
    files = sorted(p for p in root.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))
    for path in files:
        shown = str(root / path.name)
        name = path.stem
        if name not in TABLES:
            problems.append(Problem(shown, 1, "", f"unknown table '{name}'{did_you_mean(name, TABLES)}; "
                                                  f"expected one of: {', '.join(TABLE_ORDER)}"))
            continue
        if name in tables or name in builders:
            problems.append(Problem(shown, 1, "", f"table '{name}' is defined twice (.yaml and .yml)"))
            continue
        data, read_problems = read_yaml(path, shown)
        problems.extend(read_problems)
        if read_problems:
            builders[name] = Builder(shown)
            continue
        builder = Builder(shown)
        builders[name] = builder
        table_file = builder.build(TableFile, data, "", 1, overrides={"entries": list[TABLES[name]]})  # type: ignore[valid-type]
        problems.extend(builder.problems)
        if table_file is not None:
            tables[name] = Table(name, shown, table_file.title, table_file.intro, tuple(table_file.entries))
    for name in TABLE_ORDER:
        if name not in builders:
            problems.append(Problem(str(root / f"{name}.yaml"), 1, "", f"table '{name}' is missing; every table in the schema is required"))
    problems.extend(_cross_check(tables, builders))
    if problems:
        return None, sorted(set(problems))
    return RuleSet(str(root), {name: tables[name] for name in TABLE_ORDER}), []


def _cross_check(tables: dict[str, Table], builders: dict[str, Builder]) -> list[Problem]:
    problems: list[Problem] = []
    ids: dict[str, set[str]] = {}
    for name, table in tables.items():
        seen: dict[str, int] = {}
        for entry in table.entries:
            if entry.id in seen:
                problems.append(Problem(table.file, entry.line, f"entries.{entry.id}",
                                        f"duplicate id '{entry.id}' (first used at line {seen[entry.id]}); ids must be unique in a table"))
            seen.setdefault(entry.id, entry.line)
            if not entry.sources and not getattr(entry, "editorial", False):
                problems.append(Problem(table.file, entry.line, f"entries.{entry.id}.sources",
                                        "no sources; expected at least one primary source (title and url)"))
        ids[name] = set(seen)
    params = {e.id: e for e in tables["parameters"].entries} if "parameters" in tables else {}
    known_params = set(params) if "parameters" in tables else None
    for name, builder in builders.items():
        for target, value, where in builder.pending.refs:
            if target in ids and value not in ids[target]:
                problems.append(dataclasses.replace(where, message=f"'{value}' is not an id in {target}{did_you_mean(value, ids[target])}"))
        for source, where in builder.pending.exprs:
            try:
                names = dotted_names(source)
            except ExprError as exc:
                problems.append(dataclasses.replace(where, message=f"{exc} in '{source}'"))
                continue
            problems.extend(_check_names(names, known_params, where, source))
        for text, where in builder.pending.templates:
            names = [m.group(1) for m in PLACEHOLDER.finditer(text)]
            problems.extend(_check_names(names, known_params, where, "{…}"))
    if "parameters" in tables:
        problems.extend(_check_parameters(tables["parameters"], tables.get("tax_years")))
    if "tax_years" in tables and "filing_statuses" in tables:
        problems.extend(_check_tax_years(tables["tax_years"], ids["filing_statuses"]))
    if "form_1099r_codes" in tables:
        codes = {e.code for e in tables["form_1099r_codes"].entries}  # type: ignore[attr-defined]
        for entry in tables["form_1099r_codes"].entries:
            for other in entry.pairs_with:  # type: ignore[attr-defined]
                if other not in codes:
                    problems.append(Problem(tables["form_1099r_codes"].file, entry.line, f"entries.{entry.id}.pairs_with",
                                            f"code '{other}' is not in the table"))
    return problems


def _check_names(names: list[str], params: set[str] | None, where: Problem, source: str) -> list[Problem]:
    problems = []
    for name in names:
        if name.startswith(PARAM_PREFIX):
            if params is not None and name[len(PARAM_PREFIX):] not in params:
                key = name[len(PARAM_PREFIX):]
                problems.append(dataclasses.replace(
                    where, message=f"'{name}' names no parameter{did_you_mean(key, params)}; in '{source}'"))
        elif name not in FACTS:
            problems.append(dataclasses.replace(
                where, message=f"unknown name '{name}'{did_you_mean(name, FACTS)} in '{source}'; expected a fact or param.<id>"))
    return problems


def _unit_problem(unit: str, value: Any) -> str | None:
    number = Decimal(str(value))
    if unit == "rate" and not 0 <= number <= 1:
        return f"{value} is not a rate; rates are fractions from 0 to 1 (20% is 0.2)"
    if unit == "age" and not 0 <= number <= 120:
        return f"{value} is not an age from 0 to 120"
    if unit == "usd" and (number < 0 or number != number.quantize(Decimal("0.01"))):
        return f"{value} is not a dollar amount; expected a number ≥ 0 with at most two decimals"
    if unit in ("years", "days", "count") and (number < 0 or number != number.to_integral_value()):
        return f"{value} is not a whole number of {unit}"
    return None


def _check_parameters(table: Table, tax_years: Table | None) -> list[Problem]:
    problems = []
    years = {e.year for e in tax_years.entries} if tax_years else set()  # type: ignore[attr-defined]
    for entry in table.entries:
        assert isinstance(entry, Parameter)
        path = f"entries.{entry.id}"
        if (entry.value is None) == (entry.values is None):
            problems.append(Problem(table.file, entry.line, path, "give exactly one of 'value' (fixed) or 'values' (by tax year)"))
            continue
        values = [entry.value] if entry.value is not None else list((entry.values or {}).values())
        for value in values:
            message = _unit_problem(entry.unit, value)
            if message:
                problems.append(Problem(table.file, entry.line, f"{path}.{'value' if entry.value is not None else 'values'}",
                                        f"unit '{entry.unit}': {message}"))
        if entry.values is not None:
            for year in sorted(years - set(entry.values)):
                problems.append(Problem(table.file, entry.line, f"{path}.values",
                                        f"no value for tax year {year}; every year in tax_years needs one"))
            for year in entry.values:
                if not 1900 <= year <= 2200:
                    problems.append(Problem(table.file, entry.line, f"{path}.values", f"{year} is not a tax year"))
    return problems


def _check_tax_years(table: Table, statuses: set[str]) -> list[Problem]:
    problems = []
    seen: set[int] = set()
    for entry in table.entries:
        assert isinstance(entry, TaxYear)
        path = f"entries.{entry.id}"
        if entry.year in seen:
            problems.append(Problem(table.file, entry.line, f"{path}.year", f"tax year {entry.year} appears twice"))
        seen.add(entry.year)
        if not 1900 <= entry.year <= 2200:
            problems.append(Problem(table.file, entry.line, f"{path}.year", f"{entry.year} is not a tax year"))
        rates = [Decimal(str(r)) for r in entry.rates]
        if any(not 0 < r < 1 for r in rates) or rates != sorted(rates):
            problems.append(Problem(table.file, entry.line, f"{path}.rates", "rates must be fractions between 0 and 1, rising"))
        for status in sorted(statuses - set(entry.bracket_tops)):
            problems.append(Problem(table.file, entry.line, f"{path}.bracket_tops", f"no brackets for filing status '{status}'"))
        for status in sorted(statuses - set(entry.standard_deduction)):
            problems.append(Problem(table.file, entry.line, f"{path}.standard_deduction", f"no standard deduction for '{status}'"))
        for status, tops in entry.bracket_tops.items():
            if len(tops) != len(rates) - 1:
                problems.append(Problem(table.file, entry.line, f"{path}.bracket_tops.{status}",
                                        f"{len(tops)} bracket tops for {len(rates)} rates; expected {len(rates) - 1} (the last bracket has no top)"))
            if [Decimal(str(t)) for t in tops] != sorted(Decimal(str(t)) for t in tops) or any(t <= 0 for t in tops):
                problems.append(Problem(table.file, entry.line, f"{path}.bracket_tops.{status}", "bracket tops must be positive and rising"))
    return problems
