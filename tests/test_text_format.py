"""How probabilities are written for people: one style per mixture."""

from fractions import Fraction

from negosim.present.text import fmt_mixed, fmt_prob


def test_small_fractions_are_written_exactly():
    assert fmt_prob(1 / 3) == "1/3"
    assert fmt_prob(Fraction(2, 7)) == "2/7"
    assert fmt_prob(0.41421356) == "0.4142"


def test_a_mixture_of_exact_fractions_is_written_in_fractions():
    assert fmt_mixed({"a": 1 / 3, "b": 2 / 3}) == "1/3 a + 2/3 b"


def test_a_mixture_with_one_traced_value_is_written_in_decimals_throughout():
    # a numerically traced equilibrium: 0.12500008 beside exact eighths (the ceasefire's reduced normal form)
    probs = {"a": 0.125000080113, "b": 0.125, "c": 0.124999919888, "d": 0.625}
    assert fmt_mixed(probs) == "0.125 a + 0.125 b + 0.125 c + 0.625 d"


def test_a_pure_strategy_is_its_name():
    assert fmt_mixed({"a": 0.0, "b": 1.0}) == "b"
