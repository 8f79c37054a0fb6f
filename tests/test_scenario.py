"""Valid scenario files load into the documented model and build the games they describe, batched."""

import pickle
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from negosim.errors import FormulaError, ScenarioError, UsageError
from negosim.game import CHANCE, DECISION, TERMINAL, GameTree, NormalFormGame
from negosim.scenario import Parameter, Question, SweepSpec, json_schema, load_scenario, parse_overrides
from negosim.scenario.yamlio import read_yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "scenarios"
VALID = ["prisoners_dilemma.yaml", "crisis_signal.yaml", "three_party.yaml"]
SEED = ROOT / "scenarios" / "ceasefire_2025.yaml"


@pytest.fixture(scope="module")
def pd():
    return load_scenario(DATA / "prisoners_dilemma.yaml")


@pytest.fixture(scope="module")
def crisis():
    return load_scenario(DATA / "crisis_signal.yaml")


@pytest.fixture(scope="module")
def three():
    return load_scenario(DATA / "three_party.yaml")


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of `path` containing `text`."""
    for i, line in enumerate(path.read_text().splitlines(), 1):
        if text in line:
            return i
    raise AssertionError(f"{text!r} not in {path}")


# --- the model of a normal form ------------------------------------------------------------


def test_normal_form_scenario_keeps_metadata_in_file_order(pd):
    assert pd.id == "prisoners-dilemma" and pd.title == "Prisoner's dilemma" and pd.form == "normal"
    assert pd.description.startswith("Two suspects")
    assert [p.id for p in pd.players] == ["P1", "P2"] and pd.players[0].name == "First suspect"
    assert list(pd.parameters) == ["T", "R", "P", "S"]
    assert list(pd.derived) == ["gain", "gain_share"]
    assert pd.sources == (
        {"key": "axelrod1984", "cite": "Axelrod, R. (1984). The Evolution of Cooperation. Basic Books."},
    )
    assert pd.brief == "Two suspects are questioned apart; each stays silent or confesses."
    assert pd.questions == (Question("Why do both defect although both prefer mutual cooperation?", ""),)
    assert pd.ties.prefer == ("cooperate",)


def test_parameters_carry_value_range_description_unit_source_and_line(pd):
    path = DATA / "prisoners_dilemma.yaml"
    assert pd.parameters["T"] == Parameter(
        "T", 5.0, 0.0, 10.0, "Temptation to defect", None, "axelrod1984", line_of(path, "  T: {")
    )
    assert pd.parameters["S"].unit == "years saved" and pd.parameters["S"].low == -5.0
    assert pd.values() == {"T": 5.0, "R": 3.0, "P": 1.0, "S": 0.0}
    assert all(type(v) is float for v in pd.values().values())


def test_sweeps_are_name_to_from_to_num(pd):
    assert pd.sweeps == {"temptation": SweepSpec("temptation", "Temptation from 3 to 10", {"T": (3.0, 10.0, 8)})}
    assert type(pd.sweeps["temptation"].vary["T"][2]) is int


def test_file_hash_is_the_sha256_of_the_bytes(pd):
    import hashlib

    assert pd.sha256 == hashlib.sha256((DATA / "prisoners_dilemma.yaml").read_bytes()).hexdigest()
    assert pd.path == str(DATA / "prisoners_dilemma.yaml")


def test_normal_form_payoffs_follow_players_then_actions(pd):
    game = pd.build()
    assert isinstance(game, NormalFormGame) and game.batch_shape == ()
    assert game.players == ("P1", "P2") and game.actions == (("cooperate", "defect"),) * 2
    T, R, P, S = 5, 3, 1, 0
    np.testing.assert_array_equal(game.payoffs[0], [[R, S], [T, P]])
    np.testing.assert_array_equal(game.payoffs[1], [[R, T], [S, P]])


def test_cells_without_an_outcome_are_named_by_their_actions(pd):
    game = pd.build()
    assert game.outcomes.tolist() == [
        ["cooperate/cooperate", "cooperate/defect"],
        ["defect/cooperate", "defect/defect"],
    ]


def test_named_outcomes_mapping_cells_and_list_cells_agree(three):
    game = three.build({"x": 0.7})
    assert game.payoffs.shape == (3, 2, 2, 2)
    assert game.outcomes[0, 0, 0] == "coalition" and game.outcomes[0, 0, 1] == "coalition"
    assert game.outcomes[0, 1, 1] == "join/stay/right" and game.outcomes[1, 0, 1] == "stay/join/right"
    np.testing.assert_allclose(game.payoffs[:, 0, 0, 0], [0.7, 0.3, 0.0])
    np.testing.assert_allclose(game.payoffs[:, 0, 1, 1], [-0.1, 0.0, 0.5])  # mapping cell
    np.testing.assert_allclose(game.payoffs[:, 1, 0, 1], [0.0, -0.1, 0.5])  # list cell
    np.testing.assert_allclose(game.payoffs[:, 1, 1, 0], [0.0, 0.0, 0.25])  # shared outcome


# --- the model of a tree --------------------------------------------------------------------


def test_tree_nodes_are_in_preorder_from_the_root_with_one_terminal_per_ending_action(crisis):
    tree = crisis.build()
    assert isinstance(tree, GameTree) and tree.root == 0 and crisis.form == "extensive"
    ids = [n.id for n in tree.nodes]
    assert ids == [
        "nature",
        "s_resolute",
        "r_resolute",
        "r_resolute.concede",
        "r_resolute.resist",
        "s_resolute.stay",
        "s_weak",
        "r_weak",
        "r_weak.concede",
        "r_weak.resist",
        "s_weak.stay",
    ]
    assert tree.preorder() == list(range(len(ids)))
    kinds = {n.id: n.kind for n in tree.nodes}
    assert kinds["nature"] == CHANCE and kinds["s_weak"] == DECISION and kinds["s_weak.stay"] == TERMINAL


def test_outcomes_keep_file_order_and_terminals_point_at_them(crisis):
    tree = crisis.build()
    assert [o.id for o in tree.outcomes] == ["status_quo", "conceded", "fight_resolute", "fight_weak"]
    assert tree.outcomes[0].label == "Status quo" and tree.outcomes[2].label == ""
    by_id = {n.id: n for n in tree.nodes}
    assert by_id["s_resolute.stay"].outcome == 0 and by_id["s_weak.stay"].outcome == 0
    assert by_id["r_weak.resist"].outcome == 3
    np.testing.assert_allclose(tree.payoffs, [[0, 0], [1, -1], [0.7, -0.3], [-0.8, 0.7]])


def test_infosets_labels_players_and_chance_probabilities_come_from_the_file(crisis):
    tree = crisis.build()
    by_id = {n.id: n for n in tree.nodes}
    assert by_id["r_resolute"].infoset == by_id["r_weak"].infoset == "r_demand"
    assert by_id["s_weak"].infoset == "s_weak"  # no infoset key: the node is its own
    assert by_id["r_resolute"].label == "The receiver faces a demand" and by_id["r_weak"].label == ""
    assert by_id["nature"].label == "Nature picks the sender's type"
    assert tree.players[by_id["r_weak"].player] == "R"
    assert by_id["nature"].actions == ("resolute", "weak")
    np.testing.assert_allclose(tree.chance_probs[0], [0.4, 0.6])


def test_tie_rules_combine_the_global_list_and_per_node_lists(crisis):
    assert crisis.ties.prefer == ("concede",)
    assert dict(crisis.ties.per_node) == {"s_weak": ("stay",)}


# --- batched building -----------------------------------------------------------------------


def test_array_parameters_give_the_batch_shape_and_match_per_point_builds(crisis):
    q = np.linspace(0, 1, 5)
    c = np.array([0.1, 0.5, 0.9])[:, None]
    tree = crisis.build({"q": q, "c": c})
    assert tree.batch_shape == (3, 5) and tree.payoffs.shape == (3, 5, 4, 2)
    for i in range(3):
        for j in range(5):
            one = crisis.build({"q": q[j], "c": float(c[i, 0])})
            np.testing.assert_array_equal(tree.payoffs[i, j], one.payoffs)
            np.testing.assert_array_equal(tree.probs(0)[i, j], one.chance_probs[0])


def test_normal_form_batch_matches_per_point_builds(pd):
    rng = np.random.default_rng(1)
    T, S = rng.uniform(0, 10, 7), rng.uniform(-5, 0, 7)
    game = pd.build({"T": T, "S": S})
    assert game.batch_shape == (7,) and game.payoffs.shape == (7, 2, 2, 2)
    for k in range(7):
        np.testing.assert_array_equal(game.payoffs[k], pd.build({"T": T[k], "S": S[k]}).payoffs)


def test_an_array_parameter_no_formula_uses_still_sets_the_batch_shape(three):
    game = three.build({"unused": np.zeros(4)})
    assert game.batch_shape == (4,)
    for k in range(4):
        np.testing.assert_array_equal(game.payoffs[k], three.build().payoffs)


def test_scalar_parameters_give_an_empty_batch_shape(crisis):
    assert crisis.build({"q": 0.25}).batch_shape == ()
    np.testing.assert_allclose(crisis.build({"q": 0.25}).chance_probs[0], [0.25, 0.75])


def test_derived_values_are_evaluated_in_order_and_broadcast(pd):
    env = pd.evaluate({"T": np.array([4.0, 6.0])})
    assert list(env)[-2:] == ["gain", "gain_share"]
    np.testing.assert_allclose(env["gain"], [1.0, 3.0])
    np.testing.assert_allclose(env["gain_share"], [0.25, 0.5])
    assert env["R"].shape == () and env["R"].dtype == np.float64


def test_a_non_finite_payoff_at_one_point_of_a_batch_names_the_formula_and_its_line(pd):
    with pytest.raises(FormulaError) as info:
        pd.build({"T": np.array([5.0, 0.0])})  # gain_share = gain / (T - S) divides by zero
    problem = info.value.problems[0]
    assert (
        problem.line == line_of(DATA / "prisoners_dilemma.yaml", "gain_share:") and "gain / (T - S)" in problem.message
    )


def test_chance_probabilities_are_checked_at_every_point_of_a_batch(crisis):
    with pytest.raises(ScenarioError) as info:
        crisis.build({"q": np.array([0.2, 1.5])})  # arrays are not range-checked, probabilities are
    problem = info.value.problems[0]
    assert problem.line == line_of(DATA / "crisis_signal.yaml", "    nature:") and "q=1.5" in problem.message


def test_evaluating_an_unknown_parameter_is_an_error_with_a_suggestion(pd):
    with pytest.raises(ScenarioError, match="did you mean 'T'"):
        pd.evaluate({"TT": 1.0})


def test_the_seed_scenario_builds_a_hundred_thousand_points_in_one_call():
    seed = load_scenario(SEED)
    p = np.linspace(0.2, 0.8, 100_000)
    tree = seed.build({"p": p})
    assert tree.batch_shape == (100_000,) and tree.payoffs.shape == (100_000, len(tree.outcomes), 3)
    np.testing.assert_array_equal(tree.payoffs[12_345], seed.build({"p": p[12_345]}).payoffs)


# --- overrides ------------------------------------------------------------------------------


def test_overrides_inside_the_range_change_the_baseline_only_of_the_copy(pd):
    moved = pd.with_overrides({"T": 7})
    assert moved.values()["T"] == 7.0 and pd.values()["T"] == 5.0
    assert moved.build().payoffs[0, 1, 0] == 7.0
    assert moved.parameters["T"].low == 0.0 and moved.parameters["T"].line == pd.parameters["T"].line


def test_an_override_outside_the_range_names_the_parameter_line(pd):
    with pytest.raises(ScenarioError) as info:
        pd.with_overrides({"T": 20})
    (problem,) = info.value.problems
    assert problem.message == "--set T=20: outside the declared range [0, 10]"
    assert problem.line == line_of(DATA / "prisoners_dilemma.yaml", "  T: {") and problem.path == "parameters.T"


def test_an_override_of_an_unknown_name_suggests_the_closest_parameter(pd):
    with pytest.raises(ScenarioError, match=r"--set RR=1: unknown parameter 'RR'; did you mean 'R'\?"):
        pd.with_overrides({"RR": 1})


def test_an_override_of_a_derived_value_says_it_is_derived(pd):
    with pytest.raises(ScenarioError, match="'gain' is a derived value"):
        pd.with_overrides({"gain": 1})


def test_all_bad_overrides_are_reported_together(pd):
    with pytest.raises(ScenarioError) as info:
        pd.with_overrides({"T": 20, "S": -6, "Q": 1})
    assert len(info.value.problems) == 3


def test_parse_overrides_reads_name_value_pairs():
    assert parse_overrides(["mu=0.2", " s = 1e-2 "]) == {"mu": 0.2, "s": 0.01}
    assert parse_overrides([]) == {}


@pytest.mark.parametrize("item", ["mu", "mu=", "=1", "mu=abc", "mu=nan", "mu=inf", "2x=1", "a.b=1"])
def test_parse_overrides_rejects_malformed_items_as_usage_errors(item):
    with pytest.raises(UsageError, match="--set"):
        parse_overrides([item])


def test_parse_overrides_rejects_a_name_set_twice():
    with pytest.raises(UsageError, match="more than once"):
        parse_overrides(["mu=1", "mu=2"])


# --- schema and the rest --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [*(DATA / name for name in VALID), *sorted((ROOT / "scenarios").glob("*.yaml"))], ids=lambda p: p.name
)
def test_json_schema_accepts_every_valid_scenario(path):
    load_scenario(path)  # valid by negosim's own checks ...
    validator = jsonschema.Draft202012Validator(json_schema())
    assert [e.message for e in validator.iter_errors(read_yaml(path).data)] == []  # ... so by the schema too


def test_json_schema_is_a_valid_draft_2020_12_schema():
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    json_schema()["properties"].clear()
    assert json_schema()["properties"], "json_schema() must hand out a copy"


def test_json_schema_rejects_structurally_wrong_scenarios():
    validator = jsonschema.Draft202012Validator(json_schema())
    assert not validator.is_valid(read_yaml(DATA / "several_problems.yaml").data)
    good = read_yaml(DATA / "crisis_signal.yaml").data
    for broken in (
        {**good, "negosim": 2},
        {k: v for k, v in good.items() if k != "players"},
        {**good, "game": {**good["game"], "form": "strategic"}},
        {**good, "game": {**good["game"], "nodes": {"n": {"player": "S"}}}},
        {**good, "parameters": {"q": {"value": True, "range": [0, 1], "description": "x"}}},
    ):
        assert not validator.is_valid(broken)


def test_a_scenario_survives_pickling_for_worker_processes(crisis):
    copy = pickle.loads(pickle.dumps(crisis))
    np.testing.assert_array_equal(copy.build({"q": 0.3}).payoffs, crisis.build({"q": 0.3}).payoffs)
    assert copy.ties.per_node == crisis.ties.per_node


def test_a_constant_payoff_is_broadcast_to_the_batch(crisis):
    tree = crisis.build({"v": np.array([0.5, 1.5])})
    np.testing.assert_array_equal(tree.payoffs[:, 0], [[0, 0], [0, 0]])  # status quo: constants
    np.testing.assert_allclose(tree.payoffs[:, 1, 0], [0.5, 1.5])
