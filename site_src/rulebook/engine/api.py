"""The engine's entry points by name, JSON text in and out: what a browser worker calls.

A calculator page is declared with the name of its entry point; the worker that runs Python stays
generic. It hands the rules over once (:func:`load`) and then asks :func:`call` with an entry name
and a JSON payload, getting back exactly what ``rulebook calc --format json`` (or the matching
command) prints for the same input: keys sorted, money as numbers. Nothing here raises on any
payload: a bad one comes back as ``{"errors": [...]}`` like every other input error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from .compare import compare
from .evaluate import evaluate
from .loan import evaluate_loan
from .prepared import Prepared, prepare

__all__ = ["ENTRY_POINTS", "call", "dumps", "load"]

EntryPoint = Callable[[Any, Mapping[str, Any] | Prepared], dict[str, Any]]

ENTRY_POINTS: dict[str, EntryPoint] = {"evaluate": evaluate, "compare": compare, "loan": evaluate_loan}
"""Every function a page may call by name. Each takes a JSON-like request and the prepared rules."""

_LOADED: list[Prepared] = []


def load(rules_text: str) -> str:
    """Read ``rules.json`` (its text) once for every later call; the rules' version string back."""
    rules = json.loads(rules_text)
    _LOADED[:] = [prepare(rules)]
    return str(rules.get("version", "")) if isinstance(rules, Mapping) else ""


def dumps(result: Mapping[str, Any]) -> str:
    """A result as the CLI prints it in JSON: keys sorted, not ASCII-escaped."""
    return json.dumps(result, sort_keys=True, ensure_ascii=False)


def call(entry: str, payload: str) -> str:
    """Run the entry point ``entry`` on the JSON text ``payload`` against the loaded rules."""
    function = ENTRY_POINTS.get(entry)
    if function is None:
        known = ", ".join(sorted(ENTRY_POINTS))
        return dumps({"errors": [{"field": "", "message": f"no calculator entry point '{entry}'; expected one of: {known}"}]})
    if not _LOADED:
        return dumps({"errors": [{"field": "rules", "message": "the rules are not loaded yet"}]})
    try:
        request = json.loads(payload)
    except (ValueError, RecursionError) as exc:
        return dumps({"errors": [{"field": "", "message": f"the request is not valid JSON ({exc})"}]})
    return dumps(function(request, _LOADED[0]))
