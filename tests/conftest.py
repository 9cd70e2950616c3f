"""Shared fixtures: the real project folders, the loaded real rules, and editable copies."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from rulebook.rules import RuleSet, load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    loaded, problems = load_rules(RULES_DIR)
    assert not problems, "\n".join(str(p) for p in problems)
    assert loaded is not None
    return loaded


@pytest.fixture(scope="session")
def rules_json(rules: RuleSet) -> dict[str, Any]:
    return rules.to_json()


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    """A private copy of rules/ a test may edit."""
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target
