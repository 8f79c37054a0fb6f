"""`negosim explain`: the derivation in words, checked sentence by sentence on textbook games and the seed."""

import re
from pathlib import Path

import numpy as np
import pytest
from scenario_lists import GAMES
from test_spe import simultaneous_after_entry  # shared tree builders
from test_tree import build

from negosim.api import Source, open_source
from negosim.game import NormalFormGame
from negosim.present.explain import explain
from negosim.present.explain.normal import dominance_rounds
from negosim.present.text.wording import ANSI

ROOT = Path(__file__).resolve().parents[1]


def text_of(name, overrides=None, color=False):
    return explain(open_source(str(ROOT / "scenarios" / f"{name}.yaml"), overrides), color=color)


def flat(text):
    """The explanation with line breaks and indentation folded into single spaces (sentences are wrapped)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def seed_text():
    return text_of("ceasefire_2025")


# --- normal form ------------------------------------------------------------------------------
def test_prisoners_dilemma_names_each_dominance_step_and_ends_at_defect_defect_boxed():
    text = text_of("prisoners_dilemma")
    f = flat(text)
    assert ("Round 1: for the Row player, defect strictly dominates cooperate (5 > 3 and 1 > 0), so cooperate "
            "is eliminated.") in f
    assert "For the Column player, defect strictly dominates cooperate (5 > 3 and 1 > 0)" in f
    assert "Round 2" not in f
    assert "Only (defect, defect) survives" in f
    defect_row = next(line for line in text.splitlines() if line.strip().startswith("defect"))
    assert defect_row.rstrip().endswith("[ 1*, 1* ]") and "5*, 0" in defect_row
    section = f.split("Nash equilibria")[1]
    assert "1 equilibrium" in section and "1. (defect, defect), in pure strategies (boxed above)" in section


def test_battle_of_the_sexes_shows_the_indifference_equations_with_one_third_and_two_thirds():
    f = flat(text_of("battle_of_the_sexes"))
    assert ("Bob mixes so that Ann is indifferent between opera and football: 2q + 0(1 - q) = 0q + 1(1 - q), "
            "so q = 1/3 (q: the probability that Bob plays opera)") in f
    assert ("Ann mixes so that Bob is indifferent between opera and football: "
            "1p + 0(1 - p) = 0p + 2(1 - p), so p = 2/3") in f
    assert "Ann 2/3 opera + 1/3 football; Bob 1/3 opera + 2/3 football: expected payoffs Ann 2/3, Bob 2/3" in f
    assert "iterated elimination removes nothing" in f
    assert f.count("in pure strategies (boxed above)") == 2


def test_matching_pennies_has_only_the_half_half_mix_and_its_equations():
    f = flat(text_of("matching_pennies"))
    assert "1 equilibrium" in f and "in pure strategies" not in f
    assert "1q - 1(1 - q) = -1q + 1(1 - q), so q = 1/2" in f
    assert "-1p + 1(1 - p) = 1p - 1(1 - p), so p = 1/2" in f
    assert not re.search(r"\[ -?\d", text_of("matching_pennies"))  # no pure equilibrium boxed


def test_iterated_dominance_takes_three_rounds_in_gibbons_example():
    A = [[1, 1, 0], [0, 0, 2]]
    B = [[0, 2, 1], [3, 1, 0]]
    game = NormalFormGame.from_bimatrix(A, B, players=("Row", "Col"),
                                        actions=(("up", "down"), ("left", "middle", "right")))
    steps, remaining = dominance_rounds(game.payoffs, 1e-9)
    assert [(s.round, s.player, s.dominated) for s in steps] == [(1, 1, 2), (2, 0, 1), (3, 1, 0)]
    assert remaining == [[0], [1]]
    f = flat(explain(Source("g.nfg", "x", game)))
    assert "Round 1: for Col, middle strictly dominates right (2 > 1 and 1 > 0), so right is eliminated." in f
    assert "Round 2: for Row, up strictly dominates down (1 > 0 and 1 > 0)" in f
    assert "Round 3: for Col, middle strictly dominates left (2 > 0)" in f
    assert "Only (up, middle) survives" in f


def test_a_strategy_dominated_only_by_a_mix_is_eliminated_through_the_linear_programme():
    game = NormalFormGame.from_bimatrix([[3, 0], [1, 1], [0, 3]], [[1, 0], [0, 2], [0, 1]], players=("Row", "Col"),
                                        actions=(("top", "middle", "bottom"), ("left", "right")))
    f = flat(explain(Source("g.nfg", "x", game)))
    assert "the mix 1/2 top + 1/2 bottom strictly dominates middle (1.5 > 1 and 1.5 > 1)" in f
    assert "Elimination stops after round 1 with more than one strategy left" in f
    steps, _ = dominance_rounds(game.payoffs, 1e-9, mixed=False)
    assert steps == []  # no pure strategy dominates middle


def test_three_player_game_gets_one_matrix_per_action_of_the_third_player_and_all_seven_equilibria():
    f = flat(text_of("three_player"))
    assert "When Player C plays volunteer:" in f and "When Player C plays abstain:" in f
    assert "[ 1*, 1*, 0.6* ]" in f
    assert "7 equilibria, all of them" in f and "pure equilibria only" not in f
    # the symmetric one: 1 - p = (c/b)^(1/(n-1)) with c/b = 0.4 and n = 3 (DOMAIN.md 7b)
    assert ("Player A, Player B and Player C each play volunteer with the same probability p. Against the others' "
            "mixes volunteer earns 0.6 and abstain earns 2p - p^2; each is willing to mix only when these are "
            f"equal, so 1 - p = 0.4^(1/2), so p = 1 - 0.4^(1/2) = {1 - 0.4 ** 0.5:.4g}.") in f
    # two mix while the third abstains: each volunteers with probability 1 - c/b = 3/5
    assert f.count("Player A and Player B each play volunteer with the same probability p. Against the others' "
                   "mixes volunteer earns 0.6 and abstain earns p; each is willing to mix only when these are equal, "
                   "so p = 3/5.") == 1
    assert "Player C's other actions earn no more: volunteer 0.6, against 0.84." in f


# --- game trees: the seed ---------------------------------------------------------------------
SEED_NODES = ["us_sanction_final", "ru_final", "us_sanction", "us_counter", "ru", "us_aid", "ua"]


def test_seed_has_a_sentence_for_every_decision_deepest_first(seed_text):
    f = flat(seed_text)
    where = [f.index(f"({node}), ") for node in SEED_NODES]
    assert where == sorted(where)
    movers = {"us_sanction_final": "the United States", "ru_final": "Russia", "us_sanction": "the United States",
              "us_counter": "the United States", "ru": "Russia", "us_aid": "the United States", "ua": "Ukraine"}
    for node, who in movers.items():
        assert f"({node}), {who} compares" in f
    # US payoffs after a rejection: omega*(1 - p - mu) - g - k = 0.085 against ... - aS = 0.065
    assert ("After Ukraine accepts and Russia rejects (us_sanction), the United States compares impose "
            "(0.085, war_sanctions) with hold (0.065, war_no_sanctions) and imposes.") in f
    assert "(ua), Ukraine compares accept (0.355, truce_aid) with reject (0.1, war_frozen) and accepts." in f


def test_seed_reports_russias_tie_between_accept_and_counter_and_the_tie_rule(seed_text):
    f = flat(seed_text)
    assert ("Russia is indifferent between accept and counter (0.545 each); the tie rule (prefer accept, impose, "
            "freeze) chooses accept.") in f


def test_seed_states_the_equilibrium_path_outcome_and_payoffs(seed_text):
    f = flat(seed_text)
    assert ("The equilibrium path: Ukraine accepts and Russia accepts: outcome truce_aid (30-day truce, aid keeps "
            "flowing), with payoffs United States 0.3275, Ukraine 0.355, Russia 0.545.") in f


def test_seed_names_nash_equilibria_resting_on_russias_non_credible_rejection(seed_text):
    f = flat(seed_text)
    nash1 = f.split("Nash equilibrium 1:")[1].split("Nash equilibrium 2:")[0]
    assert "United States impose/grant/freeze; Ukraine accept; Russia counter/reject" in nash1
    assert ("rests on a threat that would not be carried out: after Ukraine accepts, Russia counters and the United "
            "States refuses (ru_final), Russia would reject, but if it came to that it would accept instead "
            "(accept 0.545 > reject 0.49)") in nash1
    assert "Nash equilibrium 3 is the subgame-perfect equilibrium above" in f


def test_seed_names_the_choice_russias_threat_deters(seed_text):
    f = flat(seed_text)
    nash1 = f.split("Nash equilibrium 1:")[1].split("Nash equilibrium 2:")[0]
    assert ("It deters the United States at us_counter: if Russia would accept at ru_final, the United States would "
            "refuse rather than grant at us_counter (refuse 0.3275 > grant 0.2375).") in nash1


def test_continuing_aid_after_a_refusal_is_not_called_a_threat_the_equilibrium_rests_on(seed_text):
    # Ukraine accepts whether or not the US would freeze aid after a refusal: nothing on the path depends on it.
    f = flat(seed_text)
    continued = "after Ukraine rejects (us_aid), the United States would continue"
    for block in re.split(r"- Nash equilibrium \d+: ", f.split("which threats are credible?")[1])[1:]:
        if continued not in block:
            continue
        threats = block.split("It also prescribes")[0].split("rests on no threat")[0]
        assert continued not in threats, block
        assert "on which no other player's choice on the equilibrium path depends" in block
    nash5 = f.split("Nash equilibrium 5:")[1].split("Nash equilibrium 6:")[0]
    assert "It is not subgame perfect, but it rests on no threat" in nash5 and continued in nash5
    assert "It rests on" not in nash5


def test_with_costly_sanctions_a_nash_equilibrium_rests_on_the_non_credible_sanctions_threat():
    f = flat(text_of("ceasefire_2025", {"k": 0.08, "aS": 0.02, "s": 0.10, "mu": 0.12}))
    # k > aS: imposing costs the US k, holding aS, so the threat to impose is not credible.
    assert "outcome truce_frozen" in f.split("The equilibrium path")[1].split(".")[0] + "."
    assert ("after Ukraine accepts and Russia rejects (us_sanction), the United States would impose, but if it came "
            "to that it would hold instead (hold 0.06 > impose 0)") in f
    # number 4: the list counts the mixed equilibrium traced from the logit QRE (#2) among its 13
    sustained = f.split("Nash equilibrium 4:")[1].split("Nash equilibrium 5:")[0]
    assert "Russia accept (outcome truce_aid" in sustained and "would impose" in sustained
    assert ("It deters Russia at ru: if the United States would hold at us_sanction, Russia would reject rather than "
            "accept at ru (reject 0.62 > accept 0.545).") in sustained


def test_seed_lists_the_nearest_boundaries_with_the_decision_that_switches(seed_text):
    f = flat(seed_text)
    assert ("mu (now 0.05): above 0.105: Russia would reject rather than accept at ru_final (now accept 0.545 > "
            "reject 0.49); so the United States "
            "would grant rather than refuse at us_counter; so Russia would counter rather than accept at ru, and the "
            "outcome becomes truce_frozen (30-day truce, aid frozen at Russia's demand).") in f
    assert "s (now 0.06): below 0.005: Russia would reject rather than accept at ru_final (now" in f
    assert "No change anywhere in its declared range: p, theta, cR, g, aF, omega, B and h." in f
    assert "At each value a player is indifferent exactly there, where the tie rules decide." in f


# --- other trees ------------------------------------------------------------------------------
def test_entry_deterrence_out_fight_equilibrium_rests_on_a_threat_not_carried_out():
    f = flat(text_of("entry_deterrence"))
    nash1 = f.split("Nash equilibrium 1:")[1].split("Nash equilibrium 2:")[0]
    assert "Entrant out; Incumbent fight (outcome stay_out" in nash1
    assert ("It rests on a threat that would not be carried out: after the Entrant chooses in (incumbent), the "
            "Incumbent would fight, but if it came to that it would accommodate instead (accommodate 2 > fight 0). "
            "It deters the Entrant at entrant: if the Incumbent would accommodate at incumbent, the Entrant would "
            "choose in rather than out at entrant (in 1 > out 0).") in nash1
    assert "Incumbent 1/2 fight + 1/2 accommodate (outcome stay_out;" in f and "would fight (with probability 1/2)" in f
    assert "Nash equilibrium 3 is the subgame-perfect equilibrium above" in f
    assert ("rep (now 0): above 2: the Incumbent would fight rather than accommodate at incumbent (now accommodate 2 "
            "> fight 0); so the Entrant "
            "would choose out rather than in at entrant") in f


def test_a_chance_node_is_explained_as_an_expectation():
    spec = {"id": "b0", "player": "B", "actions": {"stay": "stay", "go": {"id": "nature", "actions": {
        "high": {"id": "a_high", "player": "A", "actions": {"invest": "win", "safe": "s1"}},
        "low": {"id": "a_low", "player": "A", "actions": {"invest": "lose", "safe": "s2"}}}}}}
    pay = {"stay": [0.0, 1.0], "win": [5.0, 2.0], "s1": [1.0, 0.0], "lose": [-2.0, 3.0], "s2": [1.0, 0.0]}
    tree = build(["A", "B"], spec, pay, probs={"nature": np.array([0.6, 0.4])})
    f = flat(explain(Source("chance.efg", "x", tree)))
    assert ("After B goes (nature), chance decides: high with probability 3/5 and low with probability 2/5; "
            "expected payoffs A 3.4, B 1.2.") in f
    assert "B compares stay (1, stay) with go (1.2, a lottery) and goes." in f
    assert "outcomes win with probability 3/5, s2 with probability 2/5" in f
    assert "The game has no parameters to vary." in f


def test_a_simultaneous_subgame_is_said_to_be_solved_as_a_normal_form_game():
    tree = simultaneous_after_entry([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], [-0.5, 0.0])
    f = flat(explain(Source("sim.efg", "x", tree)))
    assert "so this subgame is solved as a normal-form game" in f
    assert "A mixes 1/2 x + 1/2 y at a_sim and B mixes 1/2 u + 1/2 v at b_sim, worth A 0, B 0" in f
    assert "A compares out (-0.5, out) with in (0, a lottery) and chooses in." in f


# --- colour -----------------------------------------------------------------------------------
SCENARIOS = [p.stem for p in GAMES]  # scenario_lists.BARGAINING_SKIP: bargaining forms have no game


@pytest.mark.parametrize("name", ["prisoners_dilemma", "entry_deterrence", "three_player"])
def test_colour_adds_only_escape_codes_to_the_plain_text(name):
    plain, coloured = text_of(name), text_of(name, color=True)
    assert "\x1b[" in coloured
    assert ANSI.sub("", coloured) == plain


def test_plain_explanations_of_every_scenario_hold_no_escape_codes():
    for name in SCENARIOS:
        text = text_of(name)
        assert "\x1b" not in text, name
        assert re.search(r"What would change the (outcome|equilibria)", text), name
