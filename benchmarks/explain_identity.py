"""Whether `negosim explain` says exactly the same for every shipped scenario in two source trees.

    python benchmarks/explain_identity.py OTHER_TREE [--save DIR]

Runs ``python -m negosim explain --color never scenarios/NAME.yaml`` for every scenario in this tree's
``scenarios/`` with this tree and with OTHER_TREE on ``PYTHONPATH`` (each from a neutral directory, the
scenario file of this tree), and compares stdout, stderr and the exit code byte for byte. Prints one line
per scenario and exits 1 if any differs. With ``--save DIR`` the outputs are kept there
(``NAME.{mine,other}.{out,err,rc}``). A speed-up of the explanation's solvers (issue 13, fixed costs) must
leave every line the same; this is its check.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def explain_output(tree: Path, scenario: Path) -> tuple[bytes, bytes, int]:
    """(stdout, stderr, exit code) of ``negosim explain`` of `scenario` run with the package of `tree`."""
    with tempfile.TemporaryDirectory() as neutral:
        done = subprocess.run([sys.executable, "-m", "negosim", "explain", "--color", "never", str(scenario)],
                              capture_output=True, cwd=neutral, env={**os.environ, "PYTHONPATH": str(tree)})
    return done.stdout, done.stderr, done.returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    other = Path(argv[0]).resolve()
    save = Path(argv[argv.index("--save") + 1]) if "--save" in argv else None
    if save:
        save.mkdir(parents=True, exist_ok=True)
    differ = 0
    for scenario in sorted((ROOT / "scenarios").glob("*.yaml")):
        mine, theirs = explain_output(ROOT, scenario), explain_output(other, scenario)
        same = mine == theirs
        differ += not same
        print(f"{scenario.stem}: {'same' if same else 'DIFFERENT'} (exit {mine[2]}, {len(mine[0])} bytes out, "
              f"{len(mine[1])} bytes err)", flush=True)
        if save:
            for tag, got in (("mine", mine), ("other", theirs)):
                (save / f"{scenario.stem}.{tag}.out").write_bytes(got[0])
                (save / f"{scenario.stem}.{tag}.err").write_bytes(got[1])
                (save / f"{scenario.stem}.{tag}.rc").write_text(f"{got[2]}\n")
    print(f"{differ} of {len(list((ROOT / 'scenarios').glob('*.yaml')))} scenarios differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
