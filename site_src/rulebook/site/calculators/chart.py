"""The chart of a withdrawal's cost over the years: taken now, or left invested until retirement.

Drawn here for the prerendered page and by ``assets/calculator/chart.js`` live, with the same
geometry (the browser tests compare the two). Only two figures are the engine's own, and only they
are written as figures: what stays with you after tax now (``cash_after_tax``) and what the money
taken out would have grown to (``value_at_retirement``); the curve between is the compound growth
that joins them, and the axis marks are a scale. A table says the same for screen readers and print.
"""

from __future__ import annotations

import html
import math
from typing import Any

from markupsafe import Markup

from ...ground.wording import format_value

__all__ = ["chart", "geometry"]

WIDTH, HEIGHT = 560, 230
LEFT, RIGHT, TOP, BOTTOM = 70, 16, 14, 30


def _r(value: float) -> str:
    """One decimal, rounded half up (as chart.js rounds), so both draw the same numbers."""
    return f"{math.floor(value * 10 + 0.5) / 10:.1f}"


def _nice_step(top: float) -> float:
    raw = top / 4 if top > 0 else 1
    power = 10 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw))


def geometry(start: float, end: float, kept: float, years: int) -> dict[str, Any]:
    """Points of both lines, the axis marks and their places, for a chart ``WIDTH`` × ``HEIGHT``."""
    years = max(0, int(years))
    span = max(1, years)
    grown = [start * (end / start) ** (y / span) if start > 0 and end > 0 else 0.0 for y in range(years + 1)]
    if years == 0:
        grown = [end]
    step = _nice_step(max([*grown, kept, 1.0]))
    top = step * math.ceil(max([*grown, kept, 1.0]) / step)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year: float) -> float:
        return LEFT + plot_w * (year / span)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    every = max(1, math.ceil(span / 6))
    year_marks = sorted({*range(0, years + 1, every), years})
    return {
        "grown": " ".join(f"{_r(x(i))},{_r(y(v))}" for i, v in enumerate(grown)),
        "kept": f"{_r(x(0))},{_r(y(kept))} {_r(x(span))},{_r(y(kept))}",
        "dollars": [(_r(y(step * i)), format_value(round(step * i, 2), "usd")) for i in range(round(top / step) + 1)],
        "years": [(_r(x(yr)), "now" if yr == 0 else f"{yr} y") for yr in year_marks],
        "end": (_r(x(span)), _r(y(grown[-1]))), "kept_at": _r(y(kept)),
    }


def svg(start: float, end: float, kept: float, years: int) -> str:
    g = geometry(start, end, kept, years)
    grid = "".join(f'<line class="rb-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{yy}" y2="{yy}"></line>'
                   f'<text class="rb-axis" x="{LEFT - 6}" y="{yy}" text-anchor="end" dominant-baseline="middle">{html.escape(t)}</text>'
                   for yy, t in g["dollars"])
    marks = "".join(f'<text class="rb-axis" x="{xx}" y="{HEIGHT - 8}" text-anchor="middle">{html.escape(t)}</text>'
                    for xx, t in g["years"])
    return (f'<svg class="rb-chart-svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="rb-chart-caption" focusable="false">'
            f'{grid}{marks}<polyline class="rb-line-kept" points="{g["kept"]}"></polyline>'
            f'<polyline class="rb-line-grown" points="{g["grown"]}"></polyline>'
            f'<circle class="rb-dot-grown" cx="{g["end"][0]}" cy="{g["end"][1]}" r="4"></circle></svg>')


def chart(result: Any, request: Any, default_years: int) -> Markup:
    """The figure for a result and the request it answers (its assumptions and rolled-over dollars)."""
    assumptions = (request or {}).get("assumptions") or {}
    years = int(assumptions.get("years_to_retirement", default_years))
    start = float(result.get("gross", 0)) - float(((request or {}).get("request") or {}).get("rolled_over") or 0)
    end, kept = float(result.get("value_at_retirement", 0)), float(result.get("cash_after_tax", 0))

    def usd(value: float) -> str:
        return html.escape(format_value(value, "usd"))

    return Markup(
        f'<div class="rb-chart" data-chart><figure>{svg(start, end, kept, years)}'
        f'<figcaption id="rb-chart-caption"><span class="rb-key rb-key-grown">Left invested</span> grows to '
        f'<strong data-field="value_at_retirement" data-unit="usd">{usd(end)}</strong> by retirement; '
        f'<span class="rb-key rb-key-kept">taken now</span>, you keep '
        f'<strong data-field="cash_after_tax" data-unit="usd">{usd(kept)}</strong> after tax. '
        f'The return is an assumption, not a forecast.</figcaption></figure>'
        f'<table class="rb-chart-table"><caption>The same, as a table</caption>'
        f'<thead><tr><th scope="col"><span class="rb-sr">The money</span></th><th scope="col">Now</th>'
        f'<th scope="col">In <span data-chart-years data-default="{default_years}">{years}</span> years</th></tr></thead>'
        f'<tbody><tr><th scope="row">Left invested</th><td data-chart-start>{usd(start)}</td>'
        f'<td data-field="value_at_retirement" data-unit="usd">{usd(end)}</td></tr>'
        f'<tr><th scope="row">Taken now, kept after tax</th><td data-field="cash_after_tax" data-unit="usd">{usd(kept)}</td>'
        f'<td data-field="cash_after_tax" data-unit="usd">{usd(kept)}</td></tr></tbody></table></div>')
