"""Read a scenario file (YAML or JSON, or standard input) into the value ``evaluate`` takes.

``rulebook calc`` and ``rulebook compare`` read scenarios here and nowhere else, so a file means
the same to both. It must mean what the person or the JSON encoder that wrote it meant, which
PyYAML's default (YAML 1.1) does not give: there ``010000`` is 4,096, ``1:05`` is 65, ``1E4`` is
text and a key written twice keeps its last value without a word. Here:

* numbers and booleans follow JSON and the YAML 1.2 core schema: ``1E4``, ``5e-05`` and ``.5`` are
  numbers; ``true``/``True``/``TRUE`` booleans; ``null``/``~``/nothing null; ``yes``, ``on``,
  ``1:05`` and ``10_000`` are text (the engine then names the field that wanted a number);
* a value a reader could take two ways is refused, naming its field and the way to write it: a
  leading zero (``010000``: octal in YAML 1.1, decimal in 1.2) and ``0x``/``0o``/``0b`` numbers;
* numbers are exact: whole values are ``int``, others :class:`~decimal.Decimal` from the literal
  text (``0.1`` is one tenth); a 5,001-digit number is a number, not a ``ValueError``;
  ``.nan``/``.inf``/``NaN``/``Infinity`` arrive as non-finite floats, for the engine to refuse;
* a key given twice is an error naming the field and its lines, in YAML and in JSON;
* limits (:data:`MAX_BYTES`, :data:`MAX_DEPTH`) and what a scenario never needs (anchors,
  aliases, tags, several documents) are refused with a located message before they cost anything.

Text whose first non-blank character is ``{`` or ``[`` is read as JSON (:mod:`.scenario_json`);
if it is not valid JSON it is read as YAML (:mod:`.scenario_yaml`), whose flow style it may be,
and the JSON error is reported only if YAML cannot read it either. Errors are values
(:class:`ScenarioFileError`), never exceptions and never a traceback.
"""

from __future__ import annotations

import sys
from typing import IO, Any

from ..rules.yamlsrc import decode
from .scenario_json import JsonSyntaxError, parse_json
from .scenario_scalars import MAX_DEPTH, ScenarioFileError
from .scenario_yaml import parse_yaml

__all__ = ["MAX_BYTES", "MAX_DEPTH", "STDIN", "ScenarioFileError", "parse_scenario_text", "read_scenario_file"]

MAX_BYTES = 1_000_000
"""A scenario is under 2 kB; a file over a megabyte is the wrong file, and is not read past it."""

STDIN = "-"
"""The file name that means standard input."""


def read_scenario_file(name: str, stdin: IO[Any] | None = None) -> tuple[Any, list[ScenarioFileError]]:
    """Read the scenario in file ``name`` (``"-"``: standard input) for ``evaluate``.

    Returns ``(scenario, [])`` — plain ``dict``/``list``/``str``/``bool``/``None`` values and
    ``int``/``Decimal``/``float`` numbers as described above — or ``(None, errors)`` with every
    error found (all the field-level ones at once; reading stops at the first file-level one).
    The scenario is not validated here: pass it to ``evaluate``, whose input errors use the same
    ``field: message`` form as ``str(error)``. ``stdin`` replaces ``sys.stdin`` (binary or text).
    """
    shown_as = "<stdin>" if name == STDIN else name
    try:
        if name == STDIN:
            raw = _read_stream(stdin if stdin is not None else sys.stdin)
        else:
            with open(name, "rb") as file:
                raw = file.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, [ScenarioFileError(shown_as, None, "", f"cannot read the scenario: {exc.strerror or exc}")]
    except ValueError as exc:  # a text stream that could not decode what it was given
        return None, [ScenarioFileError(shown_as, None, "", f"cannot read the scenario: {exc}")]
    if len(raw) > MAX_BYTES:
        return None, [ScenarioFileError(shown_as, None, "", f"file is larger than {MAX_BYTES:,} bytes; a scenario is a few "
                                                            "hundred bytes (is this the right file?)")]
    text, problems = decode(raw, shown_as)
    if text is None:
        return None, [ScenarioFileError(p.file, p.line, "", p.message) for p in problems]
    return parse_scenario_text(text, shown_as)


def _read_stream(stream: IO[Any] | None) -> bytes:
    """At most MAX_BYTES + 1 bytes: from the binary buffer under a text stream when it has one."""
    if stream is None:  # Python started without a standard input
        raise OSError("there is no standard input")
    data = getattr(stream, "buffer", stream).read(MAX_BYTES + 1)
    return data.encode("utf-8", "surrogateescape") if isinstance(data, str) else bytes(data)


def parse_scenario_text(text: str, shown_as: str) -> tuple[Any, list[ScenarioFileError]]:
    """The scenario in already decoded ``text``; errors name ``shown_as``. See :func:`read_scenario_file`."""
    try:
        if text.lstrip(" \t\r\n")[:1] in ("{", "["):
            try:
                return parse_json(text, shown_as)
            except JsonSyntaxError as not_json:
                value, errors = parse_yaml(text, shown_as)
                if value is not None or any(error.field for error in errors):
                    return value, errors
                return None, [not_json.error]
        return parse_yaml(text, shown_as)
    except RecursionError:  # pragma: no cover - both readers cap nesting long before Python's limit
        return None, [ScenarioFileError(shown_as, 1, "", "nesting too deep to be a scenario")]
