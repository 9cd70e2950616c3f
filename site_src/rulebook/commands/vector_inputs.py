"""Each scenario vector's input put to the engine's validation, the answer located at its ``input`` line.

Shared by ``rulebook check`` (a vector with a bad input is a problem of the rules folder) and
``rulebook vectors``. It lives with the commands, not the loader: the loader only reads and checks
the vectors' shape, and computing belongs to the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..engine.vectors import run_one
from ..rules.errors import Problem
from ..rules.vectors import Vector

__all__ = ["input_problems"]


def input_problems(vectors: Iterable[Vector], rules_json: Mapping[str, Any]) -> list[Problem]:
    """Every input error of every vector, as a :class:`Problem` at the vector's ``input`` line.

    A vector whose ``output`` lists ``errors`` is a test of that validation and is meant to fail it.
    """
    problems = []
    for vector in vectors:
        if "errors" in vector.output:
            continue
        result = run_one(vector.as_dict(), rules_json)
        for error in result.get("errors", ()):
            field = f".{error['field']}" if error["field"] else ""
            problems.append(Problem(vector.file, vector.input_line, f"vectors[{vector.name}].input{field}", error["message"]))
    return problems
