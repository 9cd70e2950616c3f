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

Start-up speed (measured lever by lever in ``bench/bench_browser.py``): the page mounts a standard
library precompiled inside Pyodide and trimmed to what the engine imports (:mod:`.stdlib_archive`);
the full precompiled archive ships beside it for the worker's fallback finder. The worker keeps a
memory snapshot in the reader's own browser after the first visit, under :func:`boot_attributes`'
``data-snapshot-key``, which changes with anything the snapshot depends on.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .pyodide_manifest import MANIFEST, locked_pyodide
from .stdlib_archive import WORKER_PY, full_archive, trimmed_archive

__all__ = ["ENGINE_ZIP", "RUNTIME_FILES", "Runtime", "RuntimeFilesError", "boot_attributes", "engine_zip", "load_runtime",
           "with_boot_meta"]

log = logging.getLogger("mkdocs.plugins.rulebook")

RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide.mjs.map")
"""Copied into the site: the three files the loader fetches besides the stdlib, plus the source map ``pyodide.mjs`` names."""

NPM_STDLIB = "python_stdlib.zip"
FULL_STDLIB = "python_stdlib.pyc.zip"
TRIMMED_STDLIB = "python_stdlib.trimmed.zip"
ENGINE_ZIP = "rulebook-engine.zip"
ENGINE_PACKAGES = ("ground", "engine")  # what the browser needs of rulebook, besides __init__.py
WORKER_JS = Path(__file__).resolve().parent / "assets" / "calculator-worker.js"
WORKER_SITE_PATH = "assets/rulebook/calculator-worker.js"
PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # site_src/rulebook


class RuntimeFilesError(Exception):
    """The runtime files are missing or do not match the manifest; ``str()`` says what to do."""


@dataclass(frozen=True)
class Runtime:
    """What the calculator page needs to know, and the files to copy (site path → source file)."""

    version: str
    base: str  # site folder, e.g. "pyodide/314.0.7/"
    stdlib: str  # site path of the archive the worker mounts (trimmed when the build could prove it)
    stdlib_full: str  # site path of the complete archive the worker's fallback finder fetches, or ""
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
    mounted, complete = _stdlib(project, folder, version)
    files.update({base + name: path for name, path in (mounted, complete) if path is not None})
    return Runtime(version, base, base + mounted[0], base + complete[0] if complete[0] else "", lock_info, files)


Archive = tuple[str, Path | None]  # (site file name, source) — ("", None) when absent


def _stdlib(project: Path, folder: Path, version: str) -> tuple[Archive, Archive]:
    """``(archive the worker mounts, complete archive for its fallback)``, the best the build could make."""
    cache = project / "build" / "pyodide-cache" / version
    full = full_archive(cache, folder)
    if full is None:
        return (NPM_STDLIB, folder / NPM_STDLIB), ("", None)
    trimmed = trimmed_archive(cache, folder, full, engine_zip(), *_probe_inputs(project))
    if trimmed is None:
        return (FULL_STDLIB, full), ("", None)
    return (TRIMMED_STDLIB, trimmed), (FULL_STDLIB, full)


def _probe_inputs(project: Path) -> tuple[str, list[object]]:
    """The rules as the browser reads them and every vector's scenario, for the trimming probe."""
    from ..rules import load_rules
    from ..rules.vectors import load_vectors

    rules, _ = load_rules(project / "rules")
    text = json.dumps({"version": rules.version, **rules.to_json()}, sort_keys=True) if rules is not None else "{}"
    vectors_dir = project / "rules" / "vectors"
    vectors, _ = load_vectors(vectors_dir) if vectors_dir.is_dir() else ([], [])
    return text, [v.as_dict()["input"] for v in vectors]


def boot_attributes(runtime: Runtime | None, rules_version: str, rules_digest: str) -> dict[str, str]:
    """The calculator root's ``data-*`` boot config, read by ``calculator.js`` (and the early start in the page's head).

    ``data-snapshot-key`` names the reader's browser-made memory snapshot: it changes with the
    runtime, the mounted stdlib archive (which must be byte-identical for a snapshot to load), the
    engine, the rules and the worker's code, so a snapshot is never restored into anything else.
    """
    engine = engine_zip()
    attrs = {"data-version": rules_version, "data-rules": "rules.json", "data-engine": ENGINE_ZIP}
    if runtime is None:
        return {**attrs, "data-runtime": "", "data-stdlib": "", "data-stdlib-full": "", "data-lock-info": "",
                "data-snapshot-key": "", "data-worker": WORKER_SITE_PATH}
    worker = hashlib.sha256(WORKER_JS.read_bytes() + WORKER_PY.read_bytes()).hexdigest()
    stdlib = runtime.files[runtime.stdlib]
    parts = [runtime.version, _sha256(runtime.files[runtime.base + "pyodide.asm.wasm"]),
             _sha256(runtime.files[runtime.base + "pyodide.asm.mjs"]), _sha256(stdlib),
             hashlib.sha256(engine).hexdigest(), rules_digest, worker]
    key = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]
    return {
        **attrs, "data-runtime": runtime.base, "data-stdlib": runtime.stdlib, "data-stdlib-full": runtime.stdlib_full,
        "data-lock-info": json.dumps(runtime.lock_info, sort_keys=True),
        "data-snapshot-key": f"{rules_version}-{key}", "data-worker": f"{WORKER_SITE_PATH}?v={worker[:12]}",
    }


def engine_zip() -> bytes:
    """The engine as the browser unpacks it: ``rulebook/__init__.py``, ``rulebook/ground/*.py`` and
    ``rulebook/engine/*.py``, nothing else (the engine imports only the standard library and ground).

    Byte-for-byte the files CPython runs; fixed timestamps and order, so the zip is reproducible.
    """
    sources = [PACKAGE_ROOT / "__init__.py", *(path for part in ENGINE_PACKAGES for path in sorted((PACKAGE_ROOT / part).glob("*.py")))]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sources:
            entry = zipfile.ZipInfo(path.relative_to(PACKAGE_ROOT.parent).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes())
    return buffer.getvalue()


_BOOT_TAG = re.compile(r"<[a-z]+\s[^>]*\bdata-snapshot-key=\"[^\"]*\"[^>]*>")


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs = {name: value or "" for name, value in attrs}


def with_boot_meta(markdown: str) -> str:
    """A page holding a calculator gets its boot config in the front matter too, as ``rulebook_boot``.

    Why: the theme's ``partials/rulebook-boot.html`` starts the worker from the page's ``<head>``,
    before the body (where the calculator's ``data-*`` attributes are) is even parsed. The config is
    read back from the rendered calculator element itself, so the two can never disagree.
    """
    found = _BOOT_TAG.search(markdown)
    if found is None:
        return markdown
    parser = _Attributes()
    parser.feed(found.group(0))
    boot = {name[len("data-"):]: value for name, value in parser.attrs.items()
            if name.startswith("data-") and name not in ("data-labels",)}
    if not boot.get("runtime"):
        return markdown
    line = f"rulebook_boot: {json.dumps(boot, sort_keys=True)}\n"
    if markdown.startswith("---\n"):
        return "---\n" + line + markdown[len("---\n"):]
    return f"---\n{line}---\n\n{markdown}"
