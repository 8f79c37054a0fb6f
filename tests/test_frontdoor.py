"""The Python front door: `import negosim as ns`, lazy, with solutions that display and export themselves."""

import json
import subprocess
import sys
from pathlib import Path

import nashpy
import numpy as np
import pytest

import negosim as ns
from negosim.errors import NegosimUsageError, ScenarioError
from negosim.solve.mixed import nash_equilibria

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("numpy", "scipy", "matplotlib", "pandas")


def test_import_negosim_and_help_load_no_numpy_scipy_matplotlib_or_pandas():
    code = (
        "import sys, contextlib, io\n"
        "import negosim, negosim.cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        negosim.cli.main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_a_public_name_is_imported_on_first_use_and_no_name_is_a_subpackage():
    code = ("import sys, negosim as ns\nns.load\n"
            "print('pandas' in sys.modules, 'matplotlib' in sys.modules, 'negosim.frontdoor' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False", "True"]
    package = ROOT / "negosim"
    for name in ns.__all__:
        assert not (package / name).is_dir() and not (package / f"{name}.py").exists(), name
        assert getattr(ns, name) is not None
    with pytest.raises(AttributeError):
        ns.no_such_name  # noqa: B018


def test_load_gives_a_scenario_for_yaml_and_a_game_for_gambit_files():
    sc = ns.load(ROOT / "scenarios" / "ceasefire_2025.yaml", mu=0.2)
    assert isinstance(sc, ns.Scenario) and sc.values()["mu"] == 0.2
    assert isinstance(ns.load(ROOT / "tests" / "data" / "inspection.nfg"), ns.NormalFormGame)
    with pytest.raises(NegosimUsageError):
        ns.load(ROOT / "tests" / "data" / "inspection.nfg", mu=0.2)
    with pytest.raises(ValueError):  # out of range: a ScenarioError, which is a ValueError
        ns.load(ROOT / "scenarios" / "ceasefire_2025.yaml", mu=5.0)


def test_scenario_solve_with_arrays_is_a_batch_and_the_frame_carries_each_points_parameters():
    sc = ns.load(ROOT / "scenarios" / "ceasefire_2025.yaml")
    mu = np.linspace(0, 0.3, 7)
    sol = sc.solve(mu=mu)
    assert sol.concept == "spe" and sol.batch_shape == (7,)
    one = [sc.solve(mu=float(m)).outcomes()[0] for m in mu]
    assert sol.outcomes().tolist() == one
    frame = sol.to_frame()
    assert frame["mu"].tolist() == pytest.approx(mu.tolist())
    assert (frame["p"] == sc.values()["p"]).all()
    assert {"point", "concept", "outcome", "payoff_US", "payoff_UA", "payoff_RU", "tied", "complete",
            "degenerate"} <= set(frame.columns)
    reached = sol.outcome_probability("truce_aid")
    assert reached.tolist() == [1.0 if o == "truce_aid" else 0.0 for o in one]
    with pytest.raises(ScenarioError):
        sc.solve(mu=np.array([0.1, 7.0]))  # arrays are range-checked too
    with pytest.raises(KeyError):
        sol.outcome_probability("no_such_outcome")


def test_strategies_long_form_sums_to_one_per_equilibrium_player_and_information_set():
    sol = ns.load(ROOT / "scenarios" / "chicken.yaml").solve()
    long = sol.to_frame("strategies")
    sums = long.groupby(["equilibrium", "player"])["probability"].sum()
    assert np.allclose(sums, 1.0) and len(sums) == 3 * 2
    tree = ns.load(ROOT / "scenarios" / "ceasefire_2025.yaml").solve().to_frame("strategies")
    assert np.allclose(tree.groupby(["equilibrium", "player", "infoset"])["probability"].sum(), 1.0)


def test_a_solution_shows_one_line_an_html_table_and_a_json_ready_dict():
    sol = ns.load(ROOT / "scenarios" / "chicken.yaml").solve()
    text = repr(sol)
    assert "\n" not in text and len(text) < 120 and "3 equilibria" in text
    page = sol._repr_html_()
    assert page.count("<tr>") == 1 + 3 and "payoff" in page
    doc = json.loads(json.dumps(sol.to_dict()))
    assert len(doc["equilibria"]) == 3 and doc["concept"] == "nash"
    assert doc["equilibria"][0]["parameters"]["C"] == 10.0


def test_solve_with_no_concept_gives_the_primary_answer_and_a_named_one_on_request():
    sc = ns.load(ROOT / "scenarios" / "entry_deterrence.yaml")
    assert sc.solve().concept == "spe"
    nash = sc.solve("nash")
    assert nash.concept == "nash" and len(nash.point) >= 2
    with pytest.raises(NegosimUsageError):
        sc.solve(["spe", "nash"])


def test_from_arrays_follows_pygambits_convention():
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(3)
    arrays = [rng.integers(-5, 5, size=(2, 3, 2)).astype(float) for _ in range(3)]
    game = ns.from_arrays(*arrays, players=["a", "b", "c"])
    reference = gbt.Game.from_arrays(*[a.astype(int) for a in arrays])
    players = list(reference.players)
    for profile in np.ndindex(2, 3, 2):
        outcome = reference[[list(p.strategies)[k] for k, p in zip(profile, players)]]
        for i, player in enumerate(players):
            assert game.payoffs[(i, *profile)] == float(outcome[player])


def test_from_arrays_broadcasts_a_leading_batch_and_checks_shapes():
    A = np.stack([np.eye(2), -np.eye(2)])  # batch of 2
    game = ns.from_arrays(A, -np.eye(2))
    assert game.batch_shape == (2,) and game.shape == (2, 2)
    with pytest.raises(ValueError):
        ns.from_arrays(np.zeros((2, 2)), np.zeros((3, 2)))


def test_equilibria_accepts_a_nashpy_game_and_agrees_with_nashpys_vertex_enumeration():
    rng = np.random.default_rng(7)
    A, B = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    sol = ns.equilibria(nashpy.Game(A, B))
    ours = sorted(tuple(np.round(np.concatenate([s[e] for s in sol.strategies]), 6)) for e in range(len(sol.point)))
    theirs = sorted(tuple(np.round(np.concatenate(eq), 6)) for eq in nashpy.Game(A, B).vertex_enumeration())
    assert ours == theirs
    with pytest.raises(NegosimUsageError):
        ns.equilibria(nashpy.Game(A, B), mu=0.1)
    with pytest.raises(NegosimUsageError):
        ns.equilibria("not a game")


def test_sweep_in_memory_equals_the_sweep_written_to_a_folder(tmp_path):
    sc = ns.load(ROOT / "scenarios" / "ceasefire_2025.yaml")
    memory = sc.sweep({"mu": (0, 0.3, 31)})
    folder = sc.sweep({"mu": (0, 0.3, 31)}, out=tmp_path / "mu")
    assert memory.out_dir is None and folder.out_dir == tmp_path / "mu"
    assert (tmp_path / "mu" / "results.parquet").is_dir()  # a folder's results are Parquet, the frames equal
    assert memory.to_frame().equals(folder.to_frame())
    assert memory.outcomes == folder.outcomes and len(memory.to_frame()) == 31
    assert [b.value for b in memory.boundaries] == pytest.approx([0.105, 0.185], abs=1e-8)


def test_to_frame_without_pandas_says_how_to_install_it(monkeypatch):
    sol = ns.load(ROOT / "scenarios" / "chicken.yaml").solve()
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r'pip install "negosim\[notebook\]"'):
        sol.to_frame()


def test_the_entry_deterrence_tie_through_the_front_door(tmp_path):
    text = (ROOT / "scenarios" / "entry_deterrence.yaml").read_text()
    path = tmp_path / "accommodating.yaml"
    path.write_text(text.replace("prefer: [fight, out]", "prefer: [accommodate, in]"))
    assert ns.load(path).solve(rep=2.0).outcomes().tolist() == ["shared_market"]
    assert ns.equilibria(ns.load(path), "spe", rep=2.0).outcomes().tolist() == ["shared_market"]
    assert ns.equilibria(ns.load(path).build({"rep": 2.0})).outcomes().tolist() == ["shared_market"]


SHAPLEY = ([[0, 1, 0], [0, 0, 1], [1, 0, 0]], [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
PENNIES = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])


def test_fictitious_play_converges_in_matching_pennies_and_cycles_in_shapleys_game():
    pennies = ns.dynamics(ns.from_arrays(*PENNIES), "fictitious_play", iterations=4000)
    assert pennies.converged and pennies.distance[-1] < pennies.distance[10]
    shapley = ns.dynamics(ns.from_arrays(*SHAPLEY), "fictitious_play", iterations=4000)
    assert not shapley.converged and shapley.distance[-1000:].min() > 0.2  # Shapley (1964): it never settles


def test_replicator_dynamics_cycle_in_matching_pennies_and_reach_defection_in_a_prisoners_dilemma():
    pennies = ns.dynamics(nashpy.Game(*PENNIES), "replicator", x0=[0.7, 0.3], y0=[0.4, 0.6], iterations=500)
    assert not pennies.converged and pennies.distance.min() > 0.1  # closed orbits around (1/2, 1/2)
    pd = ns.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], actions=[["C", "D"], ["C", "D"]])
    path = ns.dynamics(pd, "replicator", x0=[0.9, 0.1], y0=[0.9, 0.1], t_max=40, iterations=400)
    assert path.converged
    (x, y) = (s[path.nearest] for s in nash_equilibria(pd).strategies)
    assert x.tolist() == [0.0, 1.0] and y.tolist() == [0.0, 1.0]
    frame = path.to_frame()
    assert list(frame.columns) == ["step", "distance", "P1:C", "P1:D", "P2:C", "P2:D"]


def test_fictitious_play_is_reproducible_and_leaves_the_global_random_state_alone():
    game = ns.from_arrays(*SHAPLEY)
    np.random.seed(123)
    before = np.random.random()
    np.random.seed(123)
    a = ns.dynamics(game, iterations=300, seed=5)
    after = np.random.random()
    b = ns.dynamics(game, iterations=300, seed=5)
    assert before == after
    assert all(np.array_equal(x, y) for x, y in zip(a.strategies, b.strategies))
    with pytest.raises(NegosimUsageError):
        ns.dynamics(game, iterations=10**9)
