"""How long Zensical (Material's successor) takes to build the tree ``rulebook generate`` writes.

Prints the Zensical version, the page count and the build times; it asserts nothing (whether the
build passes, and whether its pages, search and calculator work, is tested in
``tests/browser/test_zensical_site.py``, part of ``make test``). It exits 1 only when a build fails,
printing Zensical's output. Each run builds into a fresh temporary project, the way
``make zensical-build`` does: ``rulebook generate DIR --zensical-config FILE`` then
``zensical build --strict --clean`` (cold: cache cleared) and again without ``--clean`` (Zensical's
cache warm, as on a rebuild).

Usage: ``python bench/check_zensical.py [--runs N] [--zensical PATH]`` (default: the ``zensical``
next to this Python, installed by ``make setup`` from the ``zensical`` extra).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _build(zensical: str, config: Path, clean: bool) -> float:
    start = time.perf_counter()
    done = subprocess.run([zensical, "build", "--strict", *(["--clean"] if clean else []), "--config-file", str(config)],
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        print(f"zensical build --strict FAILED (exit {done.returncode}):\n{(done.stdout + done.stderr)[-3000:]}")
        raise SystemExit(1)
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--zensical", default=str(Path(sys.executable).parent / "zensical"))
    args = parser.parse_args()
    if not Path(args.zensical).exists():
        print(f"zensical: not installed at {args.zensical} (make setup installs it)")
        return 1
    version = subprocess.run([args.zensical, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    cold, warm, pages = [], [], 0
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "mkdocs.yml"
            subprocess.run([sys.executable, "-m", "rulebook", "generate", str(Path(tmp) / "docs"), "--project", str(ROOT),
                            "--zensical-config", str(config)], check=True, capture_output=True)
            cold.append(_build(args.zensical, config, clean=True))
            warm.append(_build(args.zensical, config, clean=False))
            pages = len(list((Path(tmp) / "site").rglob("index.html")))
    print(f"zensical {version}: build --strict ok, {pages} pages; median of {args.runs}: "
          f"{statistics.median(cold):.2f} s cold, {statistics.median(warm):.2f} s with its cache")
    return 0


if __name__ == "__main__":
    sys.exit(main())
