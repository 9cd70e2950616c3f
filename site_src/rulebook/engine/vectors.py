"""Run scenario vectors and say, field by field, where a result disagrees with what was expected.

A vector is ``{name, why, input, output, tolerance?}`` (the OpenFisca shape); ``output`` is a
subset of the result: mappings are compared key by key, lists exactly, numbers within the
tolerance (0 unless given). The same functions run in CPython (pytest, ``rulebook vectors``,
worked examples on pages) and in Pyodide (the browser tests), so both check one set of cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from .api import ENTRY_POINTS
from .prepared import Prepared

__all__ = ["disagreements", "run_one", "run_vectors", "worked_example"]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def disagreements(expected: Any, actual: Any, tolerance: Any = 0, path: str = "") -> list[str]:
    """Every disagreement between ``expected`` (a subset) and ``actual``, as ``path: expected X, got Y``."""
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return [f"{path or '(result)'}: expected an object, got {actual!r}"]
        found: list[str] = []
        for key, value in expected.items():
            here = f"{path}.{key}" if path else str(key)
            if key not in actual:
                found.append(f"{here}: expected {value!r}, missing from the result")
            else:
                found.extend(disagreements(value, actual[key], tolerance, here))
        return found
    if _is_number(expected) and _is_number(actual):
        try:
            gap = abs(Decimal(str(expected)) - Decimal(str(actual)))
            allowed = Decimal(str(tolerance or 0))
        except InvalidOperation:
            return [f"{path}: expected {expected!r}, got {actual!r}"]
        return [] if gap <= allowed else [f"{path}: expected {expected!r}, got {actual!r}"]
    if isinstance(expected, (list, tuple)) and isinstance(actual, (list, tuple)):
        if len(expected) == len(actual) and not any(disagreements(e, a, tolerance, path) for e, a in zip(expected, actual, strict=False)):
            return []
        return [f"{path}: expected {list(expected)!r}, got {list(actual)!r}"]
    if expected == actual and type(expected) is type(actual):
        return []
    return [f"{path}: expected {expected!r}, got {actual!r}"]


def run_one(vector: Mapping[str, Any], rules: Mapping[str, Any] | Prepared) -> dict[str, Any]:
    """The vector's entry point (``evaluate`` unless it names another) run on its input."""
    entry = str(vector.get("entry") or "evaluate")
    function = ENTRY_POINTS.get(entry)
    if function is None:
        return {"errors": [{"field": "entry", "message": f"no calculator entry point '{entry}'"}]}
    return function(vector.get("input"), rules)


def run_vectors(rules: Mapping[str, Any] | Prepared, vectors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One report per vector: ``{name, ok, disagreements}`` in the vectors' order."""
    reports = []
    for vector in vectors:
        result = run_one(vector, rules)
        found = disagreements(vector.get("output", {}), result, vector.get("tolerance", 0))
        reports.append({"name": vector.get("name", ""), "ok": not found, "disagreements": found})
    return reports


def worked_example(rules: Mapping[str, Any] | Prepared, vectors: Iterable[Mapping[str, Any]], name: str) -> dict[str, Any]:
    """The named vector's scenario and the engine's result, for a page's worked example.

    Raises ``KeyError`` when no vector has that name and ``ValueError`` when the engine's result
    disagrees with the vector, so a page can never show figures the tests have not checked.
    """
    for vector in vectors:
        if vector.get("name") == name:
            result = run_one(vector, rules)
            found = disagreements(vector.get("output", {}), result, vector.get("tolerance", 0))
            if found:
                raise ValueError(f"vector '{name}' disagrees with the engine: " + "; ".join(found))
            return {"name": name, "why": vector.get("why", ""), "scenario": vector.get("input"), "result": result}
    raise KeyError(f"no vector named '{name}'")
