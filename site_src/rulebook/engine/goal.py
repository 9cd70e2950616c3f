"""Goal mode: the smallest whole-cent gross whose check (or money kept after tax) reaches a target.

Every figure is piecewise linear in the gross: the tax brackets, the standard deduction, an
exception's amount, the medical floor and a rollover each bend the line at one point, and nothing
else does. So the solver works segment by segment on the exact (unrounded) figures: from each end
of the bracket it follows the segment it stands on; where that segment reaches the target it has
the answer, and where the two segments cross it has found a bend and shrinks the bracket there.
Then the contract's rounding decides the last cent: the solver checks the few whole cents around
the exact answer with the rounded figures and returns the smallest that reaches the target, so one
cent less does not. When even the largest amount the route may pay falls short, it returns that
amount and names the limit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any

from . import names
from .trace import SILENT

if TYPE_CHECKING:
    from .evaluate import Evaluation

__all__ = ["largest_cents", "solve"]

_ZERO = Decimal(0)
_CENT = Decimal("0.01")
_HALF_CENT = Decimal("0.005")
_STEP = Decimal("1e-6")  # a probe far shorter than any segment between two bends
_CLOSE = Decimal("1e-9")  # exact arithmetic at 28 digits: a value this near the target is on it
_ROUNDS = 64


def solve(ev: Evaluation, goal: Mapping[str, Any]) -> dict[str, Any]:
    """``{kind, amount, gross, met, limit}`` for the goal; ``gross`` in whole cents."""
    kind, target = goal["kind"], goal["amount"]
    figure = names.GOAL_FIGURES[kind]
    largest = ev.largest()
    top = largest_cents(ev)
    limit = names.CAP_CHECK if ev.facts["route"]["cap"] is not None and ev.facts["route"]["cap"] <= largest else names.BALANCE_CHECK
    out = {"kind": kind, "amount": target, "gross": target, "met": False, "limit": limit}
    if top <= 0:  # nothing can be paid: the permission checks will say why, for the target itself
        return out

    def exact(gross: Decimal) -> Decimal:
        ev.figures(ev.drawn(gross, exact=True), exact=True, full=False, trace=SILENT)
        return Decimal(ev.facts[figure])

    def rounded(gross: Decimal) -> Decimal:
        ev.figures(ev.drawn(gross), exact=False, full=False, trace=SILENT)
        return Decimal(ev.facts[figure])

    if rounded(top) < target:
        out["gross"] = top
        return out
    low = max(_ZERO, ev.facts["rolled_over"])
    answer, slope = _root(exact, low, top, target)
    # Each rounded tax or withholding moves the figure by half a cent at most (three of them), each
    # part's rounded share and basis by a cent and a half: no cent further below can reach the goal.
    error = _HALF_CENT * (3 + 3 * len(ev.drawn(top)))
    out.update(gross=_first_cent(rounded, answer, low, top, target, slope, error), met=True, limit=None)
    return out


def largest_cents(ev: Evaluation) -> Decimal:
    """The largest whole-cent gross the route may pay from these sources."""
    return ev.largest().quantize(_CENT, rounding=ROUND_FLOOR)


def _root(f: Callable[[Decimal], Decimal], low: Decimal, high: Decimal, target: Decimal) -> tuple[Decimal, Decimal]:
    """Where the exact, piecewise-linear, increasing ``f`` reaches ``target`` on ``[low, high]``, and its slope there."""
    f_low, f_high = f(low), f(high)
    if f_high <= target:
        return high, _slope(f, high, low)
    if f_low >= target:
        return low, _slope(f, low + _STEP, low)
    for _ in range(_ROUNDS):
        slope_low = (f(low + _STEP) - f_low) / _STEP
        slope_high = (f_high - f(high - _STEP)) / _STEP
        candidates = []
        if slope_low > 0:
            candidates.append((low + (target - f_low) / slope_low, slope_low))
        if slope_high > 0:
            candidates.append((high - (f_high - target) / slope_high, slope_high))
        if slope_low != slope_high:  # the two segments cross at a bend (or bracket one)
            bend = (f_high - f_low + slope_low * low - slope_high * high) / (slope_low - slope_high)
            candidates.append((bend, min(slope_low, slope_high)))
        moved = False
        for x, slope in candidates:
            if not low < x < high:
                continue
            fx = f(x)
            if abs(fx - target) <= _CLOSE:
                return x, slope
            if fx < target:
                low, f_low, moved = x, fx, True
            else:
                high, f_high, moved = x, fx, True
        if not moved:  # no probe fell strictly inside: halve the bracket (never reached on a proper segment)
            middle = (low + high) / 2
            fm = f(middle)
            if fm < target:
                low, f_low = middle, fm
            else:
                high, f_high = middle, fm
        if high - low <= _CLOSE:
            return high, _slope(f, high, low)
    return high, _slope(f, high, low)


def _slope(f: Callable[[Decimal], Decimal], at: Decimal, low: Decimal) -> Decimal:
    start = max(low, at - _STEP)
    return (f(start + _STEP) - f(start)) / _STEP


def _first_cent(rounded: Callable[[Decimal], Decimal], answer: Decimal, low: Decimal, top: Decimal, target: Decimal,
                slope: Decimal, error: Decimal) -> Decimal:
    """The smallest whole cent whose rounded figure reaches ``target``.

    Rounding moves the figure by ``error`` at most, so no cent further below the exact answer than
    ``error`` divided by the slope can reach the target; the search starts there and walks up.
    """
    reach = (error / max(slope, Decimal("0.001"))).quantize(_CENT, rounding=ROUND_CEILING)
    gross = max(low.quantize(_CENT, rounding=ROUND_CEILING), _CENT, (answer - reach).quantize(_CENT, rounding=ROUND_FLOOR))
    while gross < top and rounded(gross) < target:
        gross += _CENT
    return min(gross, top)
