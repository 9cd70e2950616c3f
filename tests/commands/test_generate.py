"""`rulebook generate DIR` writes a self-sufficient docs tree: MkDocs builds it with no rulebook plugin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
def test_generated_tree_builds_with_plain_mkdocs(tmp_path: Path, project_root: Path) -> None:
    tree = tmp_path / "docs"
    done = subprocess.run([sys.executable, "-m", "rulebook", "generate", str(tree), "--project", str(project_root)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("wrote ")
    # A config that knows nothing of rulebook: the tree alone must be enough.
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: portable\n"
        f"docs_dir: {tree}\n"
        "theme: {name: material, font: false}\n"
        "markdown_extensions: [abbr, admonition, attr_list, md_in_html, tables, toc, pymdownx.details,"
        " pymdownx.superfences, {pymdownx.tabbed: {alternate_style: true}}]\n",
        encoding="utf-8",
    )
    site = tmp_path / "site"
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", str(site)],
                           capture_output=True, text=True, check=False, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert (site / "reference" / "routes" / "index.html").is_file()
    assert "Hardship withdrawal" in (site / "reference" / "routes" / "index.html").read_text(encoding="utf-8")
    assert (site / "rules.json").is_file()


def test_generate_reports_rule_problems_and_exits_1(tmp_path: Path, project_root: Path) -> None:
    import shutil

    project = tmp_path / "project"
    for folder in ("rules", "content", "macros"):
        shutil.copytree(project_root / folder, project / folder)
    (project / "rules" / "glossary.yaml").write_text("title: x\nintro: y\nentries: 3\n", encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "rulebook", "generate", str(out), "--project", str(project)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("rules/glossary.yaml:3: entries:")
    assert "Traceback" not in done.stderr
    assert not out.exists()
