"""Invalid scenario files: every problem is reported at once, each at its exact line and path."""

from pathlib import Path

import pytest

from negosim.errors import NegosimInputError, ScenarioError
from negosim.scenario import load_scenario

DATA = Path(__file__).resolve().parent / "data" / "scenarios"

HEAD = """\
negosim: 1
id: test
title: A test scenario
players: [{id: A}, {id: B}]
parameters:
  p: {value: 0.5, range: [0, 1], description: A probability}
  cost: {value: 0.1, range: [0, 1], description: A cost}
"""

NORMAL = """\
game:
  form: normal
  actions: {A: [x, y], B: [x, y]}
  payoffs:
    x: {x: [p, 0], y: [0, 1]}
    y: {x: [0, 1], y: [1, cost]}
"""

TREE = """\
game:
  form: extensive
  root: a
  nodes:
    a:
      player: A
      actions: {go: b, stop: quit}
    b:
      player: B
      actions: {accept: deal, reject: quit}
  outcomes:
    deal: {payoffs: {A: p, B: 1 - p}}
    quit: {payoffs: {A: 0, B: -cost}}
"""


def problems_in(tmp_path, text: str, error=ScenarioError):
    """Every problem reported when loading `text` as a scenario file."""
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    with pytest.raises(error) as info:
        load_scenario(path)
    for problem in info.value.problems:
        assert "\n" not in str(problem), "every message is one line"
        assert problem.file == str(path)
    return info.value.problems


def only(problems):
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def line_of(text: str, marker: str) -> int:
    """The 1-based line of the first line containing `marker`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if marker in line)


def test_the_base_scenarios_of_these_tests_are_valid(tmp_path):
    for text in (HEAD + NORMAL, HEAD + TREE):
        (tmp_path / "ok.yaml").write_text(text)
        load_scenario(tmp_path / "ok.yaml")


# --- reading the file -------------------------------------------------------------------------


def test_malformed_yaml_is_reported_at_its_line(tmp_path):
    text = HEAD + "derived:\n  a: [1, 2\n  b: 3\n" + NORMAL
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "  b: 3") and "invalid YAML" in problem.message


def test_a_duplicate_key_is_reported_at_its_second_occurrence(tmp_path):
    text = HEAD + "derived:\n  a: p\n  a: 2 * p\n" + NORMAL
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "a: 2 * p") and "duplicate key 'a'" in problem.message


def test_yaml_tags_are_refused(tmp_path):
    text = HEAD + "derived:\n  a: !!python/object:os.system p\n" + NORMAL
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "!!python") and "tags" in problem.message


def test_anchors_and_aliases_are_refused(tmp_path):
    text = HEAD + "derived:\n  a: &shared p\n  b: *shared\n" + NORMAL
    found = problems_in(tmp_path, text)
    assert {p.line for p in found} == {line_of(text, "&shared"), line_of(text, "*shared")}
    assert all("anchors and aliases" in p.message for p in found)


def test_a_date_is_refused_with_a_hint_to_quote_it(tmp_path):
    text = HEAD.replace("title: A test scenario", "title: 2025-03-11") + NORMAL
    problem = only(problems_in(tmp_path, text))
    assert problem.line == 3 and "quote it" in problem.message


def test_a_file_that_is_not_utf8_is_one_error_at_the_bad_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes((HEAD + "description: caf\xe9\n" + NORMAL).encode("latin-1"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    problem = only(info.value.problems)
    assert problem.line == 8 and "UTF-8" in problem.message


def test_a_missing_file_is_one_clear_input_error(tmp_path):
    with pytest.raises(NegosimInputError) as info:
        load_scenario(tmp_path / "nope.yaml")
    assert str(info.value) == f"{tmp_path / 'nope.yaml'}: no such file"


@pytest.mark.parametrize("text, words", [("", "empty"), ("- a\n- b\n", "expected a mapping")])
def test_a_file_that_is_not_a_mapping_is_refused(tmp_path, text, words):
    assert words in only(problems_in(tmp_path, text)).message


# --- top level, players, parameters ---------------------------------------------------------


def test_an_unknown_top_level_key_is_reported_with_a_suggestion(tmp_path):
    text = HEAD + "questons: [Why?]\n" + NORMAL
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "questons") and problem.path == "questons"
    assert "unknown key 'questons' (did you mean 'questions'?)" in problem.message


def test_missing_required_keys_are_all_reported(tmp_path):
    found = problems_in(tmp_path, "negosim: 1\nid: test\n")
    assert sorted(p.message for p in found) == [
        "missing required key 'game'",
        "missing required key 'players'",
        "missing required key 'title'",
    ]
    assert all(p.line == 1 for p in found)


def test_an_unsupported_version_is_refused(tmp_path):
    problem = only(problems_in(tmp_path, HEAD.replace("negosim: 1", "negosim: 2") + NORMAL))
    assert problem.line == 1 and "unsupported schema version 2" in problem.message


def test_a_value_outside_its_range_is_reported_at_the_value(tmp_path):
    text = HEAD + "  big:\n    value: 3\n    range: [0, 2]\n    description: Too big\n" + NORMAL
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "value: 3") and problem.path == "parameters.big.value"
    assert problem.message == "value 3 is outside the declared range [0, 2]"


def test_a_range_with_its_ends_swapped_is_refused(tmp_path):
    text = HEAD + "  r: {value: 1, range: [2, 0], description: Swapped}\n" + NORMAL
    assert "above high end" in only(problems_in(tmp_path, text)).message


def test_true_is_not_a_number(tmp_path):
    text = HEAD + "  t: {value: true, range: [0, 1], description: Boolean}\n" + NORMAL
    problem = only(problems_in(tmp_path, text))
    assert problem.path == "parameters.t.value" and "got true/false" in problem.message


def test_a_parameter_source_must_name_a_source_key(tmp_path):
    text = (
        HEAD.replace("players:", "sources: [{key: fearon1995, cite: Fearon 1995}]\nplayers:")
        + "  s: {value: 0, range: [0, 1], description: Cited, source: fearon1996}\n"
        + NORMAL
    )
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "fearon1996") and "did you mean 'fearon1995'" in problem.message


def test_duplicate_player_ids_are_reported_with_the_first_line(tmp_path):
    text = HEAD.replace("players: [{id: A}, {id: B}]", "players:\n  - id: A\n  - id: A\n") + NORMAL
    found = problems_in(tmp_path, text)
    assert any(p.path == "players[1].id" and "already used (line 5)" in p.message for p in found)


def test_a_parameter_may_not_be_named_like_a_function_or_keyword(tmp_path):
    text = (
        HEAD
        + "  max: {value: 0, range: [0, 1], description: F}\n  lambda: {value: 0, range: [0, 1], description: K}\n"
        + NORMAL
    )
    found = problems_in(tmp_path, text)
    assert {p.path for p in found} == {"parameters.max", "parameters.lambda"}


# --- formulas ---------------------------------------------------------------------------------


def test_an_unknown_name_in_a_formula_suggests_the_closest_name(tmp_path):
    text = HEAD + "derived:\n  net: 1 - cots\n" + NORMAL
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "net: 1 - cots") and problem.path == "derived.net"
    assert "unknown name 'cots'; did you mean 'cost'?" in problem.message


@pytest.mark.parametrize(
    "formula, words",
    [
        ("p.real", "attribute access"),
        ("open(p)", "function 'open' is not allowed"),
        ("p[0]", "subscripts"),
        ('"(lambda x: x)(p)"', "lambda"),
        ("\"'text' + p\"", "strings are not allowed"),
        ("9 ** 9 ** 9", "too large"),
    ],
    ids=["attribute", "call", "subscript", "lambda", "string", "power-tower"],
)
def test_forbidden_formula_constructs_are_reported_at_the_formula(tmp_path, formula, words):
    text = HEAD + f"derived:\n  bad: {formula}\n" + NORMAL
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "  bad: ") and problem.path == "derived.bad"
    assert words in problem.message


def test_a_forbidden_construct_in_a_payoff_is_reported_at_the_payoff(tmp_path):
    text = HEAD + TREE.replace("B: 1 - p}", "B: p.imag}")
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "p.imag") and problem.path == "game.outcomes.deal.payoffs.B"


def test_a_derived_value_may_not_use_one_defined_later(tmp_path):
    text = HEAD + "derived:\n  first: second + 1\n  second: 2 * p\n" + NORMAL
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "first:") and problem.path == "derived.first"
    assert f"uses 'second', which is defined later (line {line_of(text, 'second:')})" in problem.message


def test_a_formula_that_divides_by_zero_at_the_baseline_is_reported(tmp_path):
    text = HEAD + "derived:\n  odds: p / (1 - 2 * p)\n" + NORMAL
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "odds:") and "not finite" in problem.message and "p=0.5" in problem.message


# --- games -----------------------------------------------------------------------------------


def test_chance_probabilities_that_do_not_sum_to_one_are_reported_at_the_chance_node(tmp_path):
    text = HEAD + TREE.replace(
        "    a:\n",
        "    n:\n      chance:\n        h: {prob: p, next: a}\n        t: {prob: p / 2, next: quit}\n    a:\n",
    ).replace("root: a", "root: n")
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "    n:") and problem.path == "game.nodes.n.chance"
    assert "sum to 1" in problem.message and "(sum 0.75)" in problem.message


def test_a_negative_chance_probability_is_reported(tmp_path):
    text = HEAD + TREE.replace(
        "    a:\n",
        "    n:\n      chance:\n        h: {prob: p - 0.6, next: a}\n        t: {prob: 1.6 - p, next: quit}\n    a:\n",
    ).replace("root: a", "root: n")
    assert "non-negative" in only(problems_in(tmp_path, text)).message


def test_a_dangling_reference_is_reported_at_the_action(tmp_path):
    text = HEAD + TREE.replace("{accept: deal, reject: quit}", "{accept: deal, reject: qiut}")
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "qiut") and problem.path == "game.nodes.b.actions.reject"
    assert "'qiut', which is neither a node nor an outcome (did you mean 'quit'?)" in problem.message


def test_a_cycle_is_reported_at_the_action_that_closes_it(tmp_path):
    text = HEAD + TREE.replace("{accept: deal, reject: quit}", "{accept: deal, reject: a}")
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "reject: a}") and "cycle: a -> b -> a" in problem.message


def test_a_node_reached_twice_is_reported_at_the_second_reference(tmp_path):
    text = HEAD + TREE.replace("{go: b, stop: quit}", "{go: b, stop: b}")
    problem = only(problems_in(tmp_path, text))
    assert problem.path == "game.nodes.a.actions.stop" and "one parent" in problem.message


def test_an_unreachable_node_is_reported_at_its_key(tmp_path):
    text = HEAD + TREE.replace("  outcomes:", "    orphan:\n      player: A\n      actions: {wait: quit}\n  outcomes:")
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "orphan:") and "cannot be reached from the root 'a'" in problem.message


def test_an_unused_outcome_is_reported(tmp_path):
    text = HEAD + TREE + "    spare: {payoffs: {A: 0, B: 0}}\n"
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "spare:") and "not used" in problem.message


def test_payoffs_must_name_every_player_exactly_once(tmp_path):
    text = HEAD + TREE.replace("{A: p, B: 1 - p}", "{A: p, C: 1 - p}")
    found = problems_in(tmp_path, text)
    assert {p.message for p in found} == {
        "'C' is not a player (expected one of: A, B)",
        "no payoff for B: every player needs exactly one",
    }
    assert {p.line for p in found} == {line_of(text, "C: 1 - p")}


def test_a_node_of_an_unknown_player_is_reported_with_a_suggestion(tmp_path):
    text = HEAD + TREE.replace("      player: B\n", "      player: b\n")
    problem = only(problems_in(tmp_path, text))
    assert problem.path == "game.nodes.b.player" and "did you mean 'B'" in problem.message


def test_an_information_set_must_not_mix_players(tmp_path):
    text = HEAD + TREE.replace("      player: B\n", "      player: B\n      infoset: a\n")
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "infoset: a") and "mixes players" in problem.message


def test_a_node_prefer_must_name_its_own_actions(tmp_path):
    text = HEAD + TREE.replace(
        "{accept: deal, reject: quit}\n", "{accept: deal, reject: quit}\n      prefer: [acept]\n"
    )
    problem = only(problems_in(tmp_path, text))
    assert problem.path == "game.nodes.b.prefer[0]" and "did you mean 'accept'" in problem.message


def test_global_tie_preferences_must_name_actions_of_the_game(tmp_path):
    text = HEAD + TREE + "ties:\n  prefer: [accept, rejet]\n"
    problem = only(problems_in(tmp_path, text))
    assert problem.path == "ties.prefer[1]" and "did you mean 'reject'" in problem.message


def test_node_and_outcome_ids_share_one_namespace(tmp_path):
    text = HEAD + TREE.replace("    quit: {payoffs", "    b: {payoffs: {A: 0, B: 0}}\n    quit: {payoffs")
    assert any("share one namespace" in p.message for p in problems_in(tmp_path, text))


def test_a_missing_root_is_reported_with_a_suggestion(tmp_path):
    text = HEAD + TREE.replace("root: a", "root: aa")
    problem = only(problems_in(tmp_path, text))
    assert problem.path == "game.root" and "no node has id 'aa' (did you mean 'a'?)" in problem.message


def test_a_normal_form_cell_with_the_wrong_number_of_payoffs_is_reported(tmp_path):
    text = HEAD + NORMAL.replace("y: [0, 1]}", "y: [0, 1, 2]}")
    problem = only(problems_in(tmp_path, text))
    assert problem.path == "game.payoffs.x.y" and "has 3 payoffs; expected 2" in problem.message


def test_a_normal_form_missing_a_profile_is_reported(tmp_path):
    text = HEAD + NORMAL.replace("    y: {x: [0, 1], y: [1, cost]}\n", "    y: {x: [0, 1]}\n")
    problem = only(problems_in(tmp_path, text))
    assert problem.line == line_of(text, "    y: {x: [0, 1]}") and "no payoffs for B playing y" in problem.message


def test_normal_form_actions_follow_the_player_order(tmp_path):
    text = HEAD + NORMAL.replace("{A: [x, y], B: [x, y]}", "{B: [x, y], A: [x, y]}")
    assert "in the order of `players`" in only(problems_in(tmp_path, text)).message


def test_perfect_recall_violations_from_the_tree_checks_get_the_node_line(tmp_path):
    text = HEAD + """\
game:
  form: extensive
  root: a
  nodes:
    a:
      player: A
      actions: {left: b1, right: b2}
    b1:
      player: B
      actions: {on: a_left}
    b2:
      player: B
      infoset: b1
      actions: {on: a_right}
    a_left:
      player: A
      infoset: forgot
      actions: {up: deal, down: quit}
    a_right:
      player: A
      infoset: forgot
      actions: {up: deal, down: quit}
  outcomes:
    deal: {payoffs: {A: p, B: 1 - p}}
    quit: {payoffs: {A: 0, B: -cost}}
"""
    problem = only(problems_in(tmp_path, text))
    assert "perfect recall" in problem.message
    assert problem.line in (line_of(text, "a_left:"), line_of(text, "a_right:"))


# --- sweeps and everything at once ------------------------------------------------------------


def test_sweeps_vary_only_declared_parameters_inside_their_ranges(tmp_path):
    text = HEAD + NORMAL + """\
sweeps:
  s:
    vary:
      pp: {from: 0, to: 1, num: 3}
      p: {from: 0, to: 2, num: 3}
      cost: {from: 0, to: 1, num: 2.5}
"""
    found = problems_in(tmp_path, text)
    assert [(p.line, p.path) for p in found] == [
        (line_of(text, "pp:"), "sweeps.s.vary.pp"),
        (line_of(text, "to: 2"), "sweeps.s.vary.p.to"),
        (line_of(text, "num: 2.5"), "sweeps.s.vary.cost.num"),
    ]
    assert "did you mean 'p'" in found[0].message and "outside the declared range [0, 1]" in found[1].message


def test_a_file_with_several_problems_reports_them_all_at_once(tmp_path):
    path = DATA / "several_problems.yaml"
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    marked = [i for i, line in enumerate(path.read_text().splitlines(), 1) if "  # " in line]
    assert [p.line for p in info.value.problems] == marked
    assert len(set(marked)) >= 3
    assert str(info.value).splitlines()[0] == f"{path}:5: titel: unknown key 'titel' (did you mean 'title'?)"


def test_a_broken_tree_reports_its_dangling_reference_cycle_unreachable_node_and_unused_outcome(tmp_path):
    path = DATA / "bad_tree.yaml"
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    marked = [i for i, line in enumerate(path.read_text().splitlines(), 1) if "  # " in line]
    assert [p.line for p in info.value.problems] == marked
