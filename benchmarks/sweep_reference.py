"""Two hand-written solvers of the seed scenario's tree, the yardsticks of the sweep benchmark.

    python benchmarks/sweep_reference.py vectorised --n 1000 -o DIR   # numpy, writes the results
    python benchmarks/sweep_reference.py loop --n 1000                # plain Python, no output

Both solve the tree of ``scenarios/ceasefire_2025.yaml`` with its formulas written out by hand (the
baseline values below are checked against the scenario by `check_baseline`), on the p-by-mu grid of
``negosim sweep --vary p=0.2:0.8:N --vary mu=0:0.3:N`` (p slowest), by backward induction with the
scenario's tie rule (prefer accept, impose, freeze) and negosim's tie tolerance (1e-9 times the
point's payoff range over the six outcomes, `negosim.solve.tolerance.scaled_tol`).

- `vectorised`: one numpy pass per chunk of 100,000 points, no verification, then the same result
  table as negosim's default (point, p, mu, concept, outcome, payoff per player, tied): typed columns
  in one Parquet file ``results.parquet``, a row group per chunk, the outcome and concept columns
  dictionary-encoded from their integer codes, with negosim's compression settings (zstd level 1,
  float columns split by byte), so the benchmark can check that both hold the same values; and every
  point's outcome code (``points.npz``: names, codes). With `--csv`, ``results.csv`` in negosim's text
  instead (shortest round-trip decimals: comparable byte for byte with ``negosim sweep --format csv``).
  What a competent numpy programmer writes for this one tree; it knows nothing about other trees.
- `loop`: one point at a time in plain Python floats (dicts and comparisons), counting outcomes and
  ties, writing nothing: the baseline the issue's "10x the plain loop" refers to.

Each prints one JSON line (points, seconds, outcome counts, tied points) on stdout.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path

import numpy as np

P_RANGE = (0.2, 0.8)
MU_RANGE = (0.0, 0.3)
CHUNK = 100_000
RTOL = 1e-9
#: The seed scenario's baseline values of every parameter but p and mu (checked by `check_baseline`).
BASE = {"theta": 0.10, "Delta": 0.08, "cR": 0.10, "cU": 0.15, "beta": 0.5, "s": 0.06, "k": 0.03, "aS": 0.05,
        "g": 0.06, "aF": 0.02, "omega": 0.5, "B": 0.10, "h": 0.05, "eU": 0.10}
OUTCOMES = ("truce_aid", "truce_frozen", "war_frozen", "war_aid_continued", "war_sanctions", "war_no_sanctions")
PLAYERS = ("US", "UA", "RU")
HEADER = "point,p,mu,concept,outcome,payoff_US,payoff_UA,payoff_RU,tied\n"


def check_baseline(scenario) -> list[str]:
    """Return what differs between `BASE` and the scenario's baseline values (empty when they agree)."""
    values = scenario.values()
    return [f"{k}: {v} here, {values[k]} in the scenario" for k, v in BASE.items() if values[k] != v]


def grid(n: int, start: int = 0, stop: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Flat p and mu of points ``[start, stop)`` of the n-by-n grid, p varying slowest."""
    stop = n * n if stop is None else stop
    idx = np.arange(start, stop)
    return np.linspace(*P_RANGE, n)[idx // n], np.linspace(*MU_RANGE, n)[idx % n]


# --- numpy --------------------------------------------------------------------------------------
def outcome_payoffs(p: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """(6 outcomes, 3 players (US, UA, RU), N) payoffs, the scenario's formulas in its operation order."""
    v = BASE
    theta, Delta, cR, cU, beta, s = v["theta"], v["Delta"], v["cR"], v["cU"], v["beta"], v["s"]
    k, aS, g, aF, omega, B, h, eU = v["k"], v["aS"], v["g"], v["aF"], v["omega"], v["B"], v["h"], v["eU"]
    x_aid = np.clip(p - Delta - cR + beta * (cR + cU), 0, 1)
    x_frozen = np.clip(p - cR + beta * (cR + cU), 0, 1)
    w_war = np.clip(p + mu, 0, 1)
    w_frozen = np.clip(p + mu + theta, 0, 1)
    war_ua, war_ru = 1 - w_war - cU, w_war - cR
    us_war = omega * (1 - w_war) - g
    return np.stack([
        np.stack([B + omega * (1 - x_aid), 1 - x_aid - eU, x_aid]),
        np.stack([B + omega * (1 - x_frozen) - h, 1 - x_frozen - eU, x_frozen]),
        np.stack([omega * (1 - w_frozen), 1 - w_frozen - cU, w_frozen - cR]),
        np.stack([us_war - aF, war_ua, war_ru]),
        np.stack([us_war - k, war_ua, war_ru - s]),
        np.stack([us_war - aS, war_ua, war_ru]),
    ])


def _decide(player: int, kids: list[tuple[np.ndarray, np.ndarray]], tol: np.ndarray):
    """Backward induction at one node: kids are (outcome code, payoffs (3, N)) in the tie rule's order
    (the first wins a tie). Returns the node's (code, payoffs) and whether two actions tie there."""
    mover = [pay[player] for _, pay in kids]
    best = mover[0]
    for m in mover[1:]:
        best = np.maximum(best, m)
    floor = best - tol
    at_best = [m >= floor for m in mover]
    tied = np.sum(at_best, axis=0) > 1
    code, pay = kids[-1]
    for (c, q), b in zip(reversed(kids[:-1]), reversed(at_best[:-1])):
        code, pay = np.where(b, c, code), np.where(b, q, pay)
    return (code, pay), tied


def solve(p: np.ndarray, mu: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (outcome code (N,), payoffs (N, 3), tied (N,)) of the subgame-perfect equilibrium."""
    pay = outcome_payoffs(p, mu)
    flat = pay.reshape(-1, len(p))
    tol = RTOL * np.maximum(flat.max(axis=0) - flat.min(axis=0), 1e-12)
    leaf = [(np.int8(i), pay[i]) for i in range(len(OUTCOMES))]
    US, UA, RU = 0, 1, 2
    # Children in the order prefer [accept, impose, freeze] then the scenario's order breaks ties.
    sanction, t1 = _decide(US, [leaf[4], leaf[5]], tol)            # impose, hold
    ru_final, t2 = _decide(RU, [leaf[0], sanction], tol)           # accept, reject
    counter, t3 = _decide(US, [leaf[1], ru_final], tol)            # grant, refuse
    ru, t4 = _decide(RU, [leaf[0], sanction, counter], tol)        # accept, reject, counter
    us_aid, t5 = _decide(US, [leaf[2], leaf[3]], tol)              # freeze, continue
    root, t6 = _decide(UA, [ru, us_aid], tol)                      # accept, reject
    code, value = root
    tied = t1 | t2 | t3 | t4 | t5 | t6  # us_sanction_final repeats us_sanction's comparison
    return np.broadcast_to(code, p.shape).astype(np.int8), np.ascontiguousarray(value.T), tied


def _fmt(values: np.ndarray) -> list[str]:
    uniq, inverse = np.unique(values, return_inverse=True)
    words = uniq.astype(str).tolist()
    return [words[i] for i in inverse.tolist()]


def csv_rows(start: int, p, mu, code, pay, tied) -> str:
    """The rows of results.csv for these points, in negosim's text."""
    names = np.array(OUTCOMES, dtype=object)[code].tolist()
    cols = [map(str, range(start, start + len(p))), _fmt(p), _fmt(mu), ["spe"] * len(p), names,
            _fmt(pay[:, 0]), _fmt(pay[:, 1]), _fmt(pay[:, 2]), np.where(tied, "true", "false").tolist()]
    return "\n".join(map(",".join, zip(*cols))) + "\n"


def _array(values: np.ndarray):
    """A numpy column as a pyarrow array, from its buffer (pyarrow.array would import pandas, 0.5 s)."""
    import pyarrow as pa

    if values.dtype == bool:
        bits = np.packbits(values, bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])
    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(pa.from_numpy_dtype(values.dtype), len(values), [None, pa.py_buffer(values)])


def _labels(texts: tuple[str, ...], codes: np.ndarray):
    """A dictionary-encoded string column: `codes` (int8) into `texts`."""
    import pyarrow as pa

    encoded = [t.encode() for t in texts]
    offsets = np.cumsum([0] + [len(e) for e in encoded]).astype(np.int32)
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    words = pa.Array.from_buffers(pa.string(), len(texts), buffers)
    return pa.DictionaryArray.from_arrays(_array(codes.astype(np.int8)), words)


def parquet_rows(start: int, p, mu, code, pay, tied):
    """The rows of the result table for these points, as a pyarrow Table with negosim's columns and types."""
    import pyarrow as pa

    arrays = [_array(np.arange(start, start + len(p), dtype=np.int64)), _array(p), _array(mu),
              _labels(("spe",), np.zeros(len(p), dtype=np.int8)), _labels(OUTCOMES, code),
              _array(pay[:, 0]), _array(pay[:, 1]), _array(pay[:, 2]), _array(tied)]
    return pa.Table.from_arrays(arrays, names=HEADER.strip().split(","))


def run_vectorised(n: int, out: Path, csv: bool = False) -> dict:
    """Solve the grid in chunks, write ``results.parquet`` (or ``results.csv``) and ``points.npz`` into
    `out`; return counts."""
    out.mkdir(parents=True, exist_ok=True)
    total = n * n
    codes = np.empty(total, dtype=np.int8)
    tied_points = 0
    if csv:
        fh = open(out / "results.csv", "w")
        fh.write(HEADER)
    else:
        import pyarrow.parquet as pq

        writer = None
    for lo in range(0, total, CHUNK):
        hi = min(total, lo + CHUNK)
        p, mu = grid(n, lo, hi)
        code, pay, tied = solve(p, mu)
        codes[lo:hi] = code
        tied_points += int(tied.sum())
        if csv:
            fh.write(csv_rows(lo, p, mu, code, pay, tied))
            continue
        table = parquet_rows(lo, p, mu, code, pay, tied)
        if writer is None:
            writer = pq.ParquetWriter(out / "results.parquet", table.schema, compression="zstd", compression_level=1,
                                      use_dictionary=["concept", "outcome"],
                                      use_byte_stream_split=["p", "mu", "payoff_US", "payoff_UA", "payoff_RU"])
        writer.write_table(table)
    if csv:
        fh.close()
    elif writer is not None:
        writer.close()
    used = np.unique(codes)
    names = np.array(OUTCOMES)[used]
    buffer = io.BytesIO()
    np.savez(buffer, names=names, codes=np.searchsorted(used, codes).astype(np.uint8))  # as negosim: a byte a point
    (out / "points.npz").write_bytes(buffer.getvalue())
    counts = np.bincount(codes, minlength=len(OUTCOMES))
    return {"outcomes": {OUTCOMES[i]: int(c) for i, c in enumerate(counts) if c}, "tied": tied_points}


# --- plain Python -------------------------------------------------------------------------------
def run_loop(n: int, limit: int | None = None) -> dict:
    """Solve the grid's first `limit` points (all by default) one at a time in Python floats; return counts."""
    v = BASE
    theta, Delta, cR, cU, beta, s = v["theta"], v["Delta"], v["cR"], v["cU"], v["beta"], v["s"]
    k, aS, g, aF, omega, B, h, eU = v["k"], v["aS"], v["g"], v["aF"], v["omega"], v["B"], v["h"], v["eU"]
    ps = np.linspace(*P_RANGE, n).tolist()
    mus = np.linspace(*MU_RANGE, n).tolist()
    # children in tie-rule order (the first wins a tie): (player, [child, ...]); a child is a node or an outcome
    tree = {"us_sanction": (0, ["war_sanctions", "war_no_sanctions"]), "ru_final": (2, ["truce_aid", "us_sanction"]),
            "us_counter": (0, ["truce_frozen", "ru_final"]), "ru": (2, ["truce_aid", "us_sanction", "us_counter"]),
            "us_aid": (0, ["war_frozen", "war_aid_continued"]), "ua": (1, ["ru", "us_aid"])}
    order = ["us_sanction", "ru_final", "us_counter", "ru", "us_aid", "ua"]
    counts: dict[str, int] = {}
    tied_points = 0
    total = n * n if limit is None else min(limit, n * n)
    for point in range(total):
        p, mu = ps[point // n], mus[point % n]
        x_aid = min(max(p - Delta - cR + beta * (cR + cU), 0), 1)
        x_frozen = min(max(p - cR + beta * (cR + cU), 0), 1)
        w_war = min(max(p + mu, 0), 1)
        w_frozen = min(max(p + mu + theta, 0), 1)
        us_war = omega * (1 - w_war) - g
        value = {"truce_aid": (B + omega * (1 - x_aid), 1 - x_aid - eU, x_aid),
                 "truce_frozen": (B + omega * (1 - x_frozen) - h, 1 - x_frozen - eU, x_frozen),
                 "war_frozen": (omega * (1 - w_frozen), 1 - w_frozen - cU, w_frozen - cR),
                 "war_aid_continued": (us_war - aF, 1 - w_war - cU, w_war - cR),
                 "war_sanctions": (us_war - k, 1 - w_war - cU, w_war - cR - s),
                 "war_no_sanctions": (us_war - aS, 1 - w_war - cU, w_war - cR)}
        reached = {o: o for o in value}
        every = [x for pay in value.values() for x in pay]
        tol = RTOL * max(max(every) - min(every), 1e-12)
        tied = False
        for node in order:
            player, kids = tree[node]
            best = max(value[c][player] for c in kids)
            at_best = [c for c in kids if value[c][player] >= best - tol]
            tied = tied or len(at_best) > 1
            value[node], reached[node] = value[at_best[0]], reached[at_best[0]]
        counts[reached["ua"]] = counts.get(reached["ua"], 0) + 1
        tied_points += tied
    return {"outcomes": dict(sorted(counts.items())), "tied": tied_points}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=["vectorised", "loop"])
    ap.add_argument("--n", type=int, default=1000, help="grid side: n x n points of p by mu")
    ap.add_argument("--limit", type=int, default=None, help="loop: solve only the first LIMIT points")
    ap.add_argument("-o", "--out", type=Path, help="vectorised: the folder to write")
    ap.add_argument("--csv", action="store_true", help="vectorised: write results.csv instead of results.parquet")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    if args.kind == "vectorised":
        if args.out is None:
            ap.error("vectorised needs -o DIR")
        found = run_vectorised(args.n, args.out, args.csv)
        points = args.n * args.n
    else:
        found = run_loop(args.n, args.limit)
        points = args.n * args.n if args.limit is None else min(args.limit, args.n * args.n)
    json.dump({"points": points, "seconds": time.perf_counter() - started, **found}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
