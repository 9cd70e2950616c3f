"""How long an editor waits under ``mkdocs serve`` between saving a file and the page showing it.

Target (issue 5): within 2 seconds, calculator page included. Starts ``mkdocs serve`` on a private
copy of the project, then edits a rule label (``rules/routes.yaml``), a hand-written page
(``content/types-of-access.md``) and a macro (``macros/kb.md.j2``) in turn, and polls the served
page every 50 ms until the edit is in it. Prints figures, asserts nothing. Run from the repository
root::

    python bench/bench_live_preview.py [--runs 3]

The time runs from the write to the first fetch that has the change: MkDocs' file watcher, our
generator, MkDocs' own rebuild and the fetch. A browser page open on it reloads at that moment.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (file to edit, text to replace, its replacement around a unique marker {m}, page that must show it)
EDITS = (
    ("rules/routes.yaml", "label: Hardship withdrawal", "label: Hardship withdrawal {m}", "types-of-access/"),
    ("content/types-of-access.md", "# Types of in-service access", "# Types of in-service access {m}", "types-of-access/"),
    ("macros/kb.md.j2", "| Type of access |", "| Type of access {m} |", "types-of-access/"),
    ("rules/routes.yaml", "label: Hardship withdrawal", "label: Hardship withdrawal {m}", "calculator/"),
)


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _until(test: object, seconds: float, step: float = 0.05) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if test():  # type: ignore[operator]
            return time.perf_counter() - start
        time.sleep(step)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        for folder in ("rules", "content", "macros"):
            shutil.copytree(ROOT / folder, project / folder)
        theme = Path("site_src/rulebook/site/theme")
        shutil.copytree(ROOT / theme, project / theme)
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        port = _port()
        base = f"http://127.0.0.1:{port}/"
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if _until(lambda: "<html" in _fetch(base), 90, 0.2) is None:
                print("mkdocs serve did not come up")
                return 1
            print(f"bench_live_preview: mkdocs serve on {base}, {args.runs} edits of each kind (median)")
            count = 0
            for file, old, new, page in EDITS:
                path = project / file
                original = path.read_text(encoding="utf-8")
                times = []
                for _ in range(args.runs):
                    count += 1
                    marker = f"LiveEdit{count:03d}"
                    path.write_text(original.replace(old, new.format(m=marker), 1), encoding="utf-8")
                    seconds = _until(lambda m=marker, p=page: m in _fetch(base + p), 20)
                    times.append(float("nan") if seconds is None else seconds)
                    time.sleep(0.5)
                path.write_text(original, encoding="utf-8")
                time.sleep(2)  # let the restoring rebuild finish before the next kind of edit
                shown = ", ".join(f"{t:.2f}" for t in times)
                print(f"  {file:<28} -> /{page:<18} {statistics.median(times):.2f} s   runs {shown}")
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
