// The calculator page in the browser: window.rulebook, the form, and live results.
//
// Loaded on every page through extra_javascript, so it runs once per tab under Material's instant
// navigation. It only starts Python (a per-tab singleton module worker) on a page that holds the
// calculator (#rb-calc): content pages download no byte of Pyodide. Results and errors are
// written with DOM APIs and textContent only; user text never becomes HTML.
(function () {
  "use strict";
  if (window.rulebook && window.rulebook.__calculator) return;

  const SCRIPT_URL = document.currentScript ? document.currentScript.src : new URL("assets/rulebook/calculator.js", location.href).href;
  const SITE_ROOT = new URL("../../", SCRIPT_URL);
  const WORKER_URL = new URL("calculator-worker.js", SCRIPT_URL);
  // loadPyodide never settles when, say, the wasm is missing or a CSP blocks it: give up after this.
  const BOOT_TIMEOUT_MS = Number(window.__rulebookBootTimeoutMs) || 60000;
  const DEBOUNCE_MS = 150;
  const STAGES = 4;

  let worker = null;
  let bootPromise = null;
  let lastStage = { stage: 0, text: "" };
  let nextId = 1;
  const pending = new Map();
  let resolveReady;
  let rejectReady;
  const readyPromise = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  readyPromise.catch(() => {});

  function calcRoot() {
    return document.getElementById("rb-calc");
  }

  function showStage(stage, text) {
    lastStage = { stage, text };
    const status = document.getElementById("rb-status-text");
    const progress = document.getElementById("rb-progress");
    if (status) status.textContent = text;
    if (progress) {
      progress.value = stage;
      progress.hidden = stage >= STAGES || stage < 0;
    }
    const root = calcRoot();
    if (root) root.dataset.stage = String(stage);
  }

  // ------------------------------------------------------------------ booting (the worker and its protocol)
  // The boot config is the calculator root's data-* attributes (written by pyodide_runtime.boot_attributes).
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

  function startWorker(root) {
    // The worker the <head> of a calculator page already started (theme partial rulebook-boot.html),
    // with the messages it sent before this script ran; else a new one.
    const early = window.__rulebookEarly;
    if (early && early.worker && !early.adopted) {
      early.adopted = true;
      return { worker: early.worker, missed: early.messages || [] };
    }
    const url = root.dataset.worker ? new URL(root.dataset.worker, SITE_ROOT) : WORKER_URL;
    return { worker: new Worker(url, { type: "module", name: "rulebook-calculator" }), missed: [] };
  }

  function keepForOffline(config, root) {
    // The worker fetched these before the service worker (partials/rulebook-offline.html) controlled
    // the page; ask it to keep them, so the calculator works offline from the next visit on.
    if (!("serviceWorker" in navigator) || typeof window.livereload === "function") return;
    const worker = root.dataset.worker ? new URL(root.dataset.worker, SITE_ROOT) : WORKER_URL;
    const urls = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"].map((name) => new URL(name, config.indexURL).href)
      .concat([config.stdLibURL, config.rulesURL, config.engineURL, worker.href, new URL("calculator_worker.py", worker).href]);
    // ready settles once the worker registered on load is active (never, where none is): then it can keep them.
    navigator.serviceWorker.ready.then((registration) => registration.active.postMessage({ type: "keep", urls }), () => {});
  }

  function boot(root) {
    if (bootPromise) return bootPromise;
    if (!root || !root.dataset.runtime) {
      const reason = new Error(root ? "This build has no Python runtime (node_modules/pyodide was not installed)." : "The calculator is not on this page.");
      if (root) {
        bootPromise = Promise.reject(reason);
        bootPromise.catch(() => {});
        rejectReady(reason);
        showStage(-1, "The result below was computed when the site was built; live updates are not available in this build.");
        return bootPromise;
      }
      return Promise.reject(reason);
    }
    api.version = root.dataset.version;
    api.bootStarted = (window.__rulebookEarly && window.__rulebookEarly.started) || performance.now(); // for the benchmark
    const config = bootConfig(root);
    bootPromise = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(
        `Python did not start within ${BOOT_TIMEOUT_MS / 1000} s. A blocked download or a Content-Security-Policy without 'wasm-unsafe-eval' can cause this.`)),
        BOOT_TIMEOUT_MS);
      let missed;
      try {
        ({ worker, missed } = startWorker(root));
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
    bootPromise.then(resolveReady, (error) => {
      showStage(-1, `${error.message} The result below was computed when the site was built.`);
      rejectReady(error);
    });
    return bootPromise;
  }

  // JSON has no NaN or Infinity and JSON.stringify turns them into null ("required"); Python's
  // json.loads reads the bare literals, so they travel as such and the engine answers "expected a
  // finite number", as it does in CPython.
  const NON_FINITE = "\u0000rulebook-non-finite\u0000";
  function scenarioText(scenario) {
    const text = JSON.stringify(scenario === undefined ? null : scenario,
      (key, value) => (typeof value === "number" && !Number.isFinite(value) ? `${NON_FINITE}${value}` : value));
    const marker = JSON.stringify(NON_FINITE).slice(1, -1);
    return ["NaN", "-Infinity", "Infinity"].reduce((out, literal) => out.split(`"${marker}${literal}"`).join(literal), text);
  }

  function evaluate(scenario) {
    let text;
    try {
      text = scenarioText(scenario);
    } catch (error) {
      return Promise.reject(new Error(`The scenario cannot be sent: ${error.message}`));
    }
    return boot(calcRoot()).then(() => new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ type: "evaluate", id, scenario: text });
    }));
  }

  const api = {
    __calculator: true,
    version: null,
    get ready() {
      const root = calcRoot();
      if (root) boot(root);
      return readyPromise;
    },
    evaluate,
  };
  window.rulebook = api;
  // The script runs at the end of <body>: on a calculator page, ask for Python now rather than
  // waiting for Material's document$ to fire.
  if (calcRoot()) boot(calcRoot());

  // ------------------------------------------------------------------ formatting (as engine/text.py)
  function usd(value) {
    const number = Number(value) || 0;
    const cents = Math.round(Math.abs(number) * 100 + 1e-9) / 100;
    let text = cents.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    if (text.endsWith(".00")) text = text.slice(0, -3);
    return `${number < 0 && cents > 0 ? "-" : ""}$${text}`;
  }
  function rate(value) {
    return `${Number((Number(value) * 100).toPrecision(12))}%`;
  }
  function dig(data, path) {
    return path.split(".").reduce((v, k) => (v && typeof v === "object" ? v[k] : undefined), data);
  }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const child of children) node.append(child);
    return node;
  }
  function siteHref(page) {
    return new URL(page, SITE_ROOT).href;
  }

  // ------------------------------------------------------------------ the form
  function setPath(target, path, value) {
    const keys = path.split(".");
    let here = target;
    for (const key of keys.slice(0, -1)) here = here[key] = here[key] || {};
    here[keys[keys.length - 1]] = value;
  }

  function scenarioFromForm(form) {
    const scenario = {};
    const allows = [];
    for (const control of form.elements) {
      const path = control.name;
      if (!path) continue;
      if (path === "plan.allows") {
        if (control.checked) allows.push(control.value);
        continue;
      }
      if (control.type === "checkbox") {
        setPath(scenario, path, control.checked);
        continue;
      }
      const raw = control.value.trim();
      if (raw === "") continue;
      if (control.type === "number" || path === "tax_year") {
        const number = Number(raw);
        setPath(scenario, path, Number.isFinite(number) ? number : raw);
      } else {
        setPath(scenario, path, raw);
      }
    }
    setPath(scenario, "plan.allows", allows);
    return scenario;
  }

  function writeQuery(form) {
    const params = new URLSearchParams();
    let allows = 0;
    for (const control of form.elements) {
      if (!control.name) continue;
      if (control.name === "plan.allows") {
        if (control.checked) {
          params.append(control.name, control.value);
          allows += 1;
        }
      } else if (control.type === "checkbox") params.append(control.name, control.checked ? "true" : "false");
      else params.append(control.name, control.value);
    }
    if (!allows) params.append("plan.allows", "");
    const url = new URL(location.href);
    url.search = params.toString();
    history.replaceState(history.state, "", url.href);
  }

  function readQuery(form, queryErrors) {
    const params = new URLSearchParams(location.search);
    let any = false;
    for (const control of form.elements) {
      if (!control.name || !params.has(control.name)) continue;
      any = true;
      const values = params.getAll(control.name);
      if (control.name === "plan.allows") control.checked = values.includes(control.value);
      else if (control.type === "checkbox") control.checked = values[0] === "true";
      else if (control.tagName === "SELECT") {
        const known = Array.from(control.options).some((o) => o.value === values[0]);
        if (known) control.value = values[0];
        else queryErrors.push([control.name, `'${values[0]}' from the link is not one of the choices`]);
      } else control.value = values[0];
    }
    return any;
  }

  function optionHelp(form, control, labels) {
    const table = labels.options[control.name];
    if (!table) return;
    const help = document.getElementById(`${control.id}-help`);
    if (!help) return;
    const entry = table[control.value];
    help.replaceChildren();
    if (entry) {
      help.append(`${entry.summary} `, el("a", { href: siteHref(entry.href) }, `More about ${entry.label}`));
    } else {
      const title = Object.values(labels.titles).find((t) => Object.values(table)[0] && Object.values(table)[0].href.startsWith(t.href));
      help.append("Choose one to see what it means. ");
      if (title) help.append(el("a", { href: siteHref(title.href) }, `All of them: ${title.title}`));
    }
  }

  // ------------------------------------------------------------------ errors and staleness
  function clearErrors(form) {
    for (const node of form.querySelectorAll("[aria-invalid]")) {
      node.removeAttribute("aria-invalid");
      const ids = (node.getAttribute("aria-describedby") || "").split(" ").filter((i) => i && !i.endsWith("-error"));
      node.setAttribute("aria-describedby", ids.join(" "));
    }
    for (const node of form.querySelectorAll(".rb-error")) {
      node.textContent = "";
      node.hidden = true;
    }
  }

  function markField(form, field, message) {
    let path = field || "";
    let box = null;
    while (path) {
      box = form.querySelector(`[data-path="${CSS.escape(path)}"]`);
      if (box) break;
      const children = form.querySelector(`[data-path^="${CSS.escape(path)}."]`);
      if (children) {
        box = children;
        break;
      }
      path = path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "";
    }
    if (!box) box = form.querySelector(".rb-form-errors");
    const error = box.querySelector(".rb-error") || box;
    error.hidden = false;
    error.textContent = error.textContent ? `${error.textContent} ${message}` : message;
    const control = box.matches("fieldset") ? box : box.querySelector("input, select");
    if (control) {
      control.setAttribute("aria-invalid", "true");
      const ids = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (error.id && !ids.includes(error.id)) ids.push(error.id);
      control.setAttribute("aria-describedby", ids.join(" "));
    }
  }

  function setStale(stale, reason) {
    const mark = document.getElementById("rb-stale");
    const result = document.getElementById("rb-calc-result");
    if (mark) {
      mark.hidden = !stale;
      if (stale) mark.textContent = reason || "This result is out of date: fix the marked fields to update it.";
    }
    if (result) result.classList.toggle("rb-is-stale", stale);
  }

  // ------------------------------------------------------------------ the result (as calculator.py)
  function renderResult(root, scenario, result, labels) {
    const put = (path, text) => {
      const node = root.querySelector(`[data-field="${path}"]`);
      if (node) node.textContent = text;
      return node;
    };
    const verdict = put("allowed", result.allowed ? "Allowed: the plan can pay this now." : "Not allowed as entered.");
    if (verdict) verdict.dataset.allowed = result.allowed ? "true" : "false";
    const pages = Object.fromEntries((result.trace || []).map((t) => [t.rule, t.page]));
    const blocked = root.querySelector('[data-field="blocked"]');
    blocked.replaceChildren(...(result.blocked || []).map((b) =>
      el("li", {}, el("a", { href: siteHref(pages[b.rule] || `reference/permissions/#${b.rule}`) }, b.message))));
    for (const node of root.querySelectorAll(".rb-figures dd[data-field]")) {
      const path = node.dataset.field;
      if (path === "withholding.rate") node.textContent = rate(dig(result, path));
      else if (path === "rollover_eligible" || path === "form_5329_needed") node.textContent = result[path] ? "yes" : "no";
      else if (path === "exception_applied") {
        const applied = result.exception_applied;
        node.textContent = applied ? `${(labels.exceptions[applied.id] || { label: applied.id }).label}: ${usd(applied.exempt_amount)} exempt` : "none";
      } else node.textContent = usd(dig(result, path));
    }
    root.querySelector('[data-field="cautions"]').replaceChildren(...(result.cautions || []).filter((c) => labels.cautions[c]).map((c) =>
      el("li", {}, el("a", { href: siteHref(labels.cautions[c].href) }, labels.cautions[c].label), `: ${labels.cautions[c].summary}`)));
    root.querySelector('[data-field="questions"]').replaceChildren(...(result.questions || []).slice(0, labels.questions_shown)
      .filter((q) => labels.questions[q]).map((q) => el("li", {}, el("a", { href: siteHref(labels.questions[q].href) }, labels.questions[q].label))));
    const form1099 = result.form_1099r || {};
    for (const box of ["box1", "box2a", "box4", "box5"]) put(`form_1099r.${box}`, usd(form1099[box] || 0));
    put("form_1099r.box7", (form1099.box7 || []).join(", "));
    root.querySelector('[data-field="trace"]').replaceChildren(...(result.trace || []).map((t) =>
      el("li", {}, el("a", { href: siteHref(t.page) }, t.message))));
    drawChart(root, scenario, result);
  }

  function drawChart(root, scenario, result) {
    const assumptions = scenario.assumptions || {};
    const annual = typeof assumptions.annual_return === "number" ? assumptions.annual_return : 0.06;
    const years = Number.isInteger(assumptions.years_to_retirement) ? assumptions.years_to_retirement : 10;
    let start = Number(result.gross || 0) - Number((scenario.request || {}).rolled_over || 0);
    const box7 = ((result.form_1099r || {}).box7 || []).join(",");
    if (box7 === "G" || box7 === "H") start = 0;
    const width = 320, height = 160, pad = 8;
    const values = Array.from({ length: years + 1 }, (_, y) => Math.max(0, start * (1 + annual) ** y));
    const top = Math.max(...values) || 1;
    const step = (width - 2 * pad) / Math.max(1, years);
    const svg = root.querySelector(".rb-chart-svg");
    if (svg) {
      const ns = "http://www.w3.org/2000/svg";
      svg.replaceChildren(...values.map((v, i) => {
        const rect = document.createElementNS(ns, "rect");
        const h = (v / top) * (height - 2 * pad);
        rect.setAttribute("x", (pad + i * step).toFixed(1));
        rect.setAttribute("y", (height - pad - h).toFixed(1));
        rect.setAttribute("width", Math.max(1, step * 0.7).toFixed(1));
        rect.setAttribute("height", h.toFixed(1));
        return rect;
      }));
    }
    const caption = root.querySelector('[data-field="chart"]');
    if (caption) {
      caption.textContent = start <= 0
        ? "Nothing leaves retirement savings, so nothing is lost at retirement."
        : `Left in the plan, the ${usd(Math.round(start * 100) / 100)} taken out would grow to ${usd(result.value_at_retirement)} in ${years} years at ${rate(annual)} a year.`;
    }
  }

  // ------------------------------------------------------------------ binding a page
  function bindCalculator(root) {
    if (root.dataset.bound) return;
    root.dataset.bound = "true";
    const form = root.querySelector("#rb-calc-form");
    const labels = JSON.parse(root.dataset.labels);
    api.version = root.dataset.version;
    let timer = null;
    let sequence = 0;

    async function update(options) {
      const mine = ++sequence;
      clearErrors(form);
      const bad = Array.from(form.elements).filter((c) => c.validity && c.validity.badInput);
      for (const control of bad) markField(form, control.name, "Enter a number.");
      if (!options || !options.keepQuery) writeQuery(form);
      const fromLink = (options && options.queryErrors) || [];
      for (const [name, message] of fromLink) markField(form, name, message);
      if (bad.length || fromLink.length) {
        setStale(true);
        return;
      }
      const scenario = scenarioFromForm(form);
      let result;
      try {
        result = await evaluate(scenario);
      } catch (error) {
        if (mine === sequence) {
          markField(form, "", error.message);
          setStale(true);
        }
        return;
      }
      if (mine !== sequence || !root.isConnected) return;
      if (result.errors) {
        for (const error of result.errors) markField(form, error.field, error.message);
        setStale(true);
        return;
      }
      setStale(false);
      renderResult(root, scenario, result, labels);
      root.dataset.evaluations = String(Number(root.dataset.evaluations || 0) + 1);
    }

    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(update, DEBOUNCE_MS);
    };
    form.addEventListener("input", schedule);
    form.addEventListener("change", (event) => {
      if (event.target.tagName === "SELECT") optionHelp(form, event.target, labels);
      schedule();
    });
    form.addEventListener("submit", (event) => event.preventDefault());

    const queryErrors = [];
    const fromQuery = readQuery(form, queryErrors);
    for (const select of form.querySelectorAll("select")) optionHelp(form, select, labels);
    if (lastStage.stage) showStage(lastStage.stage, lastStage.text);
    for (const [name, message] of queryErrors) markField(form, name, message);
    boot(root).then(() => update({ keepQuery: true, queryErrors }), () => {});
    // The prerendered result is the default scenario's until Python answers for the linked one.
    if (fromQuery) setStale(true, "This result is for the example scenario; it updates for the linked one once Python has loaded.");
  }

  function onPage() {
    const root = calcRoot();
    if (root) bindCalculator(root);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(onPage);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onPage);
  else onPage();
})();
