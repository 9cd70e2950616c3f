"""Statements of law in the rule tables, pinned against the primary text (issue 9, item 4).

Each test names the passage it was checked against. The Code is quoted from the Office of the Law
Revision Counsel's text of 26 U.S.C. 72, 401 and 402 (release point 119-73); the tables cite the same
passages by their law.cornell.edu anchors. Every assertion here failed on the tables as they were
before the correction it pins.
"""

from __future__ import annotations

from typing import Any

from rulebook.rules import RuleSet


def _entry(rules: RuleSet, table: str, entry_id: str) -> Any:
    return rules[table].get(entry_id)


def _urls(entry: Any) -> set[str]:
    return {source.url for source in entry.sources}


def _titles(entry: Any) -> str:
    return " | ".join(source.title for source in entry.sources)


def test_public_safety_exception_reaches_private_firefighters_and_25_years(rules: RuleSet) -> None:
    """72(t)(10)(A): "a distribution to a qualified public safety employee from a governmental plan
    ... or a distribution from a plan described in clause (iii), (iv), or (vi) of section
    402(c)(8)(B) to an employee who provides firefighting services", with "age 50 or 25 years of
    service under the plan, whichever is earlier" for "age 55"; (B)(i) adds corrections officers."""
    entry = _entry(rules, "exceptions", "public_safety_50")
    text = f"{entry.label} {entry.summary}".lower()
    assert "firefight" in text and "private" in text
    assert "25 years of service under the plan" in text
    assert "corrections" in text
    assert "governmental plans," not in entry.summary
    assert {"https://www.law.cornell.edu/uscode/text/26/72#t_10_A",
            "https://www.law.cornell.edu/uscode/text/26/72#t_10_B",
            "https://www.law.cornell.edu/uscode/text/26/72#t_3_A"} <= _urls(entry)


def test_long_term_care_exception_is_in_the_table(rules: RuleSet) -> None:
    """72(t)(2)(N)(i): "Any qualified long-term care distribution to which section 401(a)(39)
    applies"; 401(a)(39)(A) speaks of "a trust forming part of a defined contribution plan"."""
    entry = _entry(rules, "exceptions", "long_term_care")
    assert "72(t)(2)(N)" in entry.citation and "401(a)(39)" in entry.citation
    assert entry.plans is True and entry.iras is False
    assert entry.selectable is False and entry.exempt is None
    assert "Not modelled by the calculator" in entry.summary
    assert "{param.long_term_care_cap}" in entry.limit and "{param.long_term_care_share}" in entry.limit
    assert {"https://www.law.cornell.edu/uscode/text/26/72#t_2_N",
            "https://www.law.cornell.edu/uscode/text/26/401#a_39"} <= _urls(entry)


def test_long_term_care_parameters_hold_the_statutory_figures(rules: RuleSet) -> None:
    """401(a)(39)(B)(i): the least of the premiums, "(II) An amount equal to 10 percent of the
    present value of the nonforfeitable accrued benefit" and "(III) $2,500"; (B)(ii) indexes the
    $2,500 for taxable years beginning after December 31, 2024. Only the statutory base is held."""
    cap = _entry(rules, "parameters", "long_term_care_cap")
    share = _entry(rules, "parameters", "long_term_care_share")
    assert (cap.unit, cap.value, cap.values) == ("usd", 2500, None)
    assert (share.unit, share.value) == ("rate", 0.10)
    assert "https://www.law.cornell.edu/uscode/text/26/401#a_39_B_i_III" in _urls(cap)
    assert "https://www.law.cornell.edu/uscode/text/26/401#a_39_B_ii" in _urls(cap)
    assert "https://www.law.cornell.edu/uscode/text/26/401#a_39_B_i_II" in _urls(share)
    assert "indexed" in cap.summary


def test_terminal_illness_applies_to_iras(rules: RuleSet) -> None:
    """72(t)(3)(A): "Subparagraphs (A)(v) and (C) of paragraph (2) shall not apply to distributions
    from an individual retirement plan" -- (L), terminal illness, is not among them."""
    entry = _entry(rules, "exceptions", "terminal_illness")
    assert entry.iras is True
    assert "https://www.law.cornell.edu/uscode/text/26/72#t_3_A" in _urls(entry)


def test_emergency_caution_names_both_ways_back_in(rules: RuleSet) -> None:
    """72(t)(2)(I)(vii): none for the following 3 calendar years from that plan unless "(I) such
    previous distribution is fully repaid" or "(II) the aggregate of the elective deferrals and
    employee contributions to the plan ... subsequent to such previous distribution is at least
    equal to the amount of such previous distribution which has not been so repaid"."""
    route = _entry(rules, "routes", "emergency_expense")
    caution = route.main_caution.lower()
    assert "repaid" in caution and "contributions" in caution
    assert "calendar years" in caution
    assert "https://www.law.cornell.edu/uscode/text/26/72#t_2_I_vii" in _urls(route)


def test_rule_of_55_is_the_calendar_year_test(rules: RuleSet) -> None:
    """Notice 87-13, Q&A-20: the separation must occur "during or after the calendar year in which
    the employee attained age 55"; leaving "at 55 or older" is narrower than the test."""
    comparison = _entry(rules, "comparisons", "rule_of_55")
    assert "or older" not in comparison.summary
    assert "calendar year" in comparison.summary
    exception = _entry(rules, "exceptions", "separation_age_55")
    assert "or older" not in exception.label and "in or after the year" in exception.label


def test_repayment_and_rollover_status_cite_their_own_subclauses(rules: RuleSet) -> None:
    """Repayment: (H)(v) "Amount distributed may be repaid", (I)(vi) and (K)(v) ("Rules similar to
    the rules of subparagraph (H)(v)"). Not an eligible rollover distribution "for purposes of
    sections 401(a)(31), 402(f), and 3405": (H)(vi)(II), (I)(viii) (rules similar to (H)(vi)(II)
    and (IV)) and (K)(vi)(II). (I)(v) is neither: it is "Treatment of plan distributions"."""
    repayment = _entry(rules, "parameters", "repayment_years")
    assert {"https://www.law.cornell.edu/uscode/text/26/72#t_2_H_v",
            "https://www.law.cornell.edu/uscode/text/26/72#t_2_I_vi",
            "https://www.law.cornell.edu/uscode/text/26/72#t_2_K_v"} <= _urls(repayment)
    not_erd = _entry(rules, "rollover_ineligible", "builtin_exception_distribution")
    assert not_erd.citation == "IRC 72(t)(2)(H)(vi)(II), (I)(viii), (K)(vi)(II)"
    assert {"https://www.law.cornell.edu/uscode/text/26/72#t_2_H_vi_II",
            "https://www.law.cornell.edu/uscode/text/26/72#t_2_I_viii",
            "https://www.law.cornell.edu/uscode/text/26/72#t_2_K_vi_II"} <= _urls(not_erd)
    assert "https://www.law.cornell.edu/uscode/text/26/72#t_2_I_v" not in _urls(repayment) | _urls(not_erd)
    assert "(I)(v)" not in _titles(repayment) and "(I)(v)" not in not_erd.citation


def test_emergency_dollar_limit_cites_the_dollar_limitation_clause(rules: RuleSet) -> None:
    """72(t)(2)(I)(ii) is the one-a-year rule; (iii) is "Dollar limitation": the lesser of $1,000
    or the excess of the vested benefit over "(II) $1,000"."""
    cap = _entry(rules, "parameters", "emergency_expense_cap")
    keep = _entry(rules, "parameters", "emergency_expense_keep")
    assert "https://www.law.cornell.edu/uscode/text/26/72#t_2_I_iii" in _urls(cap)
    assert "https://www.law.cornell.edu/uscode/text/26/72#t_2_I_iii_II" in _urls(keep)
    assert "72(t)(2)(I)(ii)" not in _titles(keep)


def test_reservist_exception_reads_as_72_t_2_G_iii(rules: RuleSet) -> None:
    """72(t)(2)(G)(iii): a distribution "(I) ... from an individual retirement plan, or from amounts
    attributable to ... elective deferrals" made "(III) ... during the period beginning on the date
    of such order or call and ending at the close of the active duty period"."""
    entry = _entry(rules, "exceptions", "qualified_reservist")
    assert "IRA" in entry.limit
    assert "order or call" in entry.summary


def test_domestic_abuse_limit_is_not_called_yearly(rules: RuleSet) -> None:
    """72(t)(2)(K)(ii) limits "the aggregate amount which may be treated as an eligible distribution
    to a domestic abuse victim by any individual"; only the dollar figure changes by year, (K)(vii)."""
    route = _entry(rules, "routes", "domestic_abuse")
    assert "yearly dollar limit" not in route.usually_means
