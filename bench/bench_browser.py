"""The calculator in headless Chromium on localhost: start-up lever by lever, main-thread blocking, evaluation, bytes.

Targets (this 2-core machine): ``rulebook.ready`` ≤ 1.0 s on a first visit and ≤ 0.4 s on a return
visit, ≤ 6 MB (Brotli) for the calculator page on a first visit, no main-thread task over 50 ms while
the person types, evaluation ≤ 2 ms median, 0 bytes of Pyodide on content pages. Prints figures,
asserts nothing. The site is built (``mkdocs build --strict``) into a temporary folder and served like
a static host (``bench_lighthouse.serve``: the build's ``.br``/``.gz`` files as they are, long cache
lifetimes for versioned paths). Run from the repository root::

    python bench/bench_browser.py [--runs 5] [--evaluations 300] [--settle 2000] [--site DIR] [--only LEVER ...]

Each lever is switched off on its own (``window.__rulebookLevers``, read by the page's boot code, or
a server or browser setting) and every variant is measured in the same run, round-robin, each
time in a fresh browser profile: a first visit, then — after the worker has saved its snapshot and
``--settle`` ms idle, so Chromium has written its code caches — a return visit (a reload). Times
are from navigation start to ``window.rulebook.ready``; medians over ``--runs``. A lever's share is
the median it costs to switch it off.
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

# name: (page levers, server serves precompressed files, service worker allowed)
VARIANTS: dict[str, tuple[dict[str, bool], bool, bool]] = {
    "all levers on": ({}, True, True),
    "trimmed stdlib off (full archive)": ({"trimmed": False}, True, True),
    "browser snapshot off": ({"snapshot": False}, True, True),
    "early start off (worker from body script)": ({"early": False}, True, True),
    "precompressed .br off (gzip on the fly)": ({}, False, True),
    "service worker off": ({}, True, False),
    "all levers off": ({"trimmed": False, "snapshot": False, "early": False}, False, False),
}

READY = """async () => {
  const ready = await window.rulebook.ready.then(() => performance.now());
  const t = window.rulebook.timings;
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return {ready, fcp: paint ? paint.startTime : null, snapshot: t.snapshot, asked: window.rulebook.bootStarted,
          workerUp: t.origin - performance.timeOrigin + t.workerStart, python: t.python, engine: t.engine, lookup: t.lookup};
}"""
SNAPSHOT_SAVED = "() => window.rulebook.snapshot || null"
LONG_TASKS = """() => { window.__longest = 0; new PerformanceObserver((list) => { for (const e of list.getEntries())
  window.__longest = Math.max(window.__longest, e.duration); }).observe({type: 'longtask', buffered: true}); }"""
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


# The spec's example plan (two routes, five sources) asking for money in hand: compare solves the goal
# for every route and source, so this is the slowest question a reader asks the page.
COMPARE_SCENARIO = {"tax_year": 2026, "person": {"age": 52, "other_income": 60000}, "plan": {"allows": ["age_based", "hardship"]},
                    "balances": {"pretax_deferrals": 80000,
                                 "roth_deferrals": {"balance": 13000, "contributions": 10000, "first_year": 2019},
                                 "after_tax": {"balance": 25000, "contributions": 20000}, "rollover": 15000,
                                 "employer": {"balance": 30000, "vested": 0.6}},
                    "request": {"route": "hardship", "source": "pretax_deferrals", "hardship_reason": "medical"}}
COMPARE = """async ([scenario, count]) => {
  const times = [];
  for (let i = 0; i < count; i++) {
    const request = {...scenario.request, goal: {kind: 'in_hand', amount: 8000 + i}};
    delete request.amount;
    const t = performance.now();
    await window.rulebook.compare({...scenario, request});
    times.push(performance.now() - t);
  }
  return times;
}"""


class Bytes:
    """Encoded bytes of every response a context received for the page and its worker, by URL."""

    def __init__(self, context: Any) -> None:
        self.finished: list[Any] = []
        context.on("requestfinished", lambda request: self.finished.append(request))

    def total(self, only: str = "") -> int:
        found = 0
        for request in self.finished:
            if only in request.url and getattr(request, "service_worker", None) is None:
                sizes = request.sizes()
                found += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return found


def one_run(pw: Any, url: str, levers: dict[str, bool], workers: bool, settle_ms: int) -> dict[str, Any]:
    """A fresh profile: first visit, the snapshot saved, ``settle_ms`` idle, return visit."""
    with tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS,
                                                        service_workers="allow" if workers else "block")
        try:
            counter = Bytes(context)
            context.add_init_script(f"window.__rulebookLevers = {_js(levers)};")
            page = context.new_page()
            page.goto(url)
            first = page.evaluate(READY)
            page.evaluate(EVALUATE, [SCENARIO, 3])  # what the page does as the reader starts typing
            first_bytes, first_pyodide = counter.total(), counter.total("/pyodide/")
            saved = None
            if levers.get("snapshot", True):
                page.wait_for_function(SNAPSHOT_SAVED, timeout=20_000)
                saved = page.evaluate(SNAPSHOT_SAVED)
            page.wait_for_timeout(settle_ms)
            page.reload()
            back = page.evaluate(READY)
        finally:
            context.close()
    return {"first": first, "back": back, "saved": saved, "bytes": first_bytes, "pyodide": first_pyodide}


def typing_long_tasks(browser: Any, base: str) -> tuple[float, float]:
    """Longest main-thread task (ms) during a first visit's boot, and while typing 12 keys into the amount."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(f"({LONG_TASKS})()")
        page.goto(base + "calculator/")
        page.evaluate("window.rulebook.ready")
        page.wait_for_timeout(2000)  # the snapshot is made in this quiet time
        boot = float(page.evaluate("window.__longest"))
        page.evaluate("window.__longest = 0")
        field = page.locator('[name="request.amount"]')
        field.click()
        field.press("Control+a")
        for key in "123456789012":
            page.keyboard.type(key, delay=60)
        page.wait_for_timeout(800)
        return boot, float(page.evaluate("window.__longest"))
    finally:
        context.close()


def transfer(browser: Any, url: str) -> tuple[int, int]:
    context = browser.new_context()
    try:
        counter = Bytes(context)
        page = context.new_page()
        page.goto(url)
        if "/calculator/" in url:
            page.evaluate("window.rulebook.ready")
        page.wait_for_timeout(1500)
        return counter.total(), counter.total("/pyodide/")
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--evaluations", type=int, default=300)
    parser.add_argument("--settle", type=int, default=2000, help="ms idle after the snapshot, before the return visit")
    parser.add_argument("--site", type=Path, help="a built site folder (default: build one)")
    parser.add_argument("--only", nargs="*", help="measure only the variants whose name starts with these words")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    variants = {name: v for name, v in VARIANTS.items()
                if not args.only or name == "all levers on" or any(name.startswith(o) for o in args.only)}
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if args.site is None:
            build(site)
        servers = {True: serve(site, use_gzip=True, precompressed=True), False: serve(site, use_gzip=True, precompressed=False)}
        try:
            with sync_playwright() as pw:
                runs: dict[str, list[dict[str, Any]]] = {name: [] for name in variants}
                for _ in range(args.runs):
                    for name, (levers, precompressed, workers) in variants.items():
                        runs[name].append(one_run(pw, servers[precompressed][1] + "calculator/", levers, workers, args.settle))
                base = servers[True][1]
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                try:
                    boot_task, typing_task = typing_long_tasks(browser, base)
                    page = browser.new_page()
                    page.goto(base + "calculator/")
                    page.evaluate("window.rulebook.ready")
                    page.evaluate(EVALUATE, [SCENARIO, 20])  # warm-up
                    times = sorted(page.evaluate(EVALUATE, [SCENARIO, args.evaluations]))
                    page.evaluate(COMPARE, [COMPARE_SCENARIO, 3])  # warm-up
                    compare_times = sorted(page.evaluate(COMPARE, [COMPARE_SCENARIO, 30]))
                    page.close()
                    content_bytes, content_pyodide = transfer(browser, base + "taxes/")
                finally:
                    browser.close()
        finally:
            for server, _ in servers.values():
                server.shutdown()
    report(runs, args, times, compare_times, boot_task, typing_task, content_bytes, content_pyodide)
    return 0


def report(runs: dict[str, list[dict[str, Any]]], args: argparse.Namespace, times: list[float], compare_times: list[float],
           boot_task: float,
           typing_task: float, content_bytes: int, content_pyodide: int) -> None:
    med = statistics.median
    shipped = runs["all levers on"]
    first, back = med(r["first"]["ready"] for r in shipped), med(r["back"]["ready"] for r in shipped)
    print(f"bench_browser: {args.runs} runs per variant (median), fresh profile each, served with the build's .br/.gz files")
    print(f"  first result visible (FCP, prerendered)  {med(r['first']['fcp'] for r in shipped):8.0f} ms")
    print(f"  ready, first visit                       {first:8.0f} ms   target ≤ 1000   "
          f"runs {_list(r['first']['ready'] for r in shipped)}")
    print(f"  ready, return visit                      {back:8.0f} ms   target ≤ 400    runs {_list(r['back']['ready'] for r in shipped)}")
    print(f"  bytes, calculator page, first visit      {med(r['bytes'] for r in shipped) / 1e6:8.2f} MB   target ≤ 6 (Brotli); "
          f"Pyodide {med(r['pyodide'] for r in shipped) / 1e6:.2f} MB")
    for label, key in (("first visit", "first"), ("return visit", "back")):
        stages = [r[key] for r in shipped]
        print(f"    {label}: page asked for Python at {med(s['asked'] for s in stages):.0f} ms, worker running at "
              f"{med(s['workerUp'] for s in stages):.0f} ms; snapshot lookup {med(s['lookup'] for s in stages):.0f} ms, "
              f"Python start {med(s['python'] for s in stages):.0f} ms, engine + rules {med(s['engine'] for s in stages):.0f} ms; "
              f"restored from a snapshot: {sum(bool(s['snapshot']) for s in stages)}/{len(stages)}")
    saved = [r["saved"] for r in shipped if r["saved"]]
    if saved:
        print(f"    snapshot made on the first visit, after ready: {med(s['ms'] for s in saved):.0f} ms in the worker "
              f"(of which {med(s['copyMs'] for s in saved):.0f} ms copying memory, the only part a call can wait on), "
              f"{med(s['bytes'] for s in saved) / 1e6:.1f} MB in Cache Storage; saved {sum(bool(s['saved']) for s in saved)}/{len(saved)}")
    print("  each lever off on its own (median ready; share = what switching it off costs):")
    print(f"    {'variant':<44} {'first':>7} {'return':>7} {'bytes':>8}   share first / return")
    for name, rows in runs.items():
        f, b = med(r["first"]["ready"] for r in rows), med(r["back"]["ready"] for r in rows)
        share = "" if name == "all levers on" else f"   {f - first:+6.0f} / {b - back:+6.0f} ms"
        print(f"    {name:<44} {f:7.0f} {b:7.0f} {med(r['bytes'] for r in rows) / 1e6:7.2f}M{share}")
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"  evaluate() latency                       {med(times):8.2f} ms   target ≤ 2      p95 {p95:.2f} ms, {len(times)} calls")
    print(f"  compare() latency, goal in hand          {med(compare_times):8.2f} ms   target ≤ 20     "
          f"max {compare_times[-1]:.2f} ms, {len(compare_times)} calls (the spec's example plan: every route and source it allows)")
    print(f"  longest main-thread task while typing    {typing_task:8.0f} ms   target ≤ 50     (during the first visit's boot "
          f"and snapshot: {boot_task:.0f} ms)")
    print(f"  bytes, content page taxes/               {content_bytes / 1e3:8.1f} kB   of which Pyodide {content_pyodide} bytes (target 0)")


def _js(levers: dict[str, bool]) -> str:
    return "{" + ", ".join(f"{k}: {'true' if v else 'false'}" for k, v in levers.items()) + "}"


def _list(values: Any) -> str:
    return ", ".join(f"{v:.0f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())
