"""Load scenario vectors (``rules/vectors/*.yaml``) with line numbers, and check their shape.

Each file holds ``vectors:``, a list of ``{name, why, input, output, tolerance?}`` (the OpenFisca
shape). Problems are located :class:`Problem` values, like the rule tables' own: an unknown key, a
missing ``why``, a name used twice. Reading only: whether an ``input`` is a valid scenario is the
engine's question, asked where vectors are used (``rulebook check`` and ``rulebook vectors`` in
``commands/vector_inputs.py``, the tests, the build's worked examples), each vector keeping the
line of its ``input`` so the answer can be located.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Problem, did_you_mean
from .yamlsrc import LocatedList, LocatedMap, line_of, read_yaml

__all__ = ["Vector", "load_vectors", "plain"]

_KEYS = ("name", "why", "entry", "input", "output", "tolerance")


@dataclass(frozen=True)
class Vector:
    """One worked case: a scenario, the part of the result it must give, and why."""

    name: str
    why: str
    input: dict[str, Any]
    output: dict[str, Any]
    tolerance: float
    file: str
    line: int
    input_line: int
    entry: str = "evaluate"
    """The calculator entry point the vector runs (``evaluate``, ``compare``, …: engine/api.py)."""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "why": self.why, "entry": self.entry, "input": self.input, "output": self.output,
                "tolerance": self.tolerance}


def plain(value: Any) -> Any:
    """Located YAML values as ordinary dicts, lists and strings (JSON-ready)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def load_vectors(folder: Path | str) -> tuple[list[Vector], list[Problem]]:
    """Every vector in ``folder/*.yaml`` in file and list order, and every problem found."""
    root = Path(folder)
    vectors: list[Vector] = []
    problems: list[Problem] = []
    if not root.is_dir():
        return [], []
    seen: dict[str, str] = {}
    for path in sorted(p for p in root.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml")):
        shown = str(root / path.name)
        data, read_problems = read_yaml(path, shown)
        problems.extend(read_problems)
        if data is None:
            continue
        items = data.get("vectors") if isinstance(data, LocatedMap) else None
        if not isinstance(items, LocatedList):
            problems.append(Problem(shown, line_of(data), "", "expected a mapping with 'vectors:', a list of scenario vectors"))
            continue
        for key in data:
            if key != "vectors":
                problems.append(Problem(shown, line_of(data, key), key, "unknown key; a vectors file holds only 'vectors:'"))
        for index, item in enumerate(items):
            vector = _vector(item, shown, line_of(items, index), index, problems)
            if vector is None:
                continue
            if vector.name in seen:
                problems.append(Problem(shown, vector.line, f"vectors[{index}].name",
                                        f"vector name '{vector.name}' is already used ({seen[vector.name]}); names must be unique"))
                continue
            seen[vector.name] = f"{shown}:{vector.line}"
            vectors.append(vector)
    return vectors, problems


def _vector(item: Any, file: str, line: int, index: int, problems: list[Problem]) -> Vector | None:
    where = f"vectors[{index}]"
    if not isinstance(item, LocatedMap):
        problems.append(Problem(file, line, where, "expected a mapping with name, why, input and output"))
        return None
    ok = True
    for key in item:
        if key not in _KEYS:
            problems.append(Problem(file, line_of(item, key), f"{where}.{key}",
                                    f"unknown key{did_you_mean(key, _KEYS)}; expected one of: {', '.join(_KEYS)}"))
            ok = False
    for key in ("name", "why"):
        if not isinstance(item.get(key), str) or not str(item[key]).strip():
            problems.append(Problem(file, line_of(item, key), f"{where}.{key}", f"'{key}' is required: a non-empty text"))
            ok = False
    for key in ("input", "output"):
        if not isinstance(item.get(key), LocatedMap):
            problems.append(Problem(file, line_of(item, key), f"{where}.{key}", f"'{key}' is required: a mapping"))
            ok = False
    tolerance = item.get("tolerance", 0)
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or tolerance < 0:
        problems.append(Problem(file, line_of(item, "tolerance"), f"{where}.tolerance", "expected a number ≥ 0"))
        ok = False
    entry = item.get("entry", "evaluate")
    if not isinstance(entry, str) or not entry.isidentifier():
        problems.append(Problem(file, line_of(item, "entry"), f"{where}.entry", "expected the name of a calculator entry point"))
        ok = False
    if not ok:
        return None
    return Vector(str(item["name"]), " ".join(str(item["why"]).split()), plain(item["input"]), plain(item["output"]),
                  float(tolerance), file, line, line_of(item, "input"), str(entry))

