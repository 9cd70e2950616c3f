"""Located problems in rule tables: values, never exceptions that reach an editor.

Every problem carries the file and line it was found at, the key path inside the document and a
message that says what is wrong and what was expected, so that ``rulebook check`` and the site
build can print ``file:line: key.path: message`` lines sorted for the editor to walk through.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Problem", "RulesInvalid", "closest", "did_you_mean"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one rules file."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "path": self.path, "message": self.message}


class RulesInvalid(Exception):
    """Raised by the loader's callers when a rules folder has problems; carries all of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def closest(word: str, choices: Iterable[str]) -> str:
    """The choice nearest to ``word`` in spelling, or ``""`` when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else ""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A short suggestion suffix, empty when nothing is close."""
    close = closest(word, choices)
    return f" (did you mean '{close}'?)" if close else ""
