"""The lean `Solution` of one small game (`result.lean`, `bimatrix_native.solve_small`) and the cheap paths to it.

The kernel's solution holds its strategies and builds every other field on first read. Each field so
built must equal, bit for bit and in type, dtype, shape and flags, the field the eager construction
(every array made at once from the same kernel output, as before the fields were lazy) gives, in any
order of reading, after pickling or `dataclasses.replace`, and in JSON; the equilibria must be those
of the Python path (``NEGOSIM_NATIVE=0``) and of an oracle (nashpy's vertex enumeration, Gambit's
rational `enummixed`). Also: `NormalFormGame.from_bimatrix`'s shortcut for labels checked before
builds the game the dataclass builds, and the ``NEGOSIM_NATIVE`` switch is read live.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.errors import GameError
from negosim.game.normal import NormalFormGame
from negosim.native import enabled
from negosim.solve import Solution, solve
from negosim.solve.bimatrix_native import kernel, solve_small
from negosim.solve.mixed import nash_equilibria
from negosim.solve.verify import TieDescriptions

FIELDS = [f.name for f in dataclasses.fields(Solution)]
SHAPES = [(2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (2, 3), (3, 2), (1, 4), (2, 7), (5, 3)]
needs_kernel = pytest.mark.skipif(kernel() is None, reason="the compiled kernel was not built")


def eager(module, game: NormalFormGame, rtol: float) -> Solution | int:
    """The solution built with every field at once from the kernel's output: `solve_small` before it was lean."""
    pay = game.payoffs
    m, n = pay.shape[1:]
    out = module.solve(pay, m, n, float(rtol))
    if type(out) is int:
        return out
    E, floats, flags, point_tol = out
    F8, B = np.dtype(np.float64), np.dtype(bool)
    em, en, e2, bm, bn = E * m * 8, E * n * 8, E * 16, E * m, E * n
    brs = (np.ndarray((E, m), B, flags, 0), np.ndarray((E, n), B, flags, bm))
    return Solution(
        concept="nash", method="vertex enumeration", game=game, batch_shape=(), point=np.zeros(E, dtype=np.int64),
        payoffs=np.ndarray((E, 2), F8, floats, em + en), regret=np.ndarray((E,), F8, floats, em + en + e2),
        tied=np.ndarray((E,), B, flags, 2 * (bm + bn) + 2 * E), complete=np.array(True),
        degenerate=np.array(False), tol=np.array(point_tol),
        strategies=(np.ndarray((E, m), F8, floats, 0), np.ndarray((E, n), F8, floats, em)), behavior=(),
        outcome_probs=np.zeros((0, 0)), notes=(),
        extra={"best_responses": brs,
               "tied_actions": (np.ndarray((E, m), B, flags, bm + bn + 2 * E),
                                np.ndarray((E, n), B, flags, 2 * bm + bn + 2 * E)),
               "tie_descriptions": TieDescriptions(game.players, game.actions, brs,
                                                   np.ndarray((E, 2), B, flags, bm + bn)),
               "player_tol": np.ndarray((E, 2), F8, floats, em + en + e2 + E * 8), "rtol": float(rtol),
               "exact_rows": np.zeros(E, dtype=bool)},
        parameters={})


def same_value(a: object, b: object, where: str) -> None:
    """Equal in type and value; arrays also in dtype, shape, bits and flags (contiguity, writeability)."""
    assert type(a) is type(b), where
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray)
        assert a.dtype == b.dtype and a.shape == b.shape, where
        assert a.tobytes() == b.tobytes(), where
        assert (a.flags.c_contiguous, a.flags.writeable) == (b.flags.c_contiguous, b.flags.writeable), where
    elif isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b), where
        for k, (u, v) in enumerate(zip(a, b)):
            same_value(u, v, f"{where}[{k}]")
    elif isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), where
        for k in a:
            same_value(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, TieDescriptions):
        assert isinstance(b, TieDescriptions)
        assert dict(a) == dict(b) and a.players == b.players and a.actions == b.actions, where
        same_value(a.best_responses, b.best_responses, f"{where}.best_responses")
        same_value(a.player_tied, b.player_tied, f"{where}.player_tied")
    elif isinstance(a, NormalFormGame):  # compared by identity; a pickled copy is another object
        for f in dataclasses.fields(NormalFormGame):
            same_value(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    else:
        assert a == b, where


def same_solution(ours: Solution, ref: Solution, order: list[str] | None = None) -> None:
    for name in order or FIELDS:
        same_value(getattr(ours, name), getattr(ref, name), name)
    assert json.dumps(ours.to_dict()) == json.dumps(ref.to_dict())
    assert [eq for eq in ours.equilibria_at(0)] == [eq for eq in ref.equilibria_at(0)]


def draw_game(kind: str, shape: tuple[int, int], seed: int) -> NormalFormGame:
    rng = np.random.default_rng(seed)
    if kind == "normal":
        A, B = rng.standard_normal((2, *shape))
    elif kind == "integer":  # ties and degenerate games (most go to the general path)
        A, B = rng.integers(-3, 4, (2, *shape)).astype(float)
    else:  # payoffs a hair from integers: margins, bands and coarse points
        A, B = rng.integers(-2, 3, (2, *shape)) + rng.standard_normal((2, *shape)) * 10.0 ** rng.integers(-15, -3)
    return NormalFormGame.from_bimatrix(A, B)


@needs_kernel
@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SHAPES), st.sampled_from(["normal", "integer", "near ties"]), st.integers(0, 2**32 - 1),
       st.permutations(FIELDS))
def test_fields_built_on_first_read_equal_the_eager_ones_in_any_order(shape, kind, seed, order):
    game = draw_game(kind, shape, seed)
    module = kernel()
    ours, ref = solve_small(module, game, 1e-9), eager(module, game, 1e-9)
    if type(ref) is int:  # left to the general path or handed back: the same code, and nothing lean to read
        assert ours == ref
        return
    assert isinstance(ours, Solution) and isinstance(ref, Solution)
    assert set(vars(ours)) == {"concept", "method", "game", "batch_shape", "strategies", "behavior", "notes",
                               "parameters", "_recipe"}  # the rest is built on first read
    same_solution(ours, ref, order)
    assert set(FIELDS) <= set(vars(ours))  # each one kept once built: the same object on the next read
    assert all(getattr(ours, name) is vars(ours)[name] for name in FIELDS)


@needs_kernel
@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SHAPES), st.sampled_from(["normal", "integer", "near ties"]), st.integers(0, 2**32 - 1))
def test_the_front_doors_give_the_python_paths_equilibria(shape, kind, seed):
    """Native (lean where the kernel answers) and NEGOSIM_NATIVE=0 (eager): the same solution, field by field."""
    game = draw_game(kind, shape, seed)
    ours = solve(game, "nash")[0]
    with pytest.MonkeyPatch.context() as m:
        m.setenv("NEGOSIM_NATIVE", "0")
        assert not enabled()
        ref = solve(game, "nash")[0]
    assert (ours.concept, ours.method, ours.notes, ours.batch_shape) == (ref.concept, ref.method, ref.notes, ())
    for name in ("point", "tied", "complete", "degenerate"):
        same_value(getattr(ours, name), getattr(ref, name), name)
    for a, b in zip(ours.strategies, ref.strategies):
        assert a.shape == b.shape and np.abs(a - b).max(initial=0) <= 1e-12
    assert np.allclose(ours.payoffs, ref.payoffs, rtol=1e-9, atol=1e-12 * float(np.abs(game.payoffs).max() or 1))
    assert dict(ours.extra["tie_descriptions"]) == dict(ref.extra["tie_descriptions"])
    assert set(ours.extra) == set(ref.extra)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([s for s in SHAPES if min(s) > 1]), st.integers(0, 2**32 - 1), st.booleans())  # qhull: 2+
def test_nondegenerate_games_match_nashpy_vertex_enumeration(shape, seed, native):
    nashpy = pytest.importorskip("nashpy")
    A, B = np.random.default_rng(seed).standard_normal((2, *shape))
    with pytest.MonkeyPatch.context() as m:
        if not native:
            m.setenv("NEGOSIM_NATIVE", "0")
        sol = nash_equilibria(NormalFormGame.from_bimatrix(A, B))
    assert bool(sol.complete) and not bool(sol.degenerate)
    ours = np.concatenate(sol.strategies, axis=1)
    theirs = [np.concatenate(eq) for eq in nashpy.Game(A, B).vertex_enumeration()]
    assert len(ours) == len(theirs)
    for row in theirs:
        assert np.abs(ours - row).max(axis=1).min() <= 1e-8


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([(2, 2), (3, 3), (2, 3), (3, 4)]), st.integers(0, 2**32 - 1), st.booleans())
def test_integer_games_match_gambit_in_rational_arithmetic(shape, seed, native):
    """Ties and degenerate games too: the extreme equilibria, as Gambit's rational enummixed lists them."""
    pygambit = pytest.importorskip("pygambit")
    A, B = np.random.default_rng(seed).integers(-3, 4, (2, *shape))
    with pytest.MonkeyPatch.context() as m:
        if not native:
            m.setenv("NEGOSIM_NATIVE", "0")
        sol = nash_equilibria(NormalFormGame.from_bimatrix(A, B))
    g = pygambit.Game.from_arrays(A, B)
    theirs = {tuple(float(eq[s]) for p in g.players for s in p.strategies)
              for eq in pygambit.nash.enummixed_solve(g, rational=True).equilibria}
    ours = np.concatenate(sol.strategies, axis=1)
    assert bool(sol.complete) and len(ours) == len(theirs)
    for row in theirs:
        assert np.abs(ours - np.array(row)).max(axis=1).min() <= 1e-9


@needs_kernel
def test_a_lean_solution_pickles_copies_and_replaces_like_an_eager_one():
    game = NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    ref = eager(kernel(), game, 1e-9)
    assert isinstance(ref, Solution)
    for reads in ([], ["strategies"], ["extra", "tol"], FIELDS):
        sol = solve(game, "nash")[0]
        for name in reads:
            getattr(sol, name)
        same_solution(pickle.loads(pickle.dumps(sol)), ref)
        same_solution(copy.deepcopy(sol), ref)
        same_solution(copy.copy(sol), ref)
        replaced = dataclasses.replace(sol, notes=("a note",))
        assert replaced.notes == ("a note",)
        same_solution(replaced, dataclasses.replace(ref, notes=("a note",)))
    sol = solve(game, "nash")[0]
    assert repr(sol) == repr(ref) and sol._repr_html_() == ref._repr_html_()
    with pytest.raises(dataclasses.FrozenInstanceError):
        sol.regret = np.zeros(3)  # type: ignore[misc]


@needs_kernel
def test_a_missing_attribute_is_still_an_attribute_error():
    sol = solve(NormalFormGame.from_bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]]), "nash")[0]
    assert not hasattr(sol, "no_such_field")
    with pytest.raises(AttributeError, match="no_such_field"):
        sol.no_such_field  # type: ignore[attr-defined]  # noqa: B018
    assert getattr(sol, "__setstate__", None) is None or callable(sol.__setstate__)


def test_from_bimatrix_shortcut_builds_the_dataclasss_game():
    A, B = np.arange(6.0).reshape(2, 3), -np.arange(6.0).reshape(2, 3)
    for players, actions in [(("P1", "P2"), None), (("Row", "Col"), (("u", "d"), ("l", "c", "r")))]:
        first = NormalFormGame.from_bimatrix(A, B, players, actions)  # checks the labels, remembers them
        second = NormalFormGame.from_bimatrix(A, B, first.players, first.actions, title="t")  # the shortcut
        ref = NormalFormGame(first.players, first.actions, np.array((A, B)), "t")
        assert type(second) is NormalFormGame
        for f in dataclasses.fields(NormalFormGame):
            a, b = getattr(second, f.name), getattr(ref, f.name)
            if isinstance(a, np.ndarray):
                assert a.dtype == b.dtype and a.shape == b.shape and (a == b).all() and a.flags.c_contiguous
            else:
                assert a == b, f.name
        with pytest.raises(dataclasses.FrozenInstanceError):
            second.title = "u"  # type: ignore[misc]
    # labels checked before, payoffs of another shape: the dataclass's check still refuses them
    with pytest.raises(GameError):
        NormalFormGame.from_bimatrix(np.zeros((2, 2)), np.zeros((2, 2)), ("Row", "Col"), (("u", "d"), ("l", "c", "r")))
    # a list of players, integer payoffs, batches: converted as before
    game = NormalFormGame.from_bimatrix([[[1, 2]], [[3, 4]]], [[0, 0]], ["a", "b"])
    assert game.players == ("a", "b") and game.payoffs.shape == (2, 2, 1, 2) and game.payoffs.dtype == float


def test_the_native_switch_is_read_live(monkeypatch):
    monkeypatch.delenv("NEGOSIM_NATIVE", raising=False)
    assert enabled()
    monkeypatch.setenv("NEGOSIM_NATIVE", "0")
    assert not enabled() and kernel() is None
    monkeypatch.setenv("NEGOSIM_NATIVE", "1")
    assert enabled()
    os.environ["NEGOSIM_NATIVE"] = "0"
    assert not enabled()
    del os.environ["NEGOSIM_NATIVE"]
    assert enabled()
    os.environ.update({"NEGOSIM_NATIVE": "0"})
    assert not enabled()
    monkeypatch.setattr(os, "environ", {"NEGOSIM_NATIVE": "1"})  # a replaced os.environ is read as a mapping
    assert enabled()
    monkeypatch.setattr(os, "environ", {"NEGOSIM_NATIVE": "0"})
    assert not enabled()


def test_a_batch_of_two_one_player_games_gets_its_maximisers():
    """A payoff array of shape (2, 1, n) is a batch of two one-player games, not one 2-player game."""
    game = NormalFormGame(("P",), (("a", "b", "c"),), [[[1.0, 2.0, 3.0]], [[3.0, 2.0, 1.0]]])
    (sol,) = solve(game, "nash")
    assert sol.method == "maximisation" and sol.counts().tolist() == [1, 1]
    assert [s.tolist() for s in sol.strategies] == [[[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]]
