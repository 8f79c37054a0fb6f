"""Time all Nash equilibria of random 2-player games against pygambit, nashpy and QuantEcon, and check they agree.

    python benchmarks/bench_nash.py [--games 10000] [--games-6x6 2000] [--compare 200]
                                    [--compare-6x6 100] [--seed 0]

For each square shape 2x2, 3x3, 4x4 and 6x6 it draws N random games with standard normal payoffs
(`random_game(shape, batch=(N,), kind="float")`, nondegenerate with probability 1) and measures:

- negosim: `nash_equilibria` on ONE batched `NormalFormGame` holding all N games (vertex
  enumeration, vectorised over the batch); time per game = wall time / N, best of 3 calls;
- pygambit: `pygambit.nash.enummixed_solve(g, rational=False)` on the first M games, one call per
  game (games built with `Game.from_arrays(A, B)` beforehand; only the solve is timed); skipped
  with a note when pygambit cannot be imported;
- nashpy: `list(nashpy.Game(A, B).vertex_enumeration())` on the first M games, one call per game
  (only the enumeration is timed);
- QuantEcon: `quantecon.game_theory.vertex_enumeration` and `support_enumeration` (numba) on the
  first M games, one call per game, WARM: each is first called once on a game of the same size
  (its JIT compilation is not timed); skipped with a note when quantecon cannot be imported;
- agreement: on those M games, the equilibrium SETS are compared: the same number of equilibria
  and every equilibrium of one matched by one of the other with all probabilities within 1e-6
  (duplicates in a list, which pygambit can report, are dropped first).

All times are CPU times (`time.process_time`: on a shared machine other processes count less), in
the order negosim, pygambit, nashpy, QuantEcon per shape; the load average is printed at the end.

The 6x6 shape uses its own, smaller N and M (`--games-6x6`, `--compare-6x6`, capped at `--games`
and `--compare`): nashpy alone takes about a third of a second per 6x6 game, and the default run
should stay under two minutes on a 2-core machine. The table says which N and M each row used. Nothing is asserted:
the numbers go in the docs and the closing notes.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

SHAPES = (2, 3, 4, 6)
MATCH_TOL = 1e-6


def negosim_sets(game, n: int, repeat: int = 3):
    """(best-of-`repeat` µs per game over the whole batch,
    list of (k, n1 + n2) equilibrium arrays for the first n games)."""
    from negosim.solve.mixed import nash_equilibria

    elapsed = float("inf")
    for _ in range(repeat):  # best of `repeat`: one batch call is short enough for timer noise to show
        t = time.process_time()
        sol = nash_equilibria(game)
        elapsed = min(elapsed, time.process_time() - t)
    flat = np.concatenate(sol.strategies, axis=1)
    sets = [flat[sol.rows_at(i)] for i in range(n)]
    return elapsed / game.batch_size * 1e6, sets


def pygambit_sets(pairs):
    """(µs per game, equilibrium arrays per game) from pygambit's enummixed, or (None, None) if absent."""
    try:
        import pygambit
    except ImportError:
        return None, None
    games = [pygambit.Game.from_arrays(A, B) for A, B in pairs]
    elapsed, sets = 0.0, []
    for g in games:
        t = time.process_time()
        result = pygambit.nash.enummixed_solve(g, rational=False)
        elapsed += time.process_time() - t
        players = list(g.players)
        rows = [[float(eq[s]) for p in players for s in p.strategies] for eq in result.equilibria]
        sets.append(np.array(rows, dtype=float).reshape(len(rows), -1))
    return elapsed / len(pairs) * 1e6, sets


def nashpy_sets(pairs):
    """(µs per game, equilibrium arrays per game) from nashpy's vertex enumeration, or (None, None) if absent."""
    try:
        import nashpy
    except ImportError:
        return None, None
    elapsed, sets = 0.0, []
    for A, B in pairs:
        g = nashpy.Game(A, B)
        t = time.process_time()
        eqs = list(g.vertex_enumeration())
        elapsed += time.process_time() - t
        rows = [np.concatenate([np.asarray(x, float), np.asarray(y, float)]) for x, y in eqs]
        sets.append(np.array(rows, dtype=float).reshape(len(rows), -1))
    return elapsed / len(pairs) * 1e6, sets


def quantecon_sets(pairs, which: str):
    """(µs per game, equilibrium arrays per game) from QuantEcon's `which` ("vertex" or "support")
    enumeration, warm (one untimed call on the first game compiles it), or (None, None) if absent."""
    try:
        from quantecon import game_theory as gt
    except ImportError:
        return None, None
    solver = gt.vertex_enumeration if which == "vertex" else gt.support_enumeration
    games = [gt.NormalFormGame((gt.Player(A), gt.Player(B.T))) for A, B in pairs]
    solver(games[0])  # JIT compilation, not timed
    elapsed, sets = 0.0, []
    for g in games:
        t = time.process_time()
        eqs = solver(g)
        elapsed += time.process_time() - t
        sets.append(np.array([np.concatenate(e) for e in eqs], dtype=float).reshape(len(eqs), -1))
    return elapsed / len(pairs) * 1e6, sets


def unique_rows(rows: np.ndarray) -> np.ndarray:
    """The rows with duplicates (all entries within MATCH_TOL of an earlier row) removed."""
    kept: list[np.ndarray] = []
    for r in rows:
        if not any(np.max(np.abs(r - k)) <= MATCH_TOL for k in kept):
            kept.append(r)
    return np.array(kept).reshape(len(kept), rows.shape[1] if rows.ndim == 2 else 0)


def same_set(a: np.ndarray, b: np.ndarray) -> bool:
    """True when two equilibrium lists are the same set: equal size and a one-to-one match within MATCH_TOL."""
    a, b = unique_rows(a), unique_rows(b)
    if len(a) != len(b):
        return False
    if len(a) == 0:
        return True
    if a.shape[1] != b.shape[1]:
        return False
    close = np.max(np.abs(a[:, None, :] - b[None, :, :]), axis=2) <= MATCH_TOL
    return bool(close.any(axis=1).all() and close.any(axis=0).all())


def agreement(ours, theirs) -> str:
    """'agreeing/compared' for two lists of per-game equilibrium arrays, or 'n/a'."""
    if theirs is None:
        return "n/a"
    return f"{sum(same_set(a, b) for a, b in zip(ours, theirs))}/{len(theirs)}"


def fmt_us(x) -> str:
    if x is None:
        return "n/a"
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def fmt_ratio(num, den) -> str:
    if num is None or den is None:
        return "n/a"
    r = num / den
    return f"{r:,.0f}x" if r >= 10 else f"{r:.1f}x"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--games", type=int, default=10_000, help="games per shape solved by negosim as one batch")
    ap.add_argument("--games-6x6", type=int, default=2_000, help="games for the 6x6 shape (capped at --games)")
    ap.add_argument("--compare", type=int, default=200, help="games per shape also solved by pygambit and nashpy")
    ap.add_argument("--compare-6x6", type=int, default=100, help="compared games for 6x6 (capped at --compare)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    from negosim.game.generate import random_game

    # warm up imports and code paths so the first row is not charged for them
    from negosim.solve.mixed import nash_equilibria
    nash_equilibria(random_game((2, 2), batch=(4,), rng=args.seed))

    header = ("shape", "N", "M", "negosim µs/game", "pygambit µs/game", "nashpy µs/game", "QE vertex µs/game",
              "QE support µs/game", "vs pygambit", "vs nashpy", "vs QE vertex", "vs QE support", "agree pygambit",
              "agree nashpy", "agree QE vertex", "agree QE support")
    rows = []
    notes = []
    for k in SHAPES:
        n = min(args.games, args.games_6x6) if k == 6 else args.games
        m = min(min(args.compare, args.compare_6x6) if k == 6 else args.compare, n)
        game = random_game((k, k), batch=(n,), rng=args.seed + k, kind="float")
        pairs = [(game.payoffs[i, 0], game.payoffs[i, 1]) for i in range(m)]
        t_ours, ours = negosim_sets(game, m)
        t_gam, gam = pygambit_sets(pairs)
        t_npy, npy = nashpy_sets(pairs)
        t_qv, qv = quantecon_sets(pairs, "vertex")
        t_qs, qs = quantecon_sets(pairs, "support")
        rows.append((f"{k}x{k}", f"{n:,}", f"{m:,}", fmt_us(t_ours), fmt_us(t_gam), fmt_us(t_npy), fmt_us(t_qv),
                     fmt_us(t_qs), fmt_ratio(t_gam, t_ours), fmt_ratio(t_npy, t_ours), fmt_ratio(t_qv, t_ours),
                     fmt_ratio(t_qs, t_ours), agreement(ours, gam), agreement(ours, npy), agreement(ours, qv),
                     agreement(ours, qs)))
        print(f"  done {k}x{k}", flush=True)
    if rows and rows[0][4] == "n/a":
        notes.append("pygambit is not importable: its columns are skipped")
    if rows and rows[0][5] == "n/a":
        notes.append("nashpy is not importable: its columns are skipped")
    if rows and rows[0][6] == "n/a":
        notes.append("quantecon is not importable: its columns are skipped")

    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.rjust(w) for c, w in zip(cells, widths))  # noqa: E731
    print()
    print(line(header))
    print(line(["-" * w for w in widths]))
    for r in rows:
        print(line(r))
    print()
    print("N = games solved by negosim as one batch (time per game = best of 3 batch times / N).")
    print("M = the first M of them also solved one game per call by pygambit (enummixed_solve, floats)")
    print("    nashpy (vertex_enumeration) and QuantEcon (vertex_enumeration, support_enumeration, warm);")
    print("    vs = their time per game / negosim's. All times are CPU times (time.process_time).")
    print(f"agree = games whose equilibrium sets match (same count, probabilities within {MATCH_TOL:g}).")
    print(f"Random standard-normal payoffs, seed {args.seed}.")
    import os

    print("load average at the end (1, 5, 15 min): " + ", ".join(f"{v:.2f}" for v in os.getloadavg()))
    for note in notes:
        print(f"note: {note}")


if __name__ == "__main__":
    main()
