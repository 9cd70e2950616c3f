"""The vector loader: located problems for malformed files, unknown keys, missing fields and reused names."""

from __future__ import annotations

from pathlib import Path

from rulebook.rules.vectors import load_vectors


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


def test_good_file_loads_with_lines(tmp_path: Path) -> None:
    path = _write(tmp_path / "v", "a.yaml", "vectors:\n  - name: one\n    why: >\n      because\n      it is\n"
                  "    input: {tax_year: 2026}\n    output: {allowed: true}\n    tolerance: 0.01\n")
    vectors, problems = load_vectors(path.parent)
    assert problems == []
    [vector] = vectors
    assert (vector.name, vector.why, vector.line, vector.input_line, vector.tolerance) == ("one", "because it is", 2, 6, 0.01)
    assert vector.as_dict()["input"] == {"tax_year": 2026} and type(vector.input) is dict


def test_every_problem_located(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    first = _write(folder, "a.yaml", "vectors:\n  - name: one\n    why: x\n    input: {}\n    output: {}\n"
                   "  - name: two\n    wy: x\n    input: {}\n    output: []\n"
                   "  - name: one\n    why: y\n    input: {}\n    output: {}\n")
    second = _write(folder, "b.yaml", "cases: []\n")
    third = _write(folder, "c.yaml", "vectors: [\n")
    _, problems = load_vectors(folder)
    shown = [str(p) for p in problems]
    assert (f"{first}:7: vectors[1].wy: unknown key (did you mean 'why'?); "
            "expected one of: name, why, entry, input, output, tolerance") in shown
    assert any(s.startswith(f"{first}:6: vectors[1].why: 'why' is required") for s in shown)
    assert f"{first}:9: vectors[1].output: 'output' is required: a mapping" in shown
    assert any(s.startswith(f"{first}:10: vectors[2].name: vector name 'one' is already used") for s in shown)
    assert any(s.startswith(f"{second}:1: expected a mapping with 'vectors:'") for s in shown)
    assert any(s.startswith(f"{third}:1: YAML syntax error") for s in shown)


def test_missing_folder_is_empty(tmp_path: Path) -> None:
    assert load_vectors(tmp_path / "nope") == ([], [])
