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
    monkeypatch.setattr(pyodide_runtime, "full_archive", lambda *args: None)  # Node's stdlib steps are tested on the real build
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
    assert set(RUNTIME_FILES) | {"pyodide-lock.json", "python_stdlib.zip"} == set(manifest["files"])
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
    # Without Node's precompiled archive (patched away above) the npm sources are mounted, with no fallback.
    assert {name.rsplit("/", 1)[1] for name in runtime.files} == {*RUNTIME_FILES, "python_stdlib.zip"}
    assert runtime.stdlib == runtime.base + "python_stdlib.zip" and runtime.stdlib_full == ""
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
    full = folder / "python_stdlib.pyc.zip"
    assert full.is_file(), "the precompiled stdlib was not built (is node installed?)"
    with zipfile.ZipFile(full) as archive:
        everything = set(archive.namelist())
    assert "json/__init__.pyc" in everything and "json/__init__.py" not in everything
    for script in (built_site / "assets" / "rulebook").glob("calculator*.js"):
        text = script.read_text(encoding="utf-8")
        assert "cdn." not in text and "https://" not in text, script.name


def test_trimmed_stdlib_holds_what_the_engine_imports_and_the_page_mounts_it(built_site: Path) -> None:
    folder = next((built_site / "pyodide").iterdir())
    trimmed, full = folder / "python_stdlib.trimmed.zip", folder / "python_stdlib.pyc.zip"
    with zipfile.ZipFile(trimmed) as archive:
        kept = set(archive.namelist())
        assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_STORED}  # the host compresses it whole
    with zipfile.ZipFile(full) as archive:
        everything = set(archive.namelist())
    # the engine's own imports and Pyodide's start-up ones, recorded, not listed by hand
    assert {"decimal.pyc", "json/__init__.pyc", "re/__init__.pyc", "dataclasses.pyc", "_pyodide/_base.pyc"} <= kept
    assert kept < everything and len(kept) < len(everything) / 3
    assert "tkinter/__init__.pyc" not in kept and "email/__init__.pyc" not in kept
    page = (built_site / "calculator" / "index.html").read_text(encoding="utf-8")
    assert f'data-stdlib="pyodide/{folder.name}/python_stdlib.trimmed.zip"' in page
    assert f'data-stdlib-full="pyodide/{folder.name}/python_stdlib.pyc.zip"' in page


def test_large_files_have_brotli_and_gzip_copies_of_the_same_bytes(built_site: Path) -> None:
    import gzip

    folder = next((built_site / "pyodide").iterdir())
    large = [folder / "pyodide.asm.wasm", folder / "pyodide.asm.mjs", folder / "python_stdlib.trimmed.zip",
             built_site / "rules.json", built_site / "rulebook-engine.zip"]
    for path in large:
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == path.read_bytes(), path.name
        assert path.with_name(path.name + ".br").stat().st_size < path.stat().st_size or path.suffix == ".zip", path.name
    wasm = folder / "pyodide.asm.wasm"
    assert (folder / "pyodide.asm.wasm.br").stat().st_size < 0.35 * wasm.stat().st_size
    assert not list((built_site / "taxes").glob("*.br"))  # pages are small: compressed on the fly by any host


def test_brotli_copies_decode_to_the_originals(built_site: Path) -> None:
    import subprocess

    folder = next((built_site / "pyodide").iterdir())
    script = ("const z=require('zlib'),fs=require('fs');for(const f of process.argv.slice(1)){"
              "if(!z.brotliDecompressSync(fs.readFileSync(f+'.br')).equals(fs.readFileSync(f)))process.exit(1)}")
    files = [str(folder / "pyodide.asm.mjs"), str(folder / "python_stdlib.trimmed.zip"), str(built_site / "rules.json")]
    assert subprocess.run(["node", "-e", script, *files], check=False).returncode == 0


def test_calculator_page_starts_the_worker_from_its_head_and_content_pages_do_not(built_site: Path) -> None:
    page = (built_site / "calculator" / "index.html").read_text(encoding="utf-8")
    head = page[: page.index("</head>")]
    assert "__rulebookEarly" in head and "new Worker(" in head and '"snapshot-key"' in head
    content = (built_site / "taxes" / "index.html").read_text(encoding="utf-8")
    assert "__rulebookEarly" not in content[: content.index("</head>")]
    assert 'data-snapshot-key="' not in content


def test_boot_meta_copies_the_calculator_config_into_the_front_matter() -> None:
    from rulebook.site.pyodide_runtime import with_boot_meta

    block = '<div id="x" data-runtime="pyodide/1/" data-snapshot-key="k1" data-lock-info="{&quot;a&quot;: 1}" data-labels="{}"></div>'
    text = with_boot_meta(f"---\ntitle: Calc\n---\n\n# Calc\n\n{block}\n")
    front = text.split("---\n")[1]
    import yaml

    meta = yaml.safe_load(front)
    assert meta["title"] == "Calc"
    assert meta["rulebook_boot"] == {"runtime": "pyodide/1/", "snapshot-key": "k1", "lock-info": '{"a": 1}'}
    assert with_boot_meta("# no calculator\n") == "# no calculator\n"
    without_runtime = block.replace('data-runtime="pyodide/1/"', 'data-runtime=""')
    assert with_boot_meta(without_runtime) == without_runtime  # no runtime, nothing to start early
