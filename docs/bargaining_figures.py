"""Draw the figures of docs/bargaining.md and docs/war-and-commitment.md from the shipped bargaining scenarios.

    python docs/bargaining_figures.py          # writes docs/figures/bargaining-*.png

Each figure is the one ``negosim sweep SCENARIO --sweep NAME`` draws: the scenario's named sweep
run into a temporary folder, its figure copied here under a stable name.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIGURES = {  # file name in docs/figures -> (scenario, named sweep)
    "bargaining-rubinstein-war.png": ("rubinstein_war", "leverage"),
    "bargaining-nash-war.png": ("nash_bargaining_war", "power"),
    "war-fearon-risk-return.png": ("fearon_risk_return", "cost_uncertainty"),
    "war-powell-commitment.png": ("powell_commitment", "shift"),
    "war-ceasefire-private-cost.png": ("ceasefire_bargaining", "truce_value"),
}


def main() -> None:
    from negosim.present.figures.sweep_plots import plot_folder
    from negosim.scenario import load_scenario
    from negosim.sweep.engine import run_sweep

    out = ROOT / "docs" / "figures"
    for name, (stem, sweep) in FIGURES.items():
        scenario = load_scenario(str(ROOT / "scenarios" / f"{stem}.yaml"))
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "sweep"
            run_sweep(scenario, dict(scenario.sweeps[sweep].vary), out_dir=folder)
            (png,) = plot_folder(folder, ("png",))
            shutil.copyfile(png, out / name)
        print(f"wrote docs/figures/{name}")


if __name__ == "__main__":
    main()
