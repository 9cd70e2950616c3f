"""Markers that refine a schema field's type: references, expressions, dates, URLs, ids, units.

Used inside ``Annotated[...]`` in :mod:`rulebook.rules.schema`, read by the validator and by the
editor's guide, so a field's meaning is declared once, next to its type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Doc", "Expr", "Ident", "IsoDate", "Ref", "Template", "Url", "doc"]


@dataclass(frozen=True)
class Ref:
    """The value is the id of an entry in another table (checked after all tables load)."""

    table: str


@dataclass(frozen=True)
class Expr:
    """The value is a rule expression (:mod:`rulebook.ground.expressions`) over the facts vocabulary."""


@dataclass(frozen=True)
class Template:
    """Text that may contain ``{param.id}`` or ``{fact}`` placeholders, checked like expressions."""


@dataclass(frozen=True)
class IsoDate:
    """A calendar date written ``YYYY-MM-DD``."""


@dataclass(frozen=True)
class Url:
    """A single absolute https URL."""


@dataclass(frozen=True)
class Ident:
    """A stable lower_snake_case identifier; pages anchor on it."""


@dataclass(frozen=True)
class Doc:
    text: str
    example: str = ""


def doc(text: str, example: str = "", **kwargs: Any) -> Any:
    """A dataclass field carrying its guide text (and an example) in its metadata."""
    return field(metadata={"doc": text, "example": example}, **kwargs)
