// Booting the calculator's Python and talking to it: one module worker per tab, whichever calculator.
//
// The boot config is the calculator root's data-* attributes (site/calculators/runtime.py writes
// them). The worker starts once per tab and survives Material's instant navigation, so a second
// calculator page, or the same one again, is ready at once. Calls cross as JSON text:
//   out {type: "call", id, entry, payload}   in {type: "result", id, json} | {type: "error", id, message}
// plus {type: "stage"|"ready"|"failed"} while booting. Nothing here touches the form or the result.
//
// Public: boot(root) → Promise of the ready message; call(entry, request) → Promise of the result object.

const api = window.rulebook; // the facade calculator.js made; benchmarks read version/timings/bootStarted on it
const SITE_ROOT = new URL("../../../", import.meta.url);
const WORKER_URL = new URL("../calculator-worker.js", import.meta.url);
// loadPyodide never settles when, say, the wasm is missing or a CSP blocks it: give up after this.
const BOOT_TIMEOUT_MS = Number(window.__rulebookBootTimeoutMs) || 60000;
export const STAGES = 4;

let worker = null;
let bootPromise = null;
let lastStage = { stage: 0, text: "" };
let nextId = 1;
const pending = new Map();

export function showStage(stage, text) {
  lastStage = { stage, text };
  const status = document.getElementById("rb-status-text");
  const progress = document.getElementById("rb-progress");
  if (status) status.textContent = text;
  if (progress) {
    progress.value = stage;
    progress.hidden = stage >= STAGES || stage < 0;
  }
  const root = document.getElementById("rb-calc");
  if (root) root.dataset.stage = String(stage);
}

/** Show the boot's state again on a page Material has just swapped in. */
export function restoreStage() {
  if (lastStage.stage) showStage(lastStage.stage, lastStage.text);
}

function noRuntime() {
  const reason = new Error("This build has no Python runtime (node_modules/pyodide was not installed).");
  bootPromise = Promise.reject(reason);
  bootPromise.catch(() => {});
  showStage(-1, "The answer below was worked out when the site was built; live updates are not available in this build.");
  return bootPromise;
}

// The boot config is the calculator root's data-* attributes (pyodide_runtime.boot_attributes).
// window.__rulebookLevers (set by bench/bench_browser.py before any script) turns start-up levers
// off one by one: {early: false, trimmed: false, snapshot: false}.
function bootConfig(root) {
  const levers = window.__rulebookLevers || {};
  const site = (path) => (path ? new URL(path, SITE_ROOT).href : "");
  const d = root.dataset;
  return {
    type: "boot",
    indexURL: site(d.runtime),
    stdLibURL: site(levers.trimmed === false && d.stdlibFull ? d.stdlibFull : d.stdlib),
    stdLibFullURL: site(d.stdlibFull),
    lockInfo: JSON.parse(d.lockInfo),
    rulesURL: site(d.rules),
    engineURL: site(d.engine),
    version: d.version || "",
    snapshotKey: levers.snapshot === false || !d.snapshotKey ? "" : `${d.snapshotKey}${levers.trimmed === false ? "-full" : ""}`,
  };
}

function workerURL(root) {
  return root.dataset.worker ? new URL(root.dataset.worker, SITE_ROOT) : WORKER_URL;
}

function startWorker(root) {
  // The worker the <head> of a calculator page already started (theme partial rulebook-boot.html),
  // with the messages it sent before this module ran; else a new one.
  const early = window.__rulebookEarly;
  if (early && early.worker && !early.adopted) {
    early.adopted = true;
    return { started: early.worker, missed: early.messages || [] };
  }
  return { started: new Worker(workerURL(root), { type: "module", name: "rulebook-calculator" }), missed: [] };
}

function keepForOffline(config, root) {
  // The worker fetched these before the service worker (partials/rulebook-offline.html) controlled
  // the page; ask it to keep them, so the calculator works offline from the next visit on.
  if (!("serviceWorker" in navigator) || typeof window.livereload === "function") return;
  const worker = workerURL(root);
  const urls = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"].map((name) => new URL(name, config.indexURL).href)
    .concat([config.stdLibURL, config.rulesURL, config.engineURL, worker.href, new URL("calculator_worker.py", worker).href]);
  // ready settles once the worker registered on load is active (never, where none is): then it can keep them.
  navigator.serviceWorker.ready.then((registration) => registration.active.postMessage({ type: "keep", urls }), () => {});
}

export function boot(root) {
  if (bootPromise) return bootPromise;
  if (!root) return Promise.reject(new Error("The calculator is not on this page."));
  if (!root.dataset.runtime) return noRuntime();
  api.version = root.dataset.version;
  api.bootStarted = (window.__rulebookEarly && window.__rulebookEarly.started) || performance.now(); // for the benchmark
  const config = bootConfig(root);
  bootPromise = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(
      `Python did not start within ${BOOT_TIMEOUT_MS / 1000} s. A blocked download or a Content-Security-Policy without 'wasm-unsafe-eval' can cause this.`)),
      BOOT_TIMEOUT_MS);
    let missed = [];
    try {
      ({ started: worker, missed } = startWorker(root));
    } catch (error) {
      clearTimeout(timer);
      reject(new Error(`The calculator's worker could not start: ${error.message}`));
      return;
    }
    worker.onerror = (event) => {
      clearTimeout(timer);
      reject(new Error(`The calculator's worker failed: ${event.message || "unknown error"}`));
    };
    const receive = (m) => {
      if (m.type === "stage") showStage(m.stage, m.text);
      else if (m.type === "ready") {
        clearTimeout(timer);
        api.version = m.version || api.version;
        api.timings = m.timings || null;
        resolve(m);
      } else if (m.type === "failed") {
        clearTimeout(timer);
        reject(new Error(m.message));
      } else if (m.type === "snapshot") {
        api.snapshot = m; // for the benchmark and tests: whether this visit left a snapshot for the next
      } else if (m.type === "result" || m.type === "error") {
        const waiter = pending.get(m.id);
        pending.delete(m.id);
        if (!waiter) return;
        if (m.type === "result") waiter.resolve(JSON.parse(m.json));
        else waiter.reject(new Error(m.message));
      }
    };
    worker.onmessage = (event) => receive(event.data);
    showStage(1, "Downloading Python…");
    for (const event of missed) receive(event.data);
    worker.postMessage(config); // a worker the <head> started is booting already and answers "ready" again
  });
  bootPromise.then(() => keepForOffline(config, root), () => {});
  bootPromise.then(() => showStage(STAGES, "Ready"), (error) => {
    showStage(-1, `${error.message} The answer below was worked out when the site was built.`);
  });
  return bootPromise;
}

// JSON has no NaN or Infinity and JSON.stringify turns them into null ("required"); Python's
// json.loads reads the bare literals, so they travel as such and the engine answers "expected a
// finite number", as it does in CPython.
const NON_FINITE = "\u0000rulebook-non-finite\u0000";
function requestText(request) {
  const text = JSON.stringify(request === undefined ? null : request,
    (key, value) => (typeof value === "number" && !Number.isFinite(value) ? `${NON_FINITE}${value}` : value));
  const marker = JSON.stringify(NON_FINITE).slice(1, -1);
  return ["NaN", "-Infinity", "Infinity"].reduce((out, literal) => out.split(`"${marker}${literal}"`).join(literal), text);
}

/** Ask the engine entry point `entry` about `request`; the result object, exactly as the CLI prints it. */
export function call(entry, request) {
  let text;
  try {
    text = requestText(request);
  } catch (error) {
    return Promise.reject(new Error(`The request cannot be sent: ${error.message}`));
  }
  return boot(document.getElementById("rb-calc")).then(() => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ type: "call", id, entry, payload: text });
  }));
}
