"""`subgame_perfect` at one parameter point against a plain Python backward-induction loop, per node.

``python benchmarks/bench_spe.py [DEPTH ...]`` prints a row (the ratio, then both times per node) for
ternary trees of 1,093, 9,841 and 88,573 nodes (`tree_yaml.py`: depths 6, 8, 10), and without DEPTH a
last row with the cost of one call on a 5-node tree; `run_all.py` takes the same rows from `run()`.
The reference walks the same tree bottom-up with Python floats (each mover takes the first best
action, no ties, no verification, no result assembly); negosim's time includes reading the tree's
structure from its nodes (nothing is cached between calls), its verification and the full `Solution`.
Where the compiled kernel is built, the row also gives the numpy pass's time (``NEGOSIM_NATIVE=0``:
what `subgame_perfect` does without it). CPU times (`time.process_time`, the least of several runs,
negosim's and the loop's alternating), since the machine is shared.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from tree_yaml import count_nodes, tree_yaml  # noqa: E402

from negosim.game.tree import GameTree  # noqa: E402
from negosim.native import load  # noqa: E402
from negosim.scenario.build import build_game  # noqa: E402
from negosim.scenario.validate import scenario_from_document  # noqa: E402
from negosim.scenario.yamlio import parse_yaml  # noqa: E402
from negosim.solve.spe import subgame_perfect  # noqa: E402


def plain_loop(kids: list[tuple[int, ...]], player: list[int], leaf: list[list[float] | None]) -> list[float]:
    """Return the root's payoffs by backward induction over nodes listed parents before children."""
    value: list = [None] * len(kids)
    for i in range(len(kids) - 1, -1, -1):
        pay = leaf[i]
        if pay is not None:
            value[i] = pay
            continue
        p = player[i]
        best = None
        for c in kids[i]:
            v = value[c]
            if best is None or v[p] > best[p]:
                best = v
        value[i] = best
    return value[0]


def reference_inputs(tree: GameTree) -> tuple[list, list, list]:
    """Return the tree as plain lists (children, mover, leaf payoffs) at its first point, in preorder."""
    order = tree.preorder()
    position = {i: k for k, i in enumerate(order)}
    payoffs = tree.payoffs.reshape(len(tree.outcomes), tree.n_players, -1)[:, :, 0].tolist()
    kids, player, leaf = [], [], []
    for i in order:
        node = tree.nodes[i]
        kids.append(tuple(position[c] for c in node.children))
        player.append(node.player if node.player is not None else -1)
        leaf.append(payoffs[node.outcome] if node.outcome is not None and not node.children else None)
    return kids, player, leaf


def interleaved(*fns, repeat: int, native: tuple[bool, ...] = ()) -> list[float]:
    """Return the least CPU time of `repeat` calls of each function, the calls alternating (so that a
    change of load on the shared machine hits all alike); function k runs with the compiled kernels
    switched off (``NEGOSIM_NATIVE=0``, set before its clock starts) where ``native[k]`` is False."""
    best = [float("inf")] * len(fns)
    setting = os.environ.get("NEGOSIM_NATIVE")
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            if k < len(native) and not native[k]:
                os.environ["NEGOSIM_NATIVE"] = "0"
            start = time.process_time()
            fn()
            best[k] = min(best[k], time.process_time() - start)
            if setting is None:
                os.environ.pop("NEGOSIM_NATIVE", None)
            else:
                os.environ["NEGOSIM_NATIVE"] = setting
    return best


@dataclass(frozen=True)
class Row:
    """One line of `run_all.py`'s table (the fields of `bench_sweep.Row`)."""

    what: str
    measured: str
    target: str = "<= 3x the plain loop per node"
    met: str = ""


def run(quick: bool = False, depths: tuple[int, ...] | None = None) -> list[Row]:
    """Return one row per tree of the given depths (default 6, 8, 10; quick: 6, 8), the ratio first."""
    rows = []
    for depth in depths or ((6, 8) if quick else (6, 8, 10)):
        nodes = count_nodes(depth)
        tree = build_game(scenario_from_document(parse_yaml(tree_yaml(depth).encode(), "t.yaml")))
        assert isinstance(tree, GameTree) and tree.batch_size == 1
        kids, player, leaf = reference_inputs(tree)
        solution = subgame_perfect(tree)
        assert [float(x) for x in solution.payoffs[0]] == plain_loop(kids, player, leaf)
        repeat = 7 if nodes < 50_000 else 3
        fns = [lambda: subgame_perfect(tree), lambda: plain_loop(kids, player, leaf)]  # noqa: B023
        compiled = load("spe_point") is not None
        if compiled:
            fns.append(lambda: subgame_perfect(tree))  # noqa: B023  (the numpy pass: the kernel switched off)
        ours, ref, *numpy_pass = interleaved(*fns, repeat=repeat, native=(True, True, False))
        also = f"; numpy pass {numpy_pass[0] / nodes * 1e6:.2f} us/node" if compiled else "; no compiled kernel"
        rows.append(Row(f"subgame_perfect at one point, {nodes:,} nodes, against a plain loop",
                        f"{ours / ref:.1f}x ({ours / nodes * 1e6:.2f} vs {ref / nodes * 1e6:.2f} us/node, CPU{also})"))
    if depths is None:
        rows.append(fixed_cost())
    return rows


def fixed_cost(calls: int = 2000) -> Row:
    """The cost of one call on a 5-node tree (the shipped entry-deterrence scenario): what a notebook,
    `explain` or the classroom explorer pays per small game, with the kernel and with the numpy pass."""
    from negosim.api import open_source

    tree = open_source(str(Path(__file__).resolve().parent.parent / "scenarios" / "entry_deterrence.yaml")).game

    def many() -> None:
        for _ in range(calls):
            subgame_perfect(tree)

    ours, numpy_pass = interleaved(many, many, repeat=7, native=(True, False))
    also = f"; numpy pass {numpy_pass / calls * 1e6:.0f} us" if load("spe_point") is not None else ""
    return Row("subgame_perfect at one point, 5 nodes (entry_deterrence), per call",
               f"{ours / calls * 1e6:.0f} us (CPU{also})", target="fixed cost, no target of its own")


if __name__ == "__main__":
    for row in run(depths=tuple(int(d) for d in sys.argv[1:]) or None):
        print(f"{row.what} | {row.measured} | target {row.target}")
