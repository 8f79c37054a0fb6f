"""Write a tree scenario of a chosen size (a ternary game tree in the shipped YAML format), for benchmarks.

Depth d gives (3^(d+1) - 1) / 2 nodes: 1,093 at depth 6, 9,841 at depth 8, 88,573 at depth 10.
Players A and B alternate; each leaf pays a formula of the parameter `a`, so a sweep over `a`
moves the equilibrium. Files above 1 MB exceed a scenario file's size limit: read them with
`negosim.scenario.yamlio.parse_yaml`, which does not apply it.
"""

from __future__ import annotations

HEAD = """\
negosim: 1
id: bench-tree
title: A ternary game tree for benchmarks
players:
  - id: A
    name: A
  - id: B
    name: B
parameters:
  a:
    value: 0.5
    range: [0, 1]
    description: Moves the leaves' payoffs.
game:
  form: extensive
  root: n0
  nodes:
"""


def tree_yaml(depth: int, formulas: int | None = None) -> str:
    """Return the YAML text of a ternary tree of `depth` levels of decisions (see the module docstring).

    With `formulas`, leaf j pays what leaf ``j % formulas`` pays by default, so the whole tree has
    at most that many distinct payoff pairs (a tree written with a few formulas of its parameters).
    """
    nodes: list[str] = []
    outcomes: list[str] = []
    level = ["n0"]
    for d in range(depth):
        nxt: list[str] = []
        for name in level:
            kids = [f"{name}_{i}" for i in range(3)]
            acts = ", ".join(f"m{i}: {k}" for i, k in enumerate(kids))
            nodes.append(f"    {name}:\n      player: {'AB'[d % 2]}\n      actions: {{{acts}}}\n")
            nxt.extend(kids)
        level = nxt
    for j, name in enumerate(level):
        k = j if formulas is None else j % formulas
        u = (k * 7919) % 97 / 97
        v = (k * 104729) % 89 / 89
        outcomes.append(f"    {name}: {{payoffs: {{A: {u:.4f} + a * {v:.4f}, B: {v:.4f} - a * {u:.4f}}}}}\n")
    return HEAD + "".join(nodes) + "  outcomes:\n" + "".join(outcomes)


def count_nodes(depth: int) -> int:
    """Return the number of nodes of `tree_yaml(depth)`."""
    return (3 ** (depth + 1) - 1) // 2
