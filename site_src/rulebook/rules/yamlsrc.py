"""Read one YAML file into plain Python values that remember their line numbers.

PyYAML on its own loses what an editor needs: it keeps the last of two duplicate keys without a
word, turns ``2025-12-30`` into a ``date`` and forgets where each value stood. This reader
composes the node graph itself and builds :class:`LocatedMap` / :class:`LocatedList` values that
carry the line of every key and item. Anchors and aliases are refused (an alias bomb cannot
expand), dates stay strings for the schema to parse, and every failure is a located
:class:`~rulebook.rules.errors.Problem`, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

__all__ = ["LocatedList", "LocatedMap", "read_yaml", "line_of"]

_MAX_BYTES = 2_000_000


class LocatedMap(dict[str, Any]):
    """A mapping whose keys remember the line they were written on."""

    line: int
    key_lines: dict[str, int]


class LocatedList(list[Any]):
    """A sequence whose items remember the line they start on."""

    line: int
    item_lines: list[int]


def line_of(container: Any, key: str | int | None = None) -> int:
    """The line of a key or item inside a located container, else of the container itself."""
    if isinstance(container, LocatedMap) and isinstance(key, str) and key in container.key_lines:
        return container.key_lines[key]
    if isinstance(container, LocatedList) and isinstance(key, int) and 0 <= key < len(container.item_lines):
        return container.item_lines[key]
    return int(getattr(container, "line", 1))


class _Refusal(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and keeps timestamps as strings."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refusal(event.start_mark.line + 1, "anchors and aliases (*name) are not allowed in rule tables; write the value out")
        return super().compose_node(parent, index)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)


def _build(loader: _Loader, node: yaml.Node, path: str) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = LocatedMap()
        result.line, result.key_lines = line, {}
        for key_node, value_node in node.value:
            key = _build(loader, key_node, path)
            key_line = key_node.start_mark.line + 1
            if isinstance(key, (int, float, bool)) or key is None:
                key = str(key).lower() if isinstance(key, bool) else ("null" if key is None else str(key))
            if not isinstance(key, str):
                raise _Refusal(key_line, "a mapping key must be a plain word, not a list or mapping")
            if key == "<<":
                raise _Refusal(key_line, "merge keys (<<) are not allowed in rule tables; write the keys out")
            if key in result:
                first = result.key_lines[key]
                raise _Refusal(key_line, f"duplicate key '{key}' (first written at line {first}); YAML would keep only the last one")
            result.key_lines[key] = key_line
            result[key] = _build(loader, value_node, f"{path}.{key}" if path else key)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = LocatedList()
        items.line, items.item_lines = line, []
        for index, child in enumerate(node.value):
            items.item_lines.append(child.start_mark.line + 1)
            items.append(_build(loader, child, f"{path}[{index}]"))
        return items
    return loader.construct_object(node, deep=True)


def read_yaml(path: Path, shown_as: str) -> tuple[Any, list[Problem]]:
    """Parse ``path``; on failure return ``(None, problems)`` naming ``shown_as`` and the line."""

    def problem(line: int, message: str) -> tuple[Any, list[Problem]]:
        return None, [Problem(shown_as, line, "", message)]

    try:
        raw = path.read_bytes()
    except OSError as exc:
        return problem(1, f"cannot read the file: {exc.strerror or exc}")
    if len(raw) > _MAX_BYTES:
        return problem(1, f"file is {len(raw):,} bytes; rule tables are expected to be under {_MAX_BYTES:,}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return problem(line, f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return problem(1, "file is empty; expected a YAML mapping")
    for number, content in enumerate(text.splitlines(), start=1):
        stripped = content.lstrip(" ")
        if stripped.startswith("\t"):
            return problem(number, "tab character in indentation; YAML indents with spaces only")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return problem(1, "file is empty; expected a YAML mapping")
        return _build(loader, node, ""), []
    except _Refusal as exc:
        return problem(exc.line, exc.message)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        return problem(line, f"YAML syntax error: {what}{context}")
    except yaml.YAMLError as exc:
        return problem(1, f"YAML error: {exc}")
    except RecursionError:
        return problem(1, "YAML nesting is too deep to be a rule table")
    finally:
        loader.dispose()
