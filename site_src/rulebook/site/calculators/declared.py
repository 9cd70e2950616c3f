"""The site's calculators, declared once in ``macros/calculators.yaml``.

A calculator is configuration, not code in the generator: which engine entry point answers it,
which templates draw its form and its result, which content page holds it and which example it is
prerendered with. The generator builds every calculator declared here the same way, so adding one
is an entry in this file plus its engine entry point and its templates. ``mkdocs build`` (through
the plugin) and ``rulebook generate`` (for Zensical) both read this file: it is the project's, not
a MkDocs option, because an engine that ignores plugins must still get the same site. It sits in
``macros/`` beside the templates it names (paths are relative to that folder), so ``mkdocs serve``
rebuilds when it changes, as for any template.

Every problem is ``macros/calculators.yaml:line: key.path: message``, like a rule table's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from ...rules.errors import Problem
from ...rules.fields import Ident, doc
from ...rules.validate import Builder
from ...rules.vectors import plain
from ...rules.yamlsrc import LocatedList, LocatedMap, item_path, line_of, read_yaml

__all__ = ["DECLARATION_FILE", "TEMPLATES", "Calculator", "load_calculators"]

DECLARATION_FILE = "macros/calculators.yaml"
TEMPLATES = "macros"


@dataclass(frozen=True, kw_only=True)
class Calculator:
    """One calculator of the site (an item of ``calculators:`` in ``macros/calculators.yaml``)."""

    id: Annotated[str, Ident()] = doc("Stable name; the page calls {{ calculator('<id>') }} with it", "withdrawal")
    page: str = doc("The content page that holds it, relative to content/", "calculator.md")
    entry: str = doc("The engine entry point (rulebook.engine.api.ENTRY_POINTS) that answers the form", "evaluate")
    compare: str = doc("An entry point that lists the options side by side for the same request, optional",
                       "compare", default="")
    form: str = doc("Jinja template of the form, relative to macros/", "calculators/withdrawal/form.html.j2")
    result: str = doc("Jinja template of the result", "calculators/withdrawal/result.html.j2")
    example: str = doc("YAML file with the example request the page is prerendered with",
                       "calculators/withdrawal/example.yaml")
    line: int = field(default=0, compare=False, metadata={"internal": True})
    example_request: dict[str, Any] = field(default_factory=dict, compare=False, metadata={"internal": True})


def load_calculators(project: Path, entry_points: set[str]) -> tuple[dict[str, Calculator], list[Problem]]:
    """Every calculator the project declares (none when it has no ``calculators.yaml``), and every problem."""
    path = project / DECLARATION_FILE
    if not path.is_file():
        return {}, []
    data, problems = read_yaml(path, DECLARATION_FILE)
    if data is None:
        return {}, problems
    if not isinstance(data, LocatedMap) or set(data) != {"calculators"} or not isinstance(data["calculators"], LocatedList):
        expected = "expected 'calculators:' followed by a list of calculators (id, page, entry, form, result, example)"
        return {}, [*problems, Problem(DECLARATION_FILE, line_of(data), "", expected)]
    builder = Builder(DECLARATION_FILE)
    found: dict[str, Calculator] = {}
    seen: dict[str, int] = {}  # id → line of its first declaration, whatever else is wrong with it
    pages: dict[str, str] = {}
    items = data["calculators"]
    for index, item in enumerate(items):
        where = item_path("calculators", index, item)
        calc = builder.build(Calculator, item, where, line_of(items, index))
        if calc is None:
            continue
        problem = _check(project, calc, entry_points, where, seen, pages, builder)
        seen.setdefault(calc.id, line_of(items, index))
        if problem:
            continue
        example, example_problems = read_yaml(project / TEMPLATES / calc.example, f"{TEMPLATES}/{calc.example}")
        problems += example_problems
        if not isinstance(example, LocatedMap):
            builder.problem(line_of(item, "example"), f"{where}.example",
                            f"{TEMPLATES}/{calc.example} must hold a mapping: the example request")
            continue
        found[calc.id] = Calculator(**{**calc.__dict__, "line": line_of(items, index), "example_request": plain(example)})
        pages[calc.page] = calc.id
    return found, [*problems, *builder.problems]


def _check(project: Path, calc: Calculator, entry_points: set[str], where: str, seen: dict[str, int],
           pages: dict[str, str], builder: Builder) -> bool:
    """Record every problem of one declaration; ``True`` when there was one."""
    line = builder.locate(calc)[0]
    bad = False

    def problem(key: str, message: str) -> None:
        nonlocal bad
        builder.problem(builder.locate(calc, key)[0], f"{where}.{key}", message)
        bad = True

    if calc.id in seen:
        builder.problem(line, f"{where}.id", f"calculator '{calc.id}' is declared twice (first at line {seen[calc.id]})")
        bad = True
    known = ", ".join(sorted(entry_points))
    for key in ("entry", "compare"):
        name = getattr(calc, key)
        if name and name not in entry_points:
            problem(key, f"'{name}' is not an engine entry point; expected one of: {known}")
    if not (project / "content" / calc.page).is_file():
        problem("page", f"content/{calc.page} does not exist")
    elif calc.page in pages:
        problem("page", f"content/{calc.page} already holds calculator '{pages[calc.page]}'; one calculator per page")
    for key in ("form", "result", "example"):
        if not (project / TEMPLATES / getattr(calc, key)).is_file():
            problem(key, f"{TEMPLATES}/{getattr(calc, key)} does not exist (paths are relative to {TEMPLATES}/)")
    return bad
