"""The writer thread of a sweep in this process (negosim.sweep.pipeline): chunks written in order, errors
raised where the sweep runs, nothing lost on an interrupt, and never a hang."""

from __future__ import annotations

import threading
import time

import pytest
from sweep_helpers import read_rows, table_csv

from negosim.scenario import load_scenario
from negosim.sweep import engine
from negosim.sweep.pipeline import ChunkWriter

SEED = "scenarios/ceasefire_2025.yaml"


def run_with_deadline(fn, seconds: float = 20.0):
    """Run `fn` on a thread; fail the test if it has not returned within `seconds` (a hang)."""
    out: dict = {}

    def target():
        try:
            out["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 (handed back to the test)
            out["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "the writer hung"
    if "error" in out:
        raise out["error"]
    return out.get("value")


def test_chunks_are_written_in_order_on_another_thread():
    seen = []

    def write(place, solved):
        time.sleep(0.001 * (5 - place))  # later chunks written faster: order must still hold
        seen.append((place, solved, threading.current_thread().name))

    with ChunkWriter(write) as writer:
        for place in range(5):
            writer.put(place, place * place)
    assert [(p, s) for p, s, _ in seen] == [(p, p * p) for p in range(5)]
    assert {name for _, _, name in seen} == {"negosim-chunk-writer"}


def test_a_write_error_stops_the_writer_and_is_raised_by_the_next_put_without_a_hang():
    written = []

    def write(place, solved):
        if place == 1:
            raise OSError("No space left on device")
        written.append(place)

    def sweep():
        with ChunkWriter(write, depth=1) as writer:
            for place in range(50):
                writer.put(place, None)
                time.sleep(0.001)

    with pytest.raises(OSError, match="No space left"):
        run_with_deadline(sweep)
    assert written == [0]  # nothing after the failed chunk


def test_a_write_error_after_the_last_put_is_raised_when_the_block_ends():
    def write(place, solved):
        raise PermissionError("read-only folder")

    with pytest.raises(PermissionError):
        with ChunkWriter(write) as writer:
            writer.put(0, None)


def test_an_error_while_solving_still_writes_what_was_handed_over():
    written = []
    gate = threading.Event()

    def write(place, solved):
        gate.wait(5)
        written.append(place)

    with pytest.raises(KeyboardInterrupt):
        with ChunkWriter(write, depth=2) as writer:
            writer.put(0, None)
            writer.put(1, None)
            gate.set()
            raise KeyboardInterrupt
    assert written == [0, 1]


def test_a_failed_prepare_is_raised_and_nothing_is_written():
    written = []

    def prepare():
        raise ImportError("no pyarrow")

    with pytest.raises(ImportError, match="no pyarrow"):
        with ChunkWriter(lambda place, solved: written.append(place), prepare=prepare) as writer:
            writer.put(0, None)
            writer.put(1, None)
    assert written == []


@pytest.fixture(scope="module")
def seed():
    return load_scenario(SEED)


def test_ctrl_c_while_a_chunk_is_solved_keeps_the_chunks_solved_before_it(seed, tmp_path, monkeypatch):
    solve = engine.solve_chunk
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(args[2])
        if len(calls) == 4:  # Ctrl-C arrives while the fourth chunk is being solved
            raise KeyboardInterrupt
        return solve(*args, **kwargs)

    monkeypatch.setattr(engine, "solve_chunk", interrupted)
    with pytest.raises(KeyboardInterrupt):
        engine.run_sweep(seed, {"mu": (0.0, 0.3, 20)}, out_dir=tmp_path, chunk_size=4)
    # the three chunks solved before the interrupt were handed to the writer, which finished them
    assert sorted(p.name for p in (tmp_path / "results.parquet").glob("part-*.parquet")) == [
        f"part-{i:05d}.parquet" for i in range(3)]
    assert not (tmp_path / "manifest.json").exists()
    monkeypatch.setattr(engine, "solve_chunk", solve)
    summary = engine.run_sweep(seed, {"mu": (0.0, 0.3, 20)}, out_dir=tmp_path, chunk_size=4, resume=True)
    assert summary.points == 20
    assert sorted(int(r["point"]) for r in read_rows(tmp_path)) == list(range(20))


def test_the_sweep_in_this_process_writes_what_a_process_pool_writes(seed, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    here = engine.run_sweep(seed, {"p": (0.2, 0.8, 7), "mu": (0.0, 0.3, 9)}, out_dir=tmp_path / "here", chunk_size=10)
    with ThreadPoolExecutor(2) as ex:
        there = engine.run_sweep(seed, {"p": (0.2, 0.8, 7), "mu": (0.0, 0.3, 9)}, out_dir=tmp_path / "there",
                                 chunk_size=10, executor=ex)
    assert here.outcomes == there.outcomes
    assert table_csv(tmp_path / "here") == table_csv(tmp_path / "there")
