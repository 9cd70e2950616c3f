"""Read a YAML scenario with YAML 1.2 core-schema meanings, straight from the parser's events.

PyYAML's loaders resolve plain scalars by YAML 1.1 rules and keep the last of two equal keys; its
composer recurses once per level, so a file nested 500 deep ends in a ``RecursionError``. This
reader builds the values itself from the event stream, in one loop with an explicit stack: no
recursion at any depth, and each scalar is given its meaning by :func:`.plain_scalar` (quoted
and block scalars are always text). libyaml's parser does the reading when PyYAML has it (a
megabyte in well under a second; the pure-Python parser takes several); on a syntax error the
file is read again by the Python parser, whose messages the rules loader already explains.

Anchors, aliases, tags and second documents are refused where they stand: a scenario needs none
of them, and refusing an alias before it expands makes an alias bomb cost nothing.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..rules.yamlsrc import explain_reader_error, explain_syntax_error, tab_indented_lines
from .scenario_scalars import MAX_DEPTH, TOO_DEEP, ScenarioFileError, Unreadable, field_path, given_again, plain_scalar

__all__ = ["parse_yaml"]

_FastParser: Any = None
try:
    from yaml._yaml import CParser

    _FastParser = CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    pass


class _PythonParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's own parser alone (no composer, no constructor): events with explained errors."""

    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


class _Refused(Exception):
    """Stops reading: what follows cannot be trusted (an alias, a tag, nesting beyond reason)."""

    def __init__(self, event: Any, message: str) -> None:
        super().__init__(message)
        self.line, self.message = event.start_mark.line + 1, message


def _tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _refusal(event: Any) -> str | None:
    if isinstance(event, yaml.AliasEvent):
        return f"alias '*{event.anchor}' refused: a scenario has no anchors or aliases; write the value out"
    if getattr(event, "anchor", None) is not None:
        return f"anchor '&{event.anchor}' refused: a scenario has no anchors or aliases; write the value out"
    if getattr(event, "tag", None) is not None:
        return f"YAML tag '{_tag(event.tag)}' refused: a scenario has no tags; write the plain value"
    return None


class _Frame:
    """A mapping or list being filled, with the key that waits for its value."""

    __slots__ = ("key", "key_lines", "path", "skip", "value")

    def __init__(self, value: dict[str, Any] | list[Any], path: str) -> None:
        self.value, self.path = value, path
        self.key: str | None = None
        self.skip = False  # the coming value belongs to a repeated or unusable key: read it, keep nothing
        self.key_lines: dict[str, list[int]] = {}


class _Builder:
    """Turns one document's events into plain values; field errors are collected, not raised."""

    def __init__(self, shown_as: str) -> None:
        self.shown_as = shown_as
        self.errors: list[ScenarioFileError] = []
        self.stack: list[_Frame] = []
        self.root: list[Any] = []

    def field_error(self, line: int, field: str, message: str) -> None:
        self.errors.append(ScenarioFileError(self.shown_as, line, field, message))

    def child_path(self) -> str:
        """The path of the value that comes next (a key being written reports at its mapping)."""
        if not self.stack:
            return ""
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            return field_path(frame.path, len(frame.value))
        return frame.path if frame.key is None else field_path(frame.path, frame.key)

    def place(self, value: Any, line: int) -> None:
        if not self.stack:
            self.root.append(value)
            return
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            frame.value.append(value)
        elif frame.key is None:  # a list or mapping written as a key
            self.field_error(line, frame.path, "a key must be a plain word, not a list or mapping")
            frame.key, frame.skip = "?", True
        else:
            if not frame.skip:
                frame.value[frame.key] = value
            frame.key, frame.skip = None, False

    def scalar(self, event: Any) -> None:
        line = event.start_mark.line + 1
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.value, dict) and frame.key is None:
            key = str(event.value)  # keys are text exactly as written: `yes:` stays "yes"
            lines = frame.key_lines.setdefault(key, [])
            lines.append(line)
            frame.key, frame.skip = key, len(lines) > 1
            return
        value = plain_scalar(event.value) if not event.style else event.value
        if isinstance(value, Unreadable):
            self.field_error(line, self.child_path(), value.message)
            value = None
        self.place(value, line)

    def start(self, event: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _Refused(event, TOO_DEEP)
        self.stack.append(_Frame({} if isinstance(event, yaml.MappingStartEvent) else [], self.child_path()))

    def end(self, event: Any) -> None:
        frame = self.stack.pop()
        for key, lines in frame.key_lines.items():
            if len(lines) > 1:
                self.field_error(lines[1], field_path(frame.path, key), given_again(len(lines), lines))
        self.place(frame.value, event.start_mark.line + 1)


def _build(parser: Any, shown_as: str) -> tuple[Any, list[ScenarioFileError]]:
    """The one document the events describe; raises :class:`_Refused` and PyYAML's errors."""
    empty = [ScenarioFileError(shown_as, 1, "", "file is empty; expected a scenario (tax_year, person, request, …)")]
    parser.get_event()  # StreamStartEvent
    event = parser.get_event()
    if isinstance(event, yaml.StreamEndEvent):
        return None, empty
    builder = _Builder(shown_as)
    while True:
        event = parser.get_event()
        if isinstance(event, yaml.DocumentEndEvent):
            break
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            builder.end(event)
            continue
        refusal = _refusal(event)
        if refusal is not None:
            raise _Refused(event, refusal)
        if isinstance(event, yaml.ScalarEvent):
            builder.scalar(event)
        else:
            builder.start(event)
    event = parser.get_event()
    if isinstance(event, yaml.DocumentStartEvent):
        raise _Refused(event, "a second document ('---') in one file; a scenario is one document")
    if builder.errors:
        return None, sorted(builder.errors, key=lambda e: e.line or 0)
    if builder.root[0] is None:  # '---' alone, or '~': nothing to evaluate
        return None, empty
    return builder.root[0], []


def parse_yaml(text: str, shown_as: str) -> tuple[Any, list[ScenarioFileError]]:
    """The scenario a YAML text describes, or ``None`` and every error (see :mod:`.scenario_file`)."""

    def problem(line: int, message: str) -> tuple[Any, list[ScenarioFileError]]:
        return None, [ScenarioFileError(shown_as, line, "", message)]

    tabs = tab_indented_lines(text)
    if tabs:
        return None, [ScenarioFileError(shown_as, line, "", "tab character in indentation; YAML indents with spaces only")
                      for line in tabs]
    try:
        if _FastParser is not None:
            try:
                return _build(_FastParser(text), shown_as)
            except yaml.YAMLError:
                pass  # read it again with the Python parser, whose messages explain_syntax_error knows
        return _build(_PythonParser(text), shown_as)
    except _Refused as exc:
        return problem(exc.line, exc.message)
    except yaml.MarkedYAMLError as exc:
        return problem(*explain_syntax_error(exc, text))
    except yaml.reader.ReaderError as exc:
        return problem(*explain_reader_error(exc, text))
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises the kinds above
        return problem(1, f"not valid YAML ({exc})")
