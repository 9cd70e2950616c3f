"""Build typed dataclasses from located YAML values, collecting every problem on the way.

The schema's type hints are the only description of what is valid: this module walks them
(``str``, ``int``, numbers, ``bool``, ``Literal``, ``X | None``, ``list[X]``, ``dict[K, V]``, nested
dataclasses and ``Annotated`` markers) and never stops at the first error, so one run of
``rulebook check`` lists everything an editor has to fix. Cross-table checks (references,
expressions) happen later in the loader; this module records what they need in ``Pending`` and
remembers where each built instance came from (:meth:`Builder.locate`).

Key paths read the same everywhere: mapping keys join with dots, list items take brackets, and an
item that has a valid ``id`` is named by it (``entries[hardship].sources[0].url``), else by its
position counted from 0 (``entries[3]``).
"""

from __future__ import annotations

import dataclasses
import re
import types
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from .errors import Problem, closest, did_you_mean
from .fields import Expr, Ident, IsoDate, Ref, Template, Url
from .yamlsrc import LocatedList, LocatedMap, LocatedStr, item_path, line_of

__all__ = ["Builder", "Pending", "describe_type", "item_path"]

_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
_URL = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?(/\S*)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PLACEHOLDER_LIKE = re.compile(r"\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}")
_NUMBER_TYPES = {int, float, Decimal}
# Words editors reach for, and the field they mean; offered only when that field exists.
_SYNONYMS = {
    "reference": "sources", "references": "sources", "refs": "sources", "source": "sources", "links": "sources",
    "link": "url", "href": "url", "name": "label", "description": "summary", "desc": "summary",
    "condition": "when", "if": "when", "date": "reviewed", "last_reviewed": "reviewed", "reviewed_on": "reviewed",
}
_YAML_BOOL_HINT = "YAML reads an unquoted yes, no, on, off, true or false as true/false"


@dataclass
class Pending:
    """Checks that need every table loaded first: each with its location."""

    refs: list[tuple[str, str, Problem]] = field(default_factory=list)  # (table, id, where)
    exprs: list[tuple[str, Problem]] = field(default_factory=list)
    templates: list[tuple[str, Problem]] = field(default_factory=list)  # (placeholder name, where)


class Builder:
    """Turns one file's located values into dataclass instances, recording problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.pending = Pending()
        self._located: dict[int, tuple[str, LocatedMap, Any]] = {}

    def problem(self, line: int, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, path, message))

    def locate(self, instance: Any, *keys: str | int) -> tuple[int, str]:
        """Line and key path of a built instance, or of a key (chain) inside it."""
        path, node, _ = self._located[id(instance)]
        line, here = node.line, path
        current: Any = node
        for key in keys:
            here = _join(here, str(key))
            if isinstance(current, LocatedMap) and str(key) in current:
                line, current = current.key_lines[str(key)], current[str(key)]
            else:
                break
        return line, here

    def lines_of(self, instance: Any) -> dict[str, int]:
        """Line of every key written in a built instance's mapping."""
        return dict(self._located[id(instance)][1].key_lines)

    def build(self, cls: type[Any], value: Any, path: str, line: int, overrides: dict[str, Any] | None = None) -> Any:
        """An instance of dataclass ``cls`` or ``None`` when the mapping has problems.

        ``overrides`` replaces field types, so one ``TableFile`` schema serves every table.
        """
        if not isinstance(value, LocatedMap):
            self.problem(line, path, f"expected a mapping of {_fields_hint(cls)}, got {_kind(value)}")
            return None
        hints = {**_hints(cls), **(overrides or {})}
        fields = _fields(cls)
        ok = True
        kwargs: dict[str, Any] = {}
        suggested: set[str] = set()
        for key in value:
            if key not in fields:
                message, suggestion = _unknown_key(key, fields, hints)
                self.problem(line_of(value, key), _join(path, key), message)
                suggested.add(suggestion)
                ok = False
        for name, spec in fields.items():
            here = _join(path, name)
            if name not in value:
                if spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
                    if name not in suggested:  # "unknown key 'lable' (did you mean 'label'?)" said it already
                        self.problem(value.line, here, f"missing required key '{name}' ({describe_type(hints[name])})")
                    ok = False
                continue
            converted, good = self.convert(hints[name], value[name], here, line_of(value, name))
            required = spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING
            if good and required and isinstance(converted, str) and not converted.strip():
                self.problem(line_of(value, name), here, f"'{name}' is empty; write the text (it is required)")
                good = False
            ok = ok and good
            kwargs[name] = converted
        if not ok:
            return None
        if "line" in _hints(cls) and "line" not in fields:
            kwargs["line"] = value.line
        instance = cls(**kwargs)
        self._located[id(instance)] = (path, value, instance)  # the instance is kept alive with its id
        return instance

    def convert(self, hint: Any, value: Any, path: str, line: int) -> tuple[Any, bool]:
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
            raise TypeError(f"schema type {hint!r} is not supported")  # a schema bug, not an editor's
        if origin is Literal:
            if isinstance(value, str) and value in args:
                return str(value), True
            choices = ", ".join(str(a) for a in args)
            if isinstance(value, bool):
                self.problem(line, path, f"got true/false ({_YAML_BOOL_HINT}); write the word in quotes; expected one of: {choices}")
            else:
                suggestion = did_you_mean(str(value), [str(a) for a in args])
                self.problem(line, path, f"'{value}' is not allowed{suggestion}; expected one of: {choices}")
            return None, False
        if origin is list:
            if not isinstance(value, LocatedList):
                self.problem(line, path, f"expected a list of {describe_type(args[0])}, got {_kind(value)}{_list_hint(value)}")
                return None, False
            out, ok = [], True
            for index, item in enumerate(value):
                converted, good = self.convert(args[0], item, item_path(path, index, item), line_of(value, index))
                out.append(converted)
                ok = ok and good
            return out, ok
        if origin is dict:
            return self.mapping(args, value, path, line)
        if dataclasses.is_dataclass(hint):
            built = self.build(hint, value, path, line)  # type: ignore[arg-type]
            return built, built is not None
        return self.scalar(hint, markers, value, path, line)

    def mapping(self, args: tuple[Any, ...], value: Any, path: str, line: int) -> tuple[Any, bool]:
        if not isinstance(value, LocatedMap):
            self.problem(line, path, f"expected a mapping of {describe_type(args[0])} to {describe_type(args[1])} "
                                     f"(one 'key: value' per line), got {_kind(value)}")
            return None, False
        result: dict[Any, Any] = {}
        ok = True
        for key, item in value.items():
            here, key_line = _join(path, key), line_of(value, key)
            key_value, good_key = self.key(args[0], key, here, key_line)
            converted, good = self.convert(args[1], item, here, key_line)
            if good_key and key_value in result:
                self.problem(key_line, here, f"key '{key}' repeats {key_value} given above")
                good_key = False
            result[key_value] = converted
            ok = ok and good and good_key
        return result, ok

    def key(self, hint: Any, key: str, path: str, line: int) -> tuple[Any, bool]:
        """YAML keys arrive as written; an ``int``-keyed mapping (tax years) wants whole numbers."""
        inner = get_args(hint)[0] if hasattr(hint, "__metadata__") else hint
        if inner is int:
            if re.fullmatch(r"-?\d+", key):
                return int(key), True
            self.problem(line, path, f"'{key}' is not a tax year; the keys here are years such as 2026")
            return None, False
        located = LocatedStr(key)
        located.line, located.raw = line, key
        return self.convert(hint, located, path, line)

    def scalar(self, hint: Any, markers: tuple[Any, ...], value: Any, path: str, line: int) -> tuple[Any, bool]:
        if hint is bool:
            if isinstance(value, bool):
                return value, True
            tip = "; write true or false without quotes" if isinstance(value, str) else ""
            self.problem(line, path, f"expected true or false, got {_kind(value)}{tip}")
            return None, False
        if hint is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value, True
            self.problem(line, path, f"expected a whole number, got {_kind(value)}{_number_hint(value)}")
            return None, False
        if hint in _NUMBER_TYPES:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if value != value or value in (float("inf"), float("-inf")):
                    self.problem(line, path, f"expected a finite number, got {value}")
                    return None, False
                return value, True
            self.problem(line, path, f"expected a number, got {_kind(value)}{_number_hint(value)}")
            return None, False
        if hint is str:
            if not isinstance(value, str):
                self.problem(line, path, _not_text(value, markers))
                return None, False
            return self.text(markers, value, path, line)
        raise TypeError(f"schema type {hint!r} is not supported")  # a schema bug, not an editor's

    def text(self, markers: tuple[Any, ...], value: str, path: str, line: int) -> tuple[Any, bool]:
        where = Problem(self.file, line, path, "")
        for marker in markers:
            if isinstance(marker, Ident) and not _IDENT.match(value):
                self.problem(line, path, f"'{value}' is not a valid id; expected lower_snake_case: "
                                         "a lower-case letter, then lower-case letters, digits and _")
                return None, False
            if isinstance(marker, Url):
                message = _url_problem(value)
                if message:
                    self.problem(line, path, message)
                    return None, False
            if isinstance(marker, IsoDate):
                message = _date_problem(value)
                if message:
                    self.problem(line, path, message)
                    return None, False
            if isinstance(marker, Ref):
                self.pending.refs.append((marker.table, str(value), where))
            if isinstance(marker, Expr):
                self.pending.exprs.append((str(value), where))
            if isinstance(marker, Template):
                ok = True
                for match in _PLACEHOLDER_LIKE.finditer(value):
                    name, at = match.group(1), _line_in(value, match.group(0), line)
                    if match.group(0) != "{" + name + "}" or not re.fullmatch(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*", name):
                        self.problem(at, path, f"'{match.group(0)}' is not a placeholder; write lower-case names "
                                               "without spaces, such as {age} or {param.additional_tax_rate}")
                        ok = False
                        continue
                    self.pending.templates.append((name, dataclasses.replace(where, line=at)))
                if not ok:
                    return None, False
        return str(value), True


_HINTS: dict[type[Any], dict[str, Any]] = {}
_FIELDS: dict[type[Any], dict[str, dataclasses.Field[Any]]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    """Type hints of a schema class, read once (they are the same for every entry)."""
    if cls not in _HINTS:
        _HINTS[cls] = get_type_hints(cls, include_extras=True)
    return _HINTS[cls]


def _fields(cls: type[Any]) -> dict[str, dataclasses.Field[Any]]:
    """The fields an editor writes (internal ones such as ``line`` left out)."""
    if cls not in _FIELDS:
        _FIELDS[cls] = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("internal")}
    return _FIELDS[cls]


def _line_in(value: str, needle: str, default: int) -> int:
    return value.locate(needle) if isinstance(value, LocatedStr) else default


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _unknown_key(key: str, fields: dict[str, dataclasses.Field[Any]], hints: dict[str, Any]) -> tuple[str, str]:
    """Unknown key message with the best hint (a near spelling, a synonym, or where it belongs), and the field suggested."""
    suggestion = closest(key, fields) or (_SYNONYMS[key] if _SYNONYMS.get(key) in fields else "")
    hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
    if not hint:
        for name in fields:
            nested = _dataclass_in(hints[name])
            if nested is not None and key in {f.name for f in dataclasses.fields(nested)}:
                hint = f" ('{key}' belongs inside each item of '{name}')"
                break
    return f"unknown key '{key}'{hint}; expected one of: {', '.join(fields)}", suggestion


def _dataclass_in(hint: Any) -> type[Any] | None:
    """The dataclass a field holds (directly, in a list or optional), if any."""
    if hasattr(hint, "__metadata__"):
        hint = get_args(hint)[0]
    if get_origin(hint) in (list, Union, types.UnionType):
        for arg in get_args(hint):
            found = _dataclass_in(arg)
            if found is not None:
                return found
    return hint if isinstance(hint, type) and dataclasses.is_dataclass(hint) else None


def _not_text(value: Any, markers: tuple[Any, ...]) -> str:
    if isinstance(value, bool):
        return f"expected text, got true/false ({_YAML_BOOL_HINT}); put the text in quotes"
    if isinstance(value, (int, float)) and any(isinstance(m, Ident) for m in markers):
        return f"expected an id (lower_snake_case, starting with a letter), got the number {value}"
    if isinstance(value, (int, float)):
        return f"expected text, got the number {value}; put it in quotes if you mean the text"
    if value is None:
        return "expected text, got nothing; write the text after the colon"
    return f"expected text, got {_kind(value)}"


def _number_hint(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if text.endswith("%"):
        return "; write a rate as a fraction without %: 20% is 0.2"
    if text.startswith("$") or re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text):
        return "; write dollars as a plain number, without $ or thousands separators: 5000"
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return "; write the number without quotes"
    return ""


def _list_hint(value: Any) -> str:
    if isinstance(value, str):
        return f"; write a list: [{value}] or one '- ' item per line"
    if isinstance(value, dict):
        return "; start each item with '- '"
    return ""


def _url_problem(value: str) -> str | None:
    text = value.strip()
    if _URL.match(text) and text.count("://") == 1:
        return None
    if text.count("://") > 1 or len(text.split()) > 1:
        return f"'{value}' holds more than one URL or a space; give each source its own item with one https URL"
    if text.startswith("http://"):
        return f"'{value}' uses http://; expected an https:// link"
    if "://" not in text:
        return f"'{value}' has no https:// scheme; expected a full link such as https://www.irs.gov/..."
    return f"'{value}' is not a single https URL"


def _date_problem(value: str) -> str | None:
    if _DATE.match(value):
        try:
            date.fromisoformat(value)
            return None
        except ValueError:
            return f"'{value}' is not a real date; expected YYYY-MM-DD"
    return f"'{value}' is not a date; expected YYYY-MM-DD, such as 2026-11-28"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value[:40]}{'…' if len(value) > 40 else ''}'"
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
    if hasattr(hint, "__metadata__"):
        for marker in hint.__metadata__:
            described = _describe_marker(marker)
            if described:
                return described
        hint = get_args(hint)[0]
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
        key = "tax year" if args[0] is int else describe_type(args[0])
        return f"mapping of {key} to {describe_type(args[1])}"
    if dataclasses.is_dataclass(hint):
        return f"mapping ({_fields_hint(hint)})"  # type: ignore[arg-type]
    return {bool: "true/false", int: "whole number", float: "number", Decimal: "number", str: "text"}.get(hint, str(hint))


def _describe_marker(marker: Any) -> str:
    if isinstance(marker, Ref):
        return f"id from {marker.table}"
    names = {Expr: "expression", Template: "text (Markdown, {placeholders})", IsoDate: "date YYYY-MM-DD",
             Url: "https URL", Ident: "id (lower_snake_case)"}
    return names.get(type(marker), "")
