"""Figures of docs/repeated-truce.md, drawn from scenarios/ceasefire_truce_repeated.yaml, and a check.

    python docs/scripts/repeated_truce.py                 # into docs/figures/
    python docs/scripts/repeated_truce.py --out /tmp/rt   # elsewhere

Writes `repeated-payoff-set.png` (the subgame-perfect payoff sets nested over the discount factor),
`repeated-survival.png` (survival per strategy, 10,000 runs, seed 1, false alarms 0.02) and
`repeated-patience.png` (the sweep over delta). Exits 1 if the sweep's bisected boundary in delta is
not the closed form `grim_trigger_threshold(...) / rho` to 1e-8.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import negosim as ns  # noqa: E402
from negosim.bargain import grim_trigger_threshold  # noqa: E402
from negosim.present.figures.payoff_set import payoff_set_figure, survival_figure  # noqa: E402
from negosim.present.figures.sweep_plots import plot_folder  # noqa: E402

SCENARIO = ROOT / "scenarios" / "ceasefire_truce_repeated.yaml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "figures"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sc = ns.load(SCENARIO)
    payoff_set_figure(sc, out / "repeated-payoff-set.png")
    survival_figure(sc, out / "repeated-survival.png", strategies=("grim",),
                    compare=("tit_for_tat", "generous_tit_for_tat", "win_stay_lose_shift", "always_violate"),
                    runs=10_000, windows=24, seed=1, false_alarm=0.02)
    with tempfile.TemporaryDirectory() as tmp:
        res = sc.sweep({"delta": (0.3, 0.99, 70)}, out=Path(tmp) / "patience")
        (path,) = plot_folder(Path(tmp) / "patience", ("png",))
        (out / "repeated-patience.png").write_bytes(path.read_bytes())
    v = sc.values()
    X = v["p"] - v["Delta"] - v["cR"] + v["beta"] * (v["cR"] + v["cU"])
    q = v["q0"] + (1 - v["q0"]) * v["m"]
    ru = grim_trigger_threshold(v["tauR"], X, v["p"] + v["mu"] - v["cR"] - v["snap"] * v["s"], q)
    ua = grim_trigger_threshold(v["tauU"], 1 - X - v["eU"], 1 - v["p"] - v["mu"] - v["cU"], q)
    expected = max(ru, ua) / v["rho"]
    (b,) = res.boundaries
    print(f"boundary in delta: {b.value:.10f} (closed form {expected:.10f}); wrote {out}/repeated-*.png")
    return 0 if abs(b.value - expected) <= 1e-8 else 1


if __name__ == "__main__":
    raise SystemExit(main())
