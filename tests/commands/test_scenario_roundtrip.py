"""Properties: what ``json.dumps`` and ``yaml.safe_dump`` write, the scenario reader reads back unchanged.

Floats are drawn from the whole range, so the encoders write every form they have: ``5e-05``,
``1e+16``, ``1.0e+16`` (PyYAML's), ``-0.0``, ``NaN``/``.nan``, ``Infinity``/``.inf``. A float comes
back as the exact decimal its encoder wrote (``repr``), which is the float itself, whole values as
``int``; every other value comes back equal and of the same kind.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rulebook.commands.scenario_file import parse_scenario_text
from rulebook.engine import evaluate

from ..engine.test_properties import RULES, scenarios

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Scenario text is ids and names: identifiers, which PyYAML quotes wherever YAML 1.1 would read
# them as something else (yes, null, true). Free text that PyYAML leaves plain although YAML 1.2
# reads it as a number (the text '1e4') is not a scenario's; the JSON property draws any text.
identifiers = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
leaves = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30), st.floats(), identifiers)


def documents(text: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    values = st.recursive(leaves if text is identifiers else st.one_of(leaves, text),
                          lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4), max_leaves=20)
    return st.dictionaries(text, values, min_size=1, max_size=6)


def same(written: Any, read: Any) -> bool:
    """``read`` is ``written`` as the reader promises: exact numbers, nothing else changed."""
    if isinstance(written, dict):
        return isinstance(read, dict) and list(read) == list(written) and all(same(written[k], read[k]) for k in written)
    if isinstance(written, list):
        return isinstance(read, list) and len(read) == len(written) and all(map(same, written, read))
    if isinstance(written, bool) or written is None or isinstance(written, str):
        return type(read) is type(written) and read == written
    if isinstance(written, int):
        return type(read) is int and read == written
    assert isinstance(written, float)
    if math.isnan(written):
        return isinstance(read, float) and math.isnan(read)
    if math.isinf(written):
        return read == written
    exact = Decimal(repr(written))
    whole = exact == exact.to_integral_value()
    return type(read) is (int if whole else Decimal) and read == exact and float(read) == written


def read_back(text: str) -> Any:
    value, errors = parse_scenario_text(text, "dumped")
    assert errors == [], (text, errors)
    return value


@SETTINGS
@given(documents(st.text()))
def test_json_dumps_reads_back_unchanged(document: dict[str, Any]) -> None:
    assert same(document, read_back(json.dumps(document)))
    assert same(document, read_back(json.dumps(document, indent=2, ensure_ascii=False)))


@SETTINGS
@given(documents(identifiers))
def test_yaml_safe_dump_reads_back_unchanged(document: dict[str, Any]) -> None:
    assert same(document, read_back(yaml.safe_dump(document, sort_keys=False)))
    assert same(document, read_back(yaml.safe_dump(document, sort_keys=False, default_flow_style=True)))


def test_the_encoders_forms_are_the_ones_meant() -> None:
    """The forms the properties rely on do occur (a property could pass without ever meeting them)."""
    assert json.dumps([5e-05, 1e16, 1e22, -0.0]) == "[5e-05, 1e+16, 1e+22, -0.0]"
    assert yaml.safe_dump([5e-05, 1e16, float("inf")]) == "- 5.0e-05\n- 1.0e+16\n- .inf\n"
    assert read_back('{"a": [5e-05, 1e+16, 1e+22, -0.0]}') == {"a": [Decimal("0.00005"), 10**16, 10**22, 0]}
    assert read_back("a: [5.0e-05, 1.0e+16]") == {"a": [Decimal("0.00005"), 10**16]}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_a_dumped_scenario_evaluates_as_the_scenario_itself(scenario: dict[str, Any]) -> None:
    expected = evaluate(scenario, RULES)
    assert evaluate(read_back(json.dumps(scenario)), RULES) == expected
    assert evaluate(read_back(yaml.safe_dump(scenario)), RULES) == expected
