"""The default result table is Parquet: the same values as the CSV negosim wrote before it, a part file
per chunk written once in place, resumable, verified by every reader; CSV stays an option and an export.

tests/data/sweep_csv_v1/ holds what negosim wrote before Parquet became the default (commit d1906e1):
the ``results.csv`` of several sweeps (trees, normal forms with mixed rows, a bargaining model, a
signalling game's kinds, added concept columns, a random design, a 3-player game) and one whole folder.
"""

from __future__ import annotations

import csv
import io
import math
import shutil
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from sweep_helpers import table_csv

from negosim.cli import main
from negosim.scenario import load_scenario
from negosim.sweep.engine import run_sweep
from negosim.sweep.export import export_csv
from negosim.sweep.identity import DamagedFolderError
from negosim.sweep.output import read_columns

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "sweep_csv_v1"
SEED = str(ROOT / "scenarios" / "ceasefire_2025.yaml")

#: name -> (command-line arguments of the sweep that wrote DATA/<name>.csv before Parquet was the default)
CASES = {
    "seed": ["scenarios/ceasefire_2025.yaml", "--vary", "mu=0:0.3:23", "--vary", "s=0:0.3:17", "--chunk-size", "100"],
    "chicken": ["scenarios/chicken.yaml", "--vary", "C=2:20:10"],
    "powell": ["scenarios/powell_commitment.yaml", "--sweep", "power_now"],
    "kinds": ["scenarios/sanctions_uncertain.yaml", "--vary", "pi=0:1:21"],
    "qrece": ["scenarios/aumann_chicken.yaml", "--vary", "K=-4:1:6", "--concept", "qre", "--concept", "ce",
              "--lambda", "1", "--lambda", "2.5"],
    "lhs": ["scenarios/ceasefire_2025.yaml", "--design", "lhs", "--samples", "50", "--seed", "7", "--vary", "mu=0:0.3",
            "--vary", "p=0.2:0.8"],
    "three": ["scenarios/three_player.yaml", "--vary", "cost=0:2:9"],
}


def sweep(name: str, out: Path, *extra: str) -> Path:
    args = [str(ROOT / a) if a.startswith("scenarios/") else a for a in CASES[name]]
    assert main(["sweep", *args, "-o", str(out), "--figures", "none", "--quiet", *extra]) == 0
    return out


def same_value(a, b) -> bool:
    return (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize("name", list(CASES))
def test_parquet_holds_exactly_the_values_negosim_wrote_as_csv_before(name, tmp_path):
    out = sweep(name, tmp_path / name)
    golden = (DATA / f"{name}.csv").read_text()
    rows = list(csv.DictReader(io.StringIO(golden)))
    table = pq.read_table(out / "results.parquet")
    assert table.column_names == list(rows[0])
    assert table.num_rows == len(rows)
    for column in table.column_names:
        got = table.column(column).to_pylist()
        if column == "point":
            want: list = [int(r[column]) for r in rows]
        elif column == "tied":
            want = [r[column] == "true" for r in rows]
        elif column in ("concept", "outcome", "pbe_kind"):
            want = [r[column] for r in rows]
            assert str(table.schema.field(column).type).startswith("dictionary<values=string")  # codes, labels once
        else:  # every float is the very one whose shortest decimal the CSV holds
            want = [float(r[column]) for r in rows]
        assert all(same_value(g, w) for g, w in zip(got, want)), column


@pytest.mark.parametrize("name", ["seed", "chicken", "kinds", "qrece", "three"])
def test_export_and_the_csv_option_write_byte_for_byte_the_csv_of_before(name, tmp_path):
    golden = (DATA / f"{name}.csv").read_bytes()
    out = sweep(name, tmp_path / "pq")
    assert main(["export", str(out), "-o", str(tmp_path / "export.csv")]) == 0
    assert (tmp_path / "export.csv").read_bytes() == golden
    assert (sweep(name, tmp_path / "csv", "--format", "csv") / "results.csv").read_bytes() == golden


def test_a_parquet_folder_holds_the_results_once_and_a_part_per_chunk(tmp_path):
    out = sweep("seed", tmp_path / "o")  # 391 points in chunks of 100
    parts = sorted(p.name for p in (out / "results.parquet").iterdir())
    assert parts == [f"part-{i:05d}.parquet" for i in range(4)]
    assert not list(out.rglob("*.csv"))  # no second copy: no chunk CSV, no results.csv
    import json

    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(manifest["files"]) == ["points.npz", *(f"results.parquet/{p}" for p in parts), "summary.json"]
    assert sum(pq.read_metadata(out / "results.parquet" / p).num_rows for p in parts) == 391


def test_results_do_not_depend_on_the_chunk_size_or_the_executor(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    vary = {"mu": (0.0, 0.3, 31), "s": (0.0, 0.3, 5)}
    scenario = load_scenario(SEED)
    run_sweep(scenario, vary, out_dir=tmp_path / "a", chunk_size=7)
    with ThreadPoolExecutor(2) as ex:
        run_sweep(scenario, vary, out_dir=tmp_path / "b", chunk_size=1000, executor=ex)
    assert pq.read_table(tmp_path / "a" / "results.parquet").to_pylist() == \
        pq.read_table(tmp_path / "b" / "results.parquet").to_pylist()


def test_an_interrupted_parquet_sweep_keeps_its_parts_and_resume_finishes_it_identically(tmp_path):
    scenario = load_scenario(SEED)
    vary = {"mu": (0.0, 0.3, 40), "s": (0.0, 0.3, 3)}
    run_sweep(scenario, vary, out_dir=tmp_path / "whole", chunk_size=13)

    def stop(done: int, total: int) -> None:
        if done >= 39:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(scenario, vary, out_dir=tmp_path / "o", chunk_size=13, progress=stop)
    kept = sorted((tmp_path / "o" / "results.parquet").glob("part-*.parquet"))
    assert len(kept) == 3 and not (tmp_path / "o" / "manifest.json").exists()
    stamps = [p.stat().st_mtime_ns for p in kept]
    seen: list[tuple[int, int]] = []
    run_sweep(scenario, vary, out_dir=tmp_path / "o", chunk_size=13, resume=True,
              progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (39, 120)  # the kept parts count at once and are not solved again
    assert [p.stat().st_mtime_ns for p in kept] == stamps
    assert table_csv(tmp_path / "o") == table_csv(tmp_path / "whole")
    for name in ("points.npz", "summary.json"):
        assert (tmp_path / "o" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x04
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["flip", "truncate", "delete", "swap", "foreign"])
def test_a_damaged_part_is_solved_again_on_resume_and_refused_by_every_reader(damage, tmp_path, capsys):
    argv = ["sweep", SEED, "--vary", "mu=0:0.3:40", "--vary", "s=0:0.3:3", "--chunk-size", "13", "--figures", "none",
            "--quiet"]
    assert main([*argv, "-o", str(tmp_path / "ref")]) == 0
    out = tmp_path / "o"
    shutil.copytree(tmp_path / "ref", out)
    part = out / "results.parquet" / "part-00002.parquet"
    if damage == "flip":
        _flip(part)
    elif damage == "truncate":
        part.write_bytes(part.read_bytes()[:100])
    elif damage == "delete":
        part.unlink()
    elif damage == "swap":
        other = out / "results.parquet" / "part-00003.parquet"
        data = part.read_bytes()
        part.write_bytes(other.read_bytes())
        other.write_bytes(data)
    else:  # the same chunk of another sweep (other --set), with its own valid sidecar
        assert main([*argv, "--set", "Delta=0.05", "-o", str(tmp_path / "other")]) == 0
        shutil.copyfile(tmp_path / "other" / "results.parquet" / "part-00002.parquet", part)
    capsys.readouterr()
    code = main(["export", str(out)])
    err = capsys.readouterr().err
    assert code == 3 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert "results.parquet/part-0000" in err and not (out / "results.csv").exists()
    with pytest.raises(DamagedFolderError, match="results.parquet/part-0000"):
        read_columns(out, ["payoff_US"])
    assert main([*argv, "-o", str(out), "--resume"]) == 0
    err = capsys.readouterr().err
    assert "solving chunk 2 again" in err
    assert table_csv(out) == table_csv(tmp_path / "ref")
    assert (out / "summary.json").read_bytes() == (tmp_path / "ref" / "summary.json").read_bytes()


def test_readers_give_the_same_columns_from_a_parquet_and_a_csv_folder(tmp_path):
    scenario = load_scenario(ROOT / "scenarios" / "chicken.yaml")
    run_sweep(scenario, {"C": (2.0, 20.0, 10)}, out_dir=tmp_path / "pq")
    run_sweep(scenario, {"C": (2.0, 20.0, 10)}, out_dir=tmp_path / "csv", table="csv")
    columns = ["point", "C", "outcome", "payoff_Row", "tied"]
    a, b = read_columns(tmp_path / "pq", columns), read_columns(tmp_path / "csv", columns)
    for name in columns:
        assert a[name].dtype == b[name].dtype and a[name].tolist() == b[name].tolist(), name


@pytest.mark.parametrize("vary", [["--vary", "mu=0:0.3:31"], ["--vary", "p=0.2:0.8:9", "--vary", "mu=0:0.3:11"]])
def test_plot_draws_the_same_figure_from_a_parquet_folder_as_from_a_csv_folder(vary, tmp_path):
    for table in ("parquet", "csv"):
        assert main(["sweep", SEED, *vary, "-o", str(tmp_path / table), "--format", table, "--figures", "svg",
                     "--quiet"]) == 0
    (a,), (b,) = (list((tmp_path / t).glob("*.svg")) for t in ("parquet", "csv"))
    assert a.name == b.name and a.read_bytes() == b.read_bytes()


def test_a_signalling_sweep_reads_its_kinds_back_from_parquet(tmp_path):
    out = sweep("kinds", tmp_path / "o")
    summary = __import__("json").loads((out / "summary.json").read_text())
    assert summary["kinds"] == {"pooling": 11, "semi-separating": 9, "separating": 1}
    assert main(["plot", str(out), "-o", str(tmp_path / "fig")]) == 0


def test_a_folder_of_the_csv_version_is_read_plotted_and_exported(tmp_path):
    old = tmp_path / "old"
    shutil.copytree(DATA / "folder", old)
    found = read_columns(old, ["mu", "outcome"])
    assert found["mu"].tolist() == np.linspace(0, 0.3, 31).tolist()
    assert main(["plot", str(old), "-o", str(tmp_path / "fig")]) == 0
    assert (tmp_path / "fig" / "outcome-mu.png").stat().st_size > 10_000
    before = (old / "results.csv").read_bytes()
    assert export_csv(old) == old / "results.csv" and (old / "results.csv").read_bytes() == before
    assert export_csv(old, tmp_path / "copy.csv").read_bytes() == before


def test_resume_keeps_a_csv_folder_csv_and_refuses_a_change_of_format(tmp_path, capsys):
    argv = ["sweep", SEED, "--vary", "mu=0:0.3:20", "--chunk-size", "6", "--figures", "none", "--quiet",
            "-o", str(tmp_path / "o")]
    assert main([*argv, "--format", "csv"]) == 0
    before = (tmp_path / "o" / "results.csv").read_bytes()
    assert main([*argv, "--resume"]) == 0  # no --format: the folder's own
    assert (tmp_path / "o" / "results.csv").read_bytes() == before
    assert not (tmp_path / "o" / "results.parquet").exists()
    capsys.readouterr()
    assert main([*argv, "--resume", "--format", "parquet"]) == 2
    err = capsys.readouterr().err
    assert "--format differs" in err and len(err.strip().splitlines()) == 1


def test_the_sweep_says_how_to_open_parquet_results_in_a_spreadsheet(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["sweep", SEED, "--vary", "mu=0:0.3:5", "-o", str(out), "--figures", "none", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "results.parquet/" in err and f"negosim export {out}" in err
    assert main(["sweep", SEED, "--vary", "mu=0:0.3:5", "-o", str(tmp_path / "p"), "--figures", "none", "--quiet",
                 "--parquet"]) == 0  # the old flag: the default now
    assert (tmp_path / "p" / "results.parquet").is_dir()


def test_export_of_an_unfinished_or_missing_folder_is_one_line(tmp_path, capsys):
    assert main(["export", str(tmp_path / "nowhere")]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    scenario = load_scenario(SEED)

    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(scenario, {"mu": (0.0, 0.3, 20)}, out_dir=tmp_path / "o", chunk_size=5, progress=stop)
    assert main(["export", str(tmp_path / "o")]) == 3
    err = capsys.readouterr().err
    assert "has not finished" in err and len(err.strip().splitlines()) == 1


def test_a_stray_part_file_is_removed_from_the_result_table_on_resume(tmp_path, capsys):
    argv = ["sweep", SEED, "--vary", "mu=0:0.3:20", "--chunk-size", "6", "--figures", "none", "--quiet",
            "-o", str(tmp_path / "o")]
    assert main(argv) == 0
    parts = tmp_path / "o" / "results.parquet"
    before = table_csv(tmp_path / "o")
    shutil.copyfile(parts / "part-00000.parquet", parts / "part-00009.parquet")  # beyond the sweep's 4 chunks
    capsys.readouterr()
    assert main([*argv, "--resume"]) == 0
    assert "part-00009.parquet: not a part of this sweep (4 chunks); removed" in capsys.readouterr().err
    assert sorted(p.name for p in parts.iterdir()) == [f"part-{i:05d}.parquet" for i in range(4)]
    assert pq.read_table(parts).num_rows == 20 and table_csv(tmp_path / "o") == before


def test_writing_and_exporting_parquet_never_imports_pandas(tmp_path):
    # pyarrow.array and Array.to_numpy import pandas (about half a second of a sweep's run); negosim
    # goes through numpy buffers instead
    import subprocess
    import sys

    code = ("import sys; from negosim.cli import main; "
            f"assert main(['sweep', {SEED!r}, '--vary', 'mu=0:0.3:7', '--vary', 'p=0.2:0.8:5', '-o', "
            f"{str(tmp_path / 'o')!r}, '--quiet', '--figures', 'none']) == 0; "
            f"assert main(['export', {str(tmp_path / 'o')!r}]) == 0; "
            "print(sorted(m for m in ('pandas', 'pyarrow') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "['pyarrow']"
