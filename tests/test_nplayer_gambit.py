"""Gambit files of 3+ players: negosim writes .nfg that Gambit reads, reads them back, and `solve --concept
nash` on the file finds every equilibrium that pygambit's gnm, ipa, simpdiv, logit and enumpoly find.

gnm, ipa and simpdiv can run without end on ordinary games and cannot be interrupted in-process, so
each pygambit solver runs in a child process with a time limit; a solver that runs out of time
contributes nothing (it found nothing we could miss).
"""

from __future__ import annotations

import json
import multiprocessing as mp

import numpy as np
import pytest

from negosim.cli import main
from negosim.game import NormalFormGame
from negosim.game.generate import random_game
from negosim.io.nfg import read_nfg, write_nfg

PEERS = ("gnm", "ipa", "simpdiv", "logit", "enumpoly")
TIME_LIMIT = 30.0  # seconds per pygambit solver and game


def _peer(method: str, path: str, out) -> None:
    import pygambit

    g = pygambit.read_nfg(path)
    solver = getattr(pygambit.nash, f"{method}_solve")
    rows = [[float(eq[s]) for p in g.players for s in p.strategies] for eq in solver(g).equilibria]
    out.put(rows)


def peer_equilibria(method: str, path: str) -> list[np.ndarray]:
    """The equilibria one pygambit solver finds in the file, or [] when it runs out of time."""
    queue: mp.Queue = mp.Queue()
    proc = mp.Process(target=_peer, args=(method, path, queue))
    proc.start()
    proc.join(TIME_LIMIT)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return []
    return [np.array(r) for r in queue.get()] if not queue.empty() else []


def _ours(path: str, capsys) -> tuple[dict, list[np.ndarray]]:
    assert main(["solve", path, "--concept", "nash", "--json"]) == 0
    (nash,) = json.loads(capsys.readouterr().out)["solutions"]
    found = [np.array([v for probs in e["strategies"].values() for v in probs.values()]) for e in nash["equilibria"]]
    return nash, found


@pytest.mark.oracle
def test_solve_on_a_written_3x3x3_nfg_contains_everything_five_gambit_solvers_find(pygambit, tmp_path, capsys):
    rng = np.random.default_rng(20251203)
    checked = 0
    for k in range(3):
        game = random_game((3, 3, 3), rng=rng)
        pay = np.round(game.payoffs * 100)  # integers: the file carries them exactly
        game = NormalFormGame(("A", "B", "C"), (("a1", "a2", "a3"), ("b1", "b2", "b3"), ("c1", "c2", "c3")), pay)
        path = tmp_path / f"g{k}.nfg"
        path.write_text(write_nfg(game))
        back = read_nfg(path.read_text())
        assert back.shape == (3, 3, 3) and np.array_equal(back.payoffs.reshape(pay.shape), pay)
        assert len(pygambit.read_nfg(str(path)).players) == 3
        nash, ours = _ours(str(path), capsys)
        assert nash["complete"] is True and nash["degenerate"] is False
        assert len(ours) % 2 == 1  # a generic game has an odd number of equilibria
        theirs = [e for m in PEERS for e in peer_equilibria(m, str(path))]
        assert theirs  # logit and enumpoly always answer
        for e in theirs:
            assert min(np.abs(o - e).max() for o in ours) < 1e-4
        checked += 1
    assert checked == 3


def test_a_3_player_scenario_converts_to_nfg_and_solves_the_same_from_the_file(tmp_path, capsys):
    path = str(tmp_path / "vote.nfg")
    assert main(["convert", "scenarios/ceasefire_vote.yaml", "-o", path]) == 0
    capsys.readouterr()
    nash, from_file = _ours(path, capsys)
    assert nash["complete"] is True and len(from_file) == 3
    assert main(["solve", "scenarios/ceasefire_vote.yaml", "--concept", "nash", "--json"]) == 0
    (direct,) = json.loads(capsys.readouterr().out)["solutions"]
    assert [e["strategies"] for e in direct["equilibria"]] == [e["strategies"] for e in nash["equilibria"]]
