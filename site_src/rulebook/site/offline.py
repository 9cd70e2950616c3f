"""What makes the built site work offline and travel light: the service worker and precompressed copies.

:func:`site_extras` runs last in :func:`.generator.generate`, over the complete docs tree, so it
sees every page and the final bytes of every file:

- ``sw.js`` at the site root (its scope is the whole site), from ``service-worker.js`` with the
  build's version and page list filled in. The version joins the rules' version, the Pyodide
  version and a digest of every generated file, so any change to rules, engine, runtime, pages or
  assets gives a new worker, whose activation deletes the old caches.
- ``<file>.br`` and ``<file>.gz`` beside the large files (the wasm, the glue and loader, the stdlib
  archives, ``rules.json``, the engine zip) for hosts that serve precompressed files as they are
  (nginx ``gzip_static``/``brotli_static``, Caddy ``precompressed``, most CDNs). ``python -m
  http.server`` ignores them and serves the originals.

For ``mkdocs serve`` (``live=True``) neither is made: the copies would slow every rebuild, and a
caching worker would fight live reload. ``sw.js`` is then a worker that deletes its caches and
unregisters itself, so one left behind by a built site served on the same address goes away.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .stdlib_archive import compressed_copies

__all__ = ["PRECOMPRESSED", "SERVICE_WORKER", "site_extras"]

SERVICE_WORKER = "sw.js"
TEMPLATE = Path(__file__).resolve().parent / "service-worker.js"
PRECOMPRESSED = re.compile(r"(^|/)(pyodide\.asm\.wasm|pyodide\.asm\.mjs|pyodide\.mjs|python_stdlib[\w.]*\.zip|rules\.json"
                           r"|rulebook-engine\.zip)$")
"""The files that get ``.br``/``.gz`` copies: together 98% of a calculator page's bytes."""
EXTRA_URLS = ("404.html", "search/search_index.json")
"""Cached with the pages: Material's not-found page and the search index its search worker loads."""

UNREGISTER = """// mkdocs serve: no offline cache while editing. This worker removes itself and its caches,
// so one left behind by a built site served on the same address cannot serve stale pages.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith("rulebook-site-")) await caches.delete(name);
    await self.registration.unregister();
  })());
});
"""


def page_url(markdown: str) -> str:
    """The site-relative URL MkDocs and Zensical give a page with directory URLs: ``a/b.md`` → ``a/b/``, ``a/index.md`` → ``a/``."""
    stem = markdown[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def site_version(files: dict[str, str | bytes]) -> str:
    """``<rules version>-<pyodide version>-<digest of every file>``: new whenever anything the site serves changes."""
    digest = hashlib.sha256()
    for name in sorted(files):
        data = files[name]
        digest.update(name.encode() + b"\0" + (data.encode() if isinstance(data, str) else data) + b"\0")
    rules = files.get("rules.json")
    version = str(json.loads(rules).get("version", "")) if isinstance(rules, str) else ""
    runtime = next((name.split("/")[1] for name in files if name.startswith("pyodide/") and name.count("/") >= 2), "none")
    return "-".join(part for part in (version, runtime, digest.hexdigest()[:12]) if part)


def service_worker(files: dict[str, str | bytes]) -> str:
    pages = sorted(page_url(name) for name in files if name.endswith(".md")) + list(EXTRA_URLS)
    return (TEMPLATE.read_text(encoding="utf-8")
            .replace("__RULEBOOK_VERSION__", site_version(files))
            .replace("/*__RULEBOOK_PAGES__*/ []", json.dumps(pages)))


def site_extras(files: dict[str, str | bytes], project: Path, live: bool = False) -> dict[str, str | bytes]:
    """The files to add to the finished docs tree (see the module docstring)."""
    if live:
        return {SERVICE_WORKER: UNREGISTER}
    extras: dict[str, str | bytes] = {}
    if any(name.startswith("pyodide/") for name in files):  # without a runtime no browser loads the large files
        large = {name: data.encode() if isinstance(data, str) else data for name, data in files.items() if PRECOMPRESSED.search(name)}
        extras.update(compressed_copies(project / "build" / "pyodide-cache", large))
    extras[SERVICE_WORKER] = service_worker(files)
    return extras
