"""``make build`` prints nothing an editor must act on: no warning, no Material end-of-life notice.

Material for MkDocs prints its end-of-life notice on every MkDocs run, with ``print`` to stderr when
the theme is imported (before any plugin is loaded, so no plugin or logging filter can stop it),
unless ``NO_MKDOCS_2_WARNING`` is set; the Makefile exports it. The test runs the real ``make build``
(``-o setup``: nothing is installed) in an environment without the variable, so it fails if the
Makefile stops exporting it, if Material renames its switch, or if the build starts to warn.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ..tools import missing

ROOT = Path(__file__).resolve().parents[2]
# Set by a calling make (make test) or by a shell; neither may hide what the Makefile itself does.
_NOT_INHERITED = ("NO_MKDOCS_2_WARNING", "DISABLE_MKDOCS_2_WARNING", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")

pytestmark = pytest.mark.slow


def test_make_build_prints_only_info_lines(tmp_path: Path) -> None:
    if shutil.which("make") is None:
        missing("make is not installed (apt-get install make)")
    env = {key: value for key, value in os.environ.items() if key not in _NOT_INHERITED}
    site = tmp_path / "site"
    done = subprocess.run(["make", "--no-print-directory", "-s", "-o", "setup", "build", f"SITE_DIR={site}"],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "end of life" not in output and "NO_MKDOCS_2_WARNING" not in output, output
    noise = [line for line in output.splitlines() if line.strip() and not line.startswith("INFO")]
    assert not noise, "\n".join(noise)
    assert (site / "index.html").is_file() and (site / "command-line" / "index.html").is_file()
