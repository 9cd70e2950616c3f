"""The Node steps of the build: the calculator's standard library (precompiled, then trimmed) and compressed copies.

Each step runs ``pyc_stdlib.mjs`` once and caches its output under ``build/pyodide-cache/``, keyed by
everything that decides it, so ordinary builds (and ``mkdocs serve`` rebuilds) only read files.
Nothing here can break a site: when Node or a step fails, the build logs a warning (which stops
``mkdocs build --strict``) and ships the next best thing — the full archive instead of the trimmed
one, the npm sources instead of the precompiled archive, no ``.br``/``.gz`` copies.

Why trimmed: the engine and Pyodide's own start-up import 128 of the archive's ~560 modules; the
archive of just those is 3.1 MB stored (0.9 MB Brotli) against 4.5 MB deflated for all of them.
Which modules is *recorded*, not listed by hand: ``pyc_stdlib.mjs trim`` boots Pyodide on the full
archive, runs the worker's Python on every scenario vector plus error paths, keeps what was
imported, then proves the trimmed archive on a second boot with no fallback. The browser keeps a
fallback anyway (``calculator_worker.FullStdlibFinder``): a module nobody foresaw is fetched from the
full archive, once, instead of failing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

__all__ = ["NODE_SCRIPT", "WORKER_PY", "compressed_copies", "full_archive", "trimmed_archive"]

log = logging.getLogger("mkdocs.plugins.rulebook")

NODE_SCRIPT = Path(__file__).resolve().parent / "pyc_stdlib.mjs"
WORKER_PY = Path(__file__).resolve().parent / "assets" / "calculator_worker.py"
FULL_NAME = "python_stdlib.pyc.zip"
TRIMMED_NAME = "python_stdlib.trimmed.zip"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _node(*args: str, timeout: int = 600) -> tuple[bool, str]:
    """Run the Node script; ``(ok, last line of stderr or stdout)``."""
    node = shutil.which("node")
    if node is None:
        return False, "node not found"
    try:
        done = subprocess.run([node, str(NODE_SCRIPT), *args], capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return False, str(exc)
    lines = (done.stderr.strip() or done.stdout.strip() or "no output").splitlines()
    return done.returncode == 0, lines[-1]


def _cached(target: Path) -> bool:
    stamp = target.with_name(target.name + ".sha256")
    return target.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == _sha(target.read_bytes())


def _stamp(target: Path) -> None:
    target.with_name(target.name + ".sha256").write_text(_sha(target.read_bytes()) + "\n", encoding="utf-8")


def full_archive(cache: Path, folder: Path) -> Path | None:
    """Every stdlib module precompiled inside Pyodide (the fallback archive), or ``None`` with a warning."""
    key = _sha(NODE_SCRIPT.read_bytes() + (folder / "python_stdlib.zip").read_bytes())[:16]
    target = cache / f"{key}-{FULL_NAME}"
    if _cached(target):
        return target
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f".{key}.partial.zip"
    ok, said = _node("full", str(folder), str(partial))
    if not ok or not zipfile.is_zipfile(partial):
        log.warning("rulebook: precompiling the stdlib failed (%s); shipping the npm python_stdlib.zip (slower start-up)", said)
        partial.unlink(missing_ok=True)
        return None
    partial.replace(target)
    _stamp(target)
    return target


def trimmed_archive(cache: Path, folder: Path, full: Path, engine: bytes, rules_text: str,
                    scenarios: list[object]) -> Path | None:
    """The archive of only the modules the probe imported, proven by a second boot; ``None`` (with a warning) to ship ``full``.

    Keyed by the script, the worker's Python, the full archive and the engine: editing a rule table
    does not re-run it (the engine's imports are module-level, and the browser's fallback finder
    covers what a new table might reach).
    """
    key = _sha(NODE_SCRIPT.read_bytes() + WORKER_PY.read_bytes() + full.read_bytes() + engine)[:16]
    target = cache / f"{key}-{TRIMMED_NAME}"
    if _cached(target):
        return target
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=".probe-") as tmp:
        work = Path(tmp)
        (work / "engine.zip").write_bytes(engine)
        (work / "rules.json").write_text(rules_text, encoding="utf-8")
        probe = {"engine": str(work / "engine.zip"), "worker": str(WORKER_PY), "rules": str(work / "rules.json"),
                 "scenarios": scenarios}
        (work / "probe.json").write_text(json.dumps(probe), encoding="utf-8")
        partial = work / "trimmed.zip"
        ok, said = _node("trim", str(folder), str(full), str(work / "probe.json"), str(partial))
        if not ok or not zipfile.is_zipfile(partial):
            log.warning("rulebook: the trimmed standard library failed (%s); shipping the full archive", said)
            return None
        partial.replace(target)
    _stamp(target)
    return target


def compressed_copies(cache: Path, files: dict[str, bytes]) -> dict[str, bytes]:
    """``{name + ".br": …, name + ".gz": …}`` for each file, made once per content (Brotli 11, gzip 9) and cached.

    Empty, with a warning, when Node cannot make them: the site still works, served uncompressed.
    """
    store = cache / "compressed"
    store.mkdir(parents=True, exist_ok=True)
    digests = {name: _sha(data) for name, data in files.items()}
    missing = {digest: files[name] for name, digest in digests.items()
               if not ((store / f"{digest}.br").is_file() and (store / f"{digest}.gz").is_file())}
    if missing:
        raw = []
        for digest, data in missing.items():
            path = store / digest
            path.write_bytes(data)
            raw.append(str(path))
        ok, said = _node("compress", *raw)
        for name in raw:
            Path(name).unlink(missing_ok=True)
        if not ok:
            log.warning("rulebook: precompressing the large files failed (%s); the site ships without .br/.gz copies", said)
            return {}
    out: dict[str, bytes] = {}
    for name, digest in digests.items():
        out[f"{name}.br"] = (store / f"{digest}.br").read_bytes()
        out[f"{name}.gz"] = (store / f"{digest}.gz").read_bytes()
    return out
