"""Messages about inputs: escaped, located, and naming what negosim did to read a valid file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from negosim.cli import main
from negosim.errors import FormulaError, Problem, printable
from negosim.expr import parse_formula

CORPUS = Path(__file__).resolve().parent / "data" / "regressions"


def test_printable_escapes_controls_format_characters_and_separators_but_keeps_letters():
    assert printable("a\nb\x1b[31m\u202e\u2028\x85") == "a\\nb\\x1b[31m\\u202e\\u2028\\x85"
    assert printable("Ukraine, Україна, 日本, é, ｐ") == "Ukraine, Україна, 日本, é, ｐ"


def test_a_problem_escapes_its_file_path_and_message_so_it_stays_one_line():
    text = str(Problem("unknown key 'x\nok'", file="a\x1b.yaml", line=3, path="x\nok: fine"))
    assert text == "a\\x1b.yaml:3: x\\nok: fine: unknown key 'x\nok'".replace("\n", "\\n")
    assert "\n" not in text and "\x1b" not in text


@pytest.mark.parametrize("formula, plain", [("ｐ + 1", "p"), ("2 * ﬁ", "fi"), ("p１", "p1")])
def test_a_name_that_python_would_read_as_another_is_refused(formula, plain):
    with pytest.raises(FormulaError, match=f"would be read as '{plain}'"):
        parse_formula(formula, {"p", "fi", "p1"})


def test_a_non_ascii_name_that_normalisation_keeps_is_an_ordinary_name():
    assert parse_formula("2 * α", {"α"}).names == {"α"}


@pytest.mark.parametrize("tag", ["!!float 0.5", "!!str 0.5", "!!int 1"])
def test_every_yaml_tag_is_refused_with_its_line(tmp_path, capsys, tag):
    path = tmp_path / "s.yaml"
    path.write_text(f"negosim: 1\nid: x\ntitle: {tag}\n")
    assert main(["validate", str(path)]) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:3: YAML tags such as !!") and len(err.splitlines()) == 1


def test_numbered_labels_are_a_note_on_stderr_for_validate_and_a_warning_in_json(capsys):
    path = CORPUS / "chance_labels_repeat.efg"
    assert main(["validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"ok: {path}")
    assert err == f"note: {path}:4: 2 actions of chance information set 1 are labelled '1/2'; negosim numbers " \
                  "them by position: 1, 2\n"
    assert main(["solve", str(path), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert any("labelled '1/2'" in w for w in document["warnings"])
    assert main(["solve", str(path)]) == 0
    assert f"Note: {path}:4: 2 actions" in capsys.readouterr().out


def test_a_solving_error_names_the_file_and_the_concept(capsys):
    path = CORPUS / "vertex_27x64.nfg"
    code = main(["solve", str(path), "--concept", "nash"])
    err = capsys.readouterr().err
    if code == 3:  # an error raised while solving: named by file and concept
        assert err.startswith(f"{path}: nash: ") and "too large" in err and len(err.splitlines()) == 1
    elif code == 6:  # refused before solving by the size policy (a valid game too large for the method)
        assert err.startswith(f"{path}: ") and "Nash equilibria" in err and len(err.splitlines()) == 1
    else:
        assert code == 0


def test_commands_other_than_validate_print_three_problems_and_count_the_rest(capsys):
    path = Path(__file__).resolve().parent / "data" / "scenarios" / "several_problems.yaml"
    assert main(["validate", str(path)]) == 3
    every = capsys.readouterr().err.splitlines()
    assert len(every) > 4 and all(line.startswith(f"{path}:") for line in every)
    assert main(["solve", str(path)]) == 3
    lines = capsys.readouterr().err.splitlines()
    assert lines[:3] == every[:3]
    assert lines[3] == f"{path}: {len(every) - 3} more problems (negosim validate {path} lists them)"
