// The chart: what the money taken out would grow to if left invested, against what you keep now.
//
// The live half of site/calculators/chart.py, with the same geometry (the browser tests compare a
// prerendered chart with a live one). The two figures written on it are the engine's
// (value_at_retirement, cash_after_tax); the curve between is the compound growth joining them and
// the axis marks are a scale. The table below the chart says the same for screen readers and print.

import { usd } from "./bindings.js";

const WIDTH = 560;
const HEIGHT = 230;
const [LEFT, RIGHT, TOP, BOTTOM] = [70, 16, 14, 30];
const SVG = "http://www.w3.org/2000/svg";

const r = (value) => (Math.floor(value * 10 + 0.5) / 10).toFixed(1);

function niceStep(top) {
  const raw = top > 0 ? top / 4 : 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((step) => step >= raw);
}

export function geometry(start, end, kept, yearsIn) {
  const years = Math.max(0, Math.trunc(yearsIn));
  const span = Math.max(1, years);
  let grown = Array.from({ length: years + 1 }, (_, y) => (start > 0 && end > 0 ? start * (end / start) ** (y / span) : 0));
  if (years === 0) grown = [end];
  const highest = Math.max(...grown, kept, 1);
  const step = niceStep(highest);
  const top = step * Math.ceil(highest / step);
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const x = (year) => LEFT + plotW * (year / span);
  const y = (value) => TOP + plotH * (1 - value / top);
  const every = Math.max(1, Math.ceil(span / 6));
  const marks = new Set([years]);
  for (let yr = 0; yr <= years; yr += every) marks.add(yr);
  return {
    grown: grown.map((v, i) => `${r(x(i))},${r(y(v))}`).join(" "),
    kept: `${r(x(0))},${r(y(kept))} ${r(x(span))},${r(y(kept))}`,
    dollars: Array.from({ length: Math.round(top / step) + 1 }, (_, i) => [r(y(step * i)), usd(Math.round(step * i * 100) / 100)]),
    years: Array.from(marks).sort((a, b) => a - b).map((yr) => [r(x(yr)), yr === 0 ? "now" : `${yr} y`]),
    end: [r(x(span)), r(y(grown[grown.length - 1]))],
  };
}

function el(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function draw(svg, g) {
  const nodes = [];
  for (const [yy, text] of g.dollars) {
    nodes.push(el("line", { class: "rb-grid", x1: LEFT, x2: WIDTH - RIGHT, y1: yy, y2: yy }));
    nodes.push(el("text", { class: "rb-axis", x: LEFT - 6, y: yy, "text-anchor": "end", "dominant-baseline": "middle" }, text));
  }
  for (const [xx, text] of g.years) nodes.push(el("text", { class: "rb-axis", x: xx, y: HEIGHT - 8, "text-anchor": "middle" }, text));
  nodes.push(el("polyline", { class: "rb-line-kept", points: g.kept }));
  nodes.push(el("polyline", { class: "rb-line-grown", points: g.grown }));
  nodes.push(el("circle", { class: "rb-dot-grown", cx: g.end[0], cy: g.end[1], r: "4" }));
  // Drawn apart and compared first: the prerendered chart, confirmed once Python answers, stays as it is.
  const fresh = document.createElementNS(SVG, "g");
  fresh.append(...nodes);
  if (svg.innerHTML !== fresh.innerHTML) svg.replaceChildren(...fresh.childNodes);
}

export function part(root) {
  return {
    show(request, result) {
      const figure = root.querySelector("[data-chart]");
      const svg = figure && figure.querySelector("svg");
      if (!svg) return;
      const assumptions = request.assumptions || {};
      const years = Number.isInteger(assumptions.years_to_retirement) ? assumptions.years_to_retirement
        : Number(figure.querySelector("[data-chart-years]")?.dataset.default || 0);
      const start = Number(result.gross || 0) - Number((request.request || {}).rolled_over || 0);
      draw(svg, geometry(start, Number(result.value_at_retirement || 0), Number(result.cash_after_tax || 0), years));
      const cell = figure.querySelector("[data-chart-start]");
      if (cell && cell.textContent !== usd(start)) cell.textContent = usd(start);
      const shown = figure.querySelector("[data-chart-years]");
      if (shown && shown.textContent !== String(years)) shown.textContent = String(years);
    },
  };
}
