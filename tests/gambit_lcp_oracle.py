"""Run pygambit's lcp_solve on 2-player games read from stdin, one JSON line out per game.

A child process of the tests and benchmarks, because a pygambit call can hang in compiled code
where no signal reaches it: the parent kills this process at its timeout and keeps the lines
written before. Input: a JSON list of {"A", "B"} (payoff matrices) and optionally "max_depth" and "stop_after"
(lcp_solve's depth of the search from equilibria found, None for all it can reach). Output per game:
{"equilibria": [[x..., y...], ...], "seconds": CPU seconds of the call}.
"""

import json
import sys
import time

import pygambit

for game in json.load(sys.stdin):
    g = pygambit.Game.from_arrays(game["A"], game["B"])
    started = time.process_time()
    result = pygambit.nash.lcp_solve(g, rational=False, use_strategic=True, max_depth=game.get("max_depth"),
                                     stop_after=game.get("stop_after"))
    seconds = time.process_time() - started
    rows = [[float(eq[s]) for p in g.players for s in p.strategies] for eq in result.equilibria]
    print(json.dumps({"equilibria": rows, "seconds": seconds}), flush=True)
