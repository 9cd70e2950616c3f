"""Find, verify and package the self-hosted Pyodide runtime the calculator page boots.

Nothing is fetched at build or run time: the runtime comes from ``node_modules/pyodide`` (installed
by ``npm ci`` from the pinned ``package-lock.json``) and every file is checked against the committed
manifest ``pyodide-files.json`` (made by :mod:`.pyodide_manifest`, which checked npm's tarball
integrity first). The chain of trust: the lock's ``integrity`` names one tarball; the manifest
records that same ``integrity`` (checked here) and the sha256 of each file inside that tarball; the
build hashes the installed files against it. A missing or altered file stops the build and says to
run ``npm ci``.

A project without ``package.json`` declares no browser runtime (a bare copy of ``rules/`` and
``content/``, as tests make): its site is built without Pyodide and the calculator page stays a
prerendered, static result.

Start-up speed: the npm stdlib zip holds only sources, so the browser would compile them on every
boot. :func:`pyc_stdlib` compiles them once inside Pyodide under Node (same interpreter, same
bytecode magic) and caches the zip under ``build/pyodide-cache/``; when Node or that step fails, the
build logs a warning and ships the npm zip instead, never a broken site.

The same Node step also makes a Pyodide memory snapshot (experimental API). It is shipped only when
``RULEBOOK_PYODIDE_SNAPSHOT=1`` is set for the build: measured here (``bench/bench_browser.py``) it
saves ~0.1 s of a cold start but adds 4.8 MB (gzipped; 31 MB inflated in the worker) to every first
visit, and a returning reader is ~0.2 s *slower* with it (0.98 s against 0.78 s: Pyodide compiles
the wasm only once the snapshot is inflated), so it is off by default.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .pyodide_manifest import MANIFEST, locked_pyodide

__all__ = ["RUNTIME_FILES", "Runtime", "RuntimeFilesError", "engine_zip", "load_runtime", "pyc_stdlib"]

log = logging.getLogger("mkdocs.plugins.rulebook")

RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide.mjs.map")
"""Copied into the site: the four files the loader fetches, plus the source map ``pyodide.mjs`` names."""

PYC_SCRIPT = Path(__file__).resolve().parent / "pyc_stdlib.mjs"
PYC_NAME = "python_stdlib.pyc.zip"
SNAPSHOT_NAME = "python.snapshot.gz"
ENGINE_ZIP = "rulebook-engine.zip"
ENGINE_PACKAGES = ("ground", "engine")  # what the browser needs of rulebook, besides __init__.py
PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # site_src/rulebook


class RuntimeFilesError(Exception):
    """The runtime files are missing or do not match the manifest; ``str()`` says what to do."""


@dataclass(frozen=True)
class Runtime:
    """What the calculator page needs to know, and the files to copy (site path → source file)."""

    version: str
    base: str  # site folder, e.g. "pyodide/314.0.7/"
    stdlib: str  # site path of the stdlib zip the page loads
    snapshot: str  # site path of the memory snapshot made on that zip, or "" when there is none
    lock_info: dict[str, Any]
    files: dict[str, Path] = field(default_factory=dict)


def _sha256(path: Path) -> str:
    return _sha256_cached(str(path), *_stat(path))


def _stat(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


@lru_cache(maxsize=64)
def _sha256_cached(path: str, size: int, mtime_ns: int) -> str:
    """Hashing the 9.6 MB wasm costs ~30 ms; ``mkdocs serve`` rebuilds reuse it while the file is unchanged."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_runtime(project: Path) -> Runtime | None:
    """The verified runtime of ``project``, ``None`` when it declares none; raise :class:`RuntimeFilesError` if broken."""
    project = Path(project).resolve()
    if not (project / "package.json").is_file():
        return None
    try:
        manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
        version, integrity = locked_pyodide(project)
    except Exception as exc:  # a broken lock or manifest (unreadable, not JSON, no pin): say so, never a traceback
        raise RuntimeFilesError(f"package-lock.json / {MANIFEST.name}: cannot read the pinned Pyodide ({exc})") from None
    if manifest.get("version") != version:
        raise RuntimeFilesError(
            f"package-lock.json pins pyodide {version} but {MANIFEST.name} describes {manifest.get('version')}: "
            "run python -m rulebook.site.pyodide_manifest after upgrading")
    if manifest.get("integrity") != integrity:  # the file hashes below are trusted only for the tarball the lock pins
        raise RuntimeFilesError(
            f"package-lock.json pins a pyodide {version} tarball other than the one {MANIFEST.name} was made from: "
            "run python -m rulebook.site.pyodide_manifest to check it against the lock")
    folder = project / "node_modules" / "pyodide"
    problems = []
    for name, expected in sorted(manifest["files"].items()):
        path = folder / name
        if not path.is_file():
            problems.append(f"node_modules/pyodide/{name} is missing")
        elif _sha256(path) != expected["sha256"]:
            problems.append(f"node_modules/pyodide/{name} does not match the pinned pyodide {version}")
    if problems:
        raise RuntimeFilesError("; ".join(problems) + ": run npm ci")
    lock_info = json.loads((folder / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]
    base = f"pyodide/{version}/"
    files = {base + name: folder / name for name in RUNTIME_FILES}
    stdlib, snapshot = base + "python_stdlib.zip", ""
    compiled = pyc_stdlib(project, folder, version)
    if compiled is not None:
        files[base + PYC_NAME] = compiled
        stdlib = base + PYC_NAME
        made = compiled.with_name(compiled.name.replace(PYC_NAME, SNAPSHOT_NAME))
        if made.is_file() and _snapshot_wanted():
            files[base + SNAPSHOT_NAME] = made
            snapshot = base + SNAPSHOT_NAME
    return Runtime(version, base, stdlib, snapshot, lock_info, files)


def pyc_stdlib(project: Path, folder: Path, version: str) -> Path | None:
    """The precompiled stdlib zip (built once per Pyodide version and script), or ``None`` with a warning.

    With ``RULEBOOK_PYODIDE_SNAPSHOT=1`` the same Node run also writes a memory snapshot beside it
    (``<key>-python.snapshot.gz``); a snapshot that could not be made is simply absent and the
    browser boots without one.
    """
    key = hashlib.sha256(PYC_SCRIPT.read_bytes() + _sha256(folder / "python_stdlib.zip").encode()).hexdigest()[:16]
    cache = project / "build" / "pyodide-cache" / version
    target = cache / f"{key}-{PYC_NAME}"
    stamp = target.with_suffix(".sha256")
    snapshot = cache / f"{key}-{SNAPSHOT_NAME}"
    want_snapshot = _snapshot_wanted()
    if target.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == _sha256(target) \
            and (snapshot.is_file() or not want_snapshot):
        return target
    node = shutil.which("node")
    if node is None:
        log.warning("rulebook: node not found; shipping the npm python_stdlib.zip (slower calculator start-up)")
        return None
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f".{key}.partial.zip"
    partial_snapshot = cache / f".{key}.partial.snapshot"
    try:
        extra = [str(partial_snapshot)] if want_snapshot else []
        done = subprocess.run([node, str(PYC_SCRIPT), str(folder), str(partial), *extra], capture_output=True, text=True,
                              timeout=300, check=False)
        ok = done.returncode == 0 and partial.is_file() and zipfile.is_zipfile(partial)
    except (OSError, subprocess.SubprocessError) as exc:
        done, ok = None, False
        log.warning("rulebook: precompiling the stdlib failed (%s)", exc)
    if not ok:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1] if done is not None else "see above"
        log.warning("rulebook: precompiling the stdlib failed (%s); shipping the npm python_stdlib.zip", reason)
        partial.unlink(missing_ok=True)
        return None
    if partial_snapshot.is_file():  # gzip it ourselves: 31 MB → ~5 MB whatever the host does; the worker inflates it
        compressed = gzip.compress(partial_snapshot.read_bytes(), compresslevel=6, mtime=0)
        snapshot.write_bytes(compressed)
        partial_snapshot.unlink()
    elif want_snapshot:
        log.warning("rulebook: no memory snapshot was made; the calculator boots without one")
    partial.replace(target)
    stamp.write_text(_sha256(target) + "\n", encoding="utf-8")
    return target


def _snapshot_wanted() -> bool:
    return os.environ.get("RULEBOOK_PYODIDE_SNAPSHOT") == "1"


def engine_zip() -> bytes:
    """The engine as the browser unpacks it: ``rulebook/__init__.py``, ``rulebook/ground/*.py`` and
    ``rulebook/engine/*.py``, nothing else (the engine imports only the standard library and ground).

    Byte-for-byte the files CPython runs; fixed timestamps and order, so the zip is reproducible.
    """
    sources = [PACKAGE_ROOT / "__init__.py", *(path for part in ENGINE_PACKAGES for path in sorted((PACKAGE_ROOT / part).glob("*.py")))]
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sources:
            entry = zipfile.ZipInfo(path.relative_to(PACKAGE_ROOT.parent).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes())
    return buffer.getvalue()
