"""Run every experiment: regenerate the docs' sweep and sensitivity figures and tables and check
them against the closed forms.

    python experiments/run_all.py [--out DIR] [--quick] [--docs | --check]

Each experiment writes to DIR/<name>/ (default experiments/out/<name>/); `--docs` also copies its
figures and tables to docs/figures/, and `--check` exits 1 if those copies are out of date. Exits 1
if any experiment found a result that disagrees with its closed forms (or, with --check, a stale
copy), after running them all.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # imported by path (the tests): the helpers sit beside this file
    sys.path.insert(0, str(HERE))

from _common import OUT, arguments  # noqa: E402

#: The experiments, in the order the docs present them.
EXPERIMENTS = ("leverage_sweep", "momentum_sanctions_map", "aid_freeze_credibility", "sanctions_audience_cost",
               "sensitivity_ranking")


def load(name: str):
    """The experiment script `name` (experiments/<name>.py) as a module.

    The scripts import their helpers (`_common`, `_ceasefire`) as top-level modules, from their own
    folder: Python puts it on sys.path when it runs ``python experiments/<name>.py``, and so does this
    module when it is imported."""
    spec = importlib.util.spec_from_file_location(f"negosim_experiment_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv=None) -> int:
    """Run every experiment with the command line `argv` (see the module docstring); return the exit code."""
    args = arguments(__doc__, OUT, argv, out_help="parent folder of the experiments' outputs")
    started = time.perf_counter()
    failed = []
    for name in EXPERIMENTS:
        argv_one = ["--out", str(args.out / name)] + [flag for flag, on in (
            ("--quick", args.quick), ("--docs", args.docs), ("--check", args.check)) if on]
        if load(name).main(argv_one):
            failed.append(name)
    print(f"{len(EXPERIMENTS) - len(failed)} of {len(EXPERIMENTS)} experiments ok in "
          f"{time.perf_counter() - started:.1f} s" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
