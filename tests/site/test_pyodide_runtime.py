"""The self-hosted Pyodide runtime: pinned, verified file by file, and a broken install stops the build."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from rulebook.site import pyodide_runtime
from rulebook.site.generator import BuildError, generate
from rulebook.site.pyodide_manifest import MANIFEST, ManifestError, _check_integrity, locked_pyodide
from rulebook.site.pyodide_runtime import RUNTIME_FILES, RuntimeFilesError, engine_zip, load_runtime

ROOT = Path(__file__).resolve().parents[2]
PYODIDE = ROOT / "node_modules" / "pyodide"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project with its own node_modules/pyodide (hard links: cheap, and never written through)."""
    if not (PYODIDE / "pyodide.asm.wasm").is_file():
        pytest.fail("node_modules/pyodide is missing: run npm ci (make test does)", pytrace=False)
    copy = tmp_path / "project"
    for folder in ("rules", "content", "macros"):
        shutil.copytree(ROOT / folder, copy / folder)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(ROOT / name, copy / name)
    shutil.copytree(PYODIDE, copy / "node_modules" / "pyodide", copy_function=_link)
    monkeypatch.setattr(pyodide_runtime, "pyc_stdlib", lambda *args: None)  # Node's stdlib step is tested on the real build
    return copy


def _link(src: str, dst: str) -> None:
    Path(dst).hardlink_to(src)


def _replace(path: Path, data: bytes) -> None:
    path.unlink()  # break the hard link first
    path.write_bytes(data)


def test_manifest_matches_the_pinned_version() -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    version, integrity = locked_pyodide(ROOT)
    assert manifest["version"] == version and manifest["integrity"] == integrity
    assert version.startswith("314.")
    assert set(RUNTIME_FILES) | {"pyodide-lock.json"} == set(manifest["files"])
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["pyodide"] == version  # pinned exactly, no range


def test_tarball_integrity_check_rejects_other_bytes() -> None:
    data = b"pyodide tarball"
    good = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    _check_integrity(data, good)
    with pytest.raises(ManifestError, match="does not match"):
        _check_integrity(data + b"!", good)


def test_installed_runtime_verifies(project: Path) -> None:
    runtime = load_runtime(project)
    assert runtime is not None
    assert runtime.base == f"pyodide/{runtime.version}/"
    assert {name.rsplit("/", 1)[1] for name in runtime.files} == set(RUNTIME_FILES)
    installed_lock = json.loads((PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert runtime.lock_info == installed_lock["info"]


def test_an_altered_file_stops_the_build_with_run_npm_ci(project: Path, tmp_path: Path) -> None:
    target = project / "node_modules" / "pyodide" / "pyodide.mjs"
    _replace(target, target.read_bytes() + b"\n// tampered\n")
    with pytest.raises(RuntimeFilesError, match=r"pyodide\.mjs does not match the pinned pyodide .*run npm ci"):
        load_runtime(project)
    with pytest.raises(BuildError) as caught:
        generate(project, tmp_path / "out")
    assert "run npm ci" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_a_missing_file_stops_the_build(project: Path) -> None:
    (project / "node_modules" / "pyodide" / "pyodide.asm.wasm").unlink()
    with pytest.raises(RuntimeFilesError, match=r"pyodide\.asm\.wasm is missing.*run npm ci"):
        load_runtime(project)


def test_a_lock_pinning_another_version_is_reported(project: Path) -> None:
    lock_path = project / "package-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    lock["packages"]["node_modules/pyodide"]["version"] = "314.9.9"
    lock_path.write_text(json.dumps(lock), encoding="utf-8")
    with pytest.raises(RuntimeFilesError, match="pyodide_manifest"):
        load_runtime(project)


def test_a_lock_pinning_another_tarball_is_reported(project: Path) -> None:
    lock_path = project / "package-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    lock["packages"]["node_modules/pyodide"]["integrity"] = "sha512-" + base64.b64encode(b"another tarball").decode()
    lock_path.write_text(json.dumps(lock), encoding="utf-8")
    with pytest.raises(RuntimeFilesError, match="other than the one"):
        load_runtime(project)


def test_a_project_without_package_json_has_no_runtime(tmp_path: Path) -> None:
    assert load_runtime(tmp_path) is None


def test_engine_zip_holds_exactly_the_engine_and_ground_sources() -> None:
    package = ROOT / "site_src" / "rulebook"
    with zipfile.ZipFile(__import__("io").BytesIO(engine_zip())) as archive:
        names = sorted(archive.namelist())
        expected = sorted(["rulebook/__init__.py", *(f"rulebook/{part}/{p.name}" for part in ("engine", "ground")
                                                      for p in (package / part).glob("*.py"))])
        assert names == expected
        for name in names:
            assert archive.read(name) == (package.parent / name).read_bytes()
    assert engine_zip() == engine_zip()  # reproducible


def test_built_site_ships_verified_runtime_and_no_cdn(built_site: Path) -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    folder = built_site / "pyodide" / manifest["version"]
    for name in RUNTIME_FILES:
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == manifest["files"][name]["sha256"], name
    compiled = folder / "python_stdlib.pyc.zip"
    assert compiled.is_file(), "the precompiled stdlib was not built (is node installed?)"
    with zipfile.ZipFile(compiled) as archive:
        names = set(archive.namelist())
    assert "json/__init__.pyc" in names and "json/__init__.py" not in names
    for script in (built_site / "assets" / "rulebook").glob("calculator*.js"):
        text = script.read_text(encoding="utf-8")
        assert "cdn." not in text and "https://" not in text, script.name
