"""Engine fixtures: the rule set exactly as the browser receives it (through JSON, floats and all)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rulebook.rules import RuleSet


@pytest.fixture(scope="session")
def browser_rules(rules: RuleSet) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(rules.to_json()))
    return data
