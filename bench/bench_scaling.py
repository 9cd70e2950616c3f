"""Build time of the whole site with synthetic rule tables at 1×, 10× and 100× the real entry count.

Why: editors will grow the tables, so the build must stay fast and its cost must grow linearly with
the number of entries (targets: the real site in ≤ 5 s, 1,000 entries in ≤ 10 s on the 2-core
machine). Each size is a private copy of the project whose tables hold every real entry plus
copies of it under fresh ids (``<id>_x<k>``); references still point at real entries, so every
copy validates and renders like the original. A copy's ``when`` gets ``and 1 == 0`` appended, so
copied cautions, withholding rules and codes never fire and the worked examples on the pages (which
must match their vectors) keep their results. ``filing_statuses``, ``tax_years``,
``permissions`` and ``destinations`` stay at 1×: a copied filing status needs brackets in every tax
year, a copied tax year would repeat a year, every permission is a check the engine runs on every
request, and the destinations are the engine's own three.

Prints figures and asserts nothing. Run from the repository root::

    python bench/bench_scaling.py [--factors 1,10,100] [--repeat 1] [--profile FACTOR]

Each build is ``mkdocs build --strict`` in a fresh process (what ``make build`` does), timed from
start to exit; ``--profile`` runs one build of that size under cProfile and prints the top entries.
"""

from __future__ import annotations

import argparse
import copy
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXED_TABLES = {"filing_statuses", "tax_years", "permissions", "destinations"}
# What a build reads; everything else in the repository (tests, .git, caches) stays behind.
PROJECT_ITEMS = ("mkdocs.yml", "content", "macros", "rules", "site_src", "package.json", "package-lock.json", "pyproject.toml")


def multiply_rules(source: Path, target: Path, factor: int) -> int:
    """Write ``source``'s tables into ``target`` with ``factor``× the entries; return the entry count."""
    target.mkdir(parents=True, exist_ok=True)
    total = 0
    for path in sorted(source.iterdir()):
        if path.is_dir():
            shutil.copytree(path, target / path.name)
            continue
        if path.suffix not in (".yaml", ".yml"):
            shutil.copy2(path, target / path.name)
            continue
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = list(data.get("entries") or [])
        grown = list(entries)
        if path.stem not in FIXED_TABLES:
            for k in range(1, factor):
                for entry in entries:
                    clone = copy.deepcopy(entry)
                    clone["id"] = f"{entry['id']}_x{k}"
                    if isinstance(clone.get("when"), str):  # a copy never fires, so worked examples keep their results
                        clone["when"] = f"({clone['when']}) and 1 == 0"
                    grown.append(clone)
        data["entries"] = grown
        total += len(grown)
        (target / path.name).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    return total


def make_project(workdir: Path, factor: int) -> tuple[Path, int]:
    """A copy of the project with multiplied tables; node_modules is linked, not copied (Pyodide is 20 MB).

    Every copy shares one ``build/pyodide-cache`` (seeded from the repository's): the precompiled
    stdlib zip depends only on the pinned Pyodide, never on the rules, and a developer's machine
    builds it once. Without a seed the first build compiles it and is reported as the cold build.
    """
    project = workdir / f"x{factor}"
    project.mkdir()
    shared = workdir / "pyodide-cache"
    if not shared.exists():
        seed = ROOT / "build" / "pyodide-cache"
        if seed.is_dir():
            shutil.copytree(seed, shared)
        else:
            shared.mkdir()
    (project / "build").mkdir()
    (project / "build" / "pyodide-cache").symlink_to(shared)
    for name in PROJECT_ITEMS:
        src = ROOT / name
        if src.is_dir() and name != "rules":
            shutil.copytree(src, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            shutil.copy2(src, project / name)
    if (ROOT / "node_modules").exists():
        (project / "node_modules").symlink_to(ROOT / "node_modules")
    entries = multiply_rules(ROOT / "rules", project / "rules", factor)
    return project, entries


def build(project: Path) -> float:
    """Seconds for one ``mkdocs build --strict`` of ``project`` into a fresh folder."""
    out = project / "site"
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(project / "mkdocs.yml"),
                           "-d", str(out)], cwd=project, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"build of {project.name} failed:\n{done.stdout}{done.stderr}")
    return seconds


def profile(project: Path, top: int = 25) -> None:
    """One build of ``project`` under cProfile, the most expensive calls by cumulative time."""
    out = project / "site"
    shutil.rmtree(out, ignore_errors=True)
    stats = project / "build.prof"
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(stats), "-m", "mkdocs", "build", "--strict", "--quiet",
                    "-f", str(project / "mkdocs.yml"), "-d", str(out)], cwd=project, check=True)
    import pstats

    pstats.Stats(str(stats)).sort_stats("cumulative").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="1,10,100", help="comma-separated multiples of the real entry count")
    parser.add_argument("--repeat", type=int, default=1, help="builds per size; the median is printed")
    parser.add_argument("--profile", type=int, default=0, metavar="FACTOR", help="profile one build of this size instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rulebook-scaling-") as tmp:
        if args.profile:
            project, entries = make_project(Path(tmp), args.profile)
            print(f"profiling one build with {entries} entries ({args.profile}×)")
            profile(project)
            return 0
        factors = [int(f) for f in args.factors.split(",") if f.strip()]
        print(f"{'size':>6} {'entries':>8} {'pages':>6} {'build s':>8} {'ms/entry':>9} {'marginal ms/entry':>18}"
              f"  (median of {args.repeat}, mkdocs build --strict)")
        previous: tuple[int, float] | None = None
        for index, factor in enumerate(factors):
            project, entries = make_project(Path(tmp), factor)
            if index == 0:
                cold = build(project)  # untimed warm-up: file caches, and the Pyodide stdlib zip if not seeded
                print(f"{'':>6} first build {cold:.2f} s (warm-up, not counted)", flush=True)
            seconds = statistics.median(build(project) for _ in range(args.repeat))
            pages = sum(1 for _ in (project / "site").rglob("*.html"))
            # Linear growth shows as a constant marginal cost per added entry from one size to the next.
            marginal = f"{'':>18}"
            if previous and entries > previous[0]:
                marginal = f"{1000 * (seconds - previous[1]) / (entries - previous[0]):>18.2f}"
            print(f"{factor:>5}× {entries:>8} {pages:>6} {seconds:>8.2f} {1000 * seconds / entries:>9.2f} {marginal}", flush=True)
            previous = (entries, seconds)
            shutil.rmtree(project, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
