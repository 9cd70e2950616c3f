"""The bracket sums prepared once per rule set give the very decimals the bracket-by-bracket loop gives."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from rulebook.engine import prepare
from rulebook.engine.prepared import TaxSchedule
from rulebook.engine.tax import marginal_rate, tax_on

_CENT = Decimal("0.01")


def _loop_only(schedule: TaxSchedule) -> TaxSchedule:
    plain = TaxSchedule(schedule.rates, schedule.tops, schedule.standard_deduction)
    object.__setattr__(plain, "bases", ())  # no prepared sums: tax_on and marginal_rate take the loop
    return plain


def test_prepared_bases_match_the_loop(rules_json: dict[str, Any]) -> None:
    draw = random.Random(2026)
    for by_status in prepare(rules_json).schedules.values():
        for schedule in by_status.values():
            assert schedule.bases, "the shipped schedules rise bracket by bracket"
            loop = _loop_only(schedule)
            incomes = [Decimal(0), Decimal(-5), _CENT, Decimal("12400.00"), Decimal(10) ** 12]
            incomes += [top + step for top in schedule.tops for step in (Decimal(0), _CENT, -_CENT, Decimal("0.005"))]
            incomes += [Decimal(draw.randint(-100, 10**9)) / 100 for _ in range(500)]
            for income in incomes:
                assert str(tax_on(income, schedule)) == str(tax_on(income, loop)), income
                assert str(marginal_rate(income, schedule)) == str(marginal_rate(income, loop)), income


def test_tops_that_do_not_rise_keep_the_loop() -> None:
    schedule = TaxSchedule((Decimal("0.1"), Decimal("0.2"), Decimal("0.3")), (Decimal(500), Decimal(100)), Decimal(0))
    assert schedule.bases == ()
