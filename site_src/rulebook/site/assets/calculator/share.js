// Share, print, start again: the calculator's tools, and the example figures the form starts with.
//
// Copy link puts the page's URL (which holds every field, see form.js) on the clipboard. Print
// uses the print stylesheet (calculator.css): the answer, the forms and the checklist, no form
// controls. Start again puts the example back, exactly as the page was served. Clear the
// example empties every field still holding an example figure, so none of them decides an answer
// (a caution, a limit) without the person having typed it.

import { applyConditions } from "./form.js";

function say(root, text) {
  const status = root.querySelector("#rb-tools-status");
  if (status) status.textContent = text;
}

async function copyLink(root) {
  const url = location.href;
  try {
    await navigator.clipboard.writeText(url);
    say(root, "Link copied.");
  } catch {
    // No clipboard permission (an http page, an old browser): leave the link selected to copy by hand.
    const field = document.createElement("input");
    field.value = url;
    field.readOnly = true;
    field.setAttribute("aria-label", "Link to this answer");
    field.className = "rb-link-field";
    root.querySelector("#rb-tools").append(field);
    field.select();
    say(root, "Copy the link shown.");
  }
}

export function bindTools(root, form, update) {
  const examples = Array.from(form.querySelectorAll("[data-example]"));
  const tools = root.querySelector("#rb-tools");
  const clear = form.querySelector("[data-action='clear-example']");
  const note = form.querySelector("#rb-example-note");
  const refreshNote = () => {
    const left = form.querySelectorAll("[data-example]").length;
    if (note) note.hidden = left === 0;
  };
  if (tools) tools.hidden = false;
  if (clear) clear.hidden = false;
  refreshNote();
  form.addEventListener("input", refreshNote);

  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button || !root.contains(button)) return;
    const action = button.dataset.action;
    if (action === "copy-link") copyLink(root);
    else if (action === "print") window.print();
    else if (action === "reset") {
      form.reset();
      for (const field of examples) field.setAttribute("data-example", "");
      for (const control of form.elements) delete control.dataset.touched;
      applyConditions(form);
      refreshNote();
      history.replaceState(history.state, "", location.pathname + location.hash);
      say(root, "Back to the example.");
      update({ keepQuery: true });
    } else if (action === "clear-example") {
      for (const field of form.querySelectorAll("[data-example]")) {
        for (const input of field.querySelectorAll("input")) input.value = "";
        field.removeAttribute("data-example");
      }
      applyConditions(form);
      refreshNote();
      say(root, "Example figures cleared.");
      update();
    }
  });
}
