"""`negosim explain` of the slowest shipped scenarios: CPU seconds of the whole command, in a child process.

    python benchmarks/bench_explain.py [--quick]

The private-cost ceasefire's explanation re-solves its 4 x 16 degenerate Bayesian game at about 1,800
parameter values (the "What would change the outcome" scan); the others are the next slowest shipped
scenarios. Each command runs `repeat` times (user + sys CPU of the child, from `os.wait4`), and the
median is reported, since the machine is shared and wall time mostly measures the load. `--quick`
leaves out the private-cost scenario (about 30 s a run).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sweep import Row  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: The private-cost scenario first; then the three next slowest shipped scenarios' explanations (2026-12-03).
SCENARIOS = ("ceasefire_private_cost", "three_player", "ultimatum", "beer_quiche")
#: "A few seconds at most" for a teacher running explain live in class (issue 13, fixed costs).
TARGET_S = 3.0


def explain_cpu(scenario: str) -> float:
    """CPU seconds (user + sys) of one ``python -m negosim explain`` of a shipped scenario, in a child."""
    path = ROOT / "scenarios" / f"{scenario}.yaml"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "negosim", "explain", "--color", "never", str(path)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise RuntimeError(f"negosim explain {path} exited with {child.returncode}")
    return usage.ru_utime + usage.ru_stime


def run(quick: bool = False, repeat: int = 3) -> list[Row]:
    """Rows of the table: median CPU seconds of `negosim explain` per scenario (see the module docstring)."""
    rows = []
    for scenario in SCENARIOS[1:] if quick else SCENARIOS:
        times = [explain_cpu(scenario) for _ in range(1 if quick else repeat)]
        median = statistics.median(times)
        rows.append(Row(f"negosim explain {scenario}.yaml (CPU)", f"{median:.2f} s",
                        f"< {TARGET_S:g} s", "yes" if median < TARGET_S else "no"))
    return rows


def main() -> None:
    for row in run(quick="--quick" in sys.argv[1:]):
        print(f"{row.what}: {row.measured} (target {row.target}: {row.met})")


if __name__ == "__main__":
    main()
