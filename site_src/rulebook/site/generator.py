"""Render ``content/`` + ``macros/`` + the rule tables into a complete, plain docs tree.

No MkDocs import on purpose: the output is an ordinary Markdown tree (pages, ``rules.json``, the
engine files, front-end assets) that MkDocs, Zensical or any MkDocs-compatible engine can build,
and that ``rulebook generate DIR`` writes for them. Everything is rendered in memory and validated
first; only a complete tree is swapped into place, so a broken edit never leaves a half-written
folder behind and the last good tree stays usable.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from ..engine.api import ENTRY_POINTS
from ..ground.wording import format_value
from ..rules import RuleSet, load_rules
from ..rules.loader import table_page
from ..rules.schema import TABLE_ORDER
from ..rules.vectors import load_vectors
from .calculators.declared import DECLARATION_FILE, Calculator
from .offline import site_extras
from .pyodide_runtime import with_boot_meta
from .reference import table_context
from .render import Renderer

__all__ = ["ASSETS_DIR", "THEME_DIR", "BuildError", "Generated", "generate"]

PACKAGE_DIR = Path(__file__).resolve().parent
ASSETS_DIR = PACKAGE_DIR / "assets"
THEME_DIR = PACKAGE_DIR / "theme"
ASSETS_TARGET = "assets/rulebook"

# Other parts of the package register extra outputs here (the calculator's runtime files, say):
# each is called with the rule set and returns {relative path: text or bytes}.
Contributor = Callable[[RuleSet, Path], dict[str, str | bytes]]
CONTRIBUTORS: list[Contributor] = []


def _calculator_outputs(rules: RuleSet, project: Path) -> dict[str, str | bytes]:
    from .calculators import outputs  # imported late: the calculators import BuildError from here

    return outputs(rules, project)


CONTRIBUTORS.append(_calculator_outputs)


class BuildError(Exception):
    """The docs tree could not be generated; ``lines`` are ``file:line: message`` for the editor."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Generated:
    out_dir: Path
    rules: RuleSet
    pages: tuple[str, ...]


def generate(project: Path, out_dir: Path, live: bool = False) -> Generated:
    """Write the docs tree for ``project`` into ``out_dir``; raise :class:`BuildError` on any problem.

    ``live`` is for ``mkdocs serve``: no precompressed copies and no caching service worker (:mod:`.offline`).
    """
    project = Path(project).resolve()
    rules, problems = load_rules(project / "rules")
    vectors_dir = project / "rules" / "vectors"
    vectors, vector_problems = load_vectors(vectors_dir) if vectors_dir.is_dir() else ([], [])
    from .calculators import load_calculators

    calculators, calculator_problems = load_calculators(project, set(ENTRY_POINTS))
    if problems or vector_problems or calculator_problems or rules is None:
        raise BuildError([_relative(str(p), project) for p in sorted([*problems, *vector_problems, *calculator_problems])])
    files = _render_all(project, rules, [v.as_dict() for v in vectors], calculators)
    for contribute in CONTRIBUTORS:
        files.update(contribute(rules, project))
    files.update(site_extras(files, project, live))
    _write_tree(Path(out_dir), files)
    return Generated(Path(out_dir), rules, tuple(sorted(p for p in files if p.endswith(".md"))))


def _relative(line: str, project: Path) -> str:
    prefix = f"{project}{os.sep}"
    return line[len(prefix):] if line.startswith(prefix) else line


def _render_all(project: Path, rules: RuleSet, vectors: list[dict[str, Any]],
                calculators: dict[str, Calculator]) -> dict[str, str | bytes]:
    render = Renderer(rules)
    placed: dict[str, str] = {}
    env = _environment(project, rules, render, vectors, calculators, placed)
    abbreviations = _abbreviations(rules, render)
    files: dict[str, str | bytes] = {}
    titles: dict[str, str] = {}
    content = project / "content"
    for path in sorted(content.rglob("*.md")):
        name = path.relative_to(content).as_posix()
        depth = name.count("/")
        text = _render(env, name, {"page_base": "../" * depth, "page_name": name}, project)
        files[name] = with_boot_meta(text) + abbreviations
        titles[name] = _title(text) or name
    unplaced = [c for c in calculators.values() if c.id not in placed]
    if unplaced:
        raise BuildError([f"{DECLARATION_FILE}:{c.line}: calculator '{c.id}' is declared for content/{c.page}, "
                          f"but that page never writes {{{{ calculator(\"{c.id}\") }}}}" for c in unplaced])
    for table in TABLE_ORDER:
        page = table_page(table).rstrip("/") + ".md"
        context = {"page_base": "../", **table_context(rules, render, table, titles)}
        files[page] = _render(env, "reference.md.j2", context, project) + abbreviations
    files["reference/index.md"] = _render(env, "reference-index.md.j2", {"page_base": "../"}, project) + abbreviations
    files["sources.md"] = _render(env, "sources.md.j2", {"page_base": ""}, project) + abbreviations
    files["rules.json"] = json.dumps({"version": rules.version, **rules.to_json()}, sort_keys=True, separators=(",", ":"))
    for asset in sorted(ASSETS_DIR.rglob("*")):
        if asset.is_file():
            files[f"{ASSETS_TARGET}/{asset.relative_to(ASSETS_DIR).as_posix()}"] = asset.read_bytes()
    return files


def _title(markdown: str) -> str:
    """A page's first level-one heading, as links to the page name it (the nav may shorten it)."""
    match = re.search(r"^# (.+?)\s*(\{[^}]*\})?\s*$", markdown, flags=re.MULTILINE)
    return match.group(1).strip() if match else ""


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept across generations in one process (``mkdocs serve`` rebuilds).

    Jinja checks each entry against its source's checksum, so an edited template is recompiled;
    an unchanged one skips compilation (about 0.2 s of every rebuild).
    """

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if len(self._store) > 4096:  # a bound on memory, not a figure of the rules
            self._store.clear()
        self._store[bucket.key] = bucket.bytecode_to_string()


_BYTECODE = _MemoryBytecodeCache()


def _environment(project: Path, rules: RuleSet, render: Renderer, vectors: list[dict[str, Any]],
                 calculators: dict[str, Calculator], placed: dict[str, str]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(project / "content"), str(project / "macros")]),
        bytecode_cache=_BYTECODE,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False,
        trim_blocks=True, lstrip_blocks=True,
    )

    @jinja2.pass_context
    def link(ctx: Any, table: str, entry_id: str, label: str | None = None) -> str:
        return render.link(table, entry_id, label, base=ctx.get("page_base", ""))

    prepared: list[Any] = []  # the engine's view of the rules, made once per generation on first use

    def example(name: str) -> dict[str, Any]:
        from ..engine import prepare, worked_example

        if not prepared:
            prepared.append(prepare(rules.to_json()))
        return worked_example(prepared[0], vectors, name)

    @jinja2.pass_context
    def calculator(ctx: Any, calculator_id: str) -> str:
        """A declared calculator (calculators.yaml), drawn where the page writes {{ calculator("id") }}."""
        from .calculators import calculator_block

        if calculator_id not in calculators:
            known = ", ".join(sorted(calculators)) or f"none: the project has no {DECLARATION_FILE}"
            raise BuildError([f"content/{ctx.get('page_name', '?')}: no calculator '{calculator_id}' is declared "
                              f"in {DECLARATION_FILE} (declared: {known})"])
        placed[calculator_id] = str(ctx.get("page_name", ""))
        return calculator_block(rules, project, calculators[calculator_id], str(ctx.get("page_name", "")))

    def schema_reference(part: str = "all") -> str:
        from .guide import schema_reference as reference

        return reference(part)

    env.globals.update(
        rules=rules, tables=rules.tables, param=render.param, param_value=render.param_value, text=render.text,
        link=link, example=example, version=rules.version, year=render.year, years=rules.years,
        schema_reference=schema_reference, table_order=TABLE_ORDER, table_page=table_page, calculator=calculator,
        **_page_globals(),
    )
    env.filters.update(
        usd=lambda v: format_value(v, "usd"), rate=lambda v: format_value(v, "rate"), age=lambda v: format_value(v, "age"),
        text=render.text,
    )
    return env


def _page_globals() -> dict[str, Callable[..., str]]:
    """Functions other layers contribute to pages, declared as ``rulebook.page_globals`` entry points.

    The site may not import the command layer (``tests/test_architecture.py``), yet the *Command
    line* page renders the ``rulebook`` parser: ``pyproject.toml`` names ``rulebook.cli:command_reference``
    in that group, and it is imported only when a page calls it.
    """
    from importlib.metadata import entry_points

    def deferred(point: Any) -> Callable[..., str]:
        return lambda *args, **kwargs: str(point.load()(*args, **kwargs))

    return {point.name: deferred(point) for point in entry_points(group="rulebook.page_globals")}


def _render(env: jinja2.Environment, name: str, context: dict[str, Any], project: Path) -> str:
    """Render one template; any Jinja problem becomes ``file:line: message`` naming the real template."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = _relative(exc.filename or name, project)
        raise BuildError([f"{where}:{exc.lineno}: template syntax error: {exc.message}"]) from None
    except jinja2.TemplateNotFound as exc:
        raise BuildError([f"{_template_location(exc, name, project)}: template not found: {exc.name}"]) from None
    except jinja2.UndefinedError as exc:
        raise BuildError([f"{_template_location(exc, name, project)}: undefined name: {exc.message}"]) from None
    except BuildError:
        raise
    except Exception as exc:  # a macro called wrongly, a bad id passed to link(): located, never a traceback
        raise BuildError([f"{_template_location(exc, name, project)}: {type(exc).__name__}: {exc}"]) from None


def _template_location(exc: BaseException, fallback: str, project: Path) -> str:
    """The innermost template frame of the traceback (Jinja maps its lines back to the source)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith((".md", ".j2", ".html")) and Path(f.filename).exists()]
    if frames:
        frame = frames[-1]
        return f"{_relative(frame.filename, project)}:{frame.lineno}"
    return f"{fallback}:1"


def _abbreviations(rules: RuleSet, render: Renderer) -> str:
    """Glossary terms as Markdown abbreviations, appended to every page so tooltips work site-wide."""
    lines = ["", ""]
    for term in rules["glossary"].entries:
        shown = getattr(term, "abbreviation", "") or term.label
        definition = " ".join(render.text(term.summary).split())
        lines.append(f"*[{shown}]: {definition}")
    # One definition per block: Python-Markdown re-scans the rest of a block after each definition
    # it takes, so a single block of n definitions costs n² (0.25 s a page at 290 terms).
    return "\n\n".join(lines) + "\n"


def _write_tree(out_dir: Path, files: dict[str, str | bytes]) -> None:
    """Write every file into a fresh sibling folder, then swap it in place of ``out_dir``."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.parent / f".{out_dir.name}.new-{os.getpid()}"
    retired = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                target.write_bytes(data)
            else:
                target.write_text(data, encoding="utf-8")
        if out_dir.exists():
            os.replace(out_dir, retired)
        try:
            os.replace(staging, out_dir)
        except OSError:
            if retired.exists():  # put the last good tree back before reporting the failure
                os.replace(retired, out_dir)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(retired, ignore_errors=True)
