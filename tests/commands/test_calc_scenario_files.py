"""``rulebook calc`` on scenario files that used to be misread or to end in a traceback.

Each input from issue 9 (items 1 and 2), in YAML and, where JSON can say it, in JSON: the exit
code, the exact field or line named, and no traceback. Most run in process (``cli.main``); the
ones that used to crash also run as a real ``rulebook`` process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rulebook.cli import main
from rulebook.commands.scenario_file import MAX_BYTES

ROOT = Path(__file__).resolve().parents[2]
RULES = str(ROOT / "rules")

# A hardship withdrawal of $10,000 at 45: the additional tax is 10% of it, $1,000 (IRC 72(t)(1)).
# Line numbers matter: the tests name them.
YAML = """\
tax_year: 2026
person:
  age: {age}
  still_employed: {still_employed}
  state_tax_rate: {state_tax_rate}
plan:
  allows: [hardship]
balances:
  pretax_deferrals: {balance}
request:
  route: hardship
  source: pretax_deferrals
  hardship_reason: medical
  amount: {amount}
"""
JSON = """\
{{
  "tax_year": 2026,
  "person": {{"age": {age}, "still_employed": {still_employed}, "state_tax_rate": {state_tax_rate}}},
  "plan": {{"allows": ["hardship"]}},
  "balances": {{"pretax_deferrals": {balance}}},
  "request": {{
    "route": "hardship",
    "source": "pretax_deferrals",
    "hardship_reason": "medical",
    "amount": {amount}
  }}
}}
"""
FIELDS = {"age": "45", "still_employed": "true", "state_tax_rate": "0", "balance": "100000", "amount": "10000"}


def scenario(form: str, **written: str) -> str:
    return (YAML if form == "yaml" else JSON).format(**{**FIELDS, **written})


def calc(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str | bytes, name: str = "s.yaml") -> tuple[int, str, list[str]]:
    """Exit code, stdout and the stderr lines of ``rulebook calc FILE`` run in process."""
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    code = main(["calc", str(path), "--rules", RULES])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, [line.replace(str(path), name) for line in err.splitlines()]


def refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str | bytes, name: str = "s.yaml") -> list[str]:
    code, out, err = calc(tmp_path, capsys, text, name)
    assert code == 2 and out == ""
    return err


def result(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> dict[str, Any]:
    code, out, err = calc(tmp_path, capsys, text)
    assert code == 0 and err == [], err
    parsed: dict[str, Any] = json.loads(out)
    return parsed


def process(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "rulebook", "calc", *args, "--rules", RULES], input=stdin.decode("utf-8", "replace"),
                          capture_output=True, text=True, check=False, timeout=120)
    assert "Traceback" not in done.stderr
    return done


FORMS = ["yaml", "json"]


@pytest.mark.parametrize("form", FORMS)
def test_a_leading_zero_is_refused_naming_the_field(form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # YAML 1.1 read 010000 as octal: $4,096. JSON forbids it; read as YAML it gets the same answer.
    assert refused(tmp_path, capsys, scenario(form, amount="010000")) == ["request.amount: '010000' has a leading zero; write 10000"]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("written", "message"), [
    ("0o23420", "'0o23420' is an octal number; write it in decimal: 10000"),
    ("0x2710", "'0x2710' is a hexadecimal number; write it in decimal: 10000"),
])
def test_octal_and_hexadecimal_are_refused(form: str, written: str, message: str, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(tmp_path, capsys, scenario(form, amount=written)) == [f"request.amount: {message}"]


def test_sexagesimal_is_text_for_the_engine_to_refuse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # YAML 1.1 read 1:05 as 65 (base 60), an age the scenario never gave.
    assert refused(tmp_path, capsys, scenario("yaml", age="1:05")) == ["person.age: expected a number, got text '1:05'"]


@pytest.mark.parametrize("written", ["yes", "no", "on", "off", "y", "n"])
def test_yaml_1_1_booleans_are_text_for_the_engine_to_refuse(written: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(tmp_path, capsys, scenario("yaml", still_employed=written)) == [
        f"person.still_employed: expected true or false, got text '{written}'"]


@pytest.mark.parametrize("written", ["True", "TRUE", "true"])
def test_yaml_1_2_booleans_are_booleans(written: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert result(tmp_path, capsys, scenario("yaml", still_employed=written))["allowed"] is True


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("written", ["1E4", "1e4", "1e+4", "1.0e4", "10000.00", "0.1e5"])
def test_exponents_are_numbers(form: str, written: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = result(tmp_path, capsys, scenario(form))
    assert plain["gross"] == 10000 and plain["additional_tax"] == 1000
    assert result(tmp_path, capsys, scenario(form, amount=written)) == plain


@pytest.mark.parametrize("form", FORMS)
def test_a_small_rate_as_json_dump_writes_it(form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert json.dumps(0.00005) == "5e-05"
    written = result(tmp_path, capsys, scenario(form, state_tax_rate="0.00005"))
    assert result(tmp_path, capsys, scenario(form, state_tax_rate="5e-05")) == written
    assert written["state_income_tax"] == 0.5  # $10,000 x 0.00005, by hand


def test_a_scenario_json_dump_wrote_reads_from_stdin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(scenario("json", state_tax_rate="0.00005"))
    data["request"]["amount"] = 1e4
    text = json.dumps(data)
    assert '"state_tax_rate": 5e-05' in text and '"amount": 10000.0' in text
    expected = result(tmp_path, capsys, scenario("yaml", state_tax_rate="0.00005"))
    done = process(["-"], stdin=text.encode())
    assert done.returncode == 0 and json.loads(done.stdout) == expected


@pytest.mark.parametrize("form", FORMS)
def test_a_key_given_twice_is_refused_naming_both_lines(form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = scenario(form, amount="10000")
    if form == "yaml":  # a second amount after line 14's
        text += "  amount: 4000\n"
        expected = "request.amount: given twice, at lines 14 and 15; keep one"
    else:  # a second amount before line 10's
        text = text.replace('    "route": "hardship",\n', '    "route": "hardship",\n    "amount": 4000,\n')
        expected = "request.amount: given twice, at lines 8 and 11; keep one"
    assert refused(tmp_path, capsys, text) == [expected]


@pytest.mark.parametrize(("form", "written"), [("yaml", ".nan"), ("yaml", ".NaN"), ("yaml", ".inf"), ("yaml", "-.Inf"),
                                             ("json", "NaN"), ("json", "Infinity"), ("json", "-Infinity")])
def test_non_finite_numbers_reach_the_engine(form: str, written: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(tmp_path, capsys, scenario(form, amount=written)) == ["request.amount: expected a finite number"]


@pytest.mark.parametrize("form", FORMS)
def test_null_means_the_default(form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = result(tmp_path, capsys, scenario(form))
    nulls = ["null"] if form == "json" else ["null", "~", "Null", "NULL", ""]
    for written in nulls:
        assert result(tmp_path, capsys, scenario(form, state_tax_rate=written)) == plain


def deep(form: str, levels: int) -> str:
    return scenario(form, amount="[" * levels + "]" * levels)


@pytest.mark.parametrize("form", FORMS)
def test_deep_nesting_is_refused_at_its_line(form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = 14 if form == "yaml" else 10
    message = f"s.yaml:{line}: lists and mappings nested deeper than 32 levels; a scenario is about four levels deep"
    for levels in (31, 500, 100_000):  # 31 lists inside request, inside the scenario: 33 levels
        assert refused(tmp_path, capsys, deep(form, levels)) == [message]
    # 30 is within the cap: the reader delivers it and the engine names the field
    assert refused(tmp_path, capsys, deep(form, 30)) == ["request.amount: expected a number, got a list"]


def test_deep_block_nesting_is_refused_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # line 14 holds the mapping's key at level 2 (root, request); the mapping at level 33 starts on line 45
    text = scenario("yaml").replace("  amount: 10000\n", "".join("  " * level + "amount:\n" for level in range(1, 500)))
    assert refused(tmp_path, capsys, text) == [
        "s.yaml:45: lists and mappings nested deeper than 32 levels; a scenario is about four levels deep"]


@pytest.mark.parametrize("form", FORMS)
def test_a_5001_digit_number_is_a_number(form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Python refuses int('9' * 5001) (ValueError); here it is an exact number the engine range-checks.
    assert refused(tmp_path, capsys, scenario(form, age="9" * 5001)) == ["person.age: must be from 0 to 120"]
    assert refused(tmp_path, capsys, scenario(form, age="1" + "0" * 5000 + ".5")) == ["person.age: must be from 0 to 120"]


@pytest.mark.parametrize(("text", "message"), [
    (scenario("yaml").replace("age: 45", "age: &age 45"),
     "s.yaml:3: anchor '&age' refused: a scenario has no anchors or aliases; write the value out"),
    (scenario("yaml").replace("amount: 10000", "amount: *big"),
     "s.yaml:14: alias '*big' refused: a scenario has no anchors or aliases; write the value out"),
    (scenario("yaml").replace("amount: 10000", "amount: !!int 010000"),
     "s.yaml:14: YAML tag '!!int' refused: a scenario has no tags; write the plain value"),
    (scenario("yaml").replace("amount: 10000", "amount: !!float 1E4"),
     "s.yaml:14: YAML tag '!!float' refused: a scenario has no tags; write the plain value"),
    (scenario("yaml") + "---\n" + scenario("yaml"),
     "s.yaml:15: a second document ('---') in one file; a scenario is one document"),
    ("", "s.yaml:1: file is empty; expected a scenario (tax_year, person, request, …)"),
    (scenario("yaml").replace("  amount: 10000", "\tamount: 10000"),
     "s.yaml:14: tab character in indentation; YAML indents with spaces only"),
    (scenario("json").replace('"medical",', '"medical"'), "s.yaml:10: not valid JSON: Expecting ',' delimiter at column 5"),
])
def test_file_level_problems_name_file_and_line(text: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(tmp_path, capsys, text) == [message]


def test_an_alias_bomb_costs_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 10)}]\n" for n in range(9))
    assert refused(tmp_path, capsys, bomb) == ["s.yaml:1: anchor '&a' refused: a scenario has no anchors or aliases; write the value out"]


def test_invalid_utf8_is_named_with_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = scenario("yaml").encode().replace(b"route: hardship", b"route: hardsh\xedp")
    assert refused(tmp_path, capsys, text) == ["s.yaml:11: byte 0xed is not valid UTF-8; save the file as UTF-8"]


def test_an_oversized_file_is_refused_unread(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = scenario("yaml") + "#" * MAX_BYTES + "\n"
    assert refused(tmp_path, capsys, text) == [
        f"s.yaml: file is larger than {MAX_BYTES:,} bytes; a scenario is a few hundred bytes (is this the right file?)"]


def test_inputs_that_crashed_give_clean_errors_in_a_real_process(tmp_path: Path) -> None:
    """The inputs that printed a traceback before: a fresh ``rulebook`` process, exit 2, a located line."""
    nested = tmp_path / "nested.yaml"
    nested.write_text(deep("yaml", 500))
    done = process([str(nested)])
    assert done.returncode == 2 and done.stderr.startswith(f"{nested}:14: lists and mappings nested deeper than 32 levels")
    long = tmp_path / "long.json"
    long.write_text(scenario("json", age="9" * 5001))
    done = process([str(long)])
    assert done.returncode == 2 and done.stderr == "person.age: must be from 0 to 120\n"
    done = process(["-"], stdin=scenario("json", amount="[" * 500 + "]" * 500).encode())
    assert done.returncode == 2 and done.stderr.startswith("<stdin>:10: lists and mappings nested deeper than 32 levels")


TOO_MUCH = "must be at most $1,000,000,000,000; no real account or income is that large"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("written", ["1" + "0" * 26, "1e26", "1E+26", "9" * 5001, "1000000000000.01"])
def test_money_beyond_any_account_is_refused_at_its_field(form: str, written: str, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    # The reader delivers the exact number; the engine's bound names the field (it used to blame the rules).
    assert refused(tmp_path, capsys, scenario(form, amount=written)) == [f"request.amount: {TOO_MUCH}"]
    assert refused(tmp_path, capsys, scenario(form, balance=written)) == [f"balances.pretax_deferrals: {TOO_MUCH}"]


def test_money_at_the_bound_is_read_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 1e12 and 1000000000000.00 are the bound itself, not a float's neighbour of it: accepted.
    for written in ("1e12", "1000000000000.00"):
        done = result(tmp_path, capsys, scenario("yaml", balance=written))
        assert done["allowed"] is True and done["gross"] == 10000


def test_money_beyond_any_account_in_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(scenario("yaml", amount="1" + "0" * 26))
    done = process([str(path)])
    assert done.returncode == 2 and done.stderr == f"request.amount: {TOO_MUCH}\n"
    done = process(["-"], stdin=scenario("json", amount="9" * 5001).encode())
    assert done.returncode == 2 and done.stderr == f"request.amount: {TOO_MUCH}\n"
