"""Every section of the seed article is covered by the generated pages, in our own words.

The seed article (``/work/shared/seed``) is what the knowledge base was commissioned from; the
site must cover each of its sections, tables, lists and questions. These tests read the generated
Markdown (no MkDocs build), so they are fast, and they check by topic: a page must carry the
heading or key phrase of each seed section, and the data-driven parts (routes, alternatives,
cautions, questions) must reach the page that shows them. Figures are read from the rule tables,
never typed here, so a figure edit in ``rules/`` cannot break the test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rulebook.rules import RuleSet
from rulebook.site.generator import generate
from rulebook.site.render import Renderer

OWN_PAGES = ("index", "how-it-works", "types-of-access", "compared", "taxes", "withholding-and-rollovers",
             "when-it-makes-sense", "when-to-be-careful", "questions", "rule-of-55", "bottom-line", "disclaimer")

# Seed section → (page, phrases that must appear there, case-insensitive).
SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "what it is": ("index", ("# 401(k) in-service withdrawals", "in-service withdrawal", "still work for the employer")),
    "key takeaways": ("index", ("key takeaways", "not required to offer", "in-service rollover", "hardship withdrawal",
                                "401(k) loan")),
    "how it works": ("how-it-works", ("written plan", "the tax", "source of money")),
    "common types of access": ("types-of-access", ("type of access", "what it usually means", "main caution")),
    "vs in-service rollover": ("compared", ("versus an in-service rollover", "eligible rollover distribution",
                                            "direct rollover", "where may it go")),
    "vs hardship withdrawal": ("compared", ("versus a hardship withdrawal", "immediate", "paid back")),
    "vs 401(k) loan": ("compared", ("versus a 401(k) loan", "not a distribution", "leave the job")),
    "taxes and penalties": ("taxes", ("ordinary income", "designated roth", "after-tax", "rollover money",
                                      "hardship is not an exception", "form 1099-r", "form 5329", "box 7")),
    "withholding and rollover eligibility": ("withholding-and-rollovers", (
        "eligible rollover distribution", "direct rollover", "indirect", "required minimum distributions",
        "corrective", "from other money")),
    "when it may make sense": ("when-it-makes-sense", ("rolled-in money", "after-tax money", "age-based")),
    "when to be careful": ("when-to-be-careful", ("not the same as being able to afford", "retirement income")),
    "questions for the plan administrator": ("questions", ("summary plan description", "distribution paperwork",
                                                           "rb-checklist", "print")),
    "early retirement planning": ("rule-of-55", ("rule of 55", "separate from service", "not the rule of 55")),
    "the bottom line": ("bottom-line", ("# the bottom line", "plan allow", "taxable", "rolled over")),
    "disclaimer": ("disclaimer", ("educational estimator", "not", "tax, legal")),
}

# The seed's own eight questions, by id in rules/questions.yaml, plus the documents to ask for.
SEED_QUESTIONS = ("allows_in_service", "which_sources", "which_routes", "rollover_eligibility", "direct_rollover_offered",
                  "withholding_applies", "form_1099r_reporting", "future_participation", "spd_and_paperwork")
SEED_ALTERNATIVES = ("cash_reserves", "taxable_accounts", "roth_ira_contributions", "plan_loan", "home_equity",
                     "spending_changes")
SEED_COMPARISONS = ("in_service_withdrawal", "in_service_rollover", "hardship_withdrawal", "plan_loan", "rule_of_55")
SEED_CAUTIONS = ("under_59_half", "taxable", "higher_bracket", "roth_conversion", "aca_subsidy", "not_rollover_eligible",
                 "retirement_income")
SEED_DIR = Path("/work/shared/seed")


@pytest.fixture(scope="module")
def pages(project_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("seed") / "docs"
    generate(project_root, out)
    return {name: (out / f"{name}.md").read_text(encoding="utf-8") for name in OWN_PAGES}


def _body(page: str) -> str:
    """The page without the glossary abbreviations appended to every page."""
    return "\n".join(line for line in page.splitlines() if not line.startswith("*["))


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_seed_section_is_covered(section: str, pages: dict[str, str]) -> None:
    name, phrases = SECTIONS[section]
    body = " ".join(_body(pages[name]).lower().split())
    missing = [p for p in phrases if p.lower() not in body]
    assert not missing, f"{name}.md lacks {missing} for the seed's '{section}'"


def test_no_page_is_a_placeholder(pages: dict[str, str]) -> None:
    for name, page in pages.items():
        assert "Placeholder." not in page, name
        assert len(_body(page).split()) > 120, f"{name}.md is too short to cover its topic"


def test_figures_come_from_the_rules(pages: dict[str, str], rules: RuleSet) -> None:
    """The seed's figures appear as the parameters table prints them."""
    param = Renderer(rules).param
    assert param("penalty_free_age") in pages["taxes"] and param("additional_tax_rate") in pages["taxes"]
    assert f"{param('rollover_window_days')} days" in pages["withholding-and-rollovers"]
    assert param("mandatory_withholding_rate") in pages["withholding-and-rollovers"]
    assert param("separation_age") in pages["rule-of-55"]


def test_access_types_table_lists_every_route(pages: dict[str, str], rules: RuleSet) -> None:
    for route in rules["routes"].entries:
        assert f"reference/routes.md#{route.id})" in pages["types-of-access"], route.id


def test_seed_questions_are_on_the_checklist(pages: dict[str, str], rules: RuleSet) -> None:
    ids = [q.id for q in rules["questions"].entries]
    assert set(SEED_QUESTIONS) <= set(ids)
    for qid in SEED_QUESTIONS:
        assert rules["questions"].get(qid).label in pages["questions"], qid


def test_seed_alternatives_comparisons_and_cautions_reach_their_pages(pages: dict[str, str], rules: RuleSet) -> None:
    for aid in SEED_ALTERNATIVES:
        assert f"reference/alternatives.md#{aid})" in pages["when-it-makes-sense"], aid
    for cid in SEED_COMPARISONS:
        assert f"reference/comparisons.md#{cid})" in pages["compared"], cid
    for cid in SEED_CAUTIONS:
        assert f"reference/cautions.md#{cid})" in pages["when-to-be-careful"], cid


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


@pytest.mark.skipif(not SEED_DIR.is_dir(), reason="the seed article lives outside the repository")
def test_no_seed_sentence_is_copied(pages: dict[str, str]) -> None:
    """No run of ten words from the seed article appears in our prose (our own words only).

    Table rows are left out: the access-types table keeps the seed's column headings on purpose,
    and its rows come from routes.yaml, which the rules tests check.
    """
    run = 10
    seed = _words(" ".join(p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt"))))
    shingles = {tuple(seed[i:i + run]) for i in range(len(seed) - run + 1)}
    for name, page in pages.items():
        prose = "\n".join(line for line in _body(page).splitlines() if not line.lstrip().startswith("|"))
        words = _words(prose)
        copied = [" ".join(words[i:i + run]) for i in range(len(words) - run + 1) if tuple(words[i:i + run]) in shingles]
        assert not copied, f"{name}.md repeats the seed: {copied[:3]}"
