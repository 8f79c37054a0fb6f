"""Fuzzing the inputs: mutated scenarios, generated formulas and mutated Gambit files, through the CLI.

Every generated input is written to a file and given to `negosim validate` and `negosim solve`
(in this process, tests/fuzz/cliharness.py), which must keep the promises of issue 14: exit 0, 2, 3
or 4; a few stderr lines naming the file; no traceback; no control characters; bounded time.

CI runs a bounded, seeded (derandomized) run: ``NEGOSIM_FUZZ_EXAMPLES`` examples per target
(default 60). A longer, random run::

    NEGOSIM_FUZZ_EXAMPLES=20000 python -m pytest -q -n 2 tests/fuzz

A failure prints the input's text (hypothesis shrinks it); add it to tests/data/regressions.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
from cliharness import check_file, check_run, run_cli_process
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negosim.errors import FormulaError
from negosim.expr import parse_formula

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("NEGOSIM_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the time bound is cliharness.TIME_LIMIT per command, not hypothesis's deadline
    derandomize="NEGOSIM_FUZZ_EXAMPLES" not in os.environ,  # CI: the same examples every run
    database=None,
    suppress_health_check=list(HealthCheck),
)

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "tests" / "data" / "scenarios").glob("*.yaml"))
SCENARIO_TEXTS = [p.read_text(encoding="utf-8") for p in SCENARIOS]

# Fragments that broke, or could break, a reader: YAML syntax and features, numbers at and beyond
# the limits, control and format characters, formula constructs, Python that must never run.
NASTY_YAML = [
    "!!float ", "!!python/object:os.system ", "<<: ", "&a ", "*a", "{", "}", "[", "]", ": ", "- ", '"', "'", "#",
    "? ", "|", ">", "%YAML 1.1\n", "---\n", "...\n", "~", "null", "yes", "2025-01-01", ".inf", "-.nan",
    "1e99999999", "9" * 5000, "0x1F", "0o17", "1_000", "-0", "1e308", "\x1b[31m", "\n", "\t", "\x00", "\x07",
    "\u202e", "\u2028", "ｐ", "ﬁ", "é", "{a: " * 60, "[" * 60, "x" * 2000, " if ", " else ", " and ", "min(",
    "exp(1000)", "p ** p ** 99", "__import__('os').system('true')", "().__class__", "1/0", "lambda: 0",
]


def _write(text: str, suffix: str) -> Path:
    handle = tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False, encoding="utf-8", errors="surrogatepass",
                                         dir=_TMP)
    with handle:
        handle.write(text)
    return Path(handle.name)


_TMP = tempfile.mkdtemp(prefix="negosim-fuzz-")


def _check_text(text: str, suffix: str) -> None:
    path = _write(text, suffix)
    try:
        check_file(path)
    finally:
        path.unlink()


@st.composite
def mutated(draw, texts: list[str], fragments: list[str]) -> str:
    """One of `texts` after one to four mutations: lines deleted, repeated, swapped or re-indented;
    a fragment inserted or written over; the text truncated."""
    text = draw(st.sampled_from(texts))
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        op = draw(st.sampled_from(["delete", "repeat", "swap", "indent", "insert", "overwrite", "truncate"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "repeat":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = draw(st.sampled_from(["", " ", "  ", "    ", "\t"])) + lines[i].lstrip(" ")
        text = "\n".join(lines)
        at = draw(st.integers(0, len(text)))
        if op == "insert":
            text = text[:at] + draw(st.sampled_from(fragments)) + text[at:]
        elif op == "overwrite":
            fragment = draw(st.sampled_from(fragments))
            text = text[:at] + fragment + text[at + len(fragment):]
        elif op == "truncate":
            text = text[:at]
    return text


@FUZZ
@given(mutated(SCENARIO_TEXTS, NASTY_YAML))
def test_mutated_scenarios_end_cleanly(text):
    _check_text(text, ".yaml")


# Formulas from a grammar: names (known, unknown, lookalike), numbers (ordinary and extreme),
# every operator Python has (allowed or not), the named functions, calls and conditionals.
NAMES = st.sampled_from(["p", "q", "cost", "ｐ", "P", "unknown", "min", "exp", "__class__", "True", "None"])
NUMBERS = st.sampled_from(["0", "1", "0.5", "2", "1e308", "1e-320", "1e400", "9" * 400, "1_0", "0x10", "1j",
                           "-1", ".5", "5.", "1e99999999"])
OPERATORS = st.sampled_from(["+", "-", "*", "/", "**", "//", "%", "@", "<", "<=", "==", "!=", "and", "or", "&",
                             "|", "^", "<<", "is", "in"])
FUNCTIONS = st.sampled_from(["min", "max", "abs", "exp", "log", "sqrt", "clip", "where", "eval", "open", "print"])

formulas = st.recursive(
    st.one_of(NAMES, NUMBERS),
    lambda inner: st.one_of(
        st.tuples(inner, OPERATORS, inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        inner.map(lambda x: f"({x})"),
        inner.map(lambda x: f"-{x}"),
        inner.map(lambda x: f"not {x}"),
        st.tuples(FUNCTIONS, st.lists(inner, min_size=0, max_size=4)).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(inner, inner, inner).map(lambda t: f"{t[0]} if {t[1]} else {t[2]}"),
        st.tuples(inner, st.sampled_from(["[0]", ".real", ":=1", ",", "#", "'", "\\n", "\x1b"])).map("".join),
    ),
    max_leaves=12,
)

FORMULA_SCENARIO = """\
negosim: 1
id: fuzz
title: A formula under test
players: [{{id: A}}, {{id: B}}]
parameters:
  p: {{value: 0.5, range: [0, 1], description: A probability}}
  q: {{value: 2, range: [-5, 5], description: A number}}
derived:
  cost: {formula}
game:
  form: normal
  actions: {{A: [x, y], B: [x, y]}}
  payoffs:
    x: {{x: [{formula}, 0], y: [0, 1]}}
    y: {{x: [0, cost], y: [1, p]}}
"""


def _yaml_string(formula: str) -> str:
    """`formula` as a YAML double-quoted string (so the YAML layer never sees its characters raw)."""
    escaped = formula.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\x1b", "\\e")
    return f'"{escaped}"'


@FUZZ
@given(formulas)
def test_generated_formulas_end_cleanly_in_a_scenario(formula):
    _check_text(FORMULA_SCENARIO.format(formula=_yaml_string(formula)), ".yaml")


@FUZZ
@given(formulas)
def test_generated_formulas_are_parsed_or_refused_and_evaluate_to_finite_numbers_or_refuse(formula):
    known = {"p", "q", "cost"}
    try:
        parsed = parse_formula(formula, known)
    except FormulaError as exc:
        assert exc.problems and "\n" not in str(exc)
        return
    assert parsed.names <= known
    env = {"p": np.array([0.0, 0.5, 1.0]), "q": np.array([-5.0, 0.0, 5.0]), "cost": np.array([0.1, 1.0, 1e300])}
    try:
        value = np.asarray(parsed.evaluate(env), dtype=float)
    except FormulaError:
        return
    assert np.isfinite(value).all(), (formula, value)


def _gambit_seeds() -> list[tuple[str, str]]:
    """Texts of Gambit files to mutate: the test data and, with pygambit, every catalogue game."""
    seeds = [(p.read_text(), p.suffix) for p in sorted((ROOT / "tests" / "data").glob("*.[ne]fg"))]
    seeds += [(p.read_text(), p.suffix) for p in sorted((ROOT / "tests" / "data" / "gambit").glob("*.[ne]fg"))]
    try:
        import pygambit
    except ImportError:
        return seeds
    for name in pygambit.catalog.games()["Game"]:
        game = pygambit.catalog.load(name)
        seeds.append((game.to_efg(), ".efg") if game.is_tree else (game.to_nfg(), ".nfg"))
    return seeds


GAMBIT_SEEDS = _gambit_seeds()
NASTY_GAMBIT = ["{", "}", '"', '""', '"x"', ",", "0", "1", "2", "-1", "99999999", "100000000", "1e99999", "1/0",
                "0/0", "1/3", "-1/2", "c", "p", "t", "R", "NFG", "EFG", "9" * 1200, "1e-400", "\x1b", "\\", "\n",
                "ｐ", "nan", "inf"]


@st.composite
def mutated_gambit(draw) -> tuple[str, str]:
    """A Gambit file with one to five token-level mutations: tokens deleted, repeated, swapped or replaced."""
    text, suffix = draw(st.sampled_from(GAMBIT_SEEDS))
    tokens = text.replace("{", " { ").replace("}", " } ").split(" ")
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, len(tokens) - 1))
        op = draw(st.sampled_from(["delete", "repeat", "swap", "replace", "insert"]))
        if op == "delete" and len(tokens) > 1:
            del tokens[i]
        elif op == "repeat":
            tokens.insert(i, tokens[i])
        elif op == "swap":
            j = draw(st.integers(0, len(tokens) - 1))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif op == "replace":
            tokens[i] = draw(st.sampled_from(NASTY_GAMBIT))
        else:
            tokens.insert(i, draw(st.sampled_from(NASTY_GAMBIT)))
    return " ".join(tokens), suffix


@FUZZ
@given(mutated_gambit())
def test_mutated_gambit_files_end_cleanly(case):
    text, suffix = case
    _check_text(text, suffix)


def test_real_processes_keep_the_promises_on_refused_and_valid_inputs():
    corpus = ROOT / "tests" / "data" / "regressions"
    for name, code in [("exponent_1e99999999.nfg", 3), ("nested_1200.yaml", 3), ("key_forges_a_line.yaml", 3),
                       ("chance_labels_repeat.efg", 0)]:
        for command in ("validate", "solve"):
            run = run_cli_process(command, str(corpus / name))
            check_run(run, corpus / name)
            assert run.code == code, run
