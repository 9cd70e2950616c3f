"""Lighthouse scores and page metrics of the built site: home, an explainer page and the calculator.

Why: readers arrive on phones over slow networks and search engines rank what Lighthouse measures.
Targets: accessibility, best practices and SEO 100; performance ≥ 95 on content pages and ≥ 90 on
the calculator. A benchmark, never a test: it prints figures (and every audit that cost points)
and asserts nothing.

It builds the site (``mkdocs build --strict``) into a temporary folder, serves it on 127.0.0.1 with
gzip as any static host does (``--no-gzip`` to serve raw bytes), and runs the pinned
``node_modules/.bin/lighthouse`` (12.2.3, Node 20) in Debian's headless Chromium, mobile preset by
default (Lighthouse's simulated slow 4G and 4× CPU slowdown). Run from the repository root::

    python bench/bench_lighthouse.py [--preset mobile|desktop|both] [--runs 5] [--site DIR] [PAGE ...]

``PAGE`` is a site path such as ``reference/routes/``; ``--site`` audits an already built folder.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
                "--disable-component-update --disable-sync --disable-dev-shm-usage")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {"FCP ms": "first-contentful-paint", "LCP ms": "largest-contentful-paint", "TBT ms": "total-blocking-time",
           "CLS": "cumulative-layout-shift", "SI ms": "speed-index", "KB": "total-byte-weight"}
# Pages tried in order for the "explainer" slot: the first that exists in the build is audited.
EXPLAINER_CANDIDATES = ("reference/routes/", "routes/", "reference/money-sources/", "rule-of-55/")
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".wasm", ".map")


class StaticHandler(SimpleHTTPRequestHandler):
    """A static host: correct types for modules and wasm, compression, long cache for versioned files.

    With ``precompressed`` it serves the build's ``<file>.br`` / ``<file>.gz`` as they are when the
    browser accepts them (what nginx ``brotli_static``/``gzip_static`` or Caddy ``precompressed``
    do); other text is gzipped on the fly (once, then cached) when ``use_gzip`` is set.
    """

    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript", ".wasm": "application/wasm"}
    use_gzip: ClassVar[bool] = True
    precompressed: ClassVar[bool] = True
    _cache: ClassVar[dict[str, bytes]] = {}

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _encoded(self, path: Path) -> tuple[bytes, str] | None:
        accepts = {part.split(";")[0].strip() for part in self.headers.get("Accept-Encoding", "").split(",")}
        if self.precompressed:
            for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
                ready = path.with_name(path.name + suffix)
                if encoding in accepts and ready.is_file():
                    return ready.read_bytes(), encoding
        if self.use_gzip and "gzip" in accepts and path.suffix in COMPRESSIBLE:
            key = str(path)
            if key not in self._cache:
                self._cache[key] = gzip.compress(path.read_bytes(), compresslevel=6)
            return self._cache[key], "gzip"
        return None

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        encoded = self._encoded(path) if path.is_file() else None
        if encoded is None:
            return super().send_head()
        body, encoding = encoded
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        versioned = any(part in self.path for part in ("/pyodide/", "/assets/javascripts/", "/assets/stylesheets/", "?v="))
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if versioned else "no-cache")
        self.end_headers()
        import io

        return io.BytesIO(body)


def serve(folder: Path, use_gzip: bool, precompressed: bool = True) -> tuple[ThreadingHTTPServer, str]:
    handler = type("Handler", (StaticHandler,), {"use_gzip": use_gzip, "precompressed": precompressed, "_cache": {}})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build(out: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"mkdocs build --strict failed:\n{done.stdout}{done.stderr}")


def lighthouse(url: str, preset: str) -> dict[str, Any]:
    """One Lighthouse run's JSON report."""
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    command = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet", f"--chrome-flags={CHROME_FLAGS}",
               f"--only-categories={','.join(CATEGORIES)}"]
    if preset == "desktop":
        command.append("--preset=desktop")
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"lighthouse failed on {url} (exit {done.returncode}):\n{done.stderr[-3000:]}")
    report: dict[str, Any] = json.loads(done.stdout)
    if report.get("runtimeError"):
        raise SystemExit(f"lighthouse runtime error on {url}: {report['runtimeError']}")
    return report


def summary(report: dict[str, Any]) -> dict[str, float]:
    scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    metrics = {label: report["audits"][audit]["numericValue"] for label, audit in METRICS.items()}
    metrics["KB"] = metrics["KB"] / 1024
    return {**scores, **metrics}


def lost_points(report: dict[str, Any]) -> list[str]:
    """Audits of the scored categories that did not pass, with what they found."""
    found = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1 and \
                    audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings"):
                shown = audit.get("displayValue", "")
                items = (audit.get("details") or {}).get("items") or []
                where = []
                for item in items[:3]:
                    node = item.get("node") if isinstance(item, dict) else None
                    where.append((node or {}).get("selector") or str(item.get("url", ""))[:100] if isinstance(item, dict) else "")
                found.append(f"{name}: {ref['id']} ({audit['score']:.2f}) {shown} {'; '.join(w for w in where if w)}".rstrip())
    return found


def where_time_went(report: dict[str, Any]) -> list[str]:
    """The trace's own attribution (the run's CPU profile): longest main-thread tasks and each script's start-up cost."""
    found = []
    for item in ((report["audits"].get("long-tasks") or {}).get("details") or {}).get("items", [])[:4]:
        found.append(f"long task {item.get('duration', 0):.0f} ms at {item.get('startTime', 0):.0f} ms: {str(item.get('url', ''))[-60:]}")
    for item in ((report["audits"].get("bootup-time") or {}).get("details") or {}).get("items", [])[:3]:
        found.append(f"script {str(item.get('url', ''))[-60:]}: {item.get('scripting', 0):.0f} ms scripting, "
                     f"{item.get('scriptParseCompile', 0):.0f} ms parse/compile")
    return found


def _load() -> str:
    try:
        return "load average " + " ".join(Path("/proc/loadavg").read_text(encoding="utf-8").split()[:3])
    except OSError:
        return "load average unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="site paths to audit (default: home, an explainer page, the calculator)")
    parser.add_argument("--preset", choices=("mobile", "desktop", "both"), default="mobile")
    parser.add_argument("--runs", type=int, default=5, help="runs per page and preset; medians are printed")
    parser.add_argument("--site", type=Path, help="audit this built folder instead of building one")
    parser.add_argument("--no-gzip", action="store_true", help="serve uncompressed bytes")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit("node_modules/.bin/lighthouse is missing: run `npm ci`")
    with tempfile.TemporaryDirectory(prefix="rulebook-lighthouse-") as tmp:
        folder = args.site or Path(tmp) / "site"
        if args.site is None:
            build(folder)
        pages = args.pages or ["", next((p for p in EXPLAINER_CANDIDATES if (folder / p / "index.html").exists()),
                                        EXPLAINER_CANDIDATES[0]), "calculator/"]
        server, base = serve(folder, use_gzip=not args.no_gzip, precompressed=not args.no_gzip)
        presets = ("mobile", "desktop") if args.preset == "both" else (args.preset,)
        header = f"{'page':<28} {'preset':<8} " + " ".join(f"{c[:6]:>6}" for c in CATEGORIES) + " " + \
                 " ".join(f"{m:>7}" for m in METRICS)
        print(f"lighthouse 12.2.3, {'precompressed .br/.gz' if not args.no_gzip else 'no compression'}, median of {args.runs}, "
              f"{_load()} at the start")
        print(header)
        lost: dict[str, list[str]] = {}
        try:
            for page in pages:
                for preset in presets:
                    reports = [lighthouse(base + page, preset) for _ in range(args.runs)]
                    rows = [summary(r) for r in reports]
                    med = {k: statistics.median(row[k] for row in rows) for k in rows[0]}
                    scores = " ".join(f"{med[c]:>6.0f}" for c in CATEGORIES)
                    metrics = " ".join(f"{med[m]:>7.3f}" if m == "CLS" else f"{med[m]:>7.0f}" for m in METRICS)
                    print(f"{'/' + page:<28} {preset:<8} {scores} {metrics}", flush=True)
                    median_run = min(reports, key=lambda r: abs(summary(r)["performance"] - med["performance"]))
                    lost[f"/{page} ({preset})"] = lost_points(median_run) + where_time_went(median_run)
        finally:
            server.shutdown()
            server.server_close()
        for where, items in lost.items():
            for item in items:
                print(f"  {where}: {item}")
        print(f"{_load()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
