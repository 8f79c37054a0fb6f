"""Play mode, driven through standard input: choices, help, bad answers, quitting, the reveal."""

import io
from pathlib import Path

import pytest

from negosim.api import open_source
from negosim.present.play import play
from negosim.present.play.console import MAX_BAD, PROMPT, match_action

ROOT = Path(__file__).resolve().parents[1]
CEASEFIRE = str(ROOT / "scenarios" / "ceasefire_2025.yaml")
PD = str(ROOT / "scenarios" / "prisoners_dilemma.yaml")
CRISIS = str(ROOT / "tests" / "data" / "scenarios" / "crisis_signal.yaml")
CHICKEN = str(ROOT / "scenarios" / "chicken.yaml")
BOS = str(ROOT / "scenarios" / "battle_of_the_sexes.yaml")
ENTRY = str(ROOT / "scenarios" / "entry_deterrence.yaml")
ULTIMATUM = str(ROOT / "scenarios" / "ultimatum.yaml")


def session(path, player, answers, **kw):
    """(exit code, transcript) of a game played with `answers` typed at the prompt."""
    out = io.StringIO()
    code = play(open_source(path), player, stdin=io.StringIO(answers), stdout=out, seed=kw.pop("seed", 1), **kw)
    return code, out.getvalue()


def test_ukraine_accepting_ends_in_the_truce_and_matches_the_equilibrium():
    code, text = session(CEASEFIRE, "UA", "accept\n")
    assert code == 0
    assert "== Outcome: truce_aid" in text
    assert "Play: UA accept -> RU accept => truce_aid" in text
    assert "Match." in text and "You matched the equilibrium at 1 of 1 decision." in text
    assert "Your payoff: 0.355; in the equilibrium: 0.355 (the same)." in text


@pytest.mark.parametrize("answer", ["2", "reject", "REJ"])
def test_russia_rejecting_ends_in_war_and_reports_the_deviation_and_the_lower_payoff(answer):
    code, text = session(CEASEFIRE, "RU", f"{answer}\n")
    assert code == 0
    assert "Ukraine (UA) chooses accept." in text  # the others follow the equilibrium
    assert "== Outcome: war_sanctions" in text  # the US carries out its credible sanctions threat
    assert "you chose reject; the subgame-perfect equilibrium chooses accept. Different:" in text
    assert "reject is worth 0.49 to you and accept 0.545" in text
    assert "Your payoff: 0.49; in the equilibrium: 0.545 (0.055 less)." in text


def test_bad_answers_are_explained_and_asked_again_then_a_valid_choice_works():
    code, text = session(CEASEFIRE, "RU", "xyz\n9\n\nreject\n")
    assert code == 0
    assert "not an action here: 'xyz'; choose 1-3 or a name" in text
    assert "not an action here: '9'; choose 1-3 or a name" in text
    assert "not an action here: ''; choose 1-3 or a name" in text
    assert text.count(PROMPT) == 4
    assert "== Outcome: war_sanctions" in text


def test_an_ambiguous_prefix_is_explained_and_a_longer_one_chooses():
    code, text = session(ULTIMATUM, "Proposer", "give\ngive2\n")
    assert code == 0
    assert "'give' could be give0 or give1 or give2 or give3" in text
    assert "you chose give2;" in text


def test_end_of_input_mid_game_stops_cleanly_without_a_reveal():
    code, text = session(CEASEFIRE, "RU", "counter\n")  # the US refuses; Russia must answer again, but input ends
    assert code == 0
    assert text.count(PROMPT) == 2
    assert "End of input: the game stops here." in text
    assert "== Outcome" not in text and "== The equilibrium" not in text


def test_q_quits_cleanly_without_a_reveal():
    code, text = session(CEASEFIRE, "UA", "q\naccept\n")
    assert code == 0
    assert "You stopped the game." in text
    assert "== Outcome" not in text and "== The equilibrium" not in text


def test_question_mark_prints_where_each_action_leads_and_the_game_goes_on():
    code, text = session(CEASEFIRE, "RU", "?\naccept\n")
    help_text = text.split("Help:", 1)[1].split(PROMPT, 1)[0]
    assert "1) accept: ends the game: truce_aid (30-day truce, aid keeps flowing); your payoff 0.545" in help_text
    assert "2) reject: United States (US) moves next" in help_text
    assert "give you 0.49 to 0.55" in help_text  # Russia's payoffs in the two war outcomes below
    assert "q to stop the game" in help_text
    assert "== Outcome: truce_aid" in text


def test_an_unknown_player_returns_2_and_lists_the_players_on_stderr():
    out, err = io.StringIO(), io.StringIO()
    code = play(open_source(CEASEFIRE), "EU", stdin=io.StringIO("accept\n"), stdout=out, stderr=err)
    assert code == 2
    assert "unknown player 'EU'" in err.getvalue()
    assert "US (United States), UA (Ukraine), RU (Russia)" in err.getvalue()
    assert out.getvalue() == ""  # no game started


def test_a_player_may_be_named_by_id_in_any_case_or_by_name():
    assert session(CEASEFIRE, "ua", "accept\n")[1] == session(CEASEFIRE, "Ukraine", "accept\n")[1]


def test_random_opponents_give_the_same_transcript_for_the_same_seed_and_differ_across_seeds():
    runs = {seed: session(CEASEFIRE, "UA", "accept\n", opponents="random", seed=seed)[1] for seed in range(6)}
    assert runs[3] == session(CEASEFIRE, "UA", "accept\n", opponents="random", seed=3)[1]
    assert len(set(runs.values())) > 1
    assert all("The other players chose at random" in t for t in runs.values())


def test_the_student_does_not_see_a_chance_move_hidden_by_their_information_set():
    code, text = session(CRISIS, "R", "resist\n", seed=3)
    before, after = text.split(PROMPT, 1)
    assert "Chance moved; you cannot see the result." in before
    assert "Chance: resolute" not in before and "Chance: weak" not in before
    assert "information set 'r_demand'" in before and "Sender (S) chooses demand." in before
    assert "What you could not see: Chance drew" in after
    assert "at information set r_demand" in after


def test_a_chance_move_the_student_can_observe_is_announced_with_its_probability():
    code, text = session(CRISIS, "S", "demand\n", seed=3)
    before = text.split(PROMPT, 1)[0]
    assert "Chance: resolute (probability 2/5)." in before or "Chance: weak (probability 3/5)." in before


def test_chance_draws_are_reproducible_with_a_seed():
    draws = {session(CRISIS, "S", "demand\n", seed=s)[1] for s in (11, 11)}
    assert len(draws) == 1


def test_the_prisoners_dilemma_plays_as_one_simultaneous_move():
    code, text = session(PD, "Row", "?\ncooperate\n")
    assert code == 0
    assert "1) cooperate: 3 if Column cooperate; 0 if Column defect" in text
    assert "Column player (Column) chooses defect." in text  # the unique equilibrium
    assert "== Outcome: row_exploited" in text
    assert "Nash equilibrium 1 of 1 (the one the others followed): Row: defect | Column: defect" in text
    assert "You chose cooperate; the equilibrium has you play defect. Different: no Nash equilibrium has you play it." \
        in text
    assert "your best reply was defect (1); cooperate paid 0" in text
    assert "Your payoff: 0; in the equilibrium: 1 (1 less)." in text


def test_endless_bad_answers_stop_the_game_instead_of_asking_forever():
    code, text = session(PD, "Row", "nonsense\n" * (MAX_BAD + 5))
    assert code == 0
    assert text.count("not an action here") == MAX_BAD
    assert "Too many answers that name no action" in text


def test_match_action_reads_numbers_names_prefixes_and_rejects_the_rest():
    acts = ("accept", "reject", "counter")
    assert [match_action(t, acts) for t in ("1", " 3 ", "Reject", "co", "a", "2)")] == [0, 2, 1, 2, 0, 1]
    assert match_action("0", acts) == "not an action here: '0'; choose 1-3 or a name"
    assert match_action("x", ("only",)) == "not an action here: 'x'; choose 1 or a name"
    assert "could be" in match_action("c", ("continue", "counter"))


# --- which equilibrium the computer follows, and judging against every equilibrium ----------------------
def test_chicken_follows_equilibrium_1_by_default_and_says_so_and_how_to_pick_another():
    code, text = session(CHICKEN, "Row", "swerve\n")
    assert code == 0
    assert "follows Nash equilibrium 1 of 3 (numbered as `negosim solve` lists them);" in text
    assert "Row: swerve" not in text.split(PROMPT)[0]  # which moves it prescribes is revealed only at the end
    assert "Column driver (Column) chooses straight." in text


def test_going_straight_in_chicken_is_never_called_different_and_names_the_equilibria_that_use_it():
    code, text = session(CHICKEN, "Row", "straight\n")  # the others follow equilibrium 1: Column straight
    assert "Different" not in text
    assert "You chose straight. Equilibria 2 (with probability 1/10) and 3 have you play it." in text
    assert "An equilibrium strategy, though equilibrium 1 (the one the others followed) has you play swerve" in text
    for k in (1, 2, 3):
        assert f"Nash equilibrium {k} of 3" in text


@pytest.mark.parametrize("path, player", [(CHICKEN, "Row"), (CHICKEN, "Column"), (BOS, "Ann"), (BOS, "Bob"),
                                          (PD, "Row")])
@pytest.mark.parametrize("equilibrium", [None, 1, 2, "mixed"])
def test_a_choice_some_equilibrium_prescribes_is_never_called_different(path, player, equilibrium):
    from negosim.api import solve_source

    src = open_source(path)
    me = src.game.players.index(src.game.players[0] if player in ("Row", "Ann") else src.game.players[1])
    eqs = solve_source(src, ["nash"])[0].equilibria_at(0)
    if equilibrium == 2 and len(eqs) < 2 or equilibrium == "mixed" and len(eqs) == 1:
        return
    for action in src.game.actions[me]:
        _, text = session(path, player, f"{action}\n", equilibrium=equilibrium)
        prescribed = any(eq.strategies[src.game.players[me]][action] > 0 for eq in eqs)
        assert ("Different" in text) != prescribed, (action, text)


def test_equilibrium_3_has_the_column_driver_swerve_and_straight_matches():
    code, text = session(CHICKEN, "Row", "straight\n", equilibrium=3)
    assert code == 0
    assert "follows Nash equilibrium 3 of 3 (numbered as `negosim solve` lists them)" in text
    assert "Column driver (Column) chooses swerve." in text
    assert "Match: equilibrium 3 (the one the others followed) has you play straight." in text
    assert "Nash equilibrium 3 of 3 (the one the others followed)" in text


def test_the_mixed_equilibrium_is_drawn_with_the_seed_at_its_probabilities():
    straight = 0
    for seed in range(200):
        _, text = session(CHICKEN, "Row", "swerve\n", equilibrium="mixed", seed=seed)
        straight += "Column driver (Column) chooses straight." in text
        assert "follows Nash equilibrium 2 of 3 (numbered" in text and "Nash equilibrium 2 of 3 (the one the others " \
            "followed): Row: 9/10 swerve + 1/10 straight" in text
    # 1/10 of 200 draws: 20 expected; 5 to 40 holds with probability well above 0.9999
    assert 5 <= straight <= 40
    assert session(CHICKEN, "Row", "swerve\n", equilibrium="mixed", seed=7) == \
        session(CHICKEN, "Row", "swerve\n", equilibrium="mixed", seed=7)


@pytest.mark.parametrize("choice, message", [
    (4, "--equilibrium 4: the game has 3 Nash equilibria (numbered as in `negosim solve`); choose 1-3"),
    ("spe", "--equilibrium spe is for game trees"),
    ("first", "--equilibrium first: choose a number N"),
    (0, "--equilibrium 0: equilibria are numbered from 1"),
])
def test_an_equilibrium_the_game_does_not_have_is_a_usage_error(choice, message):
    out, err = io.StringIO(), io.StringIO()
    code = play(open_source(CHICKEN), "Row", equilibrium=choice, stdin=io.StringIO("swerve\n"), stdout=out,
                stderr=err)
    assert code == 2 and message in err.getvalue() and out.getvalue() == ""


def test_a_game_without_a_mixed_equilibrium_refuses_mixed():
    err = io.StringIO()
    assert play(open_source(PD), "Row", equilibrium="mixed", stdin=io.StringIO(""), stdout=io.StringIO(),
                stderr=err) == 2
    assert "in none of them does anyone mix" in err.getvalue()


def test_a_tree_follows_a_chosen_nash_equilibrium_of_its_normal_form():
    code, text = session(ENTRY, "Entrant", "in\n", equilibrium=1)
    assert code == 0
    assert "follows Nash equilibrium 1 of 3 of the normal form;" in text
    assert "(The other players followed Nash equilibrium 1 of 3 of the normal form (Entrant: out | Incumbent: " \
        "fight).)" in text
    assert "Incumbent chooses fight." in text and "== Outcome: price_war" in text
    assert "you chose in; the subgame-perfect equilibrium chooses in. Match." in text


def test_a_tree_follows_the_subgame_perfect_equilibrium_by_default():
    _, text = session(ENTRY, "Entrant", "in\n")
    assert "follows the subgame-perfect equilibrium;" in text and "Incumbent chooses accommodate." in text


def test_staying_out_is_judged_against_the_nash_equilibria_that_prescribe_it_not_called_different():
    _, text = session(ENTRY, "Entrant", "out\n")
    assert "Different" not in text
    assert ("Not the subgame-perfect choice, but Nash equilibria 1 and 2 of the normal form (of 3) have you "
            "choose it here") in text
    assert "at 1 more a Nash equilibrium that is not subgame perfect prescribes your choice" in text


def test_a_tree_mixed_equilibrium_draws_the_incumbents_fight_with_its_probability():
    fights = sum("Incumbent chooses fight." in session(ENTRY, "Entrant", "in\n", equilibrium="mixed", seed=s)[1]
                 for s in range(60))
    assert 15 <= fights <= 45  # 1/2 of 60
