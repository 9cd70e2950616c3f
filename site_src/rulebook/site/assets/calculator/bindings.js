// The result and its trace: writes an engine answer into the bindings the templates declared.
//
// The same markup was prerendered at build time (site/calculators/page.py and the macros of
// templates/rulebook/controls.html.j2); this module is the live half and must agree with it:
//   data-field="path" data-unit="usd|usd_abs|rate|age|bool|codes|label|rule|text"   a figure of the result
//   data-when="allowed and due_at_filing > 0"                                 shown only when true
//   data-list="path" (+ data-table, data-limit) holding a <template>          one clone per item, whose
//     data-item / data-item-href / data-item-when / data-item-json bind the item's own fields.
// Numbers are formatted as ground/wording.py formats them; every figure comes from the engine.
// Only DOM APIs and textContent: nothing from a result or from the person becomes HTML.

export const SITE_ROOT = new URL("../../../", import.meta.url);

export function dig(data, path) {
  if (path === "." || path === "") return data;
  let here = data;
  for (const key of path.split(".")) {
    if (here && typeof here === "object" && !Array.isArray(here)) here = here[key];
    else if (Array.isArray(here) && /^\d+$/.test(key)) here = here[Number(key)];
    else return undefined;
  }
  return here;
}

// ------------------------------------------------------------------ numbers, as ground/wording.py
function plain(value) {
  // Decimal.normalize() in Python: no exponent, no trailing zeros.
  const text = Number(value.toPrecision(15)).toString();
  if (!/e/i.test(text)) return text;
  return Number(value).toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 20 });
}

// One formatter for every figure: toLocaleString with options builds a new Intl.NumberFormat on
// each call, which was the page's costliest function while an answer was written.
const CENTS = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function usd(value) {
  const number = Number(value) || 0;
  const cents = Math.round(Math.abs(number) * 100 + 1e-9) / 100;
  let text = CENTS.format(cents);
  if (text.endsWith(".00")) text = text.slice(0, -3);
  return `${number < 0 && cents > 0 ? "-" : ""}$${text}`;
}

export function rate(value) {
  return `${plain(Number(value) * 100)}%`;
}

export function format(value, unit, labels, table) {
  if (value === undefined || value === null || value === "") return unit === "label" ? "none" : "";
  if (unit === "label") return (labels.labels[table] || {})[value] || String(value);
  if (unit === "rule") return ruleLabel(labels, value);
  if (unit === "summary") return (labels.summaries[table] || {})[value] || "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.map(String).join(", ");
  if (typeof value === "number") {
    if (unit === "usd") return usd(value);
    if (unit === "usd_abs") return usd(Math.abs(value)); // a refund shown as the money that comes back
    if (unit === "rate") return rate(value);
    if (unit === "age") return Number.isInteger(value - 0.5) ? `${Math.floor(value)}½` : plain(value);
    return plain(value);
  }
  return String(value);
}

/** The label of the entry a trace line's page anchors on ("reference/permissions/#in_service"). */
export function ruleLabel(labels, page) {
  const match = /^reference\/([a-z0-9-]+)\/#([a-z0-9_]+)$/.exec(page || "");
  if (!match) return "";
  return (labels.labels[match[1].replace(/-/g, "_")] || {})[match[2]] || "";
}

export function siteHref(page) {
  return new URL(page, SITE_ROOT).href;
}

// ------------------------------------------------------------------ conditions (as conditions.py)
const COMPARISON = /^(!?)([A-Za-z_][A-Za-z0-9_.]*)(?:\s*(>=|<=|==|!=|>|<)\s*(.+))?$/;

function truthy(value) {
  return !(value === undefined || value === null || value === false || value === 0 || value === "" ||
    (Array.isArray(value) && value.length === 0));
}

function literal(text) {
  const t = text.trim();
  if (t === "true") return true;
  if (t === "false") return false;
  if (t === "null") return null;
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) return t.slice(1, -1);
  return Number(t);
}

export function when(expression, data) {
  for (const part of expression.split(" and ")) {
    const match = COMPARISON.exec(part.trim());
    if (!match) throw new Error(`data-when '${expression}': cannot read '${part.trim()}'`);
    const [, negate, path, operator, text] = match;
    const value = dig(data, path);
    let ok;
    if (!operator) ok = truthy(value);
    else {
      const other = literal(text);
      if (operator === "==" || operator === "!=") {
        const same = typeof other === "number" ? typeof value === "number" && value === other : value === other ||
          (value === undefined && other === null);
        ok = operator === "==" ? same : !same;
      } else if (typeof value !== "number" || typeof value === "boolean" || typeof other !== "number") ok = false;
      else ok = { ">": value > other, "<": value < other, ">=": value >= other, "<=": value <= other }[operator];
    }
    if (ok === Boolean(negate)) return false;
  }
  return true;
}

// ------------------------------------------------------------------ rendering
function inTemplateOrList(node, scope) {
  // A binding belongs to the nearest list (or template) around it, not to the scope being filled.
  for (let here = node.parentElement; here && here !== scope; here = here.parentElement) {
    if (here.hasAttribute("data-list") || here.tagName === "TEMPLATE") return true;
  }
  return false;
}

function ownNodes(scope, selector) {
  return Array.from(scope.querySelectorAll(selector)).filter((node) => !inTemplateOrList(node, scope));
}

function itemsOf(list, data, labels) {
  let items = dig(data, list.dataset.list);
  items = Array.isArray(items) ? items : [];
  const table = list.dataset.table;
  if (table) {
    const names = labels.labels[table] || {};
    const summaries = labels.summaries[table] || {};
    items = items.filter((id) => id in names).map((id) => ({
      id, label: names[id], summary: summaries[id] || "", href: `${labels.pages[table]}#${id}`,
    }));
  }
  const limit = Number(list.dataset.limit);
  return limit > 0 ? items.slice(0, limit) : items;
}

function fillItem(node, item, index, labels) {
  const scope = node;
  const bound = [scope, ...scope.querySelectorAll("*")];
  for (const el of bound) {
    if (el.dataset.item !== undefined) el.textContent = format(dig(item, el.dataset.item), el.dataset.unit || "text", labels, el.dataset.table);
    if (el.dataset.itemHref !== undefined) {
      const page = dig(item, el.dataset.itemHref);
      if (page) el.setAttribute("href", siteHref(page));
      else el.removeAttribute("href");
    }
    if (el.dataset.itemWhen !== undefined) el.hidden = !when(el.dataset.itemWhen, item);
    if (el.dataset.itemJson !== undefined) el.dataset.json = JSON.stringify(dig(item, el.dataset.itemJson) ?? null);
    if (el.dataset.itemIndex !== undefined) el.dataset.itemIndex = String(index);
  }
}

function renderList(list, data, labels) {
  const template = Array.from(list.children).find((c) => c.tagName === "TEMPLATE");
  if (!template) return;
  const fresh = document.createElement(list.tagName);
  for (const [index, item] of itemsOf(list, data, labels).entries()) {
    const fragment = template.content.cloneNode(true);
    for (const child of Array.from(fragment.children)) fillItem(child, item, index, labels);
    fresh.append(fragment);
  }
  // Built apart and compared first: an unchanged list (the prerendered answer confirmed once Python
  // is ready, a keystroke that changes no option) leaves the page's layout alone.
  const current = Array.from(list.children).filter((c) => c !== template).map((c) => c.outerHTML).join("");
  if (current === Array.from(fresh.children).map((c) => c.outerHTML).join("")) return;
  list.replaceChildren(...fresh.children, template);
}

/** Write `data` (an engine answer) into every binding inside `scope`, skipping nested `skip` scopes. */
export function render(scope, data, labels, skip) {
  const outside = (node) => !skip || !node.closest(skip) || scope.matches(skip);
  // Only what changed is written: every write, even of the same text, makes the browser restyle.
  for (const node of ownNodes(scope, "[data-field]").filter(outside)) {
    const text = format(dig(data, node.dataset.field), node.dataset.unit || "text", labels, node.dataset.table);
    if (node.textContent !== text) node.textContent = text;
  }
  for (const node of ownNodes(scope, "[data-when]").filter(outside)) {
    const hidden = !when(node.dataset.when, data);
    if (node.hidden !== hidden) node.hidden = hidden;
  }
  for (const list of ownNodes(scope, "[data-list]").filter(outside)) renderList(list, data, labels);
}
