"""The set of subgame-perfect equilibrium payoffs of repeated 2-player games (Abreu-Sannikov) against
QuantEcon's RepeatedGame.equilibrium_payoffs, self-generation, and the grim-trigger threshold."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from negosim.bargain import grim_trigger_threshold
from negosim.bargain.payoff_set import EquilibriumPayoffSet, equilibrium_payoffs

PD = (np.array([[3.0, 0.0], [5.0, 1.0]]), np.array([[3.0, 5.0], [0.0, 1.0]]))


def _hausdorff(P: np.ndarray, Q: np.ndarray) -> float:
    d = np.abs(P[:, None] - Q[None]).max(axis=-1)
    return float(max(d.min(axis=1).max(), d.min(axis=0).max()))


def _quantecon(games: list[tuple[np.ndarray, np.ndarray, float]]) -> list[np.ndarray | None]:
    """QuantEcon's vertices for each game (None where it cannot answer), computed in a child process."""
    pytest.importorskip("quantecon")
    payload = json.dumps([{"A": A.tolist(), "B": B.tolist(), "delta": d} for A, B, d in games])
    proc = subprocess.run([sys.executable, str(Path(__file__).with_name("quantecon_oracle.py"))], input=payload,
                          capture_output=True, text=True, timeout=600)
    answers: list[np.ndarray | None] = []
    for line in proc.stdout.splitlines():
        out = json.loads(line)
        answers.append(np.array(out["vertices"]) if "vertices" in out else
                       np.zeros((0, 2)) if "empty" in out else None)
    return answers + [None] * (len(games) - len(answers))  # games after a crash of QuantEcon


PD_DELTAS = (0.3, 0.6, 0.9)
SHAPES = ((2, 2), (3, 3), (2, 4))


def _random_games(shape, count=25, seed=20250301):
    rng = np.random.default_rng([seed, *shape])
    return [(rng.normal(size=shape), rng.normal(size=shape), float(rng.uniform(0.3, 0.95))) for _ in range(count)]


@pytest.fixture(scope="module")
def quantecon_answers():
    """QuantEcon's answers for every game of this module, from ONE child process (its JIT warms up once)."""
    games = [(*PD, d) for d in PD_DELTAS] + [g for shape in SHAPES for g in _random_games(shape)]
    return dict(zip(range(len(games)), _quantecon(games)))


@pytest.mark.oracle
@pytest.mark.parametrize("k", range(len(PD_DELTAS)))
def test_the_prisoners_dilemma_payoff_set_matches_quantecon(quantecon_answers, k):
    ours = equilibrium_payoffs(*PD, PD_DELTAS[k])
    assert ours.converged
    assert _hausdorff(ours.vertices, quantecon_answers[k]) < 1e-9


@pytest.mark.oracle
@pytest.mark.parametrize("s", range(len(SHAPES)))
def test_random_stage_games_match_quantecon(quantecon_answers, s):
    games = _random_games(SHAPES[s])
    first = len(PD_DELTAS) + 25 * s
    compared = 0
    for k, (A, B, delta) in enumerate(games):
        theirs = quantecon_answers[first + k]
        if theirs is None:
            continue
        ours = equilibrium_payoffs(A, B, delta)
        assert ours.converged
        if len(theirs) == 0:
            assert len(ours.vertices) == 0
        else:
            assert _hausdorff(ours.vertices, theirs) < 1e-8
        compared += 1
    assert compared >= 3  # QuantEcon fails on sets that are a point or a segment: those are skipped


def _self_generated(V: EquilibriumPayoffSet, A, B, delta, tol=1e-8) -> bool:
    """Every vertex is (1 - delta) u(a) + delta w with w in V deterring deviations (punished by V's minima)."""
    punish = V.vertices.min(axis=0)
    for v in V.vertices:
        ok = False
        for a1, a2 in np.ndindex(A.shape):
            u = np.array([A[a1, a2], B[a1, a2]])
            ic = punish + (1 - delta) / delta * np.array([A[:, a2].max() - u[0], B[a1, :].max() - u[1]])
            w = (v - (1 - delta) * u) / delta
            ok |= bool((w >= ic - tol).all() and V.contains(w, tol))
        if not ok:
            return False
    return True


def test_the_payoff_set_generates_itself(rng):
    for _ in range(10):
        A, B, delta = rng.normal(size=(3, 3)), rng.normal(size=(3, 3)), rng.uniform(0.4, 0.9)
        V = equilibrium_payoffs(A, B, delta)
        if len(V.vertices):
            assert _self_generated(V, A, B, delta)
            assert np.allclose(V.punishment, V.vertices.min(axis=0))


def test_mutual_cooperation_is_an_equilibrium_payoff_exactly_from_the_grim_trigger_threshold():
    threshold = grim_trigger_threshold(tau=5 - 3, R=3, P=1)  # (T - R) / (T - P) = 1/2
    assert equilibrium_payoffs(*PD, threshold + 1e-6).contains((3, 3))
    assert not equilibrium_payoffs(*PD, threshold - 1e-3).contains((3, 3))


def test_without_patience_only_the_stage_equilibrium_remains():
    V = equilibrium_payoffs(*PD, 0.05)
    assert V.vertices.tolist() == [[1.0, 1.0]]


def test_bad_input_is_refused_with_a_message():
    from negosim.errors import NegosimInputError

    with pytest.raises(NegosimInputError):
        equilibrium_payoffs(*PD, 1.0)
    with pytest.raises(NegosimInputError):
        equilibrium_payoffs(PD[0], PD[1][:, :1], 0.5)
