"""Every page of the built site is valid HTML, as judged by html-validate (npm, pinned in package.json).

Browsers repair broken markup silently, each in its own way, and assistive technology reads the
repaired tree; valid markup is the one shape every client agrees on. The rule set is the
standard-conformance preset (``.htmlvalidate.cjs`` says why and lists each deliberate exception).
One ``node`` process validates all pages at once, so the check costs about a second.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ..tools import missing

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = ROOT / "node_modules" / ".bin" / "html-validate"
CONFIG = ROOT / ".htmlvalidate.cjs"


def _validate(files: list[Path]) -> list[dict[str, Any]]:
    """html-validate's JSON report for ``files`` (one entry per file with problems)."""
    if not VALIDATOR.exists() or shutil.which("node") is None:
        missing("html-validate is not installed: run `npm ci` (make test does)")
    done = subprocess.run([str(VALIDATOR), "--config", str(CONFIG), "--formatter", "json", *map(str, files)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1) or not done.stdout.strip():
        pytest.fail(f"html-validate did not run (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    report: list[dict[str, Any]] = json.loads(done.stdout)
    return report


def _errors(report: list[dict[str, Any]], root: Path) -> list[str]:
    return [f"{Path(item['filePath']).resolve().relative_to(root.resolve())}:{m['line']}:{m['column']}: {m['message']} ({m['ruleId']})"
            for item in report for m in item["messages"] if m["severity"] == 2]


def test_validator_catches_broken_markup(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>x</title></head>'
                    '<body><p><div>block in a paragraph</div></p><a href="#" id="a">1</a><b id="a">2</b></body></html>')
    errors = _errors(_validate([page]), tmp_path)
    rules = {e.rsplit("(", 1)[1].rstrip(")") for e in errors}
    assert {"no-dup-id", "close-order"} <= rules, errors


def test_every_page_is_valid_html(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 5
    errors = _errors(_validate(pages), built_site)
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
