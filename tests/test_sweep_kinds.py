"""`negosim sweep` of a signalling game: the kind of its perfect Bayesian equilibria as data (issue 9, item 7).

The oracles are closed forms: Lacy and Niou's uncertain sanctions sender is semi-separating (the irresolute
sender bluffs with probability pi*(d - kT)/((1 - pi)*kT) < 1) below pi = kT/d and pooling above; beer-quiche
is pooling where the prior of a strong sender pS exceeds 1/2 (the receiver then never duels on the pooling
message) and has no pooling equilibrium below (a semi-separating one instead).
"""

from __future__ import annotations

import json

import matplotlib
import numpy as np
import pytest
from sweep_helpers import read_rows, table_csv

from negosim.cli import main
from negosim.scenario import load_scenario
from negosim.sweep.engine import run_sweep

matplotlib.use("Agg")

SANCTIONS = "scenarios/sanctions_uncertain.yaml"


def _kinds(folder, parameter: str) -> dict[float, set[str]]:
    """Each value of `parameter` in the result table and the pbe_kind of its rows."""
    out: dict[float, set[str]] = {}
    for row in read_rows(folder):
        out.setdefault(float(row[parameter]), set()).add(row["pbe_kind"])
    return out


@pytest.mark.parametrize("seed", range(2))
def test_sanctions_sweep_over_the_prior_records_kinds_and_locates_the_change_at_kT_over_d(tmp_path, seed):
    rng = np.random.default_rng(seed)
    d = float(rng.uniform(0.4, 0.9))
    kT = float(rng.uniform(0.15, 0.8 * d))
    summary = run_sweep(load_scenario(SANCTIONS), {"pi": (0.02, 0.98, 25)}, overrides={"d": d, "kT": kT},
                        out_dir=tmp_path)
    edge = kT / d
    by_pi = _kinds(tmp_path, "pi")
    assert len(by_pi) == 25
    for pi, kinds in by_pi.items():
        if abs(pi - edge) > 1e-4:
            assert kinds == {"semi-separating" if pi < edge else "pooling"}, pi
    data = json.loads((tmp_path / "summary.json").read_text())
    below = sum(pi < edge for pi in by_pi)
    assert data["kinds"] == {"semi-separating": below, "pooling": 25 - below}
    (b,) = data["kind_boundaries"]
    assert (b["parameter"], b["below"], b["above"]) == ("pi", "semi-separating", "pooling")
    # a bluff probability within the search's tolerance (about 1e-5) of 1 is classified pure
    assert b["value"] == pytest.approx(edge, abs=1e-4)
    assert summary.kind_boundaries == data["kind_boundaries"] and summary.kinds == data["kinds"]


def test_beer_quiche_sweep_is_pooling_above_one_half_and_semi_separating_below(tmp_path, capsys):
    code = main(["sweep", "scenarios/beer_quiche.yaml", "--vary", "pS=0.05:0.95:10", "-o", str(tmp_path),
                 "--quiet"])
    assert code == 0
    printed = capsys.readouterr().out
    for pS, kinds in _kinds(tmp_path, "pS").items():
        assert kinds == {"pooling" if pS > 0.5 else "semi-separating"}, pS
    (b,) = json.loads((tmp_path / "summary.json").read_text())["kind_boundaries"]
    assert b["value"] == pytest.approx(0.5, abs=1e-4)
    assert "kind boundary: pS = 0.49999" in printed and "semi-separating below, pooling above" in printed
    # the figure marks the change and names each stretch's kind
    from negosim.present.figures.kinds_overlay import KIND_GID
    from negosim.present.figures.sweep_plots import sweep_figures

    ((_, fig),) = sweep_figures(tmp_path)
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts if (t.get_gid() or "").startswith(KIND_GID)) == [
        "kind: pooling", "kind: semi-separating"]
    (line,) = [x for x in ax.lines if (x.get_gid() or "").startswith(KIND_GID)]
    assert line.get_xdata()[0] == pytest.approx(b["value"])


def test_a_two_parameter_map_of_a_signalling_game_draws_where_the_kind_changes(tmp_path):
    run_sweep(load_scenario(SANCTIONS), {"pi": (0.1, 0.9, 5), "kT": (0.1, 0.5, 3)}, out_dir=tmp_path)
    data = json.loads((tmp_path / "summary.json").read_text())
    assert "kind_boundaries" not in data and sum(data["kinds"].values()) == 15
    from negosim.present.figures.kinds_overlay import KIND_GID
    from negosim.present.figures.sweep_plots import sweep_figures

    ((_, fig),) = sweep_figures(tmp_path)
    texts = {t.get_text() for t in fig.axes[0].texts if (t.get_gid() or "").startswith(KIND_GID)}
    assert texts == {f"kind: {k}" for k in data["kinds"]}
    assert [c for c in fig.axes[0].collections if (c.get_gid() or "").startswith(KIND_GID)]


def test_a_sweep_of_a_game_that_is_not_a_signalling_game_has_no_kind_column(tmp_path):
    run_sweep(load_scenario("scenarios/ceasefire_2025.yaml"), {"mu": (0.0, 0.3, 7)}, out_dir=tmp_path)
    header = table_csv(tmp_path).decode().splitlines()[0]
    assert "pbe_kind" not in header
    assert "kinds" not in json.loads((tmp_path / "summary.json").read_text())
