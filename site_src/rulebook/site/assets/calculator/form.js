// The form, built from the rule tables at build time: what it holds, what shows, what is wrong.
//
// Controls are named after request paths; `data-kind` says how to read each one (money and
// number: typed text, commas and a $ allowed; percent: 5 means 5%, sent as 0.05; whole; flag: a
// checkbox; list: a group of checkboxes; text: a select). Parts with `data-show-if` show only
// when the controls they name hold one of the listed values (site/calculators/conditions.py
// decides the same for the prerendered page); a hidden part is left out of the request, so
// changing a choice never leaves behind a field, or an error, that no longer applies. The URL
// holds the request's values under the same names, so a link reproduces the answer.

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** The text a control's value reads as, or null for "left empty"; `bad` when it is not a number. */
export function readControl(control) {
  const kind = control.dataset.kind || "text";
  if (kind === "flag") return { value: control.checked };
  const raw = control.value.trim();
  if (raw === "") return { value: null };
  if (kind === "text") return { value: raw };
  const cleaned = raw.replace(/[\s,$]/g, "").replace(/%$/, "");
  if (!NUMBER.test(cleaned)) return { bad: kind === "whole" ? "Enter a whole number." : "Enter a number." };
  const number = Number(cleaned);
  if (kind === "whole" && !Number.isInteger(number)) return { bad: "Enter a whole number." };
  return { value: kind === "percent" ? Number((number / 100).toPrecision(12)) : number };
}

/** A request value as its control shows it: 0.05 → "5" in a percent field, 80000 → "80,000" for money. */
export function showValue(control, value) {
  const kind = control.dataset.kind || "text";
  if (value === null || value === undefined || value === "") return "";
  const number = Number(value);
  if (kind === "percent" && Number.isFinite(number)) return String(Number((number * 100).toPrecision(12)));
  if (kind === "money" && Number.isFinite(number)) return number.toLocaleString("en-US", { maximumFractionDigits: 2 });
  return String(value);
}

/** Every shown control's values as text, the way conditions.py reads the prerendered form. */
function formValues(form) {
  const values = {};
  for (const control of form.elements) {
    if (!control.name) continue;
    const list = (values[control.name] = values[control.name] || []);
    if (!isShown(control)) continue; // a hidden part is no part of the request
    if (control.type === "checkbox") {
      if (control.dataset.kind === "flag") list.push(control.checked ? "true" : "false");
      else if (control.checked) list.push(control.value);
    } else list.push(control.value);
  }
  return values;
}

function showIf(condition, values) {
  return Object.entries(condition).every(([path, allowed]) => {
    const held = (values[path] || []).filter((v) => v !== "");
    if (allowed.includes("*")) return held.some((v) => !["", "0"].includes(v.trim()));
    return held.some((v) => allowed.includes(v)) || (allowed.includes("") && held.length === 0);
  });
}

/** Hand a typed amount on to the field of the same `data-carry` group that takes its place. */
function carryOver(form, before) {
  for (const box of form.querySelectorAll("[data-carry]")) {
    const input = box.querySelector("input");
    if (!input || box.hidden || input.value.trim() !== "" || !before.get(box)) continue;
    const gone = Array.from(form.querySelectorAll(`[data-carry="${CSS.escape(box.dataset.carry)}"]`))
      .find((other) => other !== box && other.hidden && !before.get(other) && other.querySelector("input")?.value.trim());
    if (gone) input.value = gone.querySelector("input").value;
  }
}

/** Show and hide the parts (and options) whose conditions changed; a select whose choice disappeared takes the first one left. */
export function applyConditions(form) {
  const parts = Array.from(form.querySelectorAll("[data-show-if]"));
  const before = new Map(parts.map((node) => [node, node.hidden]));
  // A control in a hidden part holds nothing, so hiding one part can hide another: settle.
  for (let pass = 0; pass <= parts.length; pass += 1) {
    const values = formValues(form);
    let changed = false;
    for (const node of parts) {
      const hide = !showIf(JSON.parse(node.dataset.showIf), values);
      if (node.hidden === hide) continue; // unchanged: writing it anyway would still make the page restyle
      changed = true;
      node.hidden = hide;
      if (node.tagName === "OPTION") node.disabled = hide;
    }
    for (const select of form.querySelectorAll("select")) {
      const chosen = select.options[select.selectedIndex];
      if (chosen && chosen.disabled) {
        const first = Array.from(select.options).find((o) => !o.disabled);
        if (first) {
          select.value = first.value;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  carryOver(form, before);
  for (const summary of form.querySelectorAll("[data-summary-of]")) {
    const ticked = Array.from(form.querySelectorAll(`input[name="${CSS.escape(summary.dataset.summaryOf)}"]:checked`))
      .map((input) => form.querySelector(`label[for="${CSS.escape(input.id)}"]`)?.textContent || input.value);
    const text = ticked.length ? ticked.join(", ") : summary.dataset.none || "";
    if (summary.textContent !== text) summary.textContent = text;
  }
}

export function isShown(control) {
  if (control.disabled) return false;
  for (let here = control; here && here.tagName !== "FORM"; here = here.parentElement) {
    if (here.hidden) return false;
  }
  return true;
}

function setPath(target, path, value) {
  const keys = path.split(".");
  let here = target;
  for (const key of keys.slice(0, -1)) here = here[key] = here[key] && typeof here[key] === "object" ? here[key] : {};
  here[keys[keys.length - 1]] = value;
}

/** The request the form describes, and the fields that cannot be read ([path, message]). */
export function readForm(form) {
  const request = {};
  const bad = [];
  const lists = new Map();
  for (const control of form.elements) {
    const path = control.name;
    if (!path) continue;
    if (control.dataset.kind === "list") {
      if (!lists.has(path)) lists.set(path, []);
      if (control.checked && isShown(control)) lists.get(path).push(control.value);
      continue;
    }
    if (!isShown(control)) continue;
    const read = readControl(control);
    if (read.bad) bad.push([path, read.bad]);
    else if (read.value !== null && !(control.dataset.absent || "").split(" ").includes(String(read.value))) {
      setPath(request, path, read.value);
    }
  }
  for (const [path, values] of lists) setPath(request, path, values);
  return { request, bad };
}

// ------------------------------------------------------------------ the URL
export function writeQuery(form) {
  const params = new URLSearchParams();
  const lists = new Set();
  for (const control of form.elements) {
    if (!control.name || !isShown(control)) continue;
    if (control.dataset.kind === "list") {
      lists.add(control.name);
      if (control.checked) params.append(control.name, control.value);
    } else if (control.dataset.kind === "flag") params.append(control.name, control.checked ? "true" : "false");
    else {
      const read = readControl(control);
      params.append(control.name, read.bad || read.value === null ? control.value.trim() : String(read.value));
    }
  }
  for (const name of lists) if (!params.has(name)) params.append(name, "");
  const url = new URL(location.href);
  url.search = params.toString();
  history.replaceState(history.state, "", url.href);
}

/** Fill the form from the URL; choices the form does not offer are reported ([path, message]). */
export function readQuery(form, search) {
  const params = new URLSearchParams(search);
  const problems = [];
  let any = false;
  const seen = new Set();
  for (const control of form.elements) {
    if (!control.name || !params.has(control.name)) continue;
    any = true;
    const values = params.getAll(control.name);
    if (control.dataset.kind === "list") control.checked = values.includes(control.value);
    else if (control.dataset.kind === "flag") control.checked = values[0] === "true";
    else if (control.tagName === "SELECT") {
      const known = Array.from(control.options).some((o) => o.value === values[0]);
      if (known) control.value = values[0];
      else if (!seen.has(control.name)) problems.push([control.name, `'${values[0]}' from the link is not one of the choices`]);
    } else {
      const number = Number(values[0]);
      control.value = values[0] !== "" && Number.isFinite(number) ? showValue(control, number) : values[0];
    }
    seen.add(control.name);
    control.closest("[data-example]")?.removeAttribute("data-example");
  }
  applyConditions(form);
  return { any, problems };
}

/** Put a request back into the form (a compared option chosen, the example restored). */
export function fillForm(form, request, prefix = "") {
  for (const [key, value] of Object.entries(request || {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    const controls = Array.from(form.elements).filter((c) => c.name === path);
    if (!controls.length && value && typeof value === "object" && !Array.isArray(value)) {
      fillForm(form, value, path);
      continue;
    }
    for (const control of controls) {
      if (control.dataset.kind === "list") control.checked = Array.isArray(value) && value.includes(control.value);
      else if (control.dataset.kind === "flag") control.checked = value === true;
      else control.value = showValue(control, value);
    }
  }
  applyConditions(form);
}

// ------------------------------------------------------------------ errors and staleness
export function clearErrors(form) {
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

/** A message next to the field it is about (or its nearest shown parent field, else the form's top). */
export function markField(form, field, message) {
  let path = field || "";
  let box = null;
  while (path) {
    const exact = form.querySelector(`[data-path="${CSS.escape(path)}"]`);
    const child = exact ? null : form.querySelector(`[data-path^="${CSS.escape(path)}."]`);
    box = exact || child;
    if (box && isShown(box.querySelector("input, select") || box)) break;
    box = null;
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

/** Swap a select's help text for its chosen option's summary and link (from the rule tables). */
export function optionHelp(select, labels, siteHref) {
  const chosen = select.options[select.selectedIndex];
  const table = (chosen && chosen.dataset.helpTable) || select.dataset.table;
  const id = (chosen && chosen.dataset.helpId) || select.value;
  const help = document.getElementById(`${select.id}-help`);
  if (!table || !help) return;
  const label = (labels.labels[table] || {})[id];
  const fresh = document.createElement("div");
  const link = document.createElement("a");
  if (label) {
    const summary = (labels.summaries[table] || {})[id] || "";
    link.href = siteHref(`${labels.pages[table]}#${id}`);
    link.textContent = `More about ${label}`;
    fresh.append(summary ? `${summary} ` : "", link);
  } else {
    link.href = siteHref(labels.pages[table]);
    link.textContent = `All of them: ${labels.titles[table]}`;
    fresh.append("Choose one to see what it means. ", link);
  }
  // The page prerenders this help for the chosen option: rewrite it only when it says something else.
  if (help.innerHTML !== fresh.innerHTML) help.replaceChildren(...fresh.childNodes);
}
