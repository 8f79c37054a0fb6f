"""Run QuantEcon's RepeatedGame.equilibrium_payoffs on games read from stdin, one JSON line out per game.

A child process of the tests, because QuantEcon's compiled Abreu-Sannikov code can write past its
buffers on some games and crash the whole process ("double free or corruption"): the parent reads
the lines written before a crash and skips the rest. Input: a JSON list of {"A", "B", "delta"}.
Output per game: {"vertices": [[x, y], ...]}, {"degenerate": true} (QuantEcon's hull fails on a
point or a segment) or {"empty": true} (its word for "no pure-action subgame-perfect equilibrium").
"""

import json
import sys

import numpy as np
import quantecon.game_theory as gt
from scipy.spatial import QhullError

for game in json.load(sys.stdin):
    A, B = np.array(game["A"]), np.array(game["B"])
    try:
        hull = gt.RepeatedGame(gt.NormalFormGame(np.stack([A, B], axis=-1)), game["delta"]).equilibrium_payoffs(
            options={"max_iter": 10_000})
        out = {"vertices": hull.points[hull.vertices].tolist()}
    except QhullError:
        out = {"degenerate": True}
    except ValueError:
        out = {"empty": True}
    print(json.dumps(out), flush=True)
