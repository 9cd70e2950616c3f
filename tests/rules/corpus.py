"""The malformed-table corpus: each case is a folder of table files laid over a small valid rule set.

``tests/rules/minimal/`` holds a complete, valid set of tables with one or two entries each (owned by
these tests, so edits to the real ``rules/`` never move a line number here). A case folder in
``tests/rules/malformed/<case>/`` holds the table files that replace or join the minimal ones, a
``why.txt`` saying what is wrong, an optional ``remove.txt`` naming tables to delete, and
``expected.txt``: every problem ``rulebook check`` must report, exactly, one per line, with file
names relative to the rules folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
MINIMAL = HERE / "minimal"
MALFORMED = HERE / "malformed"
META = {"why.txt", "expected.txt", "remove.txt"}


def case_names() -> list[str]:
    return sorted(p.name for p in MALFORMED.iterdir() if p.is_dir())


def materialize(case: str, target: Path) -> Path:
    """Write the case's rules folder at ``target`` and return it."""
    shutil.copytree(MINIMAL, target)
    folder = MALFORMED / case
    for path in folder.iterdir():
        if path.name not in META:
            (target / path.name).write_bytes(path.read_bytes())
    remove = folder / "remove.txt"
    if remove.exists():
        for name in remove.read_text().split():
            (target / name).unlink()
    return target


def expected(case: str) -> list[str]:
    return [line for line in (MALFORMED / case / "expected.txt").read_text(encoding="utf-8").splitlines() if line]


def relative(lines: list[str], root: Path) -> list[str]:
    """Problem lines with the temporary rules folder prefix taken off."""
    prefix = f"{root}/"
    return [line.removeprefix(prefix) for line in lines]
