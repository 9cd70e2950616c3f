// One calculator page brought to life: the form asks the engine on every change, the answer follows.
//
// Works for any declared calculator: the root's data-entry names the engine entry point, the
// templates declared the bindings (bindings.js), the form's controls their request paths (form.js).
// Optional parts load only when the page has them: the options side by side (compare.js, when
// the root names a data-compare entry) and the chart (chart.js, for [data-chart]).

import { boot, call, restoreStage } from "./boot.js";
import { render, siteHref } from "./bindings.js";
import { applyConditions, clearErrors, markField, optionHelp, readForm, readQuery, writeQuery } from "./form.js";
import { bindTools } from "./share.js";

const DEBOUNCE_MS = 150;
// The engine's word for a field left empty that it needs. Left empty on purpose (a fresh form, the
// example cleared) that is no mistake to shout about: the answer waits, naming what it needs.
const REQUIRED = "required";

function setStale(root, stale, reason) {
  const mark = root.querySelector("#rb-stale");
  if (mark) {
    mark.hidden = !stale;
    if (stale) mark.textContent = reason || "This answer is out of date: fix the marked fields to update it.";
  }
  root.classList.toggle("rb-is-stale", stale);
}

/** What a field is called on the page: its own label, else the first label of the part it names. */
function labelOf(form, path) {
  const box = form.querySelector(`[data-path="${CSS.escape(path)}"]`) || form.querySelector(`[data-path^="${CSS.escape(path)}."]:not([hidden])`);
  const label = box && box.querySelector("label, legend");
  return label ? label.textContent.trim() : path;
}

export async function bindCalculator(root) {
  if (root.dataset.bound) return;
  root.dataset.bound = "true";
  const form = root.querySelector("#rb-calc-form");
  const labels = JSON.parse(root.dataset.labels);
  const entry = root.dataset.entry || "evaluate";
  window.rulebook.version = root.dataset.version;
  const extras = [];
  if (root.dataset.compare && root.querySelector("[data-result='compare']")) extras.push(import("./compare.js"));
  if (root.querySelector("[data-chart]")) extras.push(import("./chart.js"));
  const parts = (await Promise.all(extras)).map((module) => module.part(root, form, labels));
  let timer = null;
  let sequence = 0;

  function show(request, result) {
    render(root, result, labels, "[data-result], form");
    for (const part of parts) part.show(request, result);
  }

  async function update(options = {}) {
    const mine = ++sequence;
    clearErrors(form);
    const { request, bad } = readForm(form);
    for (const [path, message] of bad) markField(form, path, message);
    if (!options.keepQuery) writeQuery(form);
    const fromLink = options.queryErrors || [];
    for (const [path, message] of fromLink) markField(form, path, message);
    if (bad.length || fromLink.length) {
      setStale(root, true);
      return;
    }
    let result;
    try {
      result = await call(entry, request);
    } catch (error) {
      if (mine === sequence) {
        markField(form, "", error.message);
        setStale(root, true);
      }
      return;
    }
    if (mine !== sequence || !root.isConnected) return;
    if (result.errors) {
      const missing = result.errors.filter((e) => e.message.startsWith(REQUIRED) && !form.querySelector(`[name="${CSS.escape(e.field)}"]`)?.dataset.touched);
      for (const error of result.errors) if (!missing.includes(error)) markField(form, error.field, error.message);
      const names = missing.map((e) => labelOf(form, e.field));
      setStale(root, true, missing.length === result.errors.length
        ? `Fill in ${names.join(", ")} to see the answer.` : undefined);
      return;
    }
    setStale(root, false);
    show(request, result);
    root.dataset.evaluations = String(Number(root.dataset.evaluations || 0) + 1);
  }

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(update, DEBOUNCE_MS);
  };
  form.addEventListener("input", (event) => {
    event.target.dataset.touched = "true";
    event.target.closest("[data-example]")?.removeAttribute("data-example");
    schedule();
  });
  form.addEventListener("change", (event) => {
    applyConditions(form);
    if (event.target.tagName === "SELECT") optionHelp(event.target, labels, siteHref);
    for (const select of form.querySelectorAll("select[data-table]")) optionHelp(select, labels, siteHref);
    schedule();
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  bindTools(root, form, (options) => update(options));
  // Links within the calculator (the phone's summary, "what your plan would allow instead") only
  // scroll: followed as links they would drop the query that holds the person's figures.
  root.addEventListener("click", (event) => {
    const link = event.target.closest("a[href*='#rb-']");
    const target = link && root.querySelector(`#${CSS.escape(link.href.split("#")[1])}`);
    if (!target || new URL(link.href).pathname !== location.pathname) return;
    event.preventDefault();
    event.stopPropagation();
    target.scrollIntoView({ block: "start" });
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  });
  // The phone's short summary shows only while the answer itself is out of view.
  const peek = root.querySelector("#rb-peek");
  const answer = root.querySelector("#rb-calc-result");
  if (peek && answer && "IntersectionObserver" in window) {
    new IntersectionObserver(([seen]) => peek.toggleAttribute("data-answer-visible", seen.isIntersecting)).observe(answer);
  }

  const { any, problems } = readQuery(form, location.search);
  for (const select of form.querySelectorAll("select[data-table]")) optionHelp(select, labels, siteHref);
  restoreStage();
  for (const [path, message] of problems) markField(form, path, message);
  // The prerendered answer is the example's until Python answers for the linked request.
  if (any) setStale(root, true, "This answer is for the example; it updates for the linked figures once Python has loaded.");
  boot(root).then(() => update({ keepQuery: true, queryErrors: problems }), () => {});
}

export { applyConditions };
