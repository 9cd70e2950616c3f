"""The calculator page: a form generated from the rule tables and the default scenario's real result.

Everything a reader sees before Python loads is rendered here, at build time, by the same engine
the browser runs: the form (every route, source, reason, exception and filing status comes from the
YAML tables, each with its help text and a link to its explainer anchor) and the full result for
the default scenario. ``calculator.js`` then takes over and rebuilds only the result parts, with the
same markup, from each new evaluation. The page works, and is correct, with JavaScript off.

Also the build's extra outputs for the browser (:func:`outputs`): the verified Pyodide runtime, the
engine zip beside ``rules.json``.
"""

from __future__ import annotations

import hashlib
import json
from html import escape
from pathlib import Path
from typing import Any

from ..engine import evaluate
from ..ground.wording import format_value
from ..rules import RuleSet
from ..rules.loader import table_page
from .pyodide_runtime import ENGINE_ZIP, Runtime, RuntimeFilesError, boot_attributes, engine_zip, load_runtime
from .render import Renderer

__all__ = ["DEFAULT_SCENARIO", "FIGURES", "calculator_html", "outputs", "runtime_for"]

DEFAULT_SCENARIO: dict[str, Any] = {
    # The example of spec/calculator.md: a hardship withdrawal of pre-tax money at 52.
    "tax_year": 2026,
    "person": {"age": 52, "still_employed": True, "filing_status": "single", "other_income": 60000, "state_tax_rate": 0,
               "disabled": False, "plans_roth_conversion": False, "uses_aca_subsidy": False},
    "plan": {"type": "401k", "allows": ["age_based", "hardship"], "age_based_min_age": 59.5},
    "balances": {"pretax_deferrals": 80000, "roth_deferrals": {"balance": 13000, "contributions": 10000, "first_year": 2019},
                 "after_tax": {"balance": 25000, "contributions": 20000}, "rollover": 15000,
                 "employer": {"balance": 30000, "vested": 0.6}},
    "request": {"route": "hardship", "source": "pretax_deferrals", "amount": 10000, "hardship_reason": "medical",
                "destination": "cash", "exception": "none", "withholding_rate": None},
    "assumptions": {"annual_return": 0.06, "years_to_retirement": 10},
}

FIGURES: tuple[tuple[str, str], ...] = (
    ("gross", "Amount paid out (gross)"), ("basis", "Return of your own contributions (basis)"),
    ("taxable", "Taxable amount"), ("withholding.federal", "Federal tax withheld by the plan"),
    ("check_amount", "Check to you"), ("taxable_kept", "Taxable amount you keep"),
    ("federal_income_tax", "Federal income tax"), ("additional_tax", "Additional tax on early distributions"),
    ("state_income_tax", "State income tax"), ("total_tax", "Total tax"), ("cash_after_tax", "Cash left after tax"),
    ("replacement_cash", "Cash from other funds to roll over everything"),
    ("value_at_retirement", "What this money would be worth at retirement if left in the plan"),
)
BOX_LABELS = (("box1", "Box 1, gross distribution", "usd"), ("box2a", "Box 2a, taxable amount", "usd"),
              ("box4", "Box 4, federal income tax withheld", "usd"),
              ("box5", "Box 5, employee contributions or designated Roth contributions", "usd"),
              ("box7", "Box 7, distribution code(s)", "codes"))
QUESTIONS_SHOWN = 4


def runtime_for(project: Path) -> Runtime | None:
    try:
        return load_runtime(project)
    except RuntimeFilesError as exc:
        from .generator import BuildError

        raise BuildError([f"node_modules/pyodide: {exc}"]) from None


def _rules_digest(rules: RuleSet) -> str:
    return hashlib.sha256(json.dumps(rules.to_json(), sort_keys=True).encode()).hexdigest()


def outputs(rules: RuleSet, project: Path) -> dict[str, str | bytes]:
    """The browser's files: the runtime (verified) and the engine zip beside ``rules.json``."""
    files: dict[str, str | bytes] = {ENGINE_ZIP: engine_zip()}
    runtime = runtime_for(project)
    if runtime is not None:
        files.update({name: path.read_bytes() for name, path in runtime.files.items()})
    return files


def _attrs(attrs: dict[str, Any]) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        parts.append(f" {key}" if value is True else f' {key}="{escape(str(value), quote=True)}"')
    return "".join(parts)


def _input(attrs: dict[str, Any]) -> str:
    return f"<input{_attrs(attrs)}>"


def _tag(name: str, attrs: dict[str, Any] | None = None, *children: str) -> str:
    return f"<{name}{_attrs(attrs or {})}>{''.join(children)}</{name}>"


def _dig(data: Any, path: str) -> Any:
    for key in path.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _slug(path: str) -> str:
    return "rb-" + path.replace(".", "-").replace("_", "-")


class _Page:
    """One rendering of the calculator for one rule set; ``base`` leads from the page to the site root."""

    def __init__(self, rules: RuleSet, base: str) -> None:
        self.rules = rules
        self.render = Renderer(rules)
        self.base = base
        self.data = rules.to_json()["tables"]

    def href(self, table: str, entry_id: str = "") -> str:
        return f"{self.base}{table_page(table)}" + (f"#{entry_id}" if entry_id else "")

    def entries(self, table: str) -> list[dict[str, Any]]:
        return list(self.data[table]["entries"])

    def choices(self, table: str) -> list[tuple[str, str]]:
        """A select's options for a table: each entry's id and label, in table order."""
        return [(str(e["id"]), str(e["label"])) for e in self.entries(table)]

    def label(self, table: str, entry_id: str) -> str:
        return next((str(e["label"]) for e in self.entries(table) if e["id"] == entry_id), entry_id)

    def summary(self, entry: dict[str, Any]) -> str:
        return " ".join(self.render.text(str(entry.get("summary", ""))).split())

    # ------------------------------------------------------------------ form
    def field(self, path: str, label: str, control: str, help_html: str) -> str:
        slug = _slug(path)
        return _tag("div", {"class": "rb-field", "data-path": path},
                    _tag("label", {"for": slug}, escape(label)), control,
                    _tag("small", {"class": "rb-help", "id": f"{slug}-help"}, help_html),
                    _tag("span", {"class": "rb-error", "id": f"{slug}-error", "hidden": True}))

    def number(self, path: str, label: str, help_html: str, value: Any, **limits: Any) -> str:
        slug = _slug(path)
        shown = "" if value is None else f"{value}"
        control = _input({"id": slug, "name": path, "type": "number", "step": "any", "inputmode": "decimal", "value": shown,
                          "aria-describedby": f"{slug}-help", **limits})
        return self.field(path, label, control, help_html)

    def select(self, path: str, label: str, options: list[tuple[str, str]], value: Any, help_html: str) -> str:
        slug = _slug(path)
        opts = "".join(_tag("option", {"value": key, "selected": key == (value or "")}, escape(text)) for key, text in options)
        control = _tag("select", {"id": slug, "name": path, "aria-describedby": f"{slug}-help"}, opts)
        return self.field(path, label, control, help_html)

    def checkbox(self, path: str, label: str, value: bool, help_html: str) -> str:
        slug = _slug(path)
        control = _input({"id": slug, "name": path, "type": "checkbox", "value": "true", "checked": value,
                          "aria-describedby": f"{slug}-help"})
        return _tag("div", {"class": "rb-field rb-check", "data-path": path}, control,
                    _tag("label", {"for": slug}, escape(label)),
                    _tag("small", {"class": "rb-help", "id": f"{slug}-help"}, help_html),
                    _tag("span", {"class": "rb-error", "id": f"{slug}-error", "hidden": True}))

    def link(self, table: str, entry_id: str, text: str) -> str:
        return _tag("a", {"href": self.href(table, entry_id)}, escape(text))

    def option_help(self, table: str, entry_id: str | None) -> str:
        """The chosen option's summary and a link to its anchor (``calculator.js`` swaps it on change)."""
        if not entry_id or entry_id == "none":
            return escape("Choose one to see what it means.") + " " + self.link(table, "", f"All of them: {self.data[table]['title']}")
        entry = next(e for e in self.entries(table) if e["id"] == entry_id)
        return escape(self.summary(entry)) + " " + self.link(table, entry_id, f"More about {entry['label']}")

    def form(self, s: dict[str, Any]) -> str:
        t = self.data
        years = [(str(y), str(y)) for y in sorted(self.rules.years, reverse=True)]
        statuses, destinations = self.choices("filing_statuses"), self.choices("destinations")
        routes, sources = self.choices("routes"), self.choices("money_sources")
        reasons = [("", "None (not a hardship withdrawal)"), *self.choices("hardship_reasons")]
        exceptions = [("none", "None"), *((e["id"], e["label"]) for e in self.entries("exceptions") if e.get("selectable"))]
        req, person, plan, bal, assume = (s.get(k) or {} for k in ("request", "person", "plan", "balances", "assumptions"))
        source_label = dict(sources)

        def src_help(source: str, extra: str = "") -> str:
            return escape(extra) + self.link("money_sources", source, f"About {source_label[source]}")

        you = "".join([
            self.select("tax_year", "Tax year", years, str(s.get("tax_year", "")),
                        escape("The year the money is paid out; it sets the brackets and the standard deduction. ")
                        + self.link("tax_years", "", t["tax_years"]["title"])),
            self.number("person.age", "Your age on the payment date", escape("59.5 means you have reached 59½. ")
                        + self.link("parameters", "penalty_free_age", f"Why {self.render.param('penalty_free_age')} matters"),
                        person.get("age"), min=0, max=120),
            self.checkbox("person.still_employed", "I still work for the employer that sponsors the plan",
                          bool(person.get("still_employed", True)),
                          escape("In-service withdrawals apply only while you work there. ")
                          + self.link("permissions", "in_service", "In service")),
            self.select("person.filing_status", "Filing status", statuses, person.get("filing_status", "single"),
                        self.option_help("filing_statuses", person.get("filing_status", "single"))),
            self.number("person.other_income", "Other income this year (before the standard deduction), in dollars",
                        escape("Wages and other ordinary income. ") + self.link("tax_years", "", "Brackets and deductions"),
                        person.get("other_income"), min=0),
            self.number("person.state_tax_rate", "Flat state tax rate, as a fraction (0.05 = 5%)",
                        escape("0 for no state income tax; at most 0.15."), person.get("state_tax_rate"), min=0, max=0.15),
            self.checkbox("person.disabled", "I am disabled as the Code defines it", bool(person.get("disabled")),
                          self.link("exceptions", "disability", "The disability exception")),
            self.checkbox("person.plans_roth_conversion", "I plan a Roth conversion this year", bool(person.get("plans_roth_conversion")),
                          self.link("cautions", "roth_conversion", "Why it matters")),
            self.checkbox("person.uses_aca_subsidy", "I get a premium tax credit for Marketplace health insurance",
                          bool(person.get("uses_aca_subsidy")), self.link("cautions", "aca_subsidy", "Why it matters")),
        ])
        allows = set(plan.get("allows") or [])
        boxes = "".join(
            _tag("div", {"class": "rb-check"},
                 _input({"id": f"rb-plan-allows-{rid}", "name": "plan.allows", "type": "checkbox", "value": rid,
                         "checked": rid in allows}),
                 _tag("label", {"for": f"rb-plan-allows-{rid}"}, escape(text)), " ",
                 self.link("routes", rid, f"About: {text}"))
            for rid, text in routes)
        plan_html = "".join([
            self.select("plan.type", "Plan type", [("401k", "401(k)"), ("403b", "403(b)")], plan.get("type", "401k"),
                        escape("A 403(b) changes wording only in this version.")),
            _tag("fieldset", {"class": "rb-allows", "data-path": "plan.allows", "aria-describedby": "rb-plan-allows-error"},
                 _tag("legend", {}, escape("In-service routes the written plan offers")), boxes,
                 _tag("span", {"class": "rb-error", "id": "rb-plan-allows-error", "hidden": True})),
            self.number("plan.age_based_min_age", "The plan's age for age-based withdrawals",
                        self.link("parameters", "deferral_unlock_age", "Elective deferrals stay locked until this age"),
                        plan.get("age_based_min_age"), min=0, max=75),
        ])
        roth, after, employer = (bal.get(k) or {} for k in ("roth_deferrals", "after_tax", "employer"))
        balances = "".join([
            self.number("balances.pretax_deferrals", f"{source_label['pretax_deferrals']}: balance", src_help("pretax_deferrals"),
                        bal.get("pretax_deferrals"), min=0),
            self.number("balances.roth_deferrals.balance", f"{source_label['roth_deferrals']}: balance", src_help("roth_deferrals"),
                        roth.get("balance"), min=0),
            self.number("balances.roth_deferrals.contributions", f"{source_label['roth_deferrals']}: your contributions",
                        src_help("roth_deferrals", "The part that is your own money (basis). "), roth.get("contributions"), min=0),
            self.number("balances.roth_deferrals.first_year", f"{source_label['roth_deferrals']}: year of the first contribution",
                        src_help("roth_deferrals", "Starts the five-year clock. "), roth.get("first_year"), min=1900, step=1),
            self.number("balances.after_tax.balance", f"{source_label['after_tax']}: balance", src_help("after_tax"),
                        after.get("balance"), min=0),
            self.number("balances.after_tax.contributions", f"{source_label['after_tax']}: your contributions",
                        src_help("after_tax", "Already taxed; comes back tax-free in proportion. "), after.get("contributions"), min=0),
            self.number("balances.rollover", f"{source_label['rollover']}: balance", src_help("rollover"), bal.get("rollover"), min=0),
            self.number("balances.employer.balance", f"{source_label['employer']}: balance", src_help("employer"),
                        employer.get("balance"), min=0),
            self.number("balances.employer.vested", f"{source_label['employer']}: vested share (0 to 1)",
                        src_help("employer", "Only the vested part can be paid. "), employer.get("vested"), min=0, max=1),
        ])
        request = "".join([
            self.select("request.route", "How the plan pays it (route)", routes, req.get("route"),
                        self.option_help("routes", req.get("route"))),
            self.select("request.source", "Which money it comes from", sources, req.get("source"),
                        self.option_help("money_sources", req.get("source"))),
            self.number("request.amount", "Amount requested, in dollars", escape("The gross amount, before withholding."),
                        req.get("amount"), min=0),
            self.select("request.hardship_reason", "Hardship reason", reasons, req.get("hardship_reason"),
                        self.option_help("hardship_reasons", req.get("hardship_reason"))),
            self.select("request.destination", "Where the money goes", destinations, req.get("destination", "cash"),
                        self.option_help("destinations", req.get("destination", "cash"))),
            self.number("request.rolled_over", "Dollars rolled over or repaid (indirect rollover only)",
                        self.link("rollover_ineligible", "", "What can be rolled over"), req.get("rolled_over"), min=0),
            self.select("request.exception", "Exception to the additional tax", exceptions, req.get("exception", "none"),
                        self.option_help("exceptions", req.get("exception", "none"))),
            self.number("request.exception_amount", "Deductible medical expenses (medical expenses exception only)",
                        self.link("exceptions", "medical_expenses", "The medical expenses exception"), req.get("exception_amount"), min=0),
            self.number("request.withholding_rate", "Federal withholding rate you elect, as a fraction (empty = the default)",
                        self.link("withholding", "", "Default and mandatory rates"), req.get("withholding_rate"), min=0, max=1),
        ])
        assumptions = "".join([
            self.number("assumptions.annual_return", "Yearly return if the money stayed invested (0.06 = 6%)",
                        self.link("parameters", "default_annual_return", "The default assumption"), assume.get("annual_return"),
                        min=-0.5, max=0.5),
            self.number("assumptions.years_to_retirement", "Years until retirement",
                        self.link("parameters", "default_years_to_retirement", "The default assumption"),
                        assume.get("years_to_retirement"), min=0, max=60, step=1),
        ])
        groups = (("You", you), ("Your plan", plan_html), ("Balances by source of money", balances),
                  ("The withdrawal", request), ("Assumptions", assumptions))
        errors = _tag("p", {"class": "rb-form-errors"}, _tag("span", {"class": "rb-error", "id": "rb-form-error", "hidden": True}))
        body = errors + "".join(_tag("fieldset", {"class": "rb-group"}, _tag("legend", {}, escape(name)), inner) for name, inner in groups)
        return _tag("form", {"class": "rb-calc-form", "id": "rb-calc-form", "novalidate": True,
                             "aria-label": "Scenario"}, body)

    # ---------------------------------------------------------------- result
    def result(self, s: dict[str, Any], r: dict[str, Any]) -> str:
        def money(path: str) -> str:
            return escape(format_value(_dig(r, path), "usd"))

        verdict = "Allowed: the plan can pay this now." if r.get("allowed") else "Not allowed as entered."
        blocked_pages = {t["rule"]: t["page"] for t in r.get("trace", [])}
        blocked = "".join(
            _tag("li", {}, _tag("a", {"href": self.base + blocked_pages.get(b["rule"], "reference/permissions/#" + b["rule"])},
                                escape(b["message"]))) for b in r.get("blocked", []))
        figures = "".join(_tag("div", {}, _tag("dt", {}, escape(label)), _tag("dd", {"data-field": path}, money(path)))
                          for path, label in FIGURES)
        applied = r.get("exception_applied")
        extra = "".join([
            _tag("div", {}, _tag("dt", {}, "Withholding rate"), _tag("dd", {"data-field": "withholding.rate"},
                                                                      escape(format_value(_dig(r, "withholding.rate"), "rate")))),
            _tag("div", {}, _tag("dt", {}, "Eligible rollover distribution"),
                 _tag("dd", {"data-field": "rollover_eligible"}, "yes" if r.get("rollover_eligible") else "no")),
            _tag("div", {}, _tag("dt", {}, "Exception applied"), _tag("dd", {"data-field": "exception_applied"}, escape(
                f"{self.label('exceptions', applied['id'])}: {format_value(applied['exempt_amount'], 'usd')} exempt"
                if applied else "none"))),
            _tag("div", {}, _tag("dt", {}, "Form 5329 needed"),
                 _tag("dd", {"data-field": "form_5329_needed"}, "yes" if r.get("form_5329_needed") else "no")),
        ])
        caution_map = {e["id"]: e for e in self.entries("cautions")}
        cautions = "".join(_tag("li", {}, _tag("a", {"href": self.href("cautions", c)}, escape(caution_map[c]["label"])), ": ",
                                escape(self.summary(caution_map[c]))) for c in r.get("cautions", []) if c in caution_map)
        question_map = {e["id"]: e for e in self.entries("questions")}
        questions = "".join(_tag("li", {}, _tag("a", {"href": self.href("questions", q)}, escape(question_map[q]["label"])))
                            for q in r.get("questions", [])[:QUESTIONS_SHOWN] if q in question_map)
        form = r.get("form_1099r") or {}
        rows = "".join(_tag("tr", {}, _tag("th", {"scope": "row"}, escape(label)),
                            _tag("td", {"data-field": f"form_1099r.{box}"},
                                 escape(", ".join(form.get(box) or []) if unit == "codes" else format_value(form.get(box, 0), "usd"))))
                       for box, label, unit in BOX_LABELS)
        trace = "".join(_tag("li", {}, _tag("a", {"href": self.base + t["page"]}, escape(t["message"]))) for t in r.get("trace", []))
        return _tag("section", {"class": "rb-calc-result", "id": "rb-calc-result", "aria-labelledby": "rb-result-title"},
                    _tag("h2", {"id": "rb-result-title"}, "Result"),
                    _tag("p", {"class": "rb-stale", "id": "rb-stale", "hidden": True},
                         "This result is out of date: fix the marked fields to update it."),
                    _tag("div", {"class": "rb-key", "aria-live": "polite"},
                         _tag("p", {"class": "rb-verdict", "data-field": "allowed",
                                    "data-allowed": "true" if r.get("allowed") else "false"},
                              escape(verdict)),
                         _tag("ul", {"class": "rb-blocked", "data-field": "blocked"}, blocked),
                         _tag("dl", {"class": "rb-figures"}, figures, extra)),
                    _tag("h3", {}, "Cautions"), _tag("ul", {"class": "rb-cautions", "data-field": "cautions"}, cautions),
                    _tag("h3", {}, "Ask your plan administrator"),
                    _tag("ol", {"class": "rb-questions", "data-field": "questions"}, questions),
                    _tag("h3", {}, "Form 1099-R preview"),
                    _tag("table", {"class": "rb-1099r"}, _tag("caption", {}, "What the plan would report for this payment"),
                         _tag("tbody", {}, rows)),
                    _tag("h3", {}, "Value at retirement"), self.chart(s, r),
                    _tag("h3", {}, "How this was decided"), _tag("ol", {"class": "rb-trace", "data-field": "trace"}, trace))

    def chart(self, s: dict[str, Any], r: dict[str, Any]) -> str:
        """Same geometry as ``drawChart`` in calculator.js: the money taken out, grown year by year."""
        assume = s.get("assumptions") or {}
        rate = float(assume.get("annual_return", self.render.param_value("default_annual_return")))
        years = int(assume.get("years_to_retirement", self.render.param_value("default_years_to_retirement")))
        start = float(r.get("gross", 0)) - float((s.get("request") or {}).get("rolled_over") or 0)
        if r.get("form_1099r", {}).get("box7") in (["G"], ["H"]):
            start = 0.0
        caption = chart_caption(start, rate, years, r.get("value_at_retirement", 0))
        return _tag("figure", {"class": "rb-chart", "id": "rb-chart"}, svg_chart(start, rate, years),
                    _tag("figcaption", {"id": "rb-chart-caption", "data-field": "chart"}, escape(caption)))


def chart_caption(start: float, rate: float, years: int, value: Any) -> str:
    if start <= 0:
        return "Nothing leaves retirement savings, so nothing is lost at retirement."
    return (f"Left in the plan, the {format_value(round(start, 2), 'usd')} taken out would grow to "
            f"{format_value(value, 'usd')} in {years} years at {format_value(rate, 'rate')} a year.")


def svg_chart(start: float, rate: float, years: int) -> str:
    width, height, pad = 320, 160, 8
    values = [max(0.0, start * (1 + rate) ** y) for y in range(years + 1)]
    top = max(values) or 1.0
    step = (width - 2 * pad) / max(1, years)
    bars = "".join(
        f'<rect x="{pad + i * step:.1f}" y="{height - pad - (v / top) * (height - 2 * pad):.1f}" '
        f'width="{max(1.0, step * 0.7):.1f}" height="{(v / top) * (height - 2 * pad):.1f}"></rect>'
        for i, v in enumerate(values))
    return (f'<svg class="rb-chart-svg" viewBox="0 0 {width} {height}" role="img" aria-labelledby="rb-chart-caption" '
            f'focusable="false">{bars}</svg>')


def calculator_html(rules: RuleSet, project: Path, base: str = "../", scenario: dict[str, Any] | None = None) -> str:
    """The whole calculator block for a page whose site-root prefix is ``base``."""
    page = _Page(rules, base)
    scenario = scenario or DEFAULT_SCENARIO
    result = evaluate(scenario, rules.to_json())
    if "errors" in result:
        raise ValueError(f"the calculator's default scenario is invalid: {result['errors']}")
    runtime = runtime_for(project)
    config = boot_attributes(runtime, rules.version, _rules_digest(rules))
    status = (_tag("p", {"class": "rb-status", "id": "rb-status"},
                     _tag("span", {"id": "rb-status-text", "role": "status"},
                          "The result below was computed when the site was built; it updates as you edit once Python has loaded."),
                     " ", _tag("progress", {"id": "rb-progress", "max": "4", "value": "0", "aria-label": "Loading Python",
                                            "hidden": True}),
                     " ", _tag("a", {"class": "rb-jump", "href": "#rb-calc-result"}, "Jump to the result")))
    # A data attribute, not an inline JSON <script>: Material's instant navigation re-creates inline
    # scripts without their type and would run the JSON as JavaScript.
    config["data-labels"] = json.dumps(_labels(page), sort_keys=True, separators=(",", ":"))
    return (_tag("div", {"class": "rb-calc", "id": "rb-calc", **config},
                 status, page.form(scenario), page.result(scenario, result)) + "\n")


def _labels(page: _Page) -> dict[str, Any]:
    """What calculator.js needs to write results and help texts the way this module does."""
    def table(name: str, summary: bool = True) -> dict[str, Any]:
        return {e["id"]: {"label": e["label"], "summary": page.summary(e) if summary else "",
                          "href": page.href(name, e["id"]).removeprefix(page.base)} for e in page.entries(name)}

    return {
        "cautions": table("cautions"), "questions": table("questions", False), "exceptions": table("exceptions", False),
        "options": {"request.route": table("routes"), "request.source": table("money_sources"),
                    "request.hardship_reason": table("hardship_reasons"), "request.exception": table("exceptions"),
                    "person.filing_status": table("filing_statuses"), "request.destination": table("destinations")},
        "titles": {name: {"title": page.data[name]["title"], "href": table_page(name)}
                   for name in ("routes", "money_sources", "hardship_reasons", "exceptions", "filing_statuses", "destinations")},
        "questions_shown": QUESTIONS_SHOWN,
    }
