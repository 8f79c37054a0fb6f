"""`negosim explain` of the private-cost ceasefire (a 4 x 16 degenerate subgame at every scan point).

Its "What would change the outcome" scan re-solves the subgame at 1,800 parameter values, many of
them at coarse points (payoffs equal on paper that differ in their last bits) that are enumerated in
rational arithmetic; the exact path was made faster (`exact_batch.certainly_no_vertex`, small batches
one system at a time, remembered games), and these lines, recorded before that, must not move.
"""

from __future__ import annotations

from pathlib import Path

from negosim.api import open_source
from negosim.present.explain import explain

ROOT = Path(__file__).resolve().parents[1]


def test_the_private_cost_explanation_keeps_its_equilibria_and_its_change_scan():
    text = " ".join(explain(open_source(str(ROOT / "scenarios" / "ceasefire_private_cost.yaml"))).split())
    for line in (
        "Russia mixes 0.6625 accept + 0.3375 reject at ru_cost1_offer2",
        "worth United States 0.3795, Russia 0.441. It has 18 equilibria; the first found is used.",
        "It has 18 Nash equilibria.",
        "Nash equilibria 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 and 18 are subgame perfect too",
        "so offer1 pays most (0.3795, against offer2 0.30725).",
        "No change anywhere in its declared range: p, mu, cbar, s, k, aS, g, omega and B.",
    ):
        assert line in text, line
