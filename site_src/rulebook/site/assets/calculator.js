// Every page: window.rulebook, and the calculator's modules fetched only where a calculator is.
//
// Loaded through extra_javascript, so it runs once per tab under Material's instant navigation.
// On a page holding a calculator (#rb-calc) it imports calculator/page.js, which boots Python
// (one module worker per tab, calculator/boot.js) and binds the form; content pages download
// nothing more than this file and no byte of Pyodide.
//
// window.rulebook (spec/browser.md): ready, evaluate(scenario), compare(scenario), call(entry,
// request), version.
(function () {
  "use strict";
  if (window.rulebook && window.rulebook.__calculator) return;

  const SCRIPT_URL = document.currentScript ? document.currentScript.src : new URL("assets/rulebook/calculator.js", location.href).href;
  const module = (name) => import(new URL(`calculator/${name}.js`, SCRIPT_URL).href);
  const root = () => document.getElementById("rb-calc");
  let booted = null;
  let resolveReady;
  let rejectReady;
  const readyPromise = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  readyPromise.catch(() => {});

  function boot() {
    if (!booted) {
      booted = module("boot").then((m) => m.boot(root()));
      booted.then(resolveReady, rejectReady);
    }
    return booted;
  }

  function call(entry, request) {
    if (!root() && !booted) return Promise.reject(new Error("The calculator is not on this page."));
    boot();
    return module("boot").then((m) => m.call(entry, request));
  }

  const api = {
    __calculator: true,
    version: null,
    get ready() {
      if (root()) boot();
      return readyPromise;
    },
    call,
    evaluate: (scenario) => call("evaluate", scenario),
    compare: (scenario) => call("compare", scenario),
  };
  window.rulebook = api;

  function onPage() {
    const here = root();
    if (!here) return;
    boot();
    module("page").then((m) => m.bindCalculator(here));
  }

  // The script runs at the end of <body>: on a calculator page, ask for Python now rather than
  // waiting for Material's document$ to fire.
  if (root()) boot();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(onPage);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onPage);
  else onPage();
})();
