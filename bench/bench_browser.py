"""The calculator in headless Chromium on localhost: first result, Python ready cold and warm, evaluation, bytes.

Targets (this 2-core machine): ready ≤ 3.0 s cold (fresh profile) and ≤ 1.0 s warm (reload, on-disk
cache), evaluation ≤ 2 ms median through ``window.rulebook.evaluate``, and 0 bytes of Pyodide on
content pages. Prints figures, asserts nothing. The site is built (``mkdocs build --strict``) into a
temporary folder and served like a static host (gzip, long cache lifetimes for ``/pyodide/`` and
``/assets/``; ``bench_lighthouse.serve``). Run from the repository root::

    python bench/bench_browser.py [--runs 5] [--evaluations 300] [--settle 3000] [--site DIR]
    RULEBOOK_PYODIDE_SNAPSHOT=1 python bench/bench_browser.py   # the same with the optional memory snapshot

Times are from navigation start: "first result" is the first contentful paint, which already shows
the prerendered result; "ready" is when ``window.rulebook.ready`` resolves. The worker reports where
its start-up went (loader import, Python start, engine and rules), printed as medians.

Two warm figures, because they differ: a reload a few seconds after the first visit (a reader
coming back) and a reload at once. After a cold start Chromium writes its code caches (the compiled
wasm, the 1.2 MB JS glue) in the background; a reload at once misses part of them and its Python
start-up is ~0.25 s slower. After ``--settle`` ms idle it is not.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_lighthouse import build, serve  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SCENARIO = {"tax_year": 2026, "person": {"age": 52, "other_income": 60000}, "plan": {"allows": ["hardship"]},
            "balances": {"pretax_deferrals": 80000},
            "request": {"route": "hardship", "source": "pretax_deferrals", "amount": 10000, "hardship_reason": "medical"}}

LOAD = """async () => {
  const ready = await window.rulebook.ready.then(() => performance.now());
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return {ready, fcp: paint ? paint.startTime : null, timings: window.rulebook.timings, asked: window.rulebook.bootStarted,
          origin: performance.timeOrigin};
}"""

EVALUATE = """async ([scenario, count]) => {
  const times = [];
  for (let i = 0; i < count; i++) {
    scenario.request.amount = 1000 + i;
    const t = performance.now();
    await window.rulebook.evaluate(scenario);
    times.push(performance.now() - t);
  }
  return times;
}"""


class Bytes:
    """Encoded bytes of every response a context received (page and worker), by URL."""

    def __init__(self, context: Any) -> None:
        self.finished: list[Any] = []
        context.on("requestfinished", lambda request: self.finished.append(request))

    def total(self, only: str = "") -> int:
        found = 0
        for request in self.finished:
            if only in request.url:
                sizes = request.sizes()
                found += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return found


def measure_load(pw: Any, url: str, runs: int, settle_ms: int) -> dict[str, list[float]]:
    """Per fresh profile: a cold load, a reload right after ready, and a reload after ``settle_ms`` idle."""
    figures: dict[str, list[float]] = {}

    def add(key: str, value: float) -> None:
        figures.setdefault(key, []).append(value)

    for _ in range(runs):
        with tempfile.TemporaryDirectory() as profile:
            context = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS)
            try:
                page = context.new_page()
                page.goto(url)
                loads = {"cold": page.evaluate(LOAD)}
                page.reload()
                loads["warm"] = page.evaluate(LOAD)
                page.wait_for_timeout(settle_ms)
                page.reload()
                loads["idle"] = page.evaluate(LOAD)
            finally:
                context.close()
        add("fcp", loads["cold"]["fcp"])
        add("snapshot", 1.0 if loads["cold"]["timings"].get("snapshot") else 0.0)
        for label, run in loads.items():
            timings = run["timings"]
            add(label, run["ready"])
            add(f"{label} asked", run["asked"])
            add(f"{label} worker up", timings["origin"] - run["origin"] + timings["workerStart"])  # worker clock starts at creation
            for key in ("loader", "python", "engine"):
                add(f"{label} {key}", timings[key])
            for download in timings.get("downloads", []):  # when each runtime file was in (worker clock, from boot)
                if download["name"] in ("pyodide.asm.wasm", "python_stdlib.pyc.zip", "python_stdlib.zip", "python.snapshot.gz"):
                    name = {"pyodide.asm.wasm": "wasm", "python.snapshot.gz": "snapshot"}.get(download["name"], "stdlib")
                    add(f"{label} in {name}", download["end"] - timings["workerStart"])
    return figures


def transfer(browser: Any, url: str) -> tuple[int, int]:
    context = browser.new_context()
    try:
        counter = Bytes(context)
        page = context.new_page()
        page.goto(url)
        if "/calculator/" in url:
            page.evaluate("window.rulebook.ready")
        page.wait_for_timeout(500)
        return counter.total(), counter.total("/pyodide/")
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--evaluations", type=int, default=300)
    parser.add_argument("--settle", type=int, default=3000, help="ms idle before the second warm reload")
    parser.add_argument("--site", type=Path, help="a built site folder (default: build one)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if args.site is None:
            build(site)
        server, base = serve(site, use_gzip=True)
        try:
            with sync_playwright() as pw:
                load = measure_load(pw, base + "calculator/", args.runs, args.settle)
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                try:
                    page = browser.new_page()
                    page.goto(base + "calculator/")
                    page.evaluate("window.rulebook.ready")
                    page.evaluate(EVALUATE, [SCENARIO, 20])  # warm-up
                    times = sorted(page.evaluate(EVALUATE, [SCENARIO, args.evaluations]))
                    page.close()
                    calc_bytes, calc_pyodide = transfer(browser, base + "calculator/")
                    content_bytes, content_pyodide = transfer(browser, base + "taxes/")
                finally:
                    browser.close()
        finally:
            server.shutdown()
    med = statistics.median
    print(f"bench_browser: {args.runs} runs (median), served with gzip from {base}")
    print(f"  first result visible (FCP, prerendered)  {med(load['fcp']):8.0f} ms")
    print(f"  ready, cold (fresh profile)              {med(load['cold']):8.0f} ms   target ≤ 3000   runs {_list(load['cold'])}")
    print(f"  ready, warm (reload {args.settle / 1000:g} s after ready)      {med(load['idle']):8.0f} ms   target ≤ 1000   "
          f"runs {_list(load['idle'])}")
    print(f"  ready, warm (reload at once after ready) {med(load['warm']):8.0f} ms   (Chromium's caches still being written) "
          f"runs {_list(load['warm'])}")
    print(f"    memory snapshot used: {'yes' if load['snapshot'] and all(load['snapshot']) else 'no'} "
          "(RULEBOOK_PYODIDE_SNAPSHOT=1 at build time ships one)")
    for label, name in (("cold", "cold"), ("idle", "warm after idle"), ("warm", "warm at once")):
        arrived = ", ".join(f"{key.split()[-1]} {med(values):.0f}" for key, values in sorted(load.items())
                            if key.startswith(f"{label} in "))
        print(f"    {name}: page asked for Python at {med(load[f'{label} asked']):.0f} ms, worker had it at "
              f"{med(load[f'{label} worker up']):.0f} ms; then loader import {med(load[f'{label} loader']):.0f} ms, "
              f"Python start {med(load[f'{label} python']):.0f} ms (files in after: {arrived} ms), "
              f"engine + rules {med(load[f'{label} engine']):.0f} ms")
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"  evaluate() latency                       {med(times):8.2f} ms   target ≤ 2      p95 {p95:.2f} ms, "
          f"{len(times)} calls")
    print(f"  bytes, calculator page (gzip)            {calc_bytes / 1e6:8.2f} MB   of which Pyodide {calc_pyodide / 1e6:.2f} MB")
    print(f"  bytes, content page taxes/ (gzip)        {content_bytes / 1e3:8.1f} kB   of which Pyodide {content_pyodide} bytes "
          "(target 0)")
    return 0


def _list(values: list[float]) -> str:
    return ", ".join(f"{v:.0f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())
