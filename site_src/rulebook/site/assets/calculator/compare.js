// The options side by side: every way the plan allows to get the same money, the cheapest marked.
//
// After each answer the page asks the calculator's compare entry point (its root's data-compare)
// about the same request and writes the options into the [data-result='compare'] part with the
// same bindings as the answer (bindings.js). "Use this" puts an option's request into the form,
// which then answers for it: choosing an option is the same as typing it.

import { call } from "./boot.js";
import { render } from "./bindings.js";
import { applyConditions, fillForm } from "./form.js";

/** The form's request fields for one compared option: its route, source and amount, nothing left over. */
function choose(form, request) {
  const reset = { goal: { kind: "", amount: "" }, amount: "", sources: {}, split: { traditional: "", roth_ira: "" }, rolled_over: "" };
  for (const control of form.elements) {
    if (control.name && control.name.startsWith("request.sources.")) reset.sources[control.name.slice(16)] = "";
  }
  const wanted = { ...reset, ...request };
  if (request.sources) wanted.source = "several";
  if (request.goal) wanted.amount = "";
  fillForm(form, { request: wanted });
  applyConditions(form);
}

export function part(root, form, labels) {
  const scope = root.querySelector("[data-result='compare']");
  const entry = root.dataset.compare;
  let sequence = 0;
  scope.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action='use-option']");
    if (!button || !button.dataset.json) return;
    const request = JSON.parse(button.dataset.json);
    if (!request) return;
    choose(form, request);
    form.dispatchEvent(new Event("change", { bubbles: true }));
    form.querySelector("[name='request.route']")?.focus();
  });
  return {
    async show(request) {
      const mine = ++sequence;
      let compared;
      try {
        compared = await call(entry, request);
      } catch {
        return;
      }
      if (mine !== sequence || !root.isConnected) return;
      scope.hidden = Boolean(compared.errors);
      if (!compared.errors) render(scope, compared, labels);
    },
  };
}
