"""Read a JSON scenario exactly: numbers as written, repeated keys and deep nesting refused.

The ``json`` module is strict and fast; around it this module adds what a scenario needs. Numbers
are read from their literal text by :func:`.exact_number` (``5e-05`` as ``json.dump`` writes
0.00005 stays that decimal; a 5,001-digit integer is no ``ValueError``); ``NaN`` and
``Infinity`` arrive as non-finite floats for the engine to refuse. An ``object_pairs_hook``
finds keys given twice, and one pass of a small tokenizer over the text finds the lines they
were written on (the ``json`` module reports none) and nesting past :data:`.MAX_DEPTH` before
the parser recurses into it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .scenario_scalars import MAX_DEPTH, TOO_DEEP, ScenarioFileError, Unreadable, exact_number, field_path, given_again

__all__ = ["JsonSyntaxError", "parse_json"]

_TOKEN = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*")(\s*:)?|[{}\[\]]')


class JsonSyntaxError(Exception):
    """The text is not JSON; carries the located message, for the caller to use or to try YAML."""

    def __init__(self, error: ScenarioFileError) -> None:
        super().__init__(str(error))
        self.error = error


def _outline(text: str) -> tuple[int | None, list[list[tuple[str, int]]]]:
    """The line where nesting first passes MAX_DEPTH, if it does; and each object's keys (as
    written, with their lines) in the order the objects close, which is the order in which the
    ``json`` module calls ``object_pairs_hook``."""
    stack: list[list[tuple[str, int]] | None] = []
    closed: list[list[tuple[str, int]]] = []
    line, counted = 1, 0

    def line_at(index: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, index)
        counted = index
        return line

    for match in _TOKEN.finditer(text):
        token = match.group()
        if match.group(1) is not None:
            keys = stack[-1] if stack else None
            if match.group(2) and keys is not None:
                keys.append((match.group(1), line_at(match.start())))
        elif token in "{[":
            stack.append([] if token == "{" else None)
            if len(stack) > MAX_DEPTH:
                return line_at(match.start()), closed
        elif stack:
            keys = stack.pop()
            if keys is not None:
                closed.append(keys)
    return None, closed


def _walk(value: Any, found: dict[int, str], unreadable: list[tuple[str, Unreadable]]) -> None:
    """Note the path of every object, and every value that could not be read, without recursion."""
    todo: list[tuple[str, Any]] = [("", value)]
    while todo:
        path, item = todo.pop()
        if isinstance(item, dict):
            found[id(item)] = path
            todo.extend((field_path(path, key), child) for key, child in item.items())
        elif isinstance(item, list):
            todo.extend((field_path(path, index), child) for index, child in enumerate(item))
        elif isinstance(item, Unreadable):
            unreadable.append((path, item))


def parse_json(text: str, shown_as: str) -> tuple[Any, list[ScenarioFileError]]:
    """The scenario a JSON text describes, or ``None`` and every error.

    Raises :class:`JsonSyntaxError` when the text is not JSON at all, so that the caller can
    read it as YAML instead (YAML 1.2 reads every JSON document, and flow mappings that JSON
    does not: a scenario written ``{amount: 010000}`` should get YAML's field-level answer).
    """
    too_deep, objects = _outline(text)
    if too_deep is not None:
        return None, [ScenarioFileError(shown_as, too_deep, "", TOO_DEEP)]
    repeated: list[tuple[int, dict[str, Any], list[str]]] = []  # (index among objects, object, keys given again)
    closed = 0

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal closed
        built: dict[str, Any] = {}
        again = []
        for key, value in items:
            if key in built:
                again.append(key)
            else:
                built[key] = value
        if again:
            repeated.append((closed, built, again))
        closed += 1
        return built

    try:
        value = json.loads(text, parse_float=exact_number, parse_int=exact_number, parse_constant=float, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        where = f"{'' if exc.msg.endswith(' at') else ' at'} column {exc.colno}"  # "Unterminated string starting at"
        raise JsonSyntaxError(ScenarioFileError(shown_as, exc.lineno, "", f"not valid JSON: {exc.msg}{where}")) from None
    except RecursionError:  # pragma: no cover - the outline stops nesting long before
        return None, [ScenarioFileError(shown_as, 1, "", "nesting too deep to be a scenario")]
    paths: dict[int, str] = {}
    unreadable: list[tuple[str, Unreadable]] = []
    _walk(value, paths, unreadable)
    errors = [ScenarioFileError(shown_as, None, path, item.message) for path, item in unreadable]
    for index, built, keys in repeated:
        written = objects[index] if index < len(objects) else []
        for key in dict.fromkeys(keys):
            lines = [line for raw, line in written if json.loads(raw) == key]
            message = given_again(keys.count(key) + 1, lines)
            errors.append(ScenarioFileError(shown_as, lines[1] if len(lines) >= 2 else None, field_path(paths[id(built)], key), message))
    if errors:
        return None, sorted(errors, key=lambda e: (e.line or 0, e.field))
    return value, []
