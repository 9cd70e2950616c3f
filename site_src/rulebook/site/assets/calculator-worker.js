// The calculator's Python, in a module Web Worker so start-up never blocks the page.
//
// Boots the self-hosted Pyodide once (no CDN: indexURL is the site's own pyodide/<version>/ folder,
// the lock is passed inline, no packages), unpacks the engine zip the build wrote beside rules.json,
// loads rules.json with json.loads and answers evaluate requests. Scenarios and results cross as
// JSON text, so the page gets exactly what `rulebook calc --format json` prints.
//
// With a snapshotURL, Python starts from a memory snapshot the build made in Node on the very same
// runtime and stdlib zip (an experimental Pyodide option): interpreter start-up and stdlib imports
// are skipped. If that fails, the worker boots again the ordinary way.
//
// Messages in:  {type: "boot", indexURL, stdLibURL, snapshotURL, lockInfo, rulesURL, engineURL}
//               {type: "evaluate", id, scenario: <JSON text>}
// Messages out: {type: "stage", stage, text} · {type: "ready", version, python, timings} · {type: "failed", message}
//               {type: "result", id, json} · {type: "error", id, message}

let evaluateText = null;
let booting = null;

function stage(stage, text) {
  postMessage({ type: "stage", stage, text });
}

async function fetchOk(url, kind) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${kind} could not be downloaded (${response.status} ${url})`);
  return response;
}

function watchDownload(indexURL) {
  // loadPyodide reports no progress; the wasm download finishing is the best "now starting" signal.
  if (typeof PerformanceObserver === "undefined") return null;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name.startsWith(indexURL) && entry.name.endsWith(".wasm")) {
        stage(2, "Starting Python…");
        observer.disconnect();
      }
    }
  });
  try {
    observer.observe({ type: "resource", buffered: true });
  } catch {
    return null;
  }
  return observer;
}

async function gunzip(bytes) {
  // The build gzips the snapshot itself; a host that already decoded it hands over the raw bytes.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function boot(config) {
  const marks = { start: performance.now() };
  stage(1, "Downloading Python…");
  const observer = watchDownload(config.indexURL);
  const rulesText = fetchOk(config.rulesURL, "The rules").then((r) => r.text());
  const engineZip = fetchOk(config.engineURL, "The engine").then((r) => r.arrayBuffer());
  // Asked for now, so its download and inflation overlap the loader's; loadPyodide awaits it.
  const snapshot = config.snapshotURL
    ? fetchOk(config.snapshotURL, "The Python snapshot").then((r) => r.arrayBuffer()).then((b) => gunzip(new Uint8Array(b)))
    : null;
  if (snapshot) snapshot.catch(() => {});
  const { loadPyodide } = await import(new URL("pyodide.mjs", config.indexURL).href);
  marks.loader = performance.now();
  const lock = { info: config.lockInfo, packages: {} };
  const options = {
    indexURL: config.indexURL,
    lockFileContents: JSON.stringify(lock),
    packages: [],
    stdout: () => {},
    stderr: () => {},
  };
  if (config.stdLibURL) options.stdLibURL = config.stdLibURL;
  let pyodide;
  let fromSnapshot = false;
  if (snapshot) {
    try {
      pyodide = await loadPyodide({ ...options, _loadSnapshot: snapshot });
      pyodide.runPython("import random; random.seed()"); // the snapshot froze the seed for every visitor
      fromSnapshot = true;
    } catch (error) {
      pyodide = null; // fall through to an ordinary boot
    }
  }
  if (!pyodide) pyodide = await loadPyodide(options);
  marks.python = performance.now();
  if (observer) observer.disconnect();
  stage(3, "Loading rules…");
  pyodide.unpackArchive(await engineZip, "zip", { extractDir: "/home/pyodide/rulebook-engine" });
  pyodide.globals.set("RULES_TEXT", await rulesText);
  marks.fetched = performance.now();
  const version = pyodide.runPython(`
import json, sys
sys.path.insert(0, "/home/pyodide/rulebook-engine")
from rulebook.engine import evaluate as _evaluate

_RULES = json.loads(RULES_TEXT)
del RULES_TEXT

def rulebook_evaluate(text):
    return json.dumps(_evaluate(json.loads(text), _RULES), sort_keys=True, ensure_ascii=False)

_RULES.get("version", "")
`);
  evaluateText = pyodide.globals.get("rulebook_evaluate");
  marks.engine = performance.now();
  // Where start-up time goes (ms), for the benchmark: loader import, Python start, engine + rules.
  const timings = {
    loader: marks.loader - marks.start, python: marks.python - marks.loader, engine: marks.engine - marks.python,
    engineFiles: marks.fetched - marks.python, snapshot: fromSnapshot, workerStart: marks.start,
    origin: performance.timeOrigin, end: marks.engine,
    downloads: performance.getEntriesByType("resource").map((e) => ({
      name: e.name.split("/").pop(), start: e.startTime, end: e.responseEnd, bytes: e.transferSize })),
  };
  return { version, python: pyodide.runPython("import sys; sys.version.split()[0]"), timings };
}

self.onmessage = async (event) => {
  const message = event.data || {};
  if (message.type === "boot") {
    if (!booting) booting = boot(message);
    try {
      const info = await booting;
      stage(4, "Ready");
      postMessage({ type: "ready", ...info });
    } catch (error) {
      postMessage({ type: "failed", message: `Python could not start: ${error && error.message ? error.message : error}` });
    }
  } else if (message.type === "evaluate") {
    try {
      if (!evaluateText) throw new Error("Python is not ready yet");
      postMessage({ type: "result", id: message.id, json: evaluateText(message.scenario) });
    } catch (error) {
      postMessage({ type: "error", id: message.id, message: String(error && error.message ? error.message : error) });
    }
  }
};
