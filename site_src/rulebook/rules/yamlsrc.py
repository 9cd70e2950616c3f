"""Read one YAML file into plain Python values that remember their line numbers.

PyYAML on its own loses what an editor needs: it keeps the last of two duplicate keys without a
word, turns ``2025-12-30`` into a ``date`` and forgets where each value stood. This reader
composes the node graph itself and builds :class:`LocatedMap` / :class:`LocatedList` /
:class:`LocatedStr` values that carry the line of every key, item and text. Aliases are refused
before they expand (an alias bomb costs nothing), nesting is capped, dates stay strings for the
schema to parse, mapping keys are kept exactly as written (``yes:`` stays ``"yes"``), and every
failure is a located :class:`~rulebook.rules.errors.Problem`, never a traceback.

Problems that leave the document readable (duplicate keys, merge keys, complex keys) are
collected and the document is still returned, so the schema can report its own problems in the
same run; syntax errors return no document.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

__all__ = ["LocatedList", "LocatedMap", "LocatedStr", "decode", "explain_reader_error", "explain_syntax_error", "item_path",
           "line_of", "parse_text", "read_yaml", "tab_indented_lines"]

MAX_BYTES = 5_000_000
MAX_DEPTH = 40


class LocatedMap(dict[str, Any]):
    """A mapping whose keys remember the line they were written on."""

    line: int
    key_lines: dict[str, int]


class LocatedList(list[Any]):
    """A sequence whose items remember the line they start on."""

    line: int
    item_lines: list[int]


class LocatedStr(str):
    """Text that knows where it was written, down to the line of any part of it.

    A folded (``>``) summary spans many lines; an unknown ``{placeholder}`` in it should point at
    its own line, not at the key. ``locate`` searches the raw source span of the value.
    """

    line: int
    raw: str

    def locate(self, needle: str) -> int:
        """The line on which ``needle`` is written inside this value (else the value's first line)."""
        at = self.raw.find(needle)
        return self.line if at < 0 else self.line + self.raw.count("\n", 0, at)


_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def item_path(path: str, index: int, item: Any) -> str:
    """``path[id]`` for a list item with a valid id, else ``path[index]`` (counted from 0)."""
    ident = item.get("id") if isinstance(item, dict) else None
    label = ident if isinstance(ident, str) and _IDENT.match(ident) else index
    return f"{path}[{label}]"


def line_of(container: Any, key: str | int | None = None) -> int:
    """The line of a key or item inside a located container, else of the container itself."""
    if isinstance(container, LocatedMap) and isinstance(key, str) and key in container.key_lines:
        return container.key_lines[key]
    if isinstance(container, LocatedList) and isinstance(key, int) and 0 <= key < len(container.item_lines):
        return container.item_lines[key]
    return int(getattr(container, "line", 1))


class _Refusal(Exception):
    """Stops reading: what follows cannot be trusted (an alias, nesting beyond reason)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


class _Refusing:
    """Composer hook shared by both loaders: refuse aliases before they expand, and deep nesting."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        this: Any = self
        if this.check_event(yaml.AliasEvent):
            event = this.peek_event()
            raise _Refusal(event.start_mark.line + 1,
                           f"alias '*{event.anchor}' refused: anchors and aliases are not allowed in rule tables; write the value out")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                line = this.peek_event().start_mark.line + 1
                raise _Refusal(line, f"nesting deeper than {MAX_DEPTH} levels; a rule table is never that deep")
            return yaml.composer.Composer.compose_node(this, parent, index)
        finally:
            self.depth -= 1


class _Loader(_Refusing, yaml.SafeLoader):
    """The pure-Python reader: slower, but its error messages are the ones explained below."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)  # type: ignore[type-var]

_FastLoader: Any = None
try:  # libyaml's parser (about 5x faster) with the Python composer, so the hooks above still apply
    from yaml._yaml import CParser

    class _FastLoaderClass(_Refusing, CParser, yaml.composer.Composer, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            yaml.composer.Composer.__init__(self)

        def get_single_node(self) -> Any:
            return yaml.composer.Composer.get_single_node(self)

    _FastLoaderClass.add_constructor(  # type: ignore[type-var]
        "tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_str)
    _FastLoader = _FastLoaderClass
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    pass


class _Builder:
    """Turns a composed node graph into located values, collecting non-fatal problems."""

    def __init__(self, loader: Any, text: str, shown_as: str) -> None:
        self.loader, self.text, self.shown_as = loader, text, shown_as
        self.problems: list[Problem] = []

    def problem(self, line: int, path: str, message: str) -> None:
        self.problems.append(Problem(self.shown_as, line, path, message))

    def build(self, node: yaml.Node, path: str) -> Any:
        line = node.start_mark.line + 1
        if isinstance(node, yaml.CollectionNode) and node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise _Refusal(line, f"YAML tags ({tag}) are not allowed in rule tables; write a plain list or mapping")
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, line)
        if isinstance(node, yaml.SequenceNode):
            items = LocatedList()
            items.line, items.item_lines = line, []
            for index, child in enumerate(node.value):
                items.item_lines.append(child.start_mark.line + 1)
                before, here = len(self.problems), f"{path}[{index}]"
                items.append(self.build(child, here))
                named = item_path(path, index, items[-1])
                if named != here:  # the id is known only once the item is built: rename its problems
                    self.problems[before:] = [_renamed(p, here, named) for p in self.problems[before:]]
            return items
        value = self.loader.construct_object(node, deep=True)
        if isinstance(value, str):
            located = LocatedStr(value)
            located.line = line
            located.raw = self.text[node.start_mark.index:node.end_mark.index]
            return located
        return value

    def mapping(self, node: yaml.MappingNode, path: str, line: int) -> LocatedMap:
        result = LocatedMap()
        result.line, result.key_lines = line, {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_line, path, "a key must be a plain word, not a list or mapping")
                continue
            key = str(key_node.value)  # exactly as written: `yes:` stays "yes", `2025:` stays "2025"
            here = f"{path}.{key}" if path else key
            if key == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(key_line, here, "merge keys (<<) are not allowed in rule tables; write the keys out")
                continue
            if key in result:
                first = result.key_lines[key]
                self.problem(key_line, here, f"duplicate key '{key}' (first written at line {first}); "
                                             "YAML would silently keep only the last one: remove one of them")
                continue
            result.key_lines[key] = key_line
            result[key] = self.build(value_node, here)
        return result


def _renamed(problem: Problem, old: str, new: str) -> Problem:
    if problem.path == old or problem.path.startswith((old + ".", old + "[")):
        return Problem(problem.file, problem.line, new + problem.path[len(old):], problem.message)
    return problem


def read_yaml(path: Path, shown_as: str) -> tuple[Any, list[Problem]]:
    """Parse ``path`` into located values; problems name ``shown_as`` and the line.

    Returns ``(None, problems)`` when the file cannot be read as YAML at all, and
    ``(document, problems)`` when it can but holds duplicate or merge keys.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown_as, 1, "", f"cannot read the file: {exc.strerror or exc}")]
    text, problems = decode(raw, shown_as)
    if text is None:
        return None, problems
    return parse_text(text, shown_as)


def decode(raw: bytes, shown_as: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text (a leading byte-order mark dropped), or a located problem saying why not."""

    def problem(line: int, message: str) -> tuple[str | None, list[Problem]]:
        return None, [Problem(shown_as, line, "", message)]

    if len(raw) > MAX_BYTES:
        return problem(1, f"file is {len(raw):,} bytes; a rule table must be under {MAX_BYTES:,} (split it or check it is the right file)")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return problem(1, "file is saved as UTF-16; save it as UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return problem(line, f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")
    return text.removeprefix("\ufeff"), []


_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)


def tab_indented_lines(text: str) -> list[int]:
    """Lines indented with a tab: PyYAML's own word for them ("cannot start any token") misleads."""
    return [text.count("\n", 0, m.start()) + 1 for m in _TAB_INDENT.finditer(text)]


def explain_reader_error(exc: yaml.reader.ReaderError, text: str) -> tuple[int, str]:
    """The line and a plain-words message for a character YAML does not allow."""
    line = text.count("\n", 0, exc.position) + 1
    return line, (f"character U+{exc.character:04X} is not allowed in YAML; delete it" if isinstance(exc.character, int)
                  else "a character that is not allowed in YAML; delete it")


def parse_text(text: str, shown_as: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text (already decoded) into located values; see :func:`read_yaml`."""

    def problem(line: int, message: str) -> tuple[Any, list[Problem]]:
        return None, [Problem(shown_as, line, "", message)]

    if all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return problem(1, "file is empty (or only comments); expected a mapping with title, intro and entries")
    tabs = tab_indented_lines(text)
    if tabs:
        return None, [Problem(shown_as, line, "", "tab character in indentation; YAML indents with spaces only") for line in tabs]
    if _FastLoader is not None:
        try:
            return _compose(_FastLoader(text), text, shown_as)
        except yaml.YAMLError:
            pass  # read it again with the Python parser, whose messages are the ones explain_syntax_error knows
    try:
        return _compose(_Loader(text), text, shown_as)
    except yaml.MarkedYAMLError as exc:
        return problem(*explain_syntax_error(exc, text))
    except yaml.reader.ReaderError as exc:
        return problem(*explain_reader_error(exc, text))
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises the marked kinds above
        return problem(1, f"YAML error: {exc}")
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops nesting long before
        return problem(1, "YAML nesting is too deep to be a rule table")


def _compose(loader: Any, text: str, shown_as: str) -> tuple[Any, list[Problem]]:
    """Compose and build one document; a refusal becomes a problem, YAML errors propagate."""
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(shown_as, 1, "", "file is empty; expected a mapping with title, intro and entries")]
        builder = _Builder(loader, text, shown_as)
        return builder.build(node, ""), builder.problems
    except _Refusal as exc:
        return None, [Problem(shown_as, exc.line, "", exc.message)]
    finally:
        loader.dispose()


def _unclosed(text: str) -> int | None:
    """Line of the outermost '[' or '{' never closed (quotes and comments skipped), if any."""
    stack: list[int] = []
    for number, content in enumerate(text.splitlines(), start=1):
        quote = ""
        for index, char in enumerate(content):
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'" and (index == 0 or content[index - 1] in " [{,:"):
                quote = char
            elif char == "#" and (index == 0 or content[index - 1] == " "):
                break
            elif char in "[{":
                stack.append(number)
            elif char in "]}" and stack:
                stack.pop()
    return stack[0] if stack else None


def explain_syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """The line and a plain-words message for a PyYAML syntax error (with PyYAML's own words)."""
    context, what = exc.context or "", exc.problem or "invalid YAML"
    at = exc.problem_mark or exc.context_mark
    line = at.line + 1 if at is not None else 1
    opened = exc.context_mark.line + 1 if exc.context_mark is not None else line
    if "quoted scalar" in context:
        return opened, "YAML syntax error: a quoted text starting on this line is never closed (a missing \" or ')"
    if "flow" in context and "<stream end>" in what:
        return _unclosed(text) or opened, "YAML syntax error: a '[' or '{' opened on this line is never closed (the file ends first)"
    if context.startswith("while parsing a flow sequence"):
        return opened, f"YAML syntax error: a '[' opened on this line is not closed by ']' before line {line} ({what})"
    if context.startswith("while parsing a flow mapping"):
        return opened, f"YAML syntax error: a '{{' opened on this line is not closed by '}}' before line {line} ({what})"
    if what == "mapping values are not allowed here":
        return line, ("YAML syntax error: unexpected ':' (mapping values are not allowed here); "
                      "check the indentation, or put text that contains ': ' in quotes")
    if what.startswith("expected <block end>"):
        return line, f"YAML syntax error: this line's indentation does not match the lines above ({what})"
    if "could not find expected ':'" in what:
        return line, "YAML syntax error: expected 'key: value' here (could not find expected ':'); check indentation and quotes"
    if "single document" in context:
        return line, "YAML syntax error: a second document ('---') in one file; a rule table is one document"
    if "constructor for the tag" in what:
        return line, f"YAML tags (!name) are not allowed in rule tables ({what})"
    if "found character" in what and "cannot start any token" in what:
        return line, f"YAML syntax error: {what}; put the text in quotes"
    return line, f"YAML syntax error: {what}" + (f" ({context})" if context else "")
