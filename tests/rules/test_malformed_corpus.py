"""Every malformed table in the corpus gives exactly its expected problems, at exactly its lines.

The corpus lives in ``tests/rules/malformed/`` (see ``corpus.py``). Each case is checked twice: in
process against ``expected.txt``, and through the real command line in a subprocess, which must
exit 1, print the same lines and never a traceback.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from rulebook.rules import load_rules

from .corpus import case_names, expected, materialize, relative

CASES = case_names()


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    broken = [c for c in CASES if expected(c)]
    assert len(broken) >= 30


def test_minimal_rules_are_valid() -> None:
    """The base every case is laid over must itself be clean, or every case would be muddied."""
    rules, problems = load_rules(Path(__file__).parent / "minimal")
    assert problems == []
    assert rules is not None


@pytest.mark.parametrize("case", CASES)
def test_case_reports_exactly_its_problems(case: str, tmp_path: Path) -> None:
    root = materialize(case, tmp_path / "rules")
    rules, problems = load_rules(root)
    assert relative([str(p) for p in problems], root) == expected(case)
    assert problems == sorted(problems)
    assert (rules is None) == bool(problems)


def _run_cli(case: str, root: Path) -> tuple[str, subprocess.CompletedProcess[str]]:
    done = subprocess.run([sys.executable, "-m", "rulebook", "check", str(root)], capture_output=True, text=True,
                          timeout=60, check=False)
    return case, done


def test_cli_on_every_case_exits_1_without_traceback(tmp_path: Path) -> None:
    roots = {case: materialize(case, tmp_path / case / "rules") for case in CASES}
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda case: _run_cli(case, roots[case]), CASES))
    for case, done in results:
        output = done.stdout + done.stderr
        assert "Traceback" not in output, case
        want = expected(case)
        assert done.returncode == (1 if want else 0), (case, output)
        lines = relative(done.stdout.splitlines(), roots[case])
        if want:
            assert lines[:-1] == want, case
            assert lines[-1].startswith(f"{len(want)} problem"), case
        else:
            assert lines[-1].startswith("ok: "), case
