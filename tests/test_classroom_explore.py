"""The explorer's API: the equilibrium at any parameter values within their ranges, drawn as a tree or a
matrix with the sentence that explains it; behind the teacher's token inside a live classroom."""

from __future__ import annotations

import pytest
from classroom_helpers import CEASEFIRE, PD, POKER, open_room
from starlette.testclient import TestClient

from negosim.api import open_source, solve_source
from negosim.classroom.explore import explore_point
from negosim.classroom.web import create_explorer_app


@pytest.fixture
def explorer():
    return TestClient(create_explorer_app([open_source(CEASEFIRE), open_source(PD)]))


def test_the_baseline_and_a_slider_move_give_the_subgame_perfect_path_and_its_sentence(explorer):
    info = explorer.get("/api/explore/info").json()
    assert info["title"].startswith("US-brokered") and info["scenarios"][1] == "Prisoner's dilemma"
    mu = next(p for p in info["parameters"] if p["name"] == "mu")
    assert (mu["low"], mu["high"], mu["value"]) == (0, 0.5, 0.05)
    base = explorer.get("/api/explore/solve").json()
    assert base["path"] == ["Ukraine chooses accept", "Russia chooses accept"]
    assert base["outcomes"] == {"truce_aid": 1.0}
    assert base["sentence"].startswith("In the subgame-perfect equilibrium, Ukraine chooses accept, then Russia "
                                       "chooses accept: 30-day truce, aid keeps flowing.")
    assert "Off the path, United States would choose impose" in base["sentence"]
    # Past mu = beta*(cR + cU) + s - Delta = 0.105 Russia no longer accepts the truce with aid flowing
    # (DOMAIN's closed form); each point agrees with `negosim solve --set mu=...`.
    for mu_value in (0.104, 0.106, 0.15, 0.2, 0.5):
        moved = explorer.get("/api/explore/solve", params={"mu": mu_value}).json()
        (spe,) = solve_source(open_source(CEASEFIRE, {"mu": mu_value}), ["spe"])
        assert moved["outcomes"] == {spe.equilibria_at(0)[0].outcome: 1.0}
        assert (moved["outcomes"] == {"truce_aid": 1.0}) == (mu_value < 0.105)
    assert explorer.get("/api/explore/solve", params={"mu": 0.2}).json()["path"] == [
        "Ukraine chooses accept", "Russia chooses reject", "United States chooses impose"]


def test_the_tree_marks_what_the_equilibrium_reaches(explorer):
    tree = explorer.get("/api/explore/solve").json()["tree"]
    assert tree["who"] == "Ukraine" and tree["reach"] == 1.0
    accept, reject = tree["actions"]
    assert (accept["prob"], reject["prob"]) == (1.0, 0.0)
    assert accept["child"]["reach"] == 1.0 and reject["child"]["reach"] == 0.0
    truce = accept["child"]["actions"][0]["child"]
    assert truce["outcome"] == "truce_aid" and truce["payoffs"]["RU"] == 0.545


def test_a_matrix_game_is_drawn_with_its_equilibrium_cell(explorer):
    data = explorer.get("/api/explore/solve", params={"scenario": 1}).json()
    m = data["matrix"]
    assert m["rows"] == ["cooperate", "defect"] and m["cells"][1][1] == {"payoffs": [1.0, 1.0], "prob": 1.0}
    assert sum(c["prob"] for row in m["cells"] for c in row) == 1.0
    assert data["sentence"].startswith("In the Nash equilibrium, Row player plays defect; Column player plays defect")


def test_mixed_play_and_chance_are_described_with_probabilities():
    data = explore_point(open_source(POKER), {})
    assert "Bob chooses Meet (0.667) or Pass (0.333)" in data["sentence"]
    assert abs(sum(data["outcomes"].values()) - 1) < 1e-12


@pytest.mark.parametrize("params, message", [
    ({"mu": 0.9}, "outside the declared range [0, 0.5]"),
    ({"mu": "lots"}, "is not a number"),
    ({"nope": 1}, "unknown parameter 'nope'"),
    ({"scenario": 5}, "no such scenario"),
])
def test_bad_values_are_refused_with_a_clear_message(explorer, params, message):
    r = explorer.get("/api/explore/solve", params=params)
    assert r.status_code in (400, 404) and message in r.json()["message"]


def test_in_a_live_classroom_only_the_teacher_opens_the_explorer(tmp_path):
    room, app, teacher = open_room(tmp_path)
    client = TestClient(app)
    assert client.get("/explore").status_code == 200  # the page itself holds nothing
    assert client.get("/api/explore/solve").status_code == 403
    assert client.get("/api/explore/solve", headers=teacher.headers).json()["outcomes"] == {"truce_aid": 1.0}


def test_the_regime_map_puts_each_point_in_the_regime_a_direct_solve_finds(explorer):
    info = explorer.get("/api/explore/info").json()
    assert info["map_axes"][:2] == ["p", "mu"]  # the parameters the scenario's named sweeps vary
    strip = explorer.get("/api/explore/map", params={"map_x": "mu", "map_side": 20}).json()  # misses the tie
    assert strip["y"] is None and len(strip["codes"]) == 1 and len(strip["codes"][0]) == 20
    ids = [r["id"] for r in strip["regimes"]]
    for mu_value, code in zip(strip["x"]["values"], strip["codes"][0]):
        (spe,) = solve_source(open_source(CEASEFIRE, {"mu": mu_value}), ["spe"])
        assert ids[code] == spe.equilibria_at(0)[0].outcome
        assert (ids[code] == "truce_aid") == (mu_value < 0.105)  # DOMAIN's closed form, as above
    # Two axes, with a third parameter held at a value that is not its baseline: sampled cells agree.
    grid = explorer.get("/api/explore/map", params={"map_x": "p", "map_y": "mu", "map_side": 9, "s": 0.0}).json()
    ids = [r["id"] for r in grid["regimes"]]
    assert (grid["x"]["low"], grid["x"]["high"]) == (0.2, 0.8)  # the named sweep's range, where shares are valid
    for j, i in [(0, 0), (4, 4), (8, 8), (2, 7), (7, 2)]:
        p, mu = grid["x"]["values"][i], grid["y"]["values"][j]
        (spe,) = solve_source(open_source(CEASEFIRE, {"p": p, "mu": mu, "s": 0.0}), ["spe"])
        assert ids[grid["codes"][j][i]] == spe.equilibria_at(0)[0].outcome
    assert all(r["name"] for r in grid["regimes"])


@pytest.mark.parametrize("params, message", [
    ({"map_x": "nope"}, "unknown parameter 'nope'"),
    ({"map_x": "mu", "map_y": "mu"}, "two different parameters"),
    ({"map_x": "mu", "map_side": 500}, "2 to 81 points"),
    ({"map_x": "mu", "map_side": "x"}, "whole number"),
    ({}, "horizontal axis"),
    ({"map_x": "mu", "p": "abc"}, "not a number"),
    ({"map_x": "mu", "p": 5}, "outside the declared range"),
])
def test_a_bad_map_request_is_refused_in_one_line(explorer, params, message):
    r = explorer.get("/api/explore/map", params=params)
    assert r.status_code == 400 and message in r.json()["message"] and "\n" not in r.json()["message"]


def test_a_game_file_has_no_regime_map():
    client = TestClient(create_explorer_app([open_source(POKER)]))
    assert client.get("/api/explore/info").json()["map_axes"] == []
    r = client.get("/api/explore/map", params={"map_x": "a"})
    assert r.status_code == 400 and "no regime map" in r.json()["message"]


def test_in_a_classroom_the_map_needs_the_teachers_token(tmp_path):
    room, app, teacher = open_room(tmp_path)
    anyone = TestClient(app)
    assert anyone.get("/api/explore/map", params={"map_x": "mu"}).status_code == 403
    r = teacher.client.get("/api/explore/map", params={"map_x": "mu"}, headers=teacher.headers)
    assert r.status_code == 200 and r.json()["regimes"]
