"""The calculator engine: a scenario and the rule tables in, a result with its trace out.

Standard library only, so the very same files run in CPython (CLI, tests, pages rendered at
build time) and in Pyodide in the browser. It receives the rule set as plain data (the shape of
``rules.json``, ``RuleSet.to_json()``) and never imports the loader, YAML or MkDocs.
"""

from __future__ import annotations

from .compare import compare
from .evaluate import evaluate
from .prepared import Prepared, prepare
from .vectors import disagreements, run_vectors, worked_example

__all__ = ["Prepared", "compare", "disagreements", "evaluate", "prepare", "run_vectors", "worked_example"]
