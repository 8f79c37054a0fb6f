"""What a game scenario's sweep keeps out of its start-up: modules it never uses are not imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = "scenarios/ceasefire_2025.yaml"


def _modules_after(code: str) -> set[str]:
    """The names in sys.modules after running `code` in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sorted(sys.modules)))"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_a_tree_sweep_imports_no_bargaining_model_no_schema_no_solution_type_and_no_difflib(tmp_path):
    loaded = _modules_after(
        "from negosim.cli import main\n"
        f"assert main(['sweep', {SEED!r}, '--vary', 'mu=0:0.3:7', '--vary', 'p=0.2:0.8:5', '-o', "
        f"{str(tmp_path / 'o')!r}, '--quiet', '--figures', 'none']) == 0")
    unused = {"negosim.bargain", "negosim.scenario.bargainmodels", "negosim.scenario.bargainspec",
              "negosim.scenario.bargainsolve", "negosim.scenario.schema", "difflib",
              "negosim.solve.result",  # (the compiled tree program makes no Solution)
              "negosim.scenario.normalspec", "negosim.scenario.repeatedspec"}
    assert "negosim.sweep.engine" in loaded
    assert not unused & loaded


def test_a_bargaining_scenario_still_loads_checks_and_sweeps(tmp_path):
    # the modules kept out of a game's sweep are imported where a bargaining scenario needs them
    loaded = _modules_after(
        "from negosim.scenario import load_scenario\n"
        "from negosim.sweep import run_sweep\n"
        "s = load_scenario('scenarios/fearon_risk_return.yaml')\n"
        f"summary = run_sweep(s, {{'cU': (0.1, 0.5, 5)}}, out_dir={str(tmp_path / 'b')!r})\n"
        "assert set(summary.outcomes) == {'risky_offer', 'safe_offer'}, summary.outcomes")
    assert {"negosim.scenario.bargainspec", "negosim.scenario.bargainsolve"} <= loaded


def test_json_schema_is_still_a_name_of_the_scenario_package():
    import negosim.scenario as scenario

    assert "json_schema" in dir(scenario)
    assert scenario.json_schema()["title"] == "negosim scenario file, version 1"
    assert "bargaining_game" in scenario.json_schema()["$defs"]


def test_the_solve_package_still_exports_its_result_types():
    import negosim.solve as solve
    from negosim.solve import CONCEPTS, Equilibrium, Solution
    from negosim.solve.result import Solution as Defined

    assert Solution is Defined and solve.Equilibrium is Equilibrium and "spe" in CONCEPTS
    assert {"CONCEPTS", "Equilibrium", "Solution"} <= set(dir(solve))


def test_the_manifest_records_each_final_file_as_it_is_on_disk(tmp_path):
    # points.npz and summary.json are recorded from the bytes written, not read back: the record must
    # still be the file's own size and SHA-256
    import json

    from negosim.scenario import load_scenario
    from negosim.sweep import run_sweep
    from negosim.sweep.output import file_digest, finished_files

    out = tmp_path / "o"
    run_sweep(load_scenario(ROOT / SEED), {"mu": (0.0, 0.3, 40), "p": (0.2, 0.8, 5)}, out_dir=out, chunk_size=64)
    files = json.loads((out / "manifest.json").read_text())["files"]
    assert {"points.npz", "summary.json"} <= set(files)
    for name, record in files.items():
        assert record == file_digest(out / name), name
    assert finished_files(out) == files  # what a reader of the folder checks
