"""The service worker's build side and the mkdocs-serve build: versions, page list, no caching worker while editing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from rulebook.site.generator import generate
from rulebook.site.offline import page_url, service_worker, site_version


def test_page_urls_are_the_directory_urls_mkdocs_writes() -> None:
    assert page_url("index.md") == ""
    assert page_url("taxes.md") == "taxes/"
    assert page_url("reference/index.md") == "reference/"
    assert page_url("reference/routes.md") == "reference/routes/"


def test_the_version_changes_with_any_file_and_names_rules_and_runtime() -> None:
    files: dict[str, str | bytes] = {"rules.json": json.dumps({"version": "7"}), "pyodide/314.0.7/pyodide.mjs": b"x",
                                     "index.md": "# Home"}
    version = site_version(files)
    assert version.startswith("7-314.0.7-")
    assert site_version({**files, "index.md": "# Home, edited"}) != version
    assert site_version({**files, "pyodide/314.0.7/pyodide.mjs": b"y"}) != version
    assert site_version(dict(reversed(list(files.items())))) == version  # order does not matter


def test_the_worker_lists_every_page_and_its_version() -> None:
    files: dict[str, str | bytes] = {"rules.json": "{}", "index.md": "", "taxes.md": "", "reference/index.md": "",
                                     "assets/rulebook/a.js": b""}
    text = service_worker(files)
    pages = json.loads(re.search(r"const PAGES = (\[.*\]);", text).group(1))  # type: ignore[union-attr]
    assert pages == ["", "reference/", "taxes/", "404.html", "search/search_index.json"]
    assert f'const VERSION = "{site_version(files)}";' in text


def test_the_real_site_has_a_worker_at_its_root_listing_its_pages(built_site: Path) -> None:
    text = (built_site / "sw.js").read_text(encoding="utf-8")
    pages = json.loads(re.search(r"const PAGES = (\[.*\]);", text).group(1))  # type: ignore[union-attr]
    for page in pages:
        assert (built_site / page / "index.html").is_file() or (built_site / page).is_file(), page
    assert "calculator/" in pages and not any("pyodide" in p for p in pages)
    for page in ("index.html", "taxes/index.html", "calculator/index.html"):
        assert "sw.js" in (built_site / page).read_text(encoding="utf-8"), page


def test_a_live_build_has_no_caching_worker_and_no_compressed_copies(tmp_path: Path, project_root: Path) -> None:
    out = generate(project_root, tmp_path / "docs", live=True).out_dir
    worker = (out / "sw.js").read_text(encoding="utf-8")
    assert "unregister()" in worker and "fetch" not in worker
    assert not list(out.rglob("*.br")) and not list(out.rglob("*.gz"))
