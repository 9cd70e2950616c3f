"""The calculator worker's Python half: start the engine inside Pyodide and answer calls with JSON text.

``calculator-worker.js`` fetches this file and runs it once, on a fresh boot; a memory snapshot the
worker makes afterwards keeps everything set up here (imported engine, parsed rules, the finder
below), so a return visit restores it instead of running it again. Plain Python, no Pyodide import
at module level, so the tests run it in CPython too.

Why a finder: the site ships a standard library trimmed to what the engine was seen to import at
build time. A module outside that set (an engine change the build did not exercise, a rare error
path in the standard library) must not kill the calculator: :class:`FullStdlibFinder` sits last on
``sys.meta_path`` and, for a standard-library name nobody else found, fetches the full archive once
(a synchronous request, allowed in a worker) and imports from it.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
from collections.abc import Callable
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import Any

ENGINE_DIR = "/home/pyodide/rulebook-engine"

_version = ""
_call: Callable[[str, str], str] | None = None


def _fetch_full_stdlib() -> str:
    """Ask the worker's JavaScript for the full archive; it writes it into the file system and returns its path."""
    import js  # type: ignore[import-not-found]  # Pyodide's module for the worker's globals, looked up only when needed

    return str(js.rulebookFullStdlib())


class FullStdlibFinder:
    """Import standard-library modules the trimmed archive left out, from the full archive fetched on first need."""

    def __init__(self, fetch: Callable[[], str] = _fetch_full_stdlib) -> None:
        self.fetch = fetch
        self.archive: str | None = None
        self.used: list[str] = []  # modules found here: the build's recorded set missed them

    def find_spec(self, name: str, path: Any = None, target: ModuleType | None = None) -> ModuleSpec | None:
        if name.partition(".")[0] not in sys.stdlib_module_names:
            return None  # not ours: an optional third-party import must still fail as usual
        if self.archive is None:
            self.archive = self.fetch()
            importlib.invalidate_caches()
        package = name.rpartition(".")[0]
        where = f"{self.archive}/{package.replace('.', '/')}" if package else self.archive
        spec = importlib.machinery.PathFinder.find_spec(name, [where])
        if spec is not None:
            self.used.append(name)
        return spec


def start(rules_text: str, engine_dir: str = ENGINE_DIR) -> str:
    """Import every engine module (so none is looked up after a snapshot restore) and parse the rules; return their version."""
    if engine_dir not in sys.path:
        sys.path.insert(0, engine_dir)
    if not any(isinstance(finder, FullStdlibFinder) for finder in sys.meta_path):
        sys.meta_path.append(FullStdlibFinder())
    root = Path(engine_dir)
    for source in sorted(root.glob("rulebook/**/*.py")):
        parts = source.relative_to(root).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    from rulebook.engine import api

    global _call, _version
    _version = api.load(rules_text)
    _call = api.call
    return _version


def call(entry: str, payload: str) -> str:
    """One request of the worker protocol: ``entry`` names the engine's entry point, ``payload`` and the answer are JSON text."""
    if _call is None:
        raise RuntimeError("the engine is not started")
    return _call(entry, payload)


def reseed() -> None:
    """A snapshot froze ``random``'s state for every visitor; give this one its own."""
    import random

    random.seed()


def version() -> str:
    """The rules' version (read again after a snapshot restore, where :func:`start` did not run)."""
    return _version
