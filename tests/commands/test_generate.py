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


def test_zensical_config_is_mkdocs_yml_pointed_at_the_tree(tmp_path: Path, project_root: Path) -> None:
    """The Zensical configuration repeats no setting by hand: mkdocs.yml, with the documented changes only."""
    import yaml

    work = tmp_path / "zensical"
    done = subprocess.run([sys.executable, "-m", "rulebook", "generate", str(work / "docs"), "--project", str(project_root),
                           "--zensical-config", str(work / "mkdocs.yml"), "--site-url", "http://127.0.0.1:9999"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert f"wrote {work / 'mkdocs.yml'}" in done.stdout
    written = yaml.safe_load((work / "mkdocs.yml").read_text(encoding="utf-8"))
    source = yaml.safe_load((project_root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert written["docs_dir"] == "docs" and written["site_dir"] == "site"
    assert written["site_url"] == "http://127.0.0.1:9999/"
    assert "rulebook" not in written["plugins"] and "search" in written["plugins"]
    assert "custom_dir" not in written["theme"] and written["theme"]["variant"] == "classic"
    for key in ("site_name", "nav", "markdown_extensions", "extra_css", "extra_javascript", "validation"):
        assert written[key] == source[key], key
    theme = {k: v for k, v in written["theme"].items() if k != "variant"}
    assert theme == {k: v for k, v in source["theme"].items() if k != "custom_dir"}
    assert (work / "docs" / "index.md").is_file()


def test_zensical_config_outside_the_tree_is_refused_before_anything_is_written(tmp_path: Path, project_root: Path) -> None:
    out = tmp_path / "elsewhere" / "docs"
    done = subprocess.run([sys.executable, "-m", "rulebook", "generate", str(out), "--project", str(project_root),
                           "--zensical-config", str(tmp_path / "zensical" / "mkdocs.yml")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "must be a folder inside" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists() and not (tmp_path / "zensical").exists()
    alone = subprocess.run([sys.executable, "-m", "rulebook", "generate", str(out), "--site-url", "http://x/"],
                           capture_output=True, text=True, check=False)
    assert alone.returncode == 2 and "--site-url is only used with --zensical-config" in alone.stderr
