"""Worksheets that give nothing away and answer keys that match them (`negosim report`)."""

import re
from html import unescape
from pathlib import Path

import numpy as np
import pytest
from scenario_lists import GAMES

from negosim.api import open_source
from negosim.cli import main
from negosim.errors import ScenarioError, UsageError
from negosim.present.report import render_report
from negosim.present.report.key import best_responses, node_values
from negosim.present.report.mathml import formula_mathml, prose_html
from negosim.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = GAMES  # scenario_lists.BARGAINING_SKIP: bargaining forms have no game
IDS = [p.stem for p in SCENARIOS]


def section(html: str, anchor: str) -> str:
    start = html.index(f'<section id="{anchor}">')
    return html[start:html.index("</section>", start)]


def text_of(html: str) -> str:
    """The words a reader sees: tags and MathML markup dropped."""
    html = re.sub(r"<math.*?</math>", " [formula] ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture(scope="module", params=SCENARIOS, ids=IDS)
def shipped(request):
    source = open_source(str(request.param))
    return source, render_report(source, answers=False), render_report(source)


# --- the worksheet gives nothing away ------------------------------------------------------------

RESULT_WORDS = ("equilibri", "dominant", "credible", r"\biff\b", "subgame", "backward induction", "tipping point",
                "never carried out", "unique")


def test_every_shipped_scenario_has_a_brief_and_an_answer_to_every_question(shipped):
    scenario = shipped[0].scenario
    assert scenario.brief and scenario.questions
    assert all(len(q.answer.split()) >= 20 for q in scenario.questions)


def test_no_worksheet_states_a_result_in_its_introduction(shipped):
    source, worksheet, _ = shipped
    about = text_of(section(worksheet, "about")).lower()
    for word in RESULT_WORDS:
        assert not re.search(word, about), f"{source.scenario.id}: the worksheet's introduction says {word!r}"
    description = text_of(prose_html(source.scenario.description))
    assert description[-60:] not in text_of(worksheet)  # the teacher's text, which states results
    assert "Answer." not in worksheet and 'id="equilibria"' not in worksheet


def test_student_text_has_no_programming_notation_or_internal_references(shipped):
    _, worksheet, handout = shipped
    for html in (worksheet, handout):
        for anchor in ("about", "params", "questions") + (("appendix",) if html is handout else ()):
            words = text_of(section(html, anchor))
            for code in ("**", "clip(", " * ", "docs:", "DOMAIN", "section 7"):
                assert code not in words, f"{code!r} in the {anchor} section"


def test_the_stake_is_defined_where_shares_of_it_appear():
    html = render_report(open_source(str(ROOT / "scenarios/ceasefire_2025.yaml")))
    assert "The stake is everything the parties bargain or fight over, counted as 1" in html
    worksheet = render_report(open_source(str(ROOT / "scenarios/ceasefire_2025.yaml")), answers=False)
    assert "the stake is everything the two sides fight over, counted as 1" in worksheet


def test_values_are_labelled_illustrative_not_attributed_to_a_paper():
    html = render_report(open_source(str(ROOT / "scenarios/ceasefire_2025.yaml")))
    table = section(html, "params")
    assert "<th>Idea from</th>" in table and "<th>Source</th>" not in table
    assert "The values are illustrative, chosen for teaching" in table


# --- the answer key matches the worksheet -----------------------------------------------------------


def top_level_items(html: str, opening: str) -> int:
    """The number of items of the ordered list that starts with `opening` (nested lists not counted)."""
    body = html[html.index(opening):]
    body = body[:body.index("</ol>")]
    return re.sub(r"<ul.*?</ul>", "", body, flags=re.S).count("<li")


def test_answer_key_follows_the_worksheets_order(shipped):
    source, worksheet, handout = shipped
    assert top_level_items(worksheet, '<ol class="tasks" type="A">') == top_level_items(
        handout, '<ol class="tasks key" type="A">')
    if hasattr(source.game, "nodes"):  # the decision table: the same situations, in the same order
        situations = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td>", section(worksheet, "tasks"))
        assert situations and situations == re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td>", section(handout, "key"))
    assert handout.index('id="key"') < handout.index('id="questions"') < handout.index('id="equilibria"')
    asked = [prose_html(q.ask) for q in source.scenario.questions]
    in_sheet = [worksheet.index(a) for a in asked]
    in_key = [handout.index(a) for a in asked]
    assert in_sheet == sorted(in_sheet) and in_key == sorted(in_key)
    for q in source.scenario.questions:
        assert prose_html(q.answer) in section(handout, "questions")


def test_tree_key_values_agree_with_the_subgame_perfect_payoffs(shipped):
    source = shipped[0]
    if not hasattr(source.game, "nodes"):
        pytest.skip("a normal form")
    from negosim.api import solve_source

    eq = solve_source(source, "spe")[0].equilibria_at(0)[0]
    values = node_values(source.game, eq.behavior)
    np.testing.assert_allclose(values[source.game.root], list(eq.payoffs.values()), atol=1e-12)


def test_normal_key_lists_exactly_the_pure_equilibria_the_solver_finds(shipped):
    source, _, handout = shipped
    if hasattr(source.game, "nodes"):
        pytest.skip("a tree")
    from negosim.api import solve_source

    game = source.game
    pure = solve_source(source, "pure")[0].equilibria_at(0)
    key = text_of(section(handout, "key"))
    for eq in pure:
        cell = "(" + ", ".join(max(s, key=s.get) for s in eq.strategies.values()) + ")"
        assert cell in key
    rows = best_responses(game)
    assert len(rows) == sum(int(np.prod(game.shape)) // n for n in game.shape)


def test_sanctions_key_fills_in_the_decisions_and_the_path():
    html = render_report(open_source(str(ROOT / "scenarios/sanctions_threat.yaml")))
    key = text_of(section(html, "key"))
    assert "impose : Sender gets impose -0.1, back_down -0.2" in key  # b - cS against -a
    assert "comply : Target gets comply -0.3, defy -0.4" in key  # -kT against -d (with impose after)
    assert "The path Sender threaten → Target comply reaches the outcome The Target complies" in key
    assert "Off the path" in key and "The Target has defied" in key


def test_chicken_key_gives_both_pure_equilibria_the_mixed_one_and_no_pareto_claim():
    key = text_of(section(render_report(open_source(str(ROOT / "scenarios/chicken.yaml"))), "key"))
    assert "(swerve, straight) with payoffs -1, 1; (straight, swerve) with payoffs 1, -1" in key
    assert "9/10 swerve + 1/10 straight" in key
    assert "Row, against Column straight: swerve (swerve -1, straight -10)" in key


def test_prisoners_dilemma_key_names_the_better_outcome_and_why_it_is_not_played():
    key = text_of(section(render_report(open_source(str(ROOT / "scenarios/prisoners_dilemma.yaml"))), "key"))
    assert "(defect, defect) is worse for every player than (cooperate, cooperate)" in key
    assert "Row would switch to defect (5 instead of 3)" in key
    assert "No: the only equilibria are pure" in key


def test_ceasefire_question_five_needs_only_the_tree():
    scenario = load_scenario(ROOT / "scenarios/ceasefire_2025.yaml")
    q5 = scenario.questions[4]
    assert "normal form" not in q5.ask.lower()
    assert "0.2375" in q5.answer and "0.085" in q5.answer  # grant against refuse-then-war, as the key's tree


# --- options --------------------------------------------------------------------------------------


def test_sweep_option_picks_the_sweep_and_the_default_is_one_where_the_outcome_changes():
    source = open_source(str(ROOT / "scenarios/ceasefire_2025.yaml"))
    default = section(render_report(source), "sensitivity")
    assert "Sweep \u2018momentum\u2019" in default  # leverage, the first, changes nothing
    leverage = section(render_report(source, sweep="leverage"), "sensitivity")
    assert "Sweep \u2018leverage\u2019" in leverage and "The outcome is the same over the whole range" in leverage
    with pytest.raises(UsageError, match="no sweep named 'levrage'.*leverage, momentum"):
        render_report(source, sweep="levrage")


def test_cli_report_sweep_unknown_is_a_usage_error(tmp_path, capsys):
    out = tmp_path / "h.html"
    code = main(["report", str(ROOT / "scenarios/chicken.yaml"), "-o", str(out), "--sweep", "nope"])
    err = capsys.readouterr().err
    assert code == 2 and "no sweep named 'nope'" in err and not out.exists()
    assert main(["report", str(ROOT / "scenarios/chicken.yaml"), "-o", str(out), "--sweep", "crash_cost",
                 "--no-answers", "--appendix", "--projector"]) == 0
    html = out.read_text()
    assert '<body class="projector">' in html and 'id="appendix"' in html
    assert "--sweep crash_cost --no-answers --appendix --projector" in html


def test_appendix_holds_the_full_parameter_table_and_the_sources():
    source = open_source(str(ROOT / "scenarios/sanctions_threat.yaml"))
    plain = render_report(source, answers=False)
    assert 'id="appendix"' not in plain and "Lacy, D. and Niou" not in plain
    full = render_report(source, answers=False, appendix=True)
    appendix = section(full, "appendix")
    assert "<th>Range</th>" in appendix and "Lacy, D. and Niou" in appendix
    assert "Outcomes and payoffs" in appendix  # a tree's payoff formulas


# --- formulas as mathematics --------------------------------------------------------------------


@pytest.mark.parametrize(("formula", "shown"), [
    ("a - (b + c)", "a − ( b + c )"),
    ("(a + b) * c", "( a + b ) c"),
    ("a + b * c", "a + b c"),
    ("-(a + b)", "− ( a + b )"),
    ("clip(x, 0, 1)", "min ( max ( x , 0 ) , 1 )"),
    ("beta * (cR + cU)", "β ( c R + c U )"),
    ("x ** 2", "x 2"),
    ("a if a >= b else b", "{ a if b a ≥ b otherwise"),
])
def test_formulas_render_as_mathematics_with_only_the_needed_parentheses(formula, shown):
    ml = formula_mathml(formula)
    assert "*" not in ml and "clip" not in ml
    seen = " ".join(unescape(re.sub(r"<[^>]+>", " ", ml)).replace("\u2062", " ").replace("\u2061", " ").split())
    assert seen == shown.replace("{ a if b a ≥ b otherwise", "{ a if a ≥ b b otherwise")


def test_prose_renders_dollar_formulas_and_escapes_the_rest():
    html = prose_html("if $tau / (tau + q * (R - P))$ < 1 & <b>")
    assert "<mfrac>" in html and "&lt;b&gt;" in html and "&amp;" in html and "$" not in html


# --- validation ------------------------------------------------------------------------------------

BASE = """\
negosim: 1
id: t
title: T
players: [{id: A}, {id: B}]
parameters:
  p: {value: 0.5, range: [0, 1], description: A probability}
game:
  form: normal
  actions: {A: [x, y], B: [x, y]}
  payoffs:
    x: {x: [p, 0], y: [0, 1]}
    y: {x: [0, 1], y: [1, p]}
"""


def problems_of(tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    return [str(p) for p in err.value.problems]


def test_questions_need_a_brief(tmp_path):
    (msg,) = problems_of(tmp_path, BASE + "questions: [Why?]\n")
    assert msg.startswith(f"{tmp_path / 's.yaml'}:13: questions: a scenario with questions needs a `brief:`")


def test_questions_may_be_text_or_ask_and_answer(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BASE + "brief: Two players.\nquestions:\n  - Why?\n  - {ask: How?, answer: 'With $p / 2$.'}\n")
    sc = load_scenario(path)
    assert [(q.ask, q.answer) for q in sc.questions] == [("Why?", ""), ("How?", "With $p / 2$.")]
    html = render_report(open_source(str(path)))
    assert "The scenario gives no answer to this question." in html and "<mfrac>" in html


@pytest.mark.parametrize(("tail", "fragment"), [
    ("brief: ok\nquestions: [{ask: Why?, answr: x}]\n", "questions[0].answr: unknown key 'answr'"),
    ("brief: ok\nquestions: [{answer: x}]\n", "questions[0]: missing required key 'ask'"),
    ("brief: 'Costs $p * $.'\n", "brief: in formula"),
    ("brief: 'Costs $p.'\n", "brief: an unpaired '$'"),
    ("brief: ok\nquestions: [{ask: 'Is $x = import os$?'}]\n", "questions[0].ask: in formula"),
    ("description: 'Worth $p ** $.'\n", "description: in formula"),
])
def test_bad_questions_and_formulas_in_text_are_located(tmp_path, tail, fragment):
    msgs = problems_of(tmp_path, BASE + tail)
    assert any(fragment in m for m in msgs), msgs
    assert all(re.match(r".+:\d+: ", m) for m in msgs)


def test_json_schema_requires_a_brief_with_questions_and_knows_both_question_forms():
    import jsonschema

    from negosim.scenario import json_schema
    from negosim.scenario.yamlio import read_yaml

    validator = jsonschema.Draft202012Validator(json_schema())
    good = read_yaml(ROOT / "scenarios/chicken.yaml").data
    assert validator.is_valid(good)
    assert not validator.is_valid({k: v for k, v in good.items() if k != "brief"})
    assert validator.is_valid({**good, "questions": ["Why?", {"ask": "How?"}]})
    assert not validator.is_valid({**good, "questions": [{"ask": "How?", "answr": "x"}]})
