"""A tiny, safe expression language for conditions and caps written in the rule tables.

Editors write conditions such as ``age < param.penalty_free_age and taxable_kept > 0`` in YAML so
that a new caution or exception needs no Python. The grammar is a strict subset of Python
expressions, parsed with :mod:`ast` (standard library, so it runs in Pyodide too) and compiled once
into closures. Nothing is ever passed to ``eval``: only the node kinds listed below are accepted,
names resolve only against the facts mapping the engine supplies, and numbers are ``Decimal`` so
money stays exact.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

__all__ = ["ExprError", "compile_expr", "dotted_names"]

Evaluator = Callable[[Mapping[str, Any]], Any]

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: bool(a == b),
    ast.NotEq: lambda a, b: bool(a != b),
    ast.Lt: lambda a, b: bool(a < b),
    ast.LtE: lambda a, b: bool(a <= b),
    ast.Gt: lambda a, b: bool(a > b),
    ast.GtE: lambda a, b: bool(a >= b),
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_ARITHMETIC: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_FUNCTIONS: dict[str, Callable[..., Any]] = {"min": min, "max": max}


class ExprError(ValueError):
    """An expression outside the grammar, or a name the facts do not define."""


def dotted_names(source: str) -> list[str]:
    """Every fact an expression reads, as dotted paths (``source.roth``), for load-time checks."""
    tree = _parse(source)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Name, ast.Attribute)):
            path = _dotted(node)
            if path is not None and not _is_part_of_longer_path(node, tree) and path not in _FUNCTIONS:
                found.append(path)
    return found


_CACHE: dict[str, Evaluator] = {}


def compile_expr(source: str) -> Evaluator:
    """Compile once; the returned function evaluates the expression against a facts mapping."""
    cached = _CACHE.get(source)
    if cached is None:
        cached = _compile(_parse(source).body)
        _CACHE[source] = cached
    return cached


def _parse(source: str) -> ast.Expression:
    if not isinstance(source, str) or not source.strip():
        raise ExprError("an expression must be a non-empty string")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"not a valid expression: {exc.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise ExprError(f"'{type(node).__name__}' is not allowed in a rule expression")
        if isinstance(node, ast.Call) and (not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS or node.keywords):
            raise ExprError("only min(...) and max(...) may be called")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str, bool, type(None))):
            raise ExprError(f"constant {node.value!r} is not allowed")
    return tree


_ALLOWED_NODES = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.BinOp,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt,
    ast.GtE, ast.In, ast.NotIn, ast.Name, ast.Attribute, ast.Load, ast.Constant, ast.Call,
    ast.IfExp, ast.List, ast.Tuple,
)


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def _is_part_of_longer_path(node: ast.AST, tree: ast.AST) -> bool:
    return any(isinstance(parent, ast.Attribute) and parent.value is node for parent in ast.walk(tree))


def _getter(path: str) -> Evaluator:
    """A reader for one dotted name: plain item lookups, an ``ExprError`` when a part is missing."""
    parts = tuple(path.split("."))

    def get(facts: Mapping[str, Any]) -> Any:
        value: Any = facts
        try:
            for part in parts:
                value = value[part]
        except (KeyError, TypeError, IndexError):
            raise ExprError(f"unknown name '{path}'") from None
        return value

    if len(parts) == 1:
        key = parts[0]

        def get_one(facts: Mapping[str, Any]) -> Any:
            try:
                return facts[key]
            except KeyError:
                raise ExprError(f"unknown name '{path}'") from None

        return get_one
    return get


def _compile(node: ast.AST) -> Evaluator:  # noqa: C901 - one branch per grammar rule reads best
    if isinstance(node, ast.Constant):
        value: Any = node.value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = Decimal(str(value))
        return lambda facts: value
    if isinstance(node, (ast.Name, ast.Attribute)):
        path = _dotted(node)
        if path is None:
            raise ExprError("attributes may only follow names")
        return _getter(path)
    if isinstance(node, ast.BoolOp):
        parts = [_compile(v) for v in node.values]
        if isinstance(node.op, ast.And):
            return lambda facts: all(p(facts) for p in parts)
        return lambda facts: any(p(facts) for p in parts)
    if isinstance(node, ast.UnaryOp):
        operand = _compile(node.operand)
        if isinstance(node.op, ast.Not):
            return lambda facts: not operand(facts)
        return lambda facts: -operand(facts)
    if isinstance(node, ast.BinOp):
        left, right, op = _compile(node.left), _compile(node.right), _ARITHMETIC[type(node.op)]
        return lambda facts: op(left(facts), right(facts))
    if isinstance(node, ast.Compare):
        first = _compile(node.left)
        rest = [(_COMPARE[type(op)], _compile(c)) for op, c in zip(node.ops, node.comparators, strict=False)]

        def compare(facts: Mapping[str, Any]) -> bool:
            left_value = first(facts)
            for test, right_fn in rest:
                right_value = right_fn(facts)
                if not test(left_value, right_value):
                    return False
                left_value = right_value
            return True

        return compare
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        fn, args = _FUNCTIONS[node.func.id], [_compile(a) for a in node.args]
        return lambda facts: fn(*(a(facts) for a in args))
    if isinstance(node, ast.IfExp):
        test, body, orelse = _compile(node.test), _compile(node.body), _compile(node.orelse)
        return lambda facts: body(facts) if test(facts) else orelse(facts)
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_compile(e) for e in node.elts]
        return lambda facts: tuple(i(facts) for i in items)
    raise ExprError(f"'{type(node).__name__}' is not allowed in a rule expression")
