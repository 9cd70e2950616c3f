"""Build typed dataclasses from located YAML values, collecting every problem on the way.

The schema's type hints are the only description of what is valid: this module walks them
(``str``, ``int``, numbers, ``bool``, ``Literal``, ``X | None``, ``list[X]``, ``dict[K, V]``, nested
dataclasses and ``Annotated`` markers) and never stops at the first error, so one run of
``rulebook check`` lists everything an editor has to fix. Cross-table checks (references,
expressions) happen later in the loader; this module records what they need in ``Pending``.
"""

from __future__ import annotations

import dataclasses
import re
import types
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from .errors import Problem, did_you_mean
from .fields import Expr, Ident, IsoDate, Ref, Template, Url
from .yamlsrc import LocatedList, LocatedMap, line_of

__all__ = ["Builder", "Pending", "describe_type"]

_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
_URL = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[^\s]*)?$")
_NUMBER_TYPES = {int, float, Decimal}


@dataclass
class Pending:
    """Checks that need every table loaded first: each with its location."""

    refs: list[tuple[str, str, Problem]] = field(default_factory=list)  # (table, id, where)
    exprs: list[tuple[str, Problem]] = field(default_factory=list)
    templates: list[tuple[str, Problem]] = field(default_factory=list)


class Builder:
    """Turns one file's located values into dataclass instances, recording problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.pending = Pending()

    def problem(self, line: int, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, path, message))

    def build(self, cls: type[Any], value: Any, path: str, line: int, overrides: dict[str, Any] | None = None) -> Any:
        """An instance of dataclass ``cls`` or ``None`` when the mapping has problems.

        ``overrides`` replaces field types, so one ``TableFile`` schema serves every table.
        """
        if not isinstance(value, LocatedMap):
            self.problem(line, path, f"expected a mapping of {_fields_hint(cls)}, got {_kind(value)}")
            return None
        hints = {**get_type_hints(cls, include_extras=True), **(overrides or {})}
        fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
        ok = True
        kwargs: dict[str, Any] = {}
        for key in value:
            if key not in fields:
                self.problem(line_of(value, key), _join(path, key),
                             f"unknown key '{key}'{did_you_mean(key, fields)}; expected one of: {', '.join(fields)}")
                ok = False
        for name, spec in fields.items():
            here = _join(path, name)
            if name not in value:
                if spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
                    self.problem(value.line, here, f"missing required key '{name}' ({describe_type(hints[name])})")
                    ok = False
                continue
            converted, good = self.convert(hints[name], value[name], here, line_of(value, name))
            ok = ok and good
            kwargs[name] = converted
        if not ok:
            return None
        if "line" in {f.name for f in dataclasses.fields(cls)}:
            kwargs["line"] = value.line
        return cls(**kwargs)

    def convert(self, hint: Any, value: Any, path: str, line: int) -> tuple[Any, bool]:  # noqa: C901
        """Check ``value`` against ``hint``; returns the converted value and whether it was valid."""
        markers: tuple[Any, ...] = ()
        if get_origin(hint) is not None and hasattr(hint, "__metadata__"):
            markers, hint = hint.__metadata__, get_args(hint)[0]
        origin, args = get_origin(hint), get_args(hint)
        if origin in (Union, types.UnionType):
            if value is None and type(None) in args:
                return None, True
            inner = [a for a in args if a is not type(None)]
            if len(inner) == 1 or all(a in _NUMBER_TYPES for a in inner):
                return self.convert(inner[0] if len(inner) == 1 else float, value, path, line)
        if origin is Literal:
            if value in args and isinstance(value, str):
                return value, True
            choices = ", ".join(str(a) for a in args)
            suggestion = did_you_mean(str(value), [str(a) for a in args])
            self.problem(line, path, f"'{value}' is not allowed{suggestion}; expected one of: {choices}")
            return None, False
        if origin is list:
            if not isinstance(value, LocatedList):
                self.problem(line, path, f"expected a list of {describe_type(args[0])}, got {_kind(value)}")
                return None, False
            out, ok = [], True
            for index, item in enumerate(value):
                converted, good = self.convert(args[0], item, f"{path}[{index}]", line_of(value, index))
                out.append(converted)
                ok = ok and good
            return out, ok
        if origin is dict:
            if not isinstance(value, LocatedMap):
                self.problem(line, path, f"expected a mapping, got {_kind(value)}")
                return None, False
            result: dict[Any, Any] = {}
            ok = True
            for key, item in value.items():
                key_value, good_key = self.convert(args[0], _key(args[0], key), f"{path}.{key}", line_of(value, key))
                converted, good = self.convert(args[1], item, f"{path}.{key}", line_of(value, key))
                result[key_value] = converted
                ok = ok and good and good_key
            return result, ok
        if dataclasses.is_dataclass(hint):
            built = self.build(hint, value, path, line)  # type: ignore[arg-type]
            return built, built is not None
        return self.scalar(hint, markers, value, path, line)

    def scalar(self, hint: Any, markers: tuple[Any, ...], value: Any, path: str, line: int) -> tuple[Any, bool]:
        if hint is bool:
            if isinstance(value, bool):
                return value, True
            self.problem(line, path, f"expected true or false, got {_kind(value)}")
            return None, False
        if hint is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value, True
            self.problem(line, path, f"expected a whole number, got {_kind(value)}")
            return None, False
        if hint in _NUMBER_TYPES:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if value != value or value in (float("inf"), float("-inf")):
                    self.problem(line, path, "expected a finite number")
                    return None, False
                return value, True
            self.problem(line, path, f"expected a number, got {_kind(value)}")
            return None, False
        if hint is str:
            if not isinstance(value, str):
                self.problem(line, path, f"expected text, got {_kind(value)}")
                return None, False
            return self.text(markers, value, path, line)
        raise TypeError(f"schema type {hint!r} is not supported")  # a schema bug, not an editor's

    def text(self, markers: tuple[Any, ...], value: str, path: str, line: int) -> tuple[Any, bool]:
        where = Problem(self.file, line, path, "")
        for marker in markers:
            if isinstance(marker, Ident) and not _IDENT.match(value):
                self.problem(line, path, f"'{value}' is not a valid id; expected lower_snake_case letters, digits and _")
                return None, False
            if isinstance(marker, Url) and not _URL.match(value.strip()):
                self.problem(line, path, f"'{value}' is not a single https URL")
                return None, False
            if isinstance(marker, IsoDate):
                try:
                    date.fromisoformat(value)
                except ValueError:
                    self.problem(line, path, f"'{value}' is not a date; expected YYYY-MM-DD")
                    return None, False
            if isinstance(marker, Ref):
                self.pending.refs.append((marker.table, value, where))
            if isinstance(marker, Expr):
                self.pending.exprs.append((value, where))
            if isinstance(marker, Template):
                self.pending.templates.append((value, where))
        return value, True


def _key(hint: Any, key: str) -> Any:
    """YAML keys arrive as strings; an ``int``-keyed mapping (tax years) wants numbers."""
    inner = get_args(hint)[0] if hasattr(hint, "__metadata__") else hint
    if inner is int and key.lstrip("-").isdigit():
        return int(key)
    return key


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value[:40]}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _fields_hint(cls: type[Any]) -> str:
    names = [f.name for f in dataclasses.fields(cls) if not f.metadata.get("internal")]
    return ", ".join(names[:6]) + (", …" if len(names) > 6 else "")


def describe_type(hint: Any) -> str:
    """A reader's name for a schema type, used in errors and in the editor's guide."""
    markers: tuple[Any, ...] = ()
    if hasattr(hint, "__metadata__"):
        markers, hint = hint.__metadata__, get_args(hint)[0]
    for marker in markers:
        if isinstance(marker, Ref):
            return f"id from {marker.table}"
        if isinstance(marker, Expr):
            return "expression"
        if isinstance(marker, Template):
            return "text (Markdown, {placeholders})"
        if isinstance(marker, IsoDate):
            return "date YYYY-MM-DD"
        if isinstance(marker, Url):
            return "https URL"
        if isinstance(marker, Ident):
            return "id (lower_snake_case)"
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if all(a in _NUMBER_TYPES for a in inner):
            return "number" + (" or null" if type(None) in args else "")
        return " or ".join(describe_type(a) for a in inner) + (" or null" if type(None) in args else "")
    if origin is Literal:
        return "one of " + ", ".join(str(a) for a in args)
    if origin is list:
        return f"list of {describe_type(args[0])}"
    if origin is dict:
        return f"mapping of {describe_type(args[0])} to {describe_type(args[1])}"
    if dataclasses.is_dataclass(hint):
        return f"mapping ({_fields_hint(hint)})"  # type: ignore[arg-type]
    return {bool: "true/false", int: "whole number", float: "number", Decimal: "number", str: "text"}.get(hint, str(hint))
