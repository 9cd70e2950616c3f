"""The worker's entry: JSON text in, the CLI's JSON out, and never an exception for a bad payload."""

from __future__ import annotations

import json
from typing import Any

from rulebook.engine import api, evaluate

from ..conftest import example

EXAMPLE = example()


def test_call_gives_what_evaluate_gives(rules_json: dict[str, Any]) -> None:
    api.load(json.dumps({"version": "v-test", **rules_json}))
    text = api.call("evaluate", json.dumps(EXAMPLE))
    assert text == json.dumps(evaluate(EXAMPLE, rules_json), sort_keys=True, ensure_ascii=False)


def test_load_returns_the_rules_version(rules_json: dict[str, Any]) -> None:
    assert api.load(json.dumps({"version": "v-test", **rules_json})) == "v-test"


def test_unknown_entry_and_bad_json_are_errors_not_exceptions(rules_json: dict[str, Any]) -> None:
    api.load(json.dumps(rules_json))
    unknown = json.loads(api.call("nope", "{}"))
    assert "no calculator entry point 'nope'" in unknown["errors"][0]["message"]
    broken = json.loads(api.call("evaluate", "{not json"))
    assert "not valid JSON" in broken["errors"][0]["message"]
    deep = json.loads(api.call("evaluate", "[" * 100000 + "]" * 100000))
    assert deep["errors"]
