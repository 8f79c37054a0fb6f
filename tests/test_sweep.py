"""Sweeps on disk: grids, --vary parsing, chunked solving, resume, the result table, summary and manifest."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sweep_helpers import read_rows, table_csv

from negosim.errors import NegosimError, UsageError
from negosim.scenario import load_scenario
from negosim.sweep.designs import grid, parse_vary
from negosim.sweep.engine import run_sweep

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "scenarios" / "ceasefire_2025.yaml"


@pytest.fixture(scope="module")
def seed():
    return load_scenario(str(SEED))


# --- designs ------------------------------------------------------------------------------
def test_grid_is_full_factorial_with_first_parameter_slowest():
    g = grid({"a": (0.0, 1.0, 3), "b": (10.0, 20.0, 2)})
    assert g["a"].tolist() == [0.0, 0.0, 0.5, 0.5, 1.0, 1.0]
    assert g["b"].tolist() == [10.0, 20.0, 10.0, 20.0, 10.0, 20.0]


def test_parse_vary_reads_start_stop_num(seed):
    assert parse_vary(["mu=0:0.3:61", "s=0.01:0.2:5"], seed) == {"mu": (0.0, 0.3, 61), "s": (0.01, 0.2, 5)}


def test_parse_vary_suggests_the_close_parameter_name(seed):
    with pytest.raises(UsageError, match=r"unknown parameter 'mux'.*did you mean 'mu'"):
        parse_vary(["mux=0:0.3:61"], seed)


def test_parse_vary_refuses_values_outside_the_declared_range(seed):
    with pytest.raises(UsageError, match=r"0\.9 is outside mu's declared range \[0, 0\.5\]"):
        parse_vary(["mu=0:0.9:61"], seed)


@pytest.mark.parametrize("item", ["mu", "mu=0:0.3", "mu=0:x:5", "mu=0:0.3:2.5", "=0:1:3"])
def test_parse_vary_refuses_malformed_items_in_one_line(seed, item):
    with pytest.raises(UsageError) as info:
        parse_vary([item], seed)
    assert "NAME=START:STOP:NUM" in str(info.value) and "\n" not in str(info.value)


def test_parse_vary_needs_at_least_two_points(seed):
    with pytest.raises(UsageError, match="at least 2"):
        parse_vary(["mu=0:0.3:1"], seed)


# --- the seed scenario --------------------------------------------------------------------
def test_momentum_sweep_finds_both_closed_form_boundaries(seed, tmp_path):
    v = seed.values()
    edge = v["beta"] * (v["cR"] + v["cU"]) + v["s"]  # Russia prefers war with sanctions beyond this
    summary = run_sweep(seed, {"mu": (0.0, 0.3, 61)}, out_dir=tmp_path)
    got = [(b.below, b.above) for b in summary.boundaries]
    assert got == [("truce_aid", "truce_frozen"), ("truce_frozen", "war_sanctions")]
    assert summary.boundaries[0].value == pytest.approx(edge - v["Delta"], abs=1e-8)
    assert summary.boundaries[1].value == pytest.approx(edge, abs=1e-8)
    assert all(b.tied for b in summary.boundaries)  # Russia is indifferent exactly there
    saved = json.loads((tmp_path / "summary.json").read_text())
    assert [b["value"] for b in saved["boundaries"]] == [b.value for b in summary.boundaries]
    assert saved["points"] == 61 and sum(saved["outcomes"].values()) == 61


def test_leverage_moves_russias_payoff_one_for_one_without_changing_the_outcome(seed, tmp_path):
    summary = run_sweep(seed, {"p": (0.2, 0.8, 25)}, out_dir=tmp_path)
    rows = read_rows(tmp_path)
    assert summary.outcomes == {"truce_aid": 25} and summary.boundaries == []
    assert {r["outcome"] for r in rows} == {"truce_aid"}
    p = np.array([float(r["p"]) for r in rows])
    ru = np.array([float(r["payoff_RU"]) for r in rows])
    np.testing.assert_allclose(np.diff(ru), np.diff(p), atol=1e-12)
    assert np.ptp(ru) == pytest.approx(0.6)


def test_results_do_not_depend_on_the_chunk_size(seed, tmp_path):
    vary = {"mu": (0.0, 0.3, 31), "s": (0.0, 0.3, 5)}
    run_sweep(seed, vary, out_dir=tmp_path / "small", chunk_size=7)
    run_sweep(seed, vary, out_dir=tmp_path / "big", chunk_size=1000)
    assert table_csv(tmp_path / "small") == table_csv(tmp_path / "big")
    assert len(list((tmp_path / "small" / "chunks").glob("*.json"))) == 23  # ceil(155 / 7)
    # a part file per chunk, written in place: no other copy of the rows anywhere in the folder
    assert len(list((tmp_path / "small" / "results.parquet").glob("part-*.parquet"))) == 23
    assert not list((tmp_path / "small").rglob("*.csv"))


def test_normal_form_results_do_not_depend_on_the_chunk_size(tmp_path):
    chicken = load_scenario(str(ROOT / "scenarios" / "chicken.yaml"))
    run_sweep(chicken, {"C": (2.0, 20.0, 10)}, out_dir=tmp_path / "a", chunk_size=3)
    run_sweep(chicken, {"C": (2.0, 20.0, 10)}, out_dir=tmp_path / "b", chunk_size=100)
    assert table_csv(tmp_path / "a") == table_csv(tmp_path / "b")
    rows = read_rows(tmp_path / "a")
    # chicken: two pure equilibria and one mixed at every point
    assert len(rows) == 30 and sum(r["outcome"] == "mixed" for r in rows) == 10


def test_resume_after_losing_the_last_chunk_gives_identical_results(seed, tmp_path):
    vary = {"mu": (0.0, 0.3, 40)}
    run_sweep(seed, vary, out_dir=tmp_path, chunk_size=9)
    before = table_csv(tmp_path)
    chunks = sorted((tmp_path / "chunks").glob("chunk-*.json"))
    first_mtime = chunks[0].stat().st_mtime_ns
    chunks[-1].unlink()
    seen = []
    run_sweep(seed, vary, out_dir=tmp_path, chunk_size=9, resume=True, progress=lambda d, t: seen.append((d, t)))
    assert table_csv(tmp_path) == before
    assert chunks[0].stat().st_mtime_ns == first_mtime  # finished chunks were kept, not redone
    assert seen == [(36, 40), (40, 40)]  # the kept chunks count at once, then the redone one


def test_resume_of_a_different_sweep_is_refused(seed, tmp_path):
    run_sweep(seed, {"mu": (0.0, 0.3, 10)}, out_dir=tmp_path, chunk_size=4)
    with pytest.raises(UsageError, match="different sweep"):
        run_sweep(seed, {"mu": (0.0, 0.2, 10)}, out_dir=tmp_path, chunk_size=4, resume=True)
    with pytest.raises(UsageError, match="different sweep"):
        run_sweep(seed, {"mu": (0.0, 0.3, 10)}, overrides={"s": 0.1}, out_dir=tmp_path, chunk_size=4, resume=True)


def test_a_folder_with_chunks_is_not_overwritten_without_resume(seed, tmp_path):
    run_sweep(seed, {"mu": (0.0, 0.3, 10)}, out_dir=tmp_path)
    with pytest.raises(UsageError, match="--resume"):
        run_sweep(seed, {"mu": (0.0, 0.3, 10)}, out_dir=tmp_path)


def test_two_parameter_grid_has_a_row_per_point_and_counts_every_point(seed, tmp_path):
    summary = run_sweep(seed, {"mu": (0.0, 0.3, 13), "s": (0.0, 0.3, 7)}, out_dir=tmp_path, chunk_size=20)
    rows = read_rows(tmp_path)
    assert len(rows) == 13 * 7 == summary.points
    assert [int(r["point"]) for r in rows] == list(range(91))
    assert sum(summary.outcomes.values()) == 91 and len(summary.outcomes) > 1
    assert summary.boundaries == []
    assert list(rows[0]) == ["point", "mu", "s", "concept", "outcome", "payoff_US", "payoff_UA", "payoff_RU", "tied"]


def test_overrides_hold_the_other_parameters_at_their_new_values(seed, tmp_path):
    # with no sanction damage, Russia's war edge drops by s: boundaries move down by s
    v = seed.values()
    summary = run_sweep(seed, {"mu": (0.0, 0.3, 31)}, overrides={"s": 0.0}, out_dir=tmp_path)
    edge = v["beta"] * (v["cR"] + v["cU"])
    assert [b.value for b in summary.boundaries] == pytest.approx([edge - v["Delta"], edge], abs=1e-8)


def test_manifest_records_the_scenario_hash_and_the_design(seed, tmp_path):
    run_sweep(seed, {"mu": (0.0, 0.3, 5)}, out_dir=tmp_path, command="negosim sweep x -o y")
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["scenario"]["sha256"] == seed.sha256 and len(seed.sha256) == 64
    assert manifest["vary"] == {"mu": [0.0, 0.3, 5]} and manifest["command"] == "negosim sweep x -o y"
    assert manifest["chunks"] == 1 and manifest["tolerances"]["rtol"] > 0


def test_run_sweep_refuses_an_unknown_parameter(seed, tmp_path):
    with pytest.raises(NegosimError, match="did you mean 'theta'"):
        run_sweep(seed, {"thta": (0.0, 0.3, 5)}, out_dir=tmp_path)


def test_an_interrupted_sweep_keeps_its_finished_chunks_and_resumes(seed, tmp_path):
    def stop_after_two(done, total):
        if done >= 8:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(seed, {"mu": (0.0, 0.3, 20)}, out_dir=tmp_path, chunk_size=4, progress=stop_after_two)
    assert len(list((tmp_path / "results.parquet").glob("part-*.parquet"))) == 2
    assert not (tmp_path / "manifest.json").exists()
    summary = run_sweep(seed, {"mu": (0.0, 0.3, 20)}, out_dir=tmp_path, chunk_size=4, resume=True)
    assert summary.points == 20 and len(read_rows(tmp_path)) == 20
