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
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

from ..ground.expressions import FACTS, PARAM_PREFIX, ExprError, compile_expr, dotted_names, is_known_name
from .errors import Problem, did_you_mean
from .schema import TABLE_ORDER, TABLES, Destination, Entry, LoanFrequency, Parameter, TableFile, TaxYear
from .validate import Builder
from .yamlsrc import LocatedList, LocatedMap, item_path, line_of, read_yaml

__all__ = ["RuleSet", "Table", "load_rules", "rules_to_json", "table_page"]


@dataclass(frozen=True)
class Table:
    """One loaded table: where it came from, its page text and its entries in file order."""

    name: str
    file: str
    title: str
    intro: str
    entries: tuple[Entry, ...]
    lines: dict[str, dict[str, int]] = field(default_factory=dict, compare=False, repr=False)
    """Entry id → key → the line it is written on (for located messages after loading)."""

    def get(self, entry_id: str) -> Entry:
        return next(e for e in self.entries if e.id == entry_id)

    def line_of(self, entry_id: str, key: str = "") -> int:
        """Line of an entry's key (or of the entry itself) in :attr:`file`."""
        written = self.lines.get(entry_id, {})
        return written.get(key) or self.get(entry_id).line


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

    @property
    def entry_count(self) -> int:
        """Entries in all tables: what `rulebook check` reports and the editor's guide quotes."""
        return sum(len(t.entries) for t in self.tables.values())

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
    """Read every table in ``folder``; the rule set only when there are no problems at all.

    Problems name files as ``folder / name``, the way the caller spelled the folder, so an
    editor can click or paste them.
    """
    root = Path(folder)
    if not root.is_dir():
        return None, [Problem(str(root), 1, "", "rules folder not found; expected a folder of <table>.yaml files")]
    problems: list[Problem] = []
    builders: dict[str, Builder] = {}
    tables: dict[str, Table] = {}
    written: dict[str, list[tuple[str, int, str]]] = {}  # table → (id, line, path) as written, valid or not
    files = sorted(p for p in root.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))
    for path in files:
        shown = str(root / path.name)
        name = path.stem
        if name not in TABLES:
            problems.append(Problem(shown, 1, "", f"unknown table '{name}'{did_you_mean(name, TABLES)}; "
                                                  f"expected one of: {', '.join(TABLE_ORDER)}"))
            continue
        if name in builders:
            first = Path(builders[name].file).name
            problems.append(Problem(shown, 1, "", f"table '{name}' is written twice ({first} and {path.name}); keep one file"))
            continue
        builder = Builder(shown)
        builders[name] = builder
        data, read_problems = read_yaml(path, shown)
        problems.extend(read_problems)
        if data is None:
            continue
        written[name] = _written_ids(data)
        table = _build_table(name, data, builder)
        problems.extend(builder.problems)
        if table is not None and not read_problems:
            tables[name] = table
    for name in TABLE_ORDER:
        if name not in builders:
            problems.append(Problem(str(root / f"{name}.yaml"), 1, "", f"table '{name}' is missing; every table in the schema is required"))
    problems.extend(_cross_check(tables, builders, written))
    if problems:
        return None, sorted(set(problems))
    return RuleSet(str(root), {name: tables[name] for name in TABLE_ORDER}), []


def _written_ids(data: Any) -> list[tuple[str, int, str]]:
    """Every entry id as written, read before the schema is applied.

    Duplicate ids, references and ``param.`` names are checked against these, so they are
    reported in the same run as an entry's other problems rather than after they are fixed.
    """
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, LocatedList):
        return []
    found = []
    for index, item in enumerate(entries):
        if isinstance(item, LocatedMap) and isinstance(item.get("id"), str):
            found.append((str(item["id"]), line_of(item, "id"), f"{item_path('entries', index, item)}.id"))
    return found


def _build_table(name: str, data: Any, builder: Builder) -> Table | None:
    if isinstance(data, dict) and isinstance(data.get("entries"), list) and not data["entries"]:
        line = getattr(data, "key_lines", {}).get("entries", 1)
        builder.problem(line, "entries", "no entries; a table needs at least one")
    table_file = builder.build(TableFile, data, "", 1, overrides={"entries": list[TABLES[name]]})  # type: ignore[valid-type]
    if table_file is None:
        return None
    lines = {entry.id: builder.lines_of(entry) for entry in table_file.entries}
    return Table(name, builder.file, table_file.title, table_file.intro, tuple(table_file.entries), lines)


def _cross_check(tables: dict[str, Table], builders: dict[str, Builder], written: dict[str, list[tuple[str, int, str]]]) -> list[Problem]:
    problems: list[Problem] = []
    ids: dict[str, set[str]] = {}
    for name, entries in written.items():
        seen: dict[str, int] = {}
        for entry_id, line, path in entries:
            if entry_id in seen:
                problems.append(Problem(builders[name].file, line, path,
                                        f"duplicate id '{entry_id}' (first used at line {seen[entry_id]}); ids must be unique in a table"))
            seen.setdefault(entry_id, line)
        ids[name] = set(seen)
    for table in tables.values():
        for entry in table.entries:
            if not entry.sources and not getattr(entry, "editorial", False):
                line, path = builders[table.name].locate(entry, "sources")
                problems.append(Problem(table.file, line, path, "no sources; expected at least one primary source (title and url)"))
    problems.extend(_check_pending(builders, ids))
    problems.extend(_check_tables(tables, builders, ids))
    return problems


def _check_pending(builders: dict[str, Builder], ids: dict[str, set[str]]) -> list[Problem]:
    """References, expressions and placeholders, each checked where it was written."""
    problems: list[Problem] = []
    known_params = ids.get("parameters")
    for builder in builders.values():
        for target, value, where in builder.pending.refs:
            if target in ids and value not in ids[target]:
                problems.append(dataclasses.replace(where, message=f"'{value}' is not an id in {target}{did_you_mean(value, ids[target])}"))
        for source, where in builder.pending.exprs:
            try:
                names = dotted_names(source)
                compile_expr(source)
            except ExprError as exc:
                problems.append(dataclasses.replace(where, message=f"{exc} (in '{source.strip()}')"))
                continue
            problems.extend(_check_names(names, known_params, where, f"in '{source.strip()}'"))
        for name, where in builder.pending.templates:
            problems.extend(_check_names([name], known_params, where, "in a {placeholder}"))
    return problems


def _check_tables(tables: dict[str, Table], builders: dict[str, Builder], ids: dict[str, set[str]]) -> list[Problem]:
    problems: list[Problem] = []
    if "parameters" in tables:
        years = {e.year for e in tables["tax_years"].entries} if "tax_years" in tables else None  # type: ignore[attr-defined]
        problems.extend(_check_parameters(tables["parameters"], builders["parameters"], years))
    if "tax_years" in tables and "filing_statuses" in tables:
        problems.extend(_check_tax_years(tables["tax_years"], builders["tax_years"], ids["filing_statuses"]))
    if "destinations" in tables:
        table = tables["destinations"]
        for missing in sorted(set(get_args(Destination)) - ids["destinations"]):
            problems.append(Problem(table.file, 1, "entries", f"destination '{missing}' has no entry; the calculator offers "
                                    "every destination the engine knows, so each needs a label and sources"))
    if "form_1099r_codes" in tables:
        table, builder = tables["form_1099r_codes"], builders["form_1099r_codes"]
        codes = {e.code for e in table.entries}  # type: ignore[attr-defined]
        for entry in table.entries:
            for index, other in enumerate(entry.pairs_with):  # type: ignore[attr-defined]
                if other not in codes:
                    line, path = builder.locate(entry, "pairs_with")
                    problems.append(Problem(table.file, line, f"{path}[{index}]", f"code '{other}' is not in the table"))
    if "loan_frequencies" in tables:
        problems.extend(_check_loan_frequencies(tables["loan_frequencies"], builders["loan_frequencies"]))
    return problems


def _check_loan_frequencies(table: Table, builder: Builder) -> list[Problem]:
    """Each frequency steps by months or by days (exactly one, more than 0); exactly one is the default."""
    problems = []
    for entry in table.entries:
        assert isinstance(entry, LoanFrequency)
        steps = [s for s in (entry.every_months, entry.every_days) if s is not None]
        if len(steps) != 1 or steps[0] <= 0 or entry.per_year <= 0:
            line, path = builder.locate(entry)
            problems.append(Problem(table.file, line, path, "give per_year > 0 and exactly one of every_months or every_days (> 0)"))
    defaults = [e for e in table.entries if getattr(e, "default", False)]
    if len(defaults) != 1:
        problems.append(Problem(table.file, 1, "entries", f"{len(defaults)} entries are marked default: true; "
                                                         "exactly one frequency must be the calculator's default"))
    return problems


def _check_names(names: list[str], params: set[str] | None, where: Problem, context: str) -> list[Problem]:
    problems = []
    for name in names:
        if is_known_name(name, params):
            continue
        if name.startswith(PARAM_PREFIX):
            key = name[len(PARAM_PREFIX):]
            problems.append(dataclasses.replace(
                where, message=f"'{name}' names no parameter{did_you_mean(key, params or ())} {context}"))
        else:
            problems.append(dataclasses.replace(
                where, message=f"unknown name '{name}'{did_you_mean(name, FACTS)} {context}; expected a fact or param.<id>"))
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
        return f"{value} is not a whole number of {unit} (≥ 0)"
    return None


def _check_parameters(table: Table, builder: Builder, years: set[int] | None) -> list[Problem]:
    problems = []
    for entry in table.entries:
        assert isinstance(entry, Parameter)
        if (entry.value is None) == (entry.values is None):
            line, path = builder.locate(entry, "values" if entry.values is not None else "unit")
            problems.append(Problem(table.file, line, builder.locate(entry)[1],
                                    "give exactly one of 'value' (fixed) or 'values' (by tax year)"))
            continue
        if entry.value is not None:
            message = _unit_problem(entry.unit, entry.value)
            if message:
                line, path = builder.locate(entry, "value")
                problems.append(Problem(table.file, line, path, f"unit '{entry.unit}': {message}"))
            continue
        values = entry.values or {}
        for year, value in values.items():
            line, path = builder.locate(entry, "values", year)
            message = _unit_problem(entry.unit, value)
            if message:
                problems.append(Problem(table.file, line, path, f"unit '{entry.unit}': {message}"))
            if years is not None and year not in years:
                listed = ", ".join(str(y) for y in sorted(years))
                problems.append(Problem(table.file, line, path,
                                        f"{year} is not a year in tax_years ({listed}); add the year there first, or remove this value"))
        for year in sorted((years or set()) - set(values)):
            line, path = builder.locate(entry, "values")
            problems.append(Problem(table.file, line, path, f"no value for tax year {year}; every year in tax_years needs one"))
    return problems


def _check_tax_years(table: Table, builder: Builder, statuses: set[str]) -> list[Problem]:
    problems = []
    seen: dict[int, int] = {}
    for entry in table.entries:
        assert isinstance(entry, TaxYear)

        def add(keys: tuple[str, ...], message: str, entry: TaxYear = entry) -> None:
            line, path = builder.locate(entry, *keys)
            problems.append(Problem(table.file, line, path, message))

        if entry.year in seen:
            add(("year",), f"tax year {entry.year} appears twice (first at line {seen[entry.year]})")
        seen.setdefault(entry.year, builder.locate(entry, "year")[0])
        if not 1900 <= entry.year <= 2200:
            add(("year",), f"{entry.year} is not a tax year")
        rates = [Decimal(str(r)) for r in entry.rates]
        if any(not 0 < r < 1 for r in rates) or rates != sorted(rates):
            add(("rates",), "rates must be fractions between 0 and 1 (22% is 0.22), rising")
        for status in sorted(statuses - set(entry.bracket_tops)):
            add(("bracket_tops",), f"no brackets for filing status '{status}'")
        for status in sorted(statuses - set(entry.standard_deduction)):
            add(("standard_deduction",), f"no standard deduction for '{status}'")
        for status, tops in entry.bracket_tops.items():
            if len(tops) != len(rates) - 1:
                add(("bracket_tops", status),
                    f"{len(tops)} bracket tops for {len(rates)} rates; expected {len(rates) - 1} (the last bracket has no top)")
            numbers = [Decimal(str(t)) for t in tops]
            if numbers != sorted(numbers) or any(t <= 0 for t in numbers):
                add(("bracket_tops", status), "bracket tops must be positive and rising")
        for status, amount in entry.standard_deduction.items():
            if Decimal(str(amount)) < 0:
                add(("standard_deduction", status), f"{amount} is not a dollar amount ≥ 0")
    return problems
