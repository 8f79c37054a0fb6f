"""Sweeps at scale: random designs, executors (local processes, a Dask cluster on loopback), Parquet,
points.npz, and the figures written from a finished folder by `negosim plot`."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from sweep_helpers import read_rows, table_csv

from negosim.cli import main
from negosim.errors import UsageError
from negosim.scenario import load_scenario
from negosim.sweep.designs import Design, declared_ranges, parse_vary
from negosim.sweep.engine import run_sweep
from negosim.sweep.executors import sweep_executor
from negosim.sweep.output import read_points

ROOT = Path(__file__).resolve().parents[1]
SEED = str(ROOT / "scenarios" / "ceasefire_2025.yaml")
GRID = {"mu": (0.0, 0.3, 23), "s": (0.0, 0.3, 17)}


@pytest.fixture(scope="module")
def seed():
    return load_scenario(SEED)


def closed_form_outcome(v: dict) -> np.ndarray:
    """DOMAIN §7 at the baseline otherwise: Russia takes the plain truce while mu + Delta stays within
    beta*(cR + cU) + s (credible sanctions, k <= aS), the truce with aid frozen while mu stays within
    it, and war with sanctions beyond."""
    edge = v["beta"] * (v["cR"] + v["cU"]) + v["s"]
    return np.where(v["mu"] + v["Delta"] <= edge, "truce_aid", np.where(v["mu"] <= edge, "truce_frozen",
                                                                        "war_sanctions"))


# --- designs ------------------------------------------------------------------------------
@pytest.mark.parametrize("kind, n", [("lhs", 500), ("sobol", 512)])
def test_random_designs_fill_their_boxes_and_depend_on_the_seed_only(kind, n):
    vary = {"mu": (0.0, 0.3, None), "s": (0.1, 0.2, None)}
    a = Design(kind, vary, samples=n, seed=11)
    pts = a.points(0, n)
    assert a.total == n and set(pts) == {"mu", "s"}
    assert pts["mu"].min() >= 0 and pts["mu"].max() <= 0.3 and pts["s"].min() >= 0.1 and pts["s"].max() <= 0.2
    # space-filling: each tenth of each range holds about a tenth of the points (exactly, for a Latin hypercube)
    counts = np.histogram(pts["mu"], bins=10, range=(0, 0.3))[0]
    assert counts.min() >= n // 10 - (0 if kind == "lhs" else 3)
    again = Design(kind, vary, samples=n, seed=11)
    assert np.array_equal(again.points(100, 200)["s"], pts["s"][100:200])  # slices agree with the whole
    other = Design(kind, vary, samples=n, seed=12).points(0, n)
    assert not np.array_equal(other["mu"], pts["mu"])


def test_design_errors_say_what_to_do():
    with pytest.raises(UsageError, match="power of 2.*try 512 or 1024"):
        Design("sobol", {"mu": (0.0, 0.3, None)}, samples=1000, seed=1)
    with pytest.raises(UsageError, match="needs --samples"):
        Design("lhs", {"mu": (0.0, 0.3, None)}, seed=1)
    with pytest.raises(UsageError, match="--samples is for"):
        Design("grid", {"mu": (0.0, 0.3, 5)}, samples=10)


def test_random_design_vary_items_take_a_range_without_num(seed):
    assert parse_vary(["mu=0:0.3"], seed, design="lhs") == {"mu": (0.0, 0.3, None)}
    with pytest.raises(UsageError, match="NUM is for grids"):
        parse_vary(["mu=0:0.3:5"], seed, design="sobol")
    assert set(declared_ranges(seed)) == {n for n, p in seed.parameters.items() if p.high > p.low}


def test_a_latin_hypercube_sweep_matches_the_closed_form_at_every_point(seed, tmp_path):
    summary = run_sweep(seed, {"mu": (0.0, 0.3, None), "s": (0.0, 0.3, None)}, design="lhs", samples=400, seed=5,
                        out_dir=tmp_path)
    labels, values = read_points(tmp_path)
    assert summary.points == 400 and set(values) == {"mu", "s"}
    expected = closed_form_outcome({**seed.values(), "mu": values["mu"], "s": values["s"]})
    near = np.abs(values["mu"] + seed.values()["Delta"] - 0.125 - values["s"]) < 1e-9  # ties decide there
    assert np.array_equal(labels[~near].astype(str), expected[~near])
    rows = read_rows(tmp_path)
    assert [float(r["mu"]) for r in rows] == values["mu"].tolist()  # the CSV holds the design's exact values
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["design"] == "lhs" and manifest["seed"] == 5 and manifest["samples"] == 400


def test_a_random_design_without_a_seed_records_a_fresh_one_and_resume_reuses_it(seed, tmp_path):
    vary = {"mu": (0.0, 0.3, None)}
    first = run_sweep(seed, vary, design="lhs", samples=64, out_dir=tmp_path / "a", chunk_size=16)
    assert first.seed is not None
    assert json.loads((tmp_path / "a" / "sweep.json").read_text())["seed"] == first.seed
    before = table_csv(tmp_path / "a")
    (tmp_path / "a" / "chunks" / "chunk-00003.json").unlink()
    again = run_sweep(seed, vary, design="lhs", samples=64, out_dir=tmp_path / "a", chunk_size=16, resume=True)
    assert again.seed == first.seed and table_csv(tmp_path / "a") == before


def test_a_one_parameter_random_design_still_bisects_its_boundaries(seed, tmp_path):
    v = seed.values()
    edge = v["beta"] * (v["cR"] + v["cU"]) + v["s"]
    summary = run_sweep(seed, {"mu": (0.0, 0.3, None)}, design="sobol", samples=64, seed=3, out_dir=tmp_path)
    assert [b.value for b in summary.boundaries] == pytest.approx([edge - v["Delta"], edge], abs=1e-8)


# --- executors ----------------------------------------------------------------------------
def test_results_are_identical_in_process_in_local_processes_and_on_any_executor(seed, tmp_path):
    run_sweep(seed, GRID, out_dir=tmp_path / "here", chunk_size=50)
    with sweep_executor(jobs=2) as pool:
        run_sweep(seed, GRID, out_dir=tmp_path / "pool", chunk_size=50, executor=pool)
    with ThreadPoolExecutor(3) as threads:
        run_sweep(seed, GRID, out_dir=tmp_path / "threads", chunk_size=37, executor=threads)
    want = table_csv(tmp_path / "here")
    for other in ("pool", "threads"):
        assert table_csv(tmp_path / other) == want
        assert json.loads((tmp_path / other / "summary.json").read_text())["outcomes"] == \
            json.loads((tmp_path / "here" / "summary.json").read_text())["outcomes"]


def test_a_dask_cluster_on_loopback_gives_the_in_process_results(seed, tmp_path):
    distributed = pytest.importorskip("distributed")
    run_sweep(seed, GRID, out_dir=tmp_path / "here", chunk_size=40)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        with sweep_executor(scheduler=cluster.scheduler_address) as executor:
            run_sweep(seed, GRID, out_dir=tmp_path / "dask", chunk_size=40, executor=executor)
    assert table_csv(tmp_path / "dask") == table_csv(tmp_path / "here")
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    assert manifest["chunks"] == -(-23 * 17 // 40) and manifest["executor"] != "in-process"


def test_an_unreachable_scheduler_is_a_one_line_usage_error(tmp_path, capsys):
    pytest.importorskip("distributed")
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    from negosim.sweep import executors

    executors.CONNECT_TIMEOUT = 2
    try:
        code = main(["sweep", SEED, "--vary", "mu=0:0.3:5", "-o", str(tmp_path / "o"),
                     "--scheduler", f"tcp://127.0.0.1:{port}", "--quiet"])
    finally:
        executors.CONNECT_TIMEOUT = 15
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "cannot reach a Dask scheduler" in err


def test_an_error_on_a_worker_keeps_the_finished_chunks(seed, tmp_path, monkeypatch):
    from negosim.sweep import chunk_solve

    real = chunk_solve.solve_chunk  # (what a worker's encoded_chunk calls)

    def fail_on_third(scenario, params, start, *options):
        if start == 20:
            raise RuntimeError("worker lost")
        return real(scenario, params, start, *options)

    monkeypatch.setattr(chunk_solve, "solve_chunk", fail_on_third)
    with ThreadPoolExecutor(1) as ex, pytest.raises(RuntimeError, match="worker lost"):
        run_sweep(seed, {"mu": (0.0, 0.3, 40)}, out_dir=tmp_path, chunk_size=10, executor=ex)
    done = sorted(p.name for p in (tmp_path / "results.parquet").glob("part-*.parquet"))
    assert "part-00002.parquet" not in done and {"part-00000.parquet", "part-00001.parquet"} <= set(done)
    monkeypatch.setattr(chunk_solve, "solve_chunk", real)
    run_sweep(seed, {"mu": (0.0, 0.3, 40)}, out_dir=tmp_path, chunk_size=10, resume=True)
    assert len(read_rows(tmp_path)) == 40


# --- output -------------------------------------------------------------------------------
def test_parquet_holds_the_values_of_the_csv_rows_with_types(seed, tmp_path):
    import pyarrow.parquet as pq

    run_sweep(seed, GRID, out_dir=tmp_path / "pq")
    run_sweep(seed, GRID, out_dir=tmp_path / "csv", table="csv")
    table = pq.read_table(tmp_path / "pq" / "results.parquet")
    rows = read_rows(tmp_path / "csv")
    assert table.num_rows == len(rows) == 23 * 17
    assert str(table.schema.field("outcome").type).startswith("dictionary<values=string, indices=int8")
    assert table.column("point").to_pylist() == [int(r["point"]) for r in rows]
    for name in ("mu", "s", "payoff_US", "payoff_UA", "payoff_RU"):  # the very floats the CSV text spells
        assert table.column(name).to_pylist() == [float(r[name]) for r in rows]
    assert table.column("tied").to_pylist() == [r["tied"] == "true" for r in rows]
    assert table.column("outcome").to_pylist() == [r["outcome"] for r in rows]


def test_points_file_holds_every_points_label_in_grid_order(seed, tmp_path):
    run_sweep(seed, GRID, out_dir=tmp_path, chunk_size=60)
    labels, values = read_points(tmp_path)
    assert values == {}  # a grid is rebuilt from sweep.json
    mu, s = np.meshgrid(np.linspace(0, 0.3, 23), np.linspace(0, 0.3, 17), indexing="ij")
    v = {**load_scenario(SEED).values(), "mu": mu.reshape(-1), "s": s.reshape(-1)}
    near = np.abs(v["mu"] + v["Delta"] - 0.125 - v["s"]) < 1e-9
    near |= np.abs(v["mu"] - 0.125 - v["s"]) < 1e-9
    assert np.array_equal(labels.astype(str)[~near], closed_form_outcome(v)[~near])


# --- CLI and figures ----------------------------------------------------------------------
def test_cli_sweep_writes_the_regime_map_and_plot_redraws_it_identically(tmp_path, capsys):
    out = tmp_path / "map"
    code = main(["sweep", SEED, "--sweep", "momentum_by_sanctions", "-o", str(out), "--quiet",
                 "--figures", "png,svg"])
    assert code == 0, capsys.readouterr().err
    first = (out / "regime-map-mu-s.png").read_bytes()
    assert (out / "regime-map-mu-s.svg").exists() and first[:8] == b"\x89PNG\r\n\x1a\n"
    again = tmp_path / "again"
    assert main(["plot", str(out), "-o", str(again), "--format", "png"]) == 0
    assert (again / "regime-map-mu-s.png").read_bytes() == first


def test_cli_random_design_sweep_over_every_declared_parameter(tmp_path, capsys):
    out = tmp_path / "lhs"
    code = main(["sweep", SEED, "--design", "lhs", "--samples", "300", "--seed", "2", "-o", str(out), "--quiet"])
    stdout = capsys.readouterr().out
    assert code == 0 and "300 points (seed 2)" in stdout
    _, values = read_points(out)
    assert set(values) == set(declared_ranges(load_scenario(SEED)))
    assert (out / "outcome-shares.png").exists()


def test_cli_one_parameter_sweep_draws_the_outcome_figure(tmp_path, capsys):
    out = tmp_path / "mu"
    assert main(["sweep", SEED, "--sweep", "momentum", "-o", str(out), "--quiet"]) == 0
    assert (out / "outcome-mu.png").exists()
    assert main(["sweep", SEED, "--vary", "mu=0:0.3:5", "-o", str(tmp_path / "none"), "--quiet",
                 "--figures", "none"]) == 0
    assert not list((tmp_path / "none").glob("*.png"))


@pytest.mark.parametrize("argv, fragment", [
    (["--design", "sobol", "--samples", "100"], "power of 2"),
    (["--vary", "mu=0:0.3:5", "--jobs", "2", "--scheduler", "tcp://127.0.0.1:1"], "not both"),
    (["--vary", "mu=0:0.3:5", "--jobs", "0"], "--jobs must be a positive"),
    (["--vary", "mu=0:0.3:5", "--figures", "gif"], "unknown figure format"),
    (["--sweep", "momentum", "--vary", "mu=0:0.3:5"], "not both"),
])
def test_cli_sweep_scale_errors_are_one_line(argv, fragment, tmp_path, capsys):
    code = main(["sweep", SEED, "-o", str(tmp_path / "o"), "--quiet", *argv])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and fragment in err, err


def test_plot_refuses_a_folder_without_results(tmp_path, capsys):
    assert main(["plot", str(tmp_path)]) == 2
    assert "holds no sweep" in capsys.readouterr().err


def test_the_progress_bar_waits_a_second_and_ends_with_a_newline(monkeypatch):
    import io
    import time

    from negosim import cli

    class Tty(io.StringIO):
        def isatty(self):
            return True

    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    stream = Tty()
    draw = cli._progress_bar(False, stream=stream)
    draw(10, 100)
    assert stream.getvalue() == ""  # under a second: nothing drawn
    clock[0] += 2
    draw(50, 100)
    clock[0] += 2
    draw(100, 100)
    text = stream.getvalue()
    assert "50/100 points" in text and text.endswith("100/100 points, 4 s, 25 points/s\n")
    assert cli._progress_bar(True, stream=Tty()) is None and cli._progress_bar(False, stream=io.StringIO()) is None


def test_a_second_sweep_into_a_folder_being_written_stops_with_one_line(tmp_path, capsys):
    from negosim.sweep.lock import FolderLock

    with FolderLock(tmp_path / "busy"):  # as a running sweep holds it
        code = main(["sweep", SEED, "--vary", "mu=0:0.3:5", "-o", str(tmp_path / "busy"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "another negosim sweep is writing" in err
    assert main(["sweep", SEED, "--vary", "mu=0:0.3:5", "-o", str(tmp_path / "busy"), "--quiet"]) == 0


def test_a_filesystem_error_is_one_line_with_the_resume_hint(tmp_path, capsys, monkeypatch):
    from negosim.sweep import chunks

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "o" / "results.parquet" / "part-00000.parquet"))

    monkeypatch.setattr(chunks, "write_chunk", full)
    code = main(["sweep", SEED, "--vary", "mu=0:0.3:5", "-o", str(tmp_path / "o"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 5 and len(err.strip().splitlines()) == 1
    assert "No space left on device" in err and "--resume" in err and "Traceback" not in err


def test_ctrl_c_during_a_jobs_sweep_stops_the_workers_and_resume_completes_it(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "int"
    argv = [sys.executable, "-m", "negosim", "sweep", SEED, "--vary", "p=0.2:0.8:1000", "--vary", "mu=0:0.3:1000",
            "-o", str(out), "--jobs", "2", "--chunk-size", "10000", "--figures", "none", "--quiet"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list((out / "results.parquet").glob("part-*.parquet")) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert err.strip().splitlines() == ["negosim: interrupted; the finished chunks are kept: run the same command "
                                        "with --resume"]
    kept = len(list((out / "results.parquet").glob("part-*.parquet")))
    assert 0 < kept < 100 and not (out / "manifest.json").exists()
    done = subprocess.run(argv + ["--resume"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["points"] == 1_000_000 and sum(summary["outcomes"].values()) == 1_000_000
    # DOMAIN §7 on this grid, p not mattering: 350 of the 1000 values of mu lie below 0.105 (truce_aid),
    # 267 between 0.105 and 0.185 (truce_frozen), 383 above (war_sanctions); none falls on a boundary
    assert summary["outcomes"] == {"truce_aid": 350_000, "truce_frozen": 267_000, "war_sanctions": 383_000}


def test_every_figure_of_a_sweep_colours_an_outcome_the_same_way(tmp_path):
    """summary.json lists outcomes in the scenario's own order, and the figures colour them in that order,
    so truce_frozen has one colour in the outcome figure, the regime map and the shares figure."""
    from matplotlib.colors import to_hex

    from negosim.present.figures import outcome_figure
    from negosim.present.figures.style import regime_style

    run_sweep(load_scenario(SEED), {"mu": (0.3, 0.0, 31)}, out_dir=tmp_path)  # descending: war first
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["outcome_order"] == ["truce_aid", "truce_frozen", "war_sanctions"]
    values = np.linspace(0, 1, 4)
    fig = outcome_figure("x", values, ["war_sanctions", "war_sanctions", "truce_frozen", "truce_frozen"],
                         {"A": values}, order=summary["outcome_order"])
    fills = {a.get_gid().split("-", 2)[2]: to_hex(a.get_facecolor(), keep_alpha=False)
             for a in fig.axes[0].patches if (a.get_gid() or "").startswith("regime-")}
    # truce_aid is absent: the present outcomes keep their relative order, truce_frozen first
    assert fills == {"truce_frozen": regime_style(0)[0].lower(), "war_sanctions": regime_style(1)[0].lower()}


def test_without_a_chunk_size_a_big_game_gets_small_chunks_and_the_same_results(seed, tmp_path, monkeypatch):
    from negosim.sweep import engine

    vary = {"mu": (0.0, 0.3, 50)}
    run_sweep(seed, vary, out_dir=tmp_path / "default")
    assert json.loads((tmp_path / "default" / "sweep.json").read_text())["chunk_size"] == 100_000
    # The seed tree (16 nodes, 3 players) as if memory allowed only 20 points' arrays per chunk:
    nodes = len(seed.build().nodes)
    monkeypatch.setattr(engine, "CHUNK_MEMORY", 20 * engine.TREE_BYTES_PER_NODE_AND_PLAYER * nodes * 3)
    run_sweep(seed, vary, out_dir=tmp_path / "auto")
    assert json.loads((tmp_path / "auto" / "sweep.json").read_text())["chunk_size"] == 20
    assert len(list((tmp_path / "auto" / "chunks").glob("*.json"))) == 3
    assert table_csv(tmp_path / "auto") == table_csv(tmp_path / "default")
