"""The engine is mechanism only: standard library imports, no figure and no rule-table id in its code.

The browser ships ``rulebook/__init__.py``, ``rulebook/ground/`` and ``rulebook/engine/`` alone, so
the engine may import nothing else (the arrows between the package's parts are pinned in
``tests/test_architecture.py``); and the tables are policy, so the engine's code may hold no number
of the law and no id of a table entry. Input ranges (the contract of spec/calculator.md) live in
``scenario.py``; the names by which the engine reads the tables live in ``names.py``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

import rulebook.engine

ENGINE = Path(rulebook.engine.__file__).parent
FILES = sorted([*ENGINE.glob("*.py"), *(ENGINE.parent / "ground").glob("*.py")])
NEUTRAL_NUMBERS = {0, 1, 2, 3, 16, 100}  # 3: a ".00" suffix in wording.py; 16: the prepared-rules cache size
# Rounding (cents, a share to 4 places) and the goal solver's numerics: its probe, closeness, error
# allowance and the number of rounds it may take. None of them is a figure of the law.
NEUTRAL_DECIMALS = {"0", "1", "0.01", "0.005", "0.5", "0.0001", "1e-6", "1e-9", "0.001"}
NUMERIC_METHOD = {"goal.py": {64}}
# Spelled like entry ids but meaning something else: result field names and the schema's tax_character values.
NOT_IDS = {"taxable", "pretax", "roth", "after_tax", "split", "medical_expenses"}  # + request fields named like entries


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def test_engine_imports_only_the_standard_library() -> None:
    for path in FILES:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: inside the engine, or the ground it stands on
                    assert node.level == 1 or (node.level == 2 and (node.module or "").split(".")[0] == "ground"), \
                        f"{path.name} imports outside the engine and ground"
                    continue
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            for root in roots:
                assert root == "__future__" or root in sys.stdlib_module_names, f"{path.name} imports {root}"


def test_no_domain_figures_in_engine_code() -> None:
    for path in FILES:
        if path.name in ("scenario.py", "checker.py", "loan_scenario.py"):
            continue  # the input contracts' ranges and the money bound
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
                allowed = NEUTRAL_NUMBERS | NUMERIC_METHOD.get(path.name, set())
                assert node.value in allowed, f"{path.name}:{node.lineno}: number {node.value} belongs in rules/"
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Decimal" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    assert arg.value in NEUTRAL_DECIMALS, f"{path.name}:{node.lineno}: Decimal({arg.value!r})"


def test_no_table_ids_in_engine_code(rules_json: dict[str, Any]) -> None:
    # The results table names the contract's own result fields (gross, total_tax, …), which the
    # engine must spell; every other table's ids are policy the engine reads by name from names.py.
    ids = {entry["id"] for name, table in rules_json["tables"].items() if name != "results" for entry in table["entries"]}
    for path in FILES:
        if path.name == "names.py":
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value not in NOT_IDS:
                assert node.value not in ids, f"{path.name}:{node.lineno}: '{node.value}' is a rule-table id; read it from the tables"
