"""What every calculator page shares in the browser: the Python runtime, the engine zip, the boot config.

All calculators of a site run on one Pyodide boot per tab: the same runtime files, the same
engine zip and the same ``rules.json``. :func:`outputs` adds those files to the docs tree once;
:func:`boot_attributes` writes the ``data-*`` attributes the page's boot module reads from the
calculator's root element, whichever calculator it is.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ...rules import RuleSet
from ..pyodide_runtime import ENGINE_ZIP, Runtime, RuntimeFilesError, engine_zip, load_runtime
from ..pyodide_runtime import boot_attributes as runtime_attributes

__all__ = ["boot_attributes", "outputs", "runtime_for"]


def runtime_for(project: Path) -> Runtime | None:
    """The verified Pyodide runtime of ``project`` (``None`` when it declares none)."""
    try:
        return load_runtime(project)
    except RuntimeFilesError as exc:
        from ..generator import BuildError  # late: the generator imports this package

        raise BuildError([f"node_modules/pyodide: {exc}"]) from None


def outputs(rules: RuleSet, project: Path) -> dict[str, str | bytes]:
    """The browser's files: the runtime (verified) and the engine zip beside ``rules.json``."""
    files: dict[str, str | bytes] = {ENGINE_ZIP: engine_zip()}
    runtime = runtime_for(project)
    if runtime is not None:
        files.update({name: path.read_bytes() for name, path in runtime.files.items()})
    return files


def _rules_digest(rules: RuleSet) -> str:
    return hashlib.sha256(json.dumps(rules.to_json(), sort_keys=True).encode()).hexdigest()


def boot_attributes(rules: RuleSet, project: Path) -> dict[str, str]:
    """The boot config on the calculator's root element, read by ``calculator/boot.js`` (and the head's early start)."""
    return runtime_attributes(runtime_for(project), rules.version, _rules_digest(rules))
