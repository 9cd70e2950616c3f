"""The arrows between the package's parts point one way, and this test keeps them so.

``site_src/rulebook`` has rooms: ``ground`` (the tables' expression language and the wording both
pages and results use), ``engine`` (pure evaluation, shipped to the browser), ``rules`` (the
loader: read and validate), ``site`` (the generator and the thin MkDocs edge), ``commands`` and
``cli`` (the ``rulebook`` command). Each may import only the rooms listed for it in ``ALLOWED``;
in particular the engine never imports the loader or the site, and the loader never imports the
engine or the site (README, "How it fits together"). Every import is found, including those
inside functions, absolute or relative.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "site_src" / "rulebook"

ALLOWED: dict[str, set[str]] = {
    "root": set(),                      # rulebook/__init__.py: only __version__
    "ground": set(),                    # standard library only
    "engine": {"ground"},               # + the standard library; runs alone in Pyodide
    "rules": {"ground", "root"},        # read and validate; never computes
    "site": {"rules", "engine", "ground", "root"},
    "commands": {"rules", "engine", "ground", "site", "root"},
    "cli": {"commands", "rules", "root"},
}


def part_of(path: Path, package: Path) -> str:
    """The room a module belongs to: its first folder under the package, or cli/root for top files."""
    relative = path.relative_to(package)
    if len(relative.parts) > 1:
        return relative.parts[0]
    return "root" if relative.name == "__init__.py" else "cli"


def _target(node: ast.ImportFrom | ast.Import, path: Path, package: Path) -> list[str]:
    """The rooms an import statement reaches into (empty for the standard library and third parties)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
        return [_room(name.split(".")[1:]) for name in names if name.split(".")[0] == "rulebook"]
    if node.level == 0:
        parts = (node.module or "").split(".")
        if parts[0] != "rulebook":
            return []
        return [_room(parts[1:] or [a.name for a in node.names][:1])]
    base = path.parent.relative_to(package).parts
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    if node.level - 1 > len(path.parent.relative_to(package).parts):
        return ["outside"]
    inner = [*base, *((node.module or "").split(".") if node.module else [])]
    if not inner:  # `from .. import x` at the top: x names a room or a top-level attribute
        return [_room([a.name]) for a in node.names]
    return [_room(inner)]


def _room(parts: list[str]) -> str:
    if not parts or parts[0] in ("__version__", "__init__"):
        return "root"
    if parts[0] in ("cli", "__main__"):
        return "cli"
    return parts[0]


def forbidden_imports(package: Path) -> list[str]:
    """``file:line: room → room`` for every import that crosses an arrow ALLOWED does not draw."""
    found = []
    for path in sorted(package.rglob("*.py")):
        here = part_of(path, package)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for there in _target(node, path, package):
                if there != here and there not in ALLOWED.get(here, set()):
                    found.append(f"{path.relative_to(package)}:{node.lineno}: {here} → {there}")
    return found


def test_every_room_is_known() -> None:
    rooms = {part_of(p, PACKAGE) for p in PACKAGE.rglob("*.py")}
    assert rooms <= set(ALLOWED), f"a new room needs its arrows declared in ALLOWED: {rooms - set(ALLOWED)}"


def test_the_arrows_point_one_way() -> None:
    assert forbidden_imports(PACKAGE) == []


@pytest.mark.parametrize(("module", "statement", "arrow"), [
    ("engine/evaluate.py", "from ..rules import load_rules", "engine → rules"),
    ("engine/evaluate.py", "from ..site.render import Renderer", "engine → site"),
    ("engine/tax.py", "import rulebook.rules.loader", "engine → rules"),
    ("rules/loader.py", "from ..engine import evaluate", "rules → engine"),
    ("rules/vectors.py", "from rulebook.engine.evaluate import evaluate", "rules → engine"),
    ("rules/loader.py", "from ..site import generator", "rules → site"),
    ("ground/wording.py", "from ..engine import names", "ground → engine"),
    ("ground/expressions.py", "from .. import rules", "ground → rules"),
])
def test_a_planted_arrow_is_found(tmp_path: Path, module: str, statement: str, arrow: str) -> None:
    copy = tmp_path / "rulebook"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.json", "*.js", "*.css", "*.html", "*.mjs"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n\ndef _planted() -> None:\n    {statement}\n", encoding="utf-8")
    found = forbidden_imports(copy)
    assert len(found) == 1 and found[0].startswith(f"{module}:") and found[0].endswith(arrow), found
