"""The scenario reader: YAML 1.2 core / JSON meanings, exact numbers, refusals naming the field or line.

Unit tests of ``rulebook.commands.scenario_file``; ``test_calc_scenario_files.py`` runs the same
inputs through ``rulebook calc``.
"""

from __future__ import annotations

import io
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rulebook.commands.scenario_file import (
    MAX_BYTES,
    MAX_DEPTH,
    ScenarioFileError,
    parse_scenario_text,
    read_scenario_file,
)


def read(text: str) -> Any:
    value, errors = parse_scenario_text(text, "s.yaml")
    assert errors == [], errors
    return value


def refused(text: str) -> list[str]:
    value, errors = parse_scenario_text(text, "s.yaml")
    assert value is None and errors
    return [str(error) for error in errors]


# Plain YAML scalars, by the YAML 1.2 core schema (spec 1.2.2, 10.3.2), and the YAML 1.1 forms
# that used to be misread. Numbers are exact: whole values int, others Decimal of the literal.
@pytest.mark.parametrize(("written", "meant"), [
    ("10000", 10000), ("+5", 5), ("-0", 0), ("0", 0), ("2026.0", 2026), ("5.", 5),
    ("1E4", 10000), ("1e4", 10000), ("1.5e3", 1500), ("1.0e+16", 10**16), ("1e+16", 10**16),
    ("5e-05", Decimal("0.00005")), ("5.0e-05", Decimal("0.00005")), ("0.1", Decimal("0.1")), (".5", Decimal("0.5")),
    ("-0.25", Decimal("-0.25")), ("59.5", Decimal("59.5")),
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False),
    ("null", None), ("Null", None), ("NULL", None), ("~", None), ("", None),
    # YAML 1.1 read these as 65, true, true, false, false, 10000, 2025-12-30: under 1.2 they are text
    ("1:05", "1:05"), ("yes", "yes"), ("on", "on"), ("no", "no"), ("off", "off"), ("y", "y"),
    ("10_000", "10_000"), ("2025-12-30", "2025-12-30"), ("tRUE", "tRUE"), ("nan", "nan"), ("1,000", "1,000"),
    ("0x", "0x"), ("0o8", "0o8"), ("1e", "1e"), ("e4", "e4"),
])
def test_plain_scalars_mean_what_yaml_1_2_says(written: str, meant: Any) -> None:
    value = read(f"a: {written}\n")["a"]
    assert value == meant and type(value) is type(meant)


@pytest.mark.parametrize(("written", "sign"), [(".inf", 1), ("+.Inf", 1), ("-.INF", -1)])
def test_infinities_arrive_as_non_finite_numbers(written: str, sign: int) -> None:
    value = read(f"a: {written}\n")["a"]
    assert isinstance(value, float) and math.isinf(value) and math.copysign(1, value) == sign


@pytest.mark.parametrize("written", [".nan", ".NaN", ".NAN"])
def test_nan_arrives_as_a_non_finite_number(written: str) -> None:
    value = read(f"a: {written}\n")["a"]
    assert isinstance(value, float) and math.isnan(value)


@pytest.mark.parametrize("written", ['"010000"', "'1E4'", '"true"', "|\n  5\n", ">\n  yes\n"])
def test_quoted_and_block_scalars_are_text(written: str) -> None:
    assert isinstance(read(f"a: {written}\n")["a"], str)


def test_keys_stay_text_as_written() -> None:
    assert read("yes: 1\n2025: 2\nnull: 3\n'x': 4\n") == {"yes": 1, "2025": 2, "null": 3, "x": 4}


@pytest.mark.parametrize(("written", "message"), [
    ("010000", "'010000' has a leading zero; write 10000"),
    ("-007.50", "'-007.50' has a leading zero; write -7.50"),
    ("00", "'00' has a leading zero; write 0"),
    ("09", "'09' has a leading zero; write 9"),
    ("0x1F", "'0x1F' is a hexadecimal number; write it in decimal: 31"),
    ("0o17", "'0o17' is an octal number; write it in decimal: 15"),
    ("0b101", "'0b101' is a binary number; write it in decimal: 5"),
    ("-0o10", "'-0o10' is an octal number; write it in decimal: -8"),
    ("-0x10", "'-0x10' is a hexadecimal number; write it in decimal: -16"),
    ("0x_0A", "'0x_0A' is a hexadecimal number; write it in decimal: 10"),
])
def test_ambiguous_numbers_are_refused_naming_the_field_and_the_fix(written: str, message: str) -> None:
    assert refused(f"request:\n  route: hardship\n  amount: {written}\n") == [f"request.amount: {message}"]


def test_every_field_error_is_reported_in_reading_order() -> None:
    text = "person:\n  age: 052\nplan:\n  allows: [0x1, hardship]\nrequest:\n  amount: 010\n"
    assert refused(text) == ["person.age: '052' has a leading zero; write 52",
                             "plan.allows[0]: '0x1' is a hexadecimal number; write it in decimal: 1",
                             "request.amount: '010' has a leading zero; write 10"]


def test_long_numbers_are_exact_not_a_value_error() -> None:
    digits = "9" * 5001
    for text in (f"a: {digits}\n", f'{{"a": {digits}}}'):
        value = read(text)["a"]
        assert isinstance(value, Decimal) and value == Decimal(digits)
    assert read(f"a: {'9' * 600}\n")["a"] == 10**600 - 1  # whole numbers up to 600 digits are int
    assert type(read(f"a: {'9' * 600}\n")["a"]) is int
    assert read("a: 1e26\n")["a"] == 10**26


def test_exponent_beyond_decimal_range_is_refused_at_its_field() -> None:
    assert refused("a: {b: 1e9999999999999999999999}\n") == [
        "a.b: '1e9999999999999999999999' is too large or too small to be a figure; write the number out"]
    assert refused('{"a": {"b": 1e-9999999999999999999999}}') == [
        "a.b: '1e-9999999999999999999999' is too large or too small to be a figure; write the number out"]


def test_json_numbers_are_exact_and_constants_non_finite() -> None:
    value = read('{"a": 1E4, "b": 5e-05, "c": 0.1, "d": 2026.0, "e": -0.0, "f": NaN, "g": -Infinity, "h": true, "i": null}')
    assert value["a"] == 10000 and type(value["a"]) is int
    assert value["b"] == Decimal("0.00005") and value["c"] == Decimal("0.1")
    assert value["d"] == 2026 and type(value["d"]) is int and value["e"] == 0
    assert math.isnan(value["f"]) and value["g"] == -math.inf
    assert value["h"] is True and value["i"] is None


def test_duplicate_keys_name_the_field_and_lines() -> None:
    text = "tax_year: 2026\nrequest:\n  route: hardship\n  amount: 100\n  source: pretax_deferrals\n\n  amount: 200\n"
    assert refused(text) == ["request.amount: given twice, at lines 4 and 7; keep one"]
    assert refused("a: 1\nb: {c: 1, c: 2, c: 3}\na: 2\n") == [
        "b.c: given 3 times, on line 2; keep one", "a: given twice, at lines 1 and 3; keep one"]
    assert refused("p:\n  - x: 1\n    x: 2\n") == ["p[0].x: given twice, at lines 2 and 3; keep one"]
    # "amount" and 'amount' are the same key whatever the quoting
    assert refused('a: 1\n"a": 2\n') == ["a: given twice, at lines 1 and 2; keep one"]


def test_duplicate_keys_in_json_name_the_field_and_lines() -> None:
    text = '{\n  "tax_year": 2026,\n  "request": {\n    "amount": 100,\n    "route": "hardship",\n    "amount": 200\n  }\n}\n'
    assert refused(text) == ["request.amount: given twice, at lines 4 and 6; keep one"]
    # the same key written with an escape; a repeat inside a list item; one on a single line
    assert refused('{"a": [{"x": 1}, {"y": 1,\n "\\u0079": 2}], "b": {"c": 1, "c": 2}}') == [
        "a[1].y: given twice, at lines 1 and 2; keep one", "b.c: given twice, on line 2; keep one"]


def nested_yaml_flow(levels: int) -> str:
    return "a: " + "[" * levels + "]" * levels + "\n"


def nested_yaml_block(levels: int) -> str:
    return "".join("  " * i + "k:\n" for i in range(levels - 1)) + "  " * (levels - 1) + "k: 1\n"


def nested_json(levels: int) -> str:
    return '{"a": ' * levels + "1" + "}" * levels


@pytest.mark.parametrize("nested", [nested_yaml_flow, nested_yaml_block, nested_json])
def test_nesting_is_capped_with_a_located_message(nested: Any) -> None:
    deep = f"lists and mappings nested deeper than {MAX_DEPTH} levels; a scenario is about four levels deep"
    limit = MAX_DEPTH - 1 if nested is nested_yaml_flow else MAX_DEPTH  # the flow case has one mapping around it
    assert read(nested(limit)) is not None
    assert refused(nested(limit + 1))[0].endswith(deep)
    assert refused(nested(500)) == refused(nested(limit + 1))
    if nested is not nested_yaml_block:  # (indentation makes a block 100,000 deep some ten gigabytes)
        assert refused(nested(100_000)) == refused(nested(limit + 1))


def test_nesting_error_names_the_line() -> None:
    assert refused(nested_yaml_block(40)) == [f"s.yaml:{MAX_DEPTH + 1}: lists and mappings nested deeper than {MAX_DEPTH} "
                                              "levels; a scenario is about four levels deep"]


@pytest.mark.parametrize(("text", "message"), [
    ("a: &x 1\nb: 2\n", "s.yaml:1: anchor '&x' refused: a scenario has no anchors or aliases; write the value out"),
    ("a: 1\nb: *x\n", "s.yaml:2: alias '*x' refused: a scenario has no anchors or aliases; write the value out"),
    ("a: !!int 010000\n", "s.yaml:1: YAML tag '!!int' refused: a scenario has no tags; write the plain value"),
    ("a: !!str 5\n", "s.yaml:1: YAML tag '!!str' refused: a scenario has no tags; write the plain value"),
    ("a: ! 5\n", "s.yaml:1: YAML tag '!' refused: a scenario has no tags; write the plain value"),
    ("a: !!python/object/apply:os.system [ls]\n",
     "s.yaml:1: YAML tag '!!python/object/apply:os.system' refused: a scenario has no tags; write the plain value"),
    ("a: 1\n---\nb: 2\n", "s.yaml:2: a second document ('---') in one file; a scenario is one document"),
    ("", "s.yaml:1: file is empty; expected a scenario (tax_year, person, request, …)"),
    ("# only a comment\n\n", "s.yaml:1: file is empty; expected a scenario (tax_year, person, request, …)"),
    ("---\n", "s.yaml:1: file is empty; expected a scenario (tax_year, person, request, …)"),
    ("null\n", "s.yaml:1: file is empty; expected a scenario (tax_year, person, request, …)"),
    ("a:\n\tb: 1\n", "s.yaml:2: tab character in indentation; YAML indents with spaces only"),
    ("a: [1, 2\n", "s.yaml:1: YAML syntax error: a '[' or '{' opened on this line is never closed (the file ends first)"),
    ("a: \x07\n", "s.yaml:1: character U+0007 is not allowed in YAML; delete it"),
    ('{"a": [1, 2}\n', "s.yaml:1: not valid JSON: Expecting ',' delimiter at column 12"),
    ('{\n  "a": "x\n}', "s.yaml:2: not valid JSON: Invalid control character at column 10"),
])
def test_file_level_problems_name_the_line(text: str, message: str) -> None:
    assert refused(text) == [message]


def test_an_alias_bomb_is_refused_at_its_first_alias() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 12)]
    assert refused("\n".join(lines) + "\n") == [
        "s.yaml:1: anchor '&a0' refused: a scenario has no anchors or aliases; write the value out"]
    assert refused("a: [*b, *b]\n")[0].startswith("s.yaml:1: alias '*b' refused")


def test_json_that_is_not_json_but_yaml_flow_is_read_as_yaml() -> None:
    assert read("{amount: 5e-05, route: hardship}") == {"amount": Decimal("0.00005"), "route": "hardship"}
    assert refused('{"request": {"amount": 010000}}') == ["request.amount: '010000' has a leading zero; write 10000"]
    assert refused('{"a": 0x10}') == ["a: '0x10' is a hexadecimal number; write it in decimal: 16"]


def test_complex_keys_are_refused() -> None:
    assert refused("a:\n  ? [x, y]\n  : 1\n") == ["a: a key must be a plain word, not a list or mapping"]


def test_error_lines_print_like_the_engines() -> None:
    assert str(ScenarioFileError("s.yaml", 3, "request.amount", "m")) == "request.amount: m"
    assert str(ScenarioFileError("s.yaml", 3, "", "m")) == "s.yaml:3: m"
    assert str(ScenarioFileError("s.yaml", None, "", "m")) == "s.yaml: m"
    assert ScenarioFileError("s.yaml", 3, "a", "m").to_json() == {"file": "s.yaml", "line": 3, "field": "a", "message": "m"}


# Reading files and standard input


def test_reads_a_file_and_standard_input(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1E4\n")  # a byte-order mark is dropped
    assert read_scenario_file(str(path)) == ({"a": 10000}, [])
    assert read_scenario_file("-", stdin=io.BytesIO(b'{"a": 5e-05}')) == ({"a": Decimal("0.00005")}, [])
    assert read_scenario_file("-", stdin=io.StringIO("a: yes\n")) == ({"a": "yes"}, [])


def test_invalid_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"a: 1\nb: 2\nc: caf\xe9\n")
    assert [str(e) for e in read_scenario_file(str(path))[1]] == [f"{path}:3: byte 0xe9 is not valid UTF-8; save the file as UTF-8"]
    value, errors = read_scenario_file("-", stdin=io.BytesIO(b"a: 1\n\xff\n"))
    assert value is None and [str(e) for e in errors] == ["<stdin>:2: byte 0xff is not valid UTF-8; save the file as UTF-8"]
    path.write_bytes("a: 1\n".encode("utf-16"))
    assert [str(e) for e in read_scenario_file(str(path))[1]] == [f"{path}:1: file is saved as UTF-16; save it as UTF-8"]


def test_size_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    body = b"a: 1\n"
    path.write_bytes(body + b"#" * (MAX_BYTES - len(body) - 1) + b"\n")  # exactly MAX_BYTES: read
    assert read_scenario_file(str(path)) == ({"a": 1}, [])
    path.write_bytes(body + b"#" * (MAX_BYTES - len(body)) + b"\n")  # one byte more: refused
    message = f"{path}: file is larger than {MAX_BYTES:,} bytes; a scenario is a few hundred bytes (is this the right file?)"
    assert [str(e) for e in read_scenario_file(str(path))[1]] == [message]
    stdin = io.BytesIO(b"[" * (MAX_BYTES + 10))
    assert [str(e) for e in read_scenario_file("-", stdin=stdin)[1]] == [message.replace(str(path), "<stdin>")]


def test_unreadable_files_say_why(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    value, errors = read_scenario_file(str(missing))
    assert value is None and [str(e) for e in errors] == [f"{missing}: cannot read the scenario: No such file or directory"]
    value, errors = read_scenario_file(str(tmp_path))
    assert value is None and [str(e) for e in errors] == [f"{tmp_path}: cannot read the scenario: Is a directory"]
