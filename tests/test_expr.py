"""Formulas: what they accept, what they reject and why, and what they compute on arrays."""

from __future__ import annotations

import pickle
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negosim.expr
from negosim.errors import FormulaError
from negosim.expr import FUNCTIONS, Formula, parse_formula


def value(source, **env) -> np.ndarray:
    return parse_formula(source).evaluate(env)


def rejection(source, known_names=None) -> str:
    with pytest.raises(FormulaError) as caught:
        parse_formula(source, known_names)
    assert len(caught.value.problems) == 1
    return str(caught.value)


# --- arithmetic, precedence, logic, functions -------------------------------------------


@pytest.mark.parametrize(
    "source, expected",
    [
        ("2 + 3 * 4 ** 2", 50.0),
        ("(2 + 3) * 4", 20.0),
        ("-2 ** 2", -4.0),  # ** binds tighter than unary minus
        ("2 ** 3 ** 2", 512.0),  # ** is right-associative
        ("2 ** -1", 0.5),
        ("10 - 4 - 3", 3.0),  # - is left-associative
        ("12 / 4 / 3", 1.0),
        ("7 - 2 * 3 + 8 / 4", 3.0),
        ("+3 - -2", 5.0),
        ("1 + 2 < 4", 1.0),
        ("(3 > 2) * 5 + (3 <= 2) * 7", 5.0),  # true is 1, false is 0 in arithmetic
        ("0 < 0.5 < 1", 1.0),
        ("0 < 1.5 < 1", 0.0),
        ("1 == 1.0", 1.0),
        ("1 != 1", 0.0),
        ("not 0", 1.0),
        ("not 3", 0.0),
        ("2 and 0", 0.0),
        ("0 or 2", 1.0),  # elementwise logic: a truth value, not Python's "return the operand"
        ("1 if 2 > 3 else 4", 4.0),
        ("min(3, 1, 2)", 1.0),
        ("max(3, 1, 2)", 3.0),
        ("abs(-2.5)", 2.5),
        ("exp(0) + log(1)", 1.0),
        ("sqrt(16)", 4.0),
        ("clip(5, 0, 1) + clip(-5, 0, 1) + clip(0.25, 0, 1)", 1.25),
        ("where(0, 1, 2)", 2.0),
    ],
)
def test_formula_computes_the_hand_computed_value(source, expected):
    formula = parse_formula(source)
    assert formula.constant == pytest.approx(expected)
    assert formula.evaluate({}) == pytest.approx(expected)


def test_variables_follow_the_same_rules_elementwise():
    x = np.array([-1.0, 0.0, 0.5, 2.0])
    np.testing.assert_allclose(value("0 < x < 1", x=x), [0, 0, 1, 0])
    np.testing.assert_allclose(value("x if x > 0 else -x", x=x), np.abs(x))
    np.testing.assert_allclose(value("not x", x=x), [0, 1, 0, 0])
    np.testing.assert_allclose(value("x > 0 and x < 1 or x == -1", x=x), [1, 0, 1, 0])
    np.testing.assert_allclose(value("clip(x, 0, 1)", x=x), [0, 0, 0.5, 1])
    np.testing.assert_allclose(value("min(x, 0.2, 1 - x)", x=x), [-1, 0, 0.2, -1])
    np.testing.assert_allclose(value("max(x, 0) * 2 + (x >= 0.5)", x=x), [0, 0, 2, 5])


def test_results_broadcast_over_the_arrays_used():
    a = np.arange(3.0).reshape(3, 1)
    b = np.arange(4.0)
    result = value("a * 10 + b", a=a, b=b)
    assert result.shape == (3, 4)
    np.testing.assert_array_equal(result, a * 10 + b)


def test_results_are_float64_arrays_and_scalars_are_zero_dimensional():
    ints = value("x + 1", x=np.arange(3))
    assert isinstance(ints, np.ndarray) and ints.dtype == np.float64
    scalar = value("x + 1", x=2)
    assert isinstance(scalar, np.ndarray) and scalar.shape == () and scalar == 3.0
    assert value("x > 1", x=np.arange(3)).dtype == np.float64


def test_a_formula_that_is_just_a_name_does_not_return_the_callers_array():
    x = np.arange(3.0)
    result = value("x", x=x)
    result[0] = 99.0
    assert x[0] == 0.0


def test_numbers_are_formulas_whose_source_is_their_repr():
    assert parse_formula(0.6).source == "0.6" and parse_formula(0.6).constant == 0.6
    assert parse_formula(3).source == "3" and parse_formula(3).evaluate({}) == 3.0
    assert parse_formula(np.float64(0.25)).source == "0.25"
    assert parse_formula(2.5).names == frozenset()


def test_names_lists_variables_but_not_functions():
    formula = parse_formula("max(p - cR, 0) + beta * exp(cU)")
    assert formula.names == frozenset({"p", "cR", "beta", "cU"})
    assert formula.constant is None


def test_functions_are_exactly_the_documented_eight():
    assert FUNCTIONS == frozenset({"min", "max", "abs", "exp", "log", "sqrt", "clip", "where"})


def test_a_formula_may_span_lines():
    assert parse_formula("a +\n  b").evaluate({"a": 1, "b": 2}) == 3.0


def test_a_long_flat_sum_is_not_deep_nesting():
    source = " + ".join(f"x{i}" for i in range(100))
    formula = parse_formula(source)
    env = {f"x{i}": float(i) for i in range(100)}
    assert formula.evaluate(env) == sum(range(100))


def test_long_formula_on_many_points_matches_numpy():
    rng = np.random.default_rng(1)
    p, c, b = (rng.random(100_000) for _ in range(3))
    source = "p - c + b * (c + p) + max(p, 0.2) * exp(-c) - sqrt(abs(b)) + where(p > 0.5, c / (1 + b), 0)"
    expected = p - c + b * (c + p) + np.maximum(p, 0.2) * np.exp(-c) - np.sqrt(b) + np.where(p > 0.5, c / (1 + b), 0)
    np.testing.assert_allclose(value(source, p=p, c=c, b=b), expected, rtol=1e-12)


# --- rejections --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, fragment",
    [
        ("x.y", "attribute access"),
        ("x[0]", "subscripts"),
        ('open("f")', "function 'open' is not allowed"),
        ('__import__("os")', "function '__import__' is not allowed"),
        ("lambda: 1", "lambda"),
        ("[i for i in x]", "comprehensions"),
        ('"s"', "strings are not allowed"),
        ("f'{x}'", "f-strings"),
        ("x := 1", "assignment (:=)"),
        ("9**9**9", "exponent"),
        ("2**1000", "exponent 1000 is too large"),
        ("x ** -65", "exponent -65 is too large"),
        ("x ** (1 / 0)", "exponent is not finite"),
        ("x + " * 300 + "x", "longer than 1000 characters"),
        ("abs(" * 40 + "x" + ")" * 40, "nested deeper than 32 levels"),
        ("-" * 40 + "x", "nested deeper than 32 levels"),
        ("True", "True is not allowed; write 1 or 0"),
        ("None", "None is not allowed"),
        ("x // 2", "operator '//' is not allowed"),
        ("x % 2", "operator '%' is not allowed"),
        ("x ^ 2", "for a power write **"),
        ("~x", "operator '~' is not allowed"),
        ("x in y", "operator 'in' is not allowed"),
        ("clip(x, lo=0, hi=1)", "keyword arguments"),
        ("max(*x)", "starred"),
        ("(1, 2)", "tuples"),
        ("[1, 2]", "lists"),
        ("{1: 2}", "dicts"),
        ("{1}", "sets"),
        ("1j", "complex numbers"),
        ("1e999", "too large"),
        ("x.y()", "only named functions may be called"),
        ("exp + 1", "'exp' is a function"),
        ("min(x)", "min() takes at least 2 arguments, got 1"),
        ("clip(x, 0)", "clip() takes exactly 3 arguments, got 2"),
        ("abs(x, y)", "abs() takes exactly 1 argument, got 2"),
        ("where(x, y)", "where() takes exactly 3 arguments, got 2"),
        ("x # note", "comments (#)"),
        ("a +", "syntax error: invalid syntax"),
        ("   ", "formula is empty"),
    ],
)
def test_forbidden_constructs_are_rejected_with_a_message_naming_them(source, fragment):
    message = rejection(source)
    assert fragment in message
    assert "\n" not in message and "Traceback" not in message


@pytest.mark.parametrize("source", [True, False, np.bool_(True), None, [1, 2], float("nan"), float("inf"), 10**400])
def test_non_formula_values_are_rejected(source):
    rejection(source)


def test_huge_power_towers_are_rejected_without_computing_them():
    # 9**9**9 has ~370 million digits: folding it with Python integers would hang.
    for source in ["9**9**9", "2**2**2**2**2", "(10**10)**(10**10)"]:
        assert "exponent" in rejection(source)


def test_a_constant_formula_that_is_not_finite_is_rejected_when_parsed():
    assert "formula '1 / 0' is not finite" in rejection("1 / 0")
    assert "not finite" in rejection("log(0) + 1")


def test_a_typo_gets_a_did_you_mean_suggestion():
    message = rejection("bta * cR", known_names=["beta", "cR", "cU"])
    assert "unknown name 'bta'; did you mean 'beta'?" in message


def test_an_unknown_name_with_no_close_match_lists_known_names():
    message = rejection("zzz + 1", known_names=["alpha", "beta"])
    assert "unknown name 'zzz'" in message and "alpha, beta" in message


def test_parsing_emits_no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rejection("1(2)")
        rejection("1 is 1")


# --- errors while evaluating -------------------------------------------------------------

WHERE = dict(file="scenario.yaml", line=41, path="game.outcomes.war.payoffs.RU")


def test_division_by_zero_names_the_formula_and_its_location():
    formula = parse_formula("a / b", ["a", "b"], **WHERE)
    with pytest.raises(FormulaError) as caught:
        formula.evaluate({"a": 1.0, "b": 0.0})
    message = str(caught.value)
    assert message.startswith("scenario.yaml:41: game.outcomes.war.payoffs.RU: formula 'a / b' is not finite")
    assert "a=1, b=0" in message
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.path) == ("scenario.yaml", 41, "game.outcomes.war.payoffs.RU")


def test_log_of_a_negative_number_names_the_first_bad_point():
    formula = parse_formula("log(x)", **WHERE)
    with pytest.raises(FormulaError) as caught:
        formula.evaluate({"x": np.array([1.0, 2.0, -1.0, -3.0])})
    message = str(caught.value)
    assert "formula 'log(x)' is not finite (NaN" in message
    assert "x=-1 " in message and "2 such points out of 4" in message


def test_the_first_bad_point_reports_every_name_at_that_point():
    a = np.array([[1.0], [2.0], [3.0]])
    b = np.array([1.0, 0.0])
    with pytest.raises(FormulaError, match=r"at a=1, b=0 \(point \(0, 1\)"):
        parse_formula("a / b").evaluate({"a": a, "b": b})


def test_overflow_is_an_error():
    with pytest.raises(FormulaError, match="not finite"):
        value("exp(x)", x=np.array([1.0, 1000.0]))


def test_a_guarded_division_is_fine_where_the_divisor_is_zero():
    b = np.array([0.0, 2.0, 0.0])
    np.testing.assert_array_equal(value("where(b != 0, a / b, 0)", a=1.0, b=b), [0.0, 0.5, 0.0])
    np.testing.assert_array_equal(value("a / b if b != 0 else -1", a=1.0, b=b), [-1.0, 0.5, -1.0])
    assert value("where(b != 0, a / b, 0)", a=1.0, b=0.0) == 0.0


def test_a_missing_value_is_a_formula_error_naming_the_name():
    formula = parse_formula("a + b", **WHERE)
    with pytest.raises(FormulaError, match="scenario.yaml:41: .*no value for 'b'"):
        formula.evaluate({"a": 1.0})


def test_error_string_has_file_line_path_message_format():
    with pytest.raises(FormulaError) as caught:
        parse_formula("x.y", file="s.yaml", line=7, path="derived.X")
    assert re.fullmatch(r"s\.yaml:7: derived\.X: in formula 'x\.y': attribute access .*", str(caught.value))


def test_a_formula_survives_pickling_for_worker_processes():
    formula = parse_formula("a * 2 + b", **WHERE)
    copy = pickle.loads(pickle.dumps(formula))
    assert copy == formula and isinstance(copy, Formula)
    assert copy.evaluate({"a": 1.0, "b": 0.5}) == 2.5


def test_the_package_never_calls_eval_exec_or_compile():
    package = Path(negosim.expr.__file__).parent
    for file in package.glob("*.py"):
        text = file.read_text()
        assert not re.search(r"(?<![\w.])(eval|exec|compile)\s*\(", text), file


# --- property: the parser and evaluator agree with an independent reference -------------

leaf = st.one_of(
    st.just(("var",)),
    st.floats(-10, 10, allow_nan=False).map(lambda v: ("num", round(v, 3))),
)
trees = st.recursive(
    leaf,
    lambda sub: st.tuples(st.sampled_from(["+", "-", "*"]), sub, sub) | st.tuples(st.just("neg"), sub),
    max_leaves=12,
)
_PREC = {"+": 1, "-": 1, "*": 2}


def render(tree, parent_prec=0, right=False) -> str:
    """Write the tree with the fewest parentheses Python's precedence needs."""
    kind = tree[0]
    if kind == "var":
        return "x"
    if kind == "num":
        text = repr(tree[1])
        return f"({text})" if tree[1] < 0 else text
    if kind == "neg":
        inner = render(tree[1], 3)
        return f"(-{inner})" if parent_prec > 0 else f"-{inner}"
    prec = _PREC[kind]
    text = f"{render(tree[1], prec)} {kind} {render(tree[2], prec, right=True)}"
    needs = prec < parent_prec or (right and prec == parent_prec)
    return f"({text})" if needs else text


def reference(tree, x: float) -> float:
    """Evaluate the tree with Python floats, independently of the package."""
    kind = tree[0]
    if kind == "var":
        return x
    if kind == "num":
        return tree[1]
    if kind == "neg":
        return -reference(tree[1], x)
    a, b = reference(tree[1], x), reference(tree[2], x)
    return a + b if kind == "+" else a - b if kind == "-" else a * b


@settings(max_examples=300, deadline=None)
@given(trees, st.lists(st.floats(-5, 5, allow_nan=False), min_size=1, max_size=5))
def test_random_arithmetic_matches_an_independent_reference(tree, xs):
    source = render(tree)
    result = parse_formula(source, ["x"]).evaluate({"x": np.array(xs)})
    expected = [reference(tree, x) for x in xs]
    # A tree without x is a constant: its 0-d result broadcasts against every point.
    assert np.allclose(result, expected, rtol=1e-12, atol=1e-12), source
