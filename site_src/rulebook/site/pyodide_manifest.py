"""Write ``pyodide-files.json``: the sha256 of every Pyodide runtime file the site ships.

npm's lock records only the integrity of the whole tarball, which the build cannot check once npm
has unpacked it. This script closes the chain once per Pyodide upgrade: it fetches the tarball with
``npm pack`` (the ordinary npm client, into a temporary folder), checks it against the
``integrity`` that ``package-lock.json`` pins, and only then hashes the files inside it. The build
(:mod:`.pyodide_runtime`) checks ``node_modules/pyodide`` against this committed manifest.

Run from the project root: ``python -m rulebook.site.pyodide_manifest``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["MANIFEST", "MANIFEST_FILES", "build_manifest", "locked_pyodide", "main"]

MANIFEST = Path(__file__).resolve().parent / "pyodide-files.json"
MANIFEST_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide.mjs.map",
                  "pyodide-lock.json")


class ManifestError(Exception):
    """The tarball could not be fetched or does not match the lock."""


def locked_pyodide(project: Path) -> tuple[str, str]:
    """The ``(version, integrity)`` that ``package-lock.json`` pins for ``node_modules/pyodide``."""
    lock = json.loads((project / "package-lock.json").read_text(encoding="utf-8"))
    entry: dict[str, Any] = lock.get("packages", {}).get("node_modules/pyodide", {})
    version, integrity = entry.get("version"), entry.get("integrity")
    if not isinstance(version, str) or not isinstance(integrity, str):
        raise ManifestError("package-lock.json pins no pyodide version with an integrity hash")
    return version, integrity


def _check_integrity(data: bytes, integrity: str) -> None:
    algorithm, _, expected = integrity.partition("-")
    if algorithm not in ("sha512", "sha384", "sha256"):
        raise ManifestError(f"unsupported integrity algorithm {algorithm!r}")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise ManifestError(f"the npm tarball does not match package-lock.json ({algorithm} {actual} != {expected})")


def build_manifest(project: Path) -> dict[str, Any]:
    version, integrity = locked_pyodide(project)
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(["npm", "pack", f"pyodide@{version}", "--silent"], cwd=tmp, capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            raise ManifestError(f"npm pack pyodide@{version} failed: {done.stderr.strip()}")
        tarball = Path(tmp) / done.stdout.strip().splitlines()[-1]
        data = tarball.read_bytes()
        _check_integrity(data, integrity)
        files: dict[str, dict[str, Any]] = {}
        with tarfile.open(tarball) as archive:
            for name in MANIFEST_FILES:
                member = archive.extractfile(f"package/{name}")
                if member is None:
                    raise ManifestError(f"the tarball has no {name}")
                content = member.read()
                files[name] = {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
    return {"package": "pyodide", "version": version, "integrity": integrity, "files": files}


def main(argv: list[str] | None = None) -> int:
    project = Path(argv[0] if argv else ".").resolve()
    try:
        manifest = build_manifest(project)
    except (ManifestError, OSError, json.JSONDecodeError, tarfile.TarError) as exc:
        print(f"pyodide_manifest: {exc}", file=sys.stderr)
        return 1
    MANIFEST.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {MANIFEST} for pyodide {manifest['version']} (tarball integrity checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
