"""Every loan vector gives, in Pyodide, exactly the result CPython gives: the engine zip the site ships,
run by the project's pinned Pyodide under Node (the interpreter the browser runs, without the page).

The Chromium test of the calculator page sends vectors through ``window.rulebook``; until the page
exposes ``call(entry, …)`` for entry points other than ``evaluate`` this is the parity check of the
``loan`` entry point.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from rulebook.engine.vectors import run_one
from rulebook.rules.vectors import load_vectors
from rulebook.site.pyodide_runtime import engine_zip

from ..conftest import ROOT, RULES_DIR
from ..tools import missing

PYODIDE = ROOT / "node_modules" / "pyodide"

SCRIPT = """
const { readFileSync } = await import("node:fs");
const [dir, zip, data] = process.argv.slice(1);
const { loadPyodide } = await import(dir + "/pyodide.mjs");
const py = await loadPyodide({ indexURL: dir + "/" });
py.FS.writeFile("/tmp/engine.zip", readFileSync(zip));
py.FS.writeFile("/tmp/vectors.json", readFileSync(data));
console.log(py.runPython(`
import json, sys
sys.path.insert(0, "/tmp/engine.zip")
from rulebook.engine.vectors import run_one
d = json.load(open("/tmp/vectors.json"))
json.dumps([json.dumps(run_one(v, d["rules"]), sort_keys=True) for v in d["vectors"]])
`));
"""


def test_loan_vectors_give_the_cpython_results_in_pyodide(tmp_path: Path, browser_rules: dict[str, Any]) -> None:
    if shutil.which("node") is None or not (PYODIDE / "pyodide.mjs").is_file():
        missing("node and node_modules/pyodide are needed (make setup runs npm ci)")
    vectors = [v.as_dict() for v in load_vectors(RULES_DIR / "vectors")[0] if v.entry == "loan"]
    assert len(vectors) >= 25
    (tmp_path / "engine.zip").write_bytes(engine_zip())
    (tmp_path / "vectors.json").write_text(json.dumps({"rules": browser_rules, "vectors": vectors}), encoding="utf-8")
    done = subprocess.run(["node", "--input-type=module", "-e", SCRIPT, str(PYODIDE), str(tmp_path / "engine.zip"),
                           str(tmp_path / "vectors.json")], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    in_pyodide = json.loads(done.stdout.strip().splitlines()[-1])
    in_cpython = [json.dumps(run_one(v, browser_rules), sort_keys=True) for v in vectors]  # JSON text: 100 and 100.0 differ
    differ = [v["name"] for v, a, b in zip(vectors, in_pyodide, in_cpython, strict=True) if a != b]
    assert not differ, differ
    assert all("errors" not in json.loads(r) for v, r in zip(vectors, in_pyodide, strict=True) if "errors" not in v["output"])
