// The calculator's Python, in a module Web Worker so start-up never blocks the page.
//
// Boots the self-hosted Pyodide once (no CDN: indexURL is the site's own pyodide/<version>/ folder,
// the lock is passed inline, no packages), unpacks the engine zip the build wrote beside rules.json,
// runs calculator_worker.py (the Python half: engine, rules, the protocol's `call`) and answers
// calls. Payloads and results cross as JSON text, so the page gets exactly what `rulebook calc
// --format json` prints.
//
// Return visits: after the first boot, once the page has been idle for a moment, the worker copies
// Python's memory (Pyodide's experimental memory snapshot) into Cache Storage under a key the build
// derives from the runtime, stdlib archive, engine, rules and this script. The next visit restores
// it and skips interpreter start-up, stdlib and engine imports and the rules' parsing. Any problem
// with a snapshot (missing, another build, a failed restore) means an ordinary boot, never an error.
//
// Messages in:  {type: "boot", indexURL, stdLibURL, stdLibFullURL, lockInfo, rulesURL, engineURL, version, snapshotKey}
//               {type: "call", id, entry, payload: <JSON text>} · {type: "evaluate", id, scenario} (= entry "evaluate")
// Messages out: {type: "stage", stage, text} · {type: "ready", version, python, timings} · {type: "failed", message}
//               {type: "result", id, json} · {type: "error", id, message} · {type: "snapshot", saved, ms, bytes, reason}

const SNAPSHOT_CACHE = "rulebook-snapshot";
const SNAPSHOT_IDLE_MS = 1000; // quiet time after the last call before the snapshot is taken
const WORKER_PY = new URL("calculator_worker.py", import.meta.url);

let pyodide = null;
let py = null; // the calculator_worker module
let booting = null;
let snapshotTimer = null;
let snapshotPending = null; // {key} while a snapshot is still to be made

function stage(stage, text) {
  postMessage({ type: "stage", stage, text });
}

async function fetchOk(url, kind) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${kind} could not be downloaded (${response.status} ${url})`);
  return response;
}

function snapshotRequest(key) {
  return new Request(new URL(`__rulebook_snapshot__/${encodeURIComponent(key)}`, self.location.href));
}

// Snapshots are stored sparse: 31 MB of wasm memory is ~60% pages of zeros. Layout: a header of
// four uint32 (magic, full length, page size, page count), a bitmap of the pages kept, then the
// pages. Writing scans the memory once (~20 ms); reading allocates the full length (zeroed) and
// copies the kept pages back: 12 MB to read instead of 31.
const SPARSE_MAGIC = 0x52425331; // "RBS1"
const PAGE = 4096;

function sparse(bytes) {
  if (bytes.length % 4 || bytes.byteOffset % 4) throw new Error("unexpected snapshot length");
  const pages = Math.ceil(bytes.length / PAGE);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const keep = new Uint8Array(pages);
  let kept = 0;
  for (let p = 0; p < pages; p++) {
    const end = Math.min((p + 1) * PAGE, bytes.length) / 4;
    for (let w = (p * PAGE) / 4; w < end; w++) {
      if (words[w] !== 0) {
        keep[p] = 1;
        kept++;
        break;
      }
    }
  }
  const headerBytes = 16 + Math.ceil(pages / 4) * 4;
  const out = new Uint8Array(headerBytes + kept * PAGE);
  new Uint32Array(out.buffer, 0, 4).set([SPARSE_MAGIC, bytes.length, PAGE, pages]);
  out.set(keep, 16);
  let at = headerBytes;
  for (let p = 0; p < pages; p++) {
    if (!keep[p]) continue;
    out.set(bytes.subarray(p * PAGE, Math.min((p + 1) * PAGE, bytes.length)), at);
    at += PAGE;
  }
  return out;
}

function dense(buffer) {
  const head = new Uint32Array(buffer, 0, 4);
  if (head[0] !== SPARSE_MAGIC || head[2] !== PAGE) throw new Error("not a rulebook snapshot");
  const [length, pages] = [head[1], head[3]];
  const keep = new Uint8Array(buffer, 16, pages);
  const headerBytes = 16 + Math.ceil(pages / 4) * 4;
  const out = new Uint8Array(length);
  let at = headerBytes;
  for (let p = 0; p < pages; p++) {
    if (!keep[p]) continue;
    const size = Math.min(PAGE, length - p * PAGE);
    out.set(new Uint8Array(buffer, at, size), p * PAGE);
    at += PAGE;
  }
  return out;
}

async function readSnapshot(key) {
  // Cache Storage exists only in secure contexts (https, localhost); elsewhere there is no snapshot.
  if (!key || typeof caches === "undefined") return null;
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    const hit = await cache.match(snapshotRequest(key));
    return hit ? hit : null;
  } catch {
    return null;
  }
}

async function forgetSnapshots(keep) {
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    for (const request of await cache.keys()) {
      if (!keep || request.url !== snapshotRequest(keep).url) await cache.delete(request);
    }
  } catch {
    // nothing to forget
  }
}

function installFullStdlibHook(url) {
  // calculator_worker.FullStdlibFinder calls this, synchronously, the first time Python needs a
  // stdlib module the trimmed archive lacks: a synchronous request is allowed in a worker.
  self.rulebookFullStdlib = () => {
    const path = "/lib/rulebook_full_stdlib.zip";
    if (!pyodide.FS.analyzePath(path).exists) {
      const request = new XMLHttpRequest();
      request.open("GET", url, false);
      request.responseType = "arraybuffer";
      request.send();
      if (request.status !== 200) throw new Error(`the full standard library could not be downloaded (${request.status})`);
      pyodide.FS.writeFile(path, new Uint8Array(request.response));
    }
    return path;
  };
}

function precompileWasm(indexURL) {
  // On the snapshot path the loader reads the snapshot before it compiles the wasm; compiling it
  // now, in parallel, takes the compile off that path. Pyodide instantiates through
  // instantiateStreaming, which is pointed at the module compiled here.
  const url = new URL("pyodide.asm.wasm", indexURL).href;
  const compiled = WebAssembly.compileStreaming(fetch(url));
  compiled.catch(() => {});
  // The loader fetches the wasm again for instantiateStreaming; that second 9.6 MB read competed
  // with the snapshot's. It gets an empty response instead, which the instantiation below ignores.
  const realFetch = self.fetch;
  self.fetch = (input, init) => {
    if (String(input instanceof Request ? input.url : input) !== url) return realFetch(input, init);
    self.fetch = realFetch;
    return Promise.resolve(new Response(new Uint8Array(0), { headers: { "Content-Type": "application/wasm" } }));
  };
  const original = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    let module;
    try {
      module = await compiled;
    } catch {
      return original.call(WebAssembly, fetch(url), imports);
    }
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };
}

async function boot(config) {
  const marks = { start: performance.now() };
  stage(1, "Downloading Python…");
  const loader = import(new URL("pyodide.mjs", config.indexURL).href);
  const hit = config.retried ? null : await readSnapshot(config.snapshotKey);
  marks.lookup = performance.now();
  // A snapshot found: read it and compile the wasm now, both in parallel with the loader's import.
  const saved = hit ? hit.arrayBuffer() : null;
  if (saved) {
    saved.catch(() => {});
    precompileWasm(config.indexURL);
  }
  // Without a snapshot, the engine, rules and Python half are needed: asked for now, in parallel.
  const files = saved ? null : {
    rules: fetchOk(config.rulesURL, "The rules").then((r) => r.text()),
    engine: fetchOk(config.engineURL, "The engine").then((r) => r.arrayBuffer()),
    worker: fetchOk(WORKER_PY, "The calculator's Python").then((r) => r.text()),
  };
  if (files) for (const p of Object.values(files)) p.catch(() => {});
  const { loadPyodide } = await loader;
  marks.loader = performance.now();
  stage(2, "Starting Python…");
  const options = {
    indexURL: config.indexURL,
    lockFileContents: JSON.stringify({ info: config.lockInfo, packages: {} }),
    packages: [],
    stdout: () => {},
    stderr: () => {},
  };
  if (config.stdLibURL) options.stdLibURL = config.stdLibURL;
  let fromSnapshot = false;
  if (saved) {
    try {
      pyodide = await loadPyodide({ ...options, _loadSnapshot: saved.then(dense) });
      py = pyodide.pyimport("calculator_worker");
      py.reseed();
      fromSnapshot = true;
    } catch (error) {
      pyodide = null; // another build's snapshot, or a damaged one: forget it and boot the ordinary way
      await forgetSnapshots(null);
      return boot({ ...config, retried: true });
    }
  }
  if (!pyodide) {
    pyodide = await loadPyodide({ ...options, _makeSnapshot: Boolean(config.snapshotKey) });
    marks.python = performance.now();
    stage(3, "Loading rules…");
    pyodide.unpackArchive(await files.engine, "zip", { extractDir: "/home/pyodide/rulebook-engine" });
    pyodide.FS.writeFile("/home/pyodide/rulebook-engine/calculator_worker.py", await files.worker);
    marks.fetched = performance.now();
    pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/rulebook-engine')");
    py = pyodide.pyimport("calculator_worker");
    py.start(await files.rules);
    if (config.snapshotKey) snapshotPending = { key: config.snapshotKey };
  }
  marks.python = marks.python || performance.now();
  marks.engine = performance.now();
  if (config.stdLibFullURL) installFullStdlibHook(config.stdLibFullURL);
  // Where start-up time goes (ms), for the benchmark: loader import, Python start, engine + rules.
  const timings = {
    lookup: marks.lookup - marks.start, loader: marks.loader - marks.start, python: marks.python - marks.loader,
    engine: marks.engine - marks.python, snapshot: fromSnapshot, workerStart: marks.start,
    origin: performance.timeOrigin, end: marks.engine,
    downloads: performance.getEntriesByType("resource").map((e) => ({
      name: e.name.split("/").pop(), start: e.startTime, end: e.responseEnd, bytes: e.transferSize })),
  };
  return {
    version: py.version() || config.version || "",
    python: pyodide.runPython("import sys; sys.version.split()[0]"),
    timings,
  };
}

function scheduleSnapshot() {
  // Off the critical path: only once the page has been quiet for a moment after the last call.
  if (!snapshotPending) return;
  clearTimeout(snapshotTimer);
  snapshotTimer = setTimeout(makeSnapshot, SNAPSHOT_IDLE_MS);
}

async function makeSnapshot() {
  const pending = snapshotPending;
  snapshotPending = null;
  if (!pending) return;
  const t = performance.now();
  try {
    const bytes = sparse(pyodide.makeMemorySnapshot());
    const copied = performance.now() - t;
    await forgetSnapshots(null);
    const cache = await caches.open(SNAPSHOT_CACHE);
    await cache.put(snapshotRequest(pending.key), new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } }));
    postMessage({ type: "snapshot", saved: true, ms: performance.now() - t, copyMs: copied, bytes: bytes.length });
  } catch (error) {
    postMessage({ type: "snapshot", saved: false, ms: performance.now() - t, reason: String(error && error.message ? error.message : error) });
  }
}

function answer(id, entry, payload) {
  try {
    if (!py) throw new Error("Python is not ready yet");
    postMessage({ type: "result", id, json: py.call(entry, payload) });
  } catch (error) {
    postMessage({ type: "error", id, message: String(error && error.message ? error.message : error) });
  }
  scheduleSnapshot();
}

self.onmessage = async (event) => {
  const message = event.data || {};
  if (message.type === "boot") {
    if (!booting) booting = boot(message);
    try {
      const info = await booting;
      stage(4, "Ready");
      postMessage({ type: "ready", ...info });
      scheduleSnapshot();
    } catch (error) {
      postMessage({ type: "failed", message: `Python could not start: ${error && error.message ? error.message : error}` });
    }
  } else if (message.type === "call") {
    answer(message.id, String(message.entry), message.payload);
  } else if (message.type === "evaluate") {
    answer(message.id, "evaluate", message.scenario);
  } else if (message.type === "snapshot-now") {
    // For tests and the benchmark: make the pending snapshot at once instead of after the idle delay.
    clearTimeout(snapshotTimer);
    await makeSnapshot();
  }
};
