"""A sweep folder is never trusted blindly: every way of damaging a finished or interrupted folder ends
either in a clean refusal (one line on stderr, exit 2 or 3, no traceback) or in results byte-identical
to an undamaged run; two sweeps never write one folder; out-of-range options are one-line usage errors.

These sweeps write CSV (``--format csv``: chunk files joined into ``results.csv``, the byte-level
machinery of `negosim.sweep.chunks`); tests/test_sweep_parquet.py damages the default Parquet folders."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from negosim.cli import main
from negosim.errors import UsageError
from negosim.scenario import load_scenario
from negosim.sweep import chunks
from negosim.sweep.engine import run_sweep
from negosim.sweep.identity import DamagedFolderError, make_identity

ROOT = Path(__file__).resolve().parents[1]
SEED = str(ROOT / "scenarios" / "ceasefire_2025.yaml")
VARY = ["--vary", "mu=0:0.3:40", "--vary", "s=0:0.3:3"]  # 120 points
CHUNK = 13  # 10 chunks, the last one short
ARGV = ["sweep", SEED, *VARY, "--chunk-size", str(CHUNK), "--figures", "none", "--quiet", "--format", "csv"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """An undamaged, uninterrupted run of the sweep every test damages; beside it, ``with_chunks``: the
    same run with its chunks' CSV files kept (as a sweep leaves them until its manifest is written)."""
    out = tmp_path_factory.mktemp("reference") / "ref"
    assert main([*ARGV, "-o", str(out)]) == 0
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(chunks, "drop_joined_rows", lambda out_dir, places: None)
        assert main([*ARGV, "-o", str(out.with_name("with_chunks"))]) == 0
    return out


def test_a_finished_folder_holds_the_results_once(reference):
    """The chunks' rows live on only in results.csv; their labels and sidecars stay for --resume."""
    assert not list((reference / "chunks").glob("*.csv"))
    kept = reference.with_name("with_chunks")
    rows = b"".join(p.read_bytes() for p in sorted((kept / "chunks").glob("*.csv")))
    assert (reference / "results.csv").read_bytes().split(b"\n", 1)[1] == rows
    assert len(list((reference / "chunks").glob("*.json"))) == 10


def finished(reference: Path, tmp_path: Path) -> Path:
    out = tmp_path / "sweep"
    shutil.copytree(reference, out)
    return out


def interrupted(reference: Path, tmp_path: Path) -> Path:
    """The folder as a sweep stopped after four chunks leaves it: chunks, sweep.json, no final files."""
    out = tmp_path / "sweep"
    shutil.copytree(reference.with_name("with_chunks"), out)
    for name in ("results.csv", "points.npz", "summary.json", "manifest.json"):
        (out / name).unlink()
    for p in (out / "chunks").iterdir():
        if int(p.stem.split("-")[1]) >= 4:
            p.unlink()
    return out


def chunk(out: Path, index: int, suffix: str) -> Path:
    return out / "chunks" / f"chunk-{index:05d}.{suffix}"


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def flip(path: Path, at: float = 0.5) -> None:
    data = bytearray(path.read_bytes())
    data[int(at * (len(data) - 1))] ^= 0x04
    path.write_bytes(bytes(data))


def swap(a: Path, b: Path) -> None:
    tmp = a.with_name("swap.tmp")
    a.rename(tmp)
    b.rename(a)
    tmp.rename(b)


# (A finished folder has no chunk CSV files: these move or copy the files a chunk has.)
def swap_chunks(out: Path, i: int, j: int, suffixes=("csv", "npz", "json")) -> None:
    for s in suffixes:
        if chunk(out, i, s).exists():
            swap(chunk(out, i, s), chunk(out, j, s))


def duplicate(out: Path, src: int, dst: int) -> None:
    for s in ("csv", "npz", "json"):
        if chunk(out, src, s).exists():
            shutil.copyfile(chunk(out, src, s), chunk(out, dst, s))


def extra(out: Path) -> None:
    for s in ("csv", "npz", "json"):
        if chunk(out, 2, s).exists():
            shutil.copyfile(chunk(out, 2, s), chunk(out, 99, s))


def foreign(out: Path, tmp_path: Path) -> None:
    """Chunk 1 replaced by chunk 1 of another sweep (other --set), with its own valid sidecar."""
    other = tmp_path / "other"
    with pytest.MonkeyPatch.context() as mp:  # an interrupted folder of the other sweep: chunk files kept
        mp.setattr(chunks, "drop_joined_rows", lambda out_dir, places: None)
        assert main([*ARGV, "--set", "Delta=0.05", "-o", str(other)]) == 0
    for s in ("csv", "npz", "json"):
        shutil.copyfile(chunk(other, 1, s), chunk(out, 1, s))


def resume(out: Path, capsys, argv: list[str] = ARGV) -> tuple[int, str]:
    capsys.readouterr()
    code = main([*argv, "-o", str(out), "--resume"])
    return code, capsys.readouterr().err


def assert_repaired(out: Path, reference: Path, code: int, err: str) -> None:
    assert code == 0, err
    assert "Traceback" not in err
    assert (out / "results.csv").read_bytes() == (reference / "results.csv").read_bytes()
    assert (out / "points.npz").read_bytes() == (reference / "points.npz").read_bytes()
    assert (out / "summary.json").read_bytes() == (reference / "summary.json").read_bytes()


def assert_refused(code: int, err: str, codes=(2, 3), fragment: str = "") -> None:
    lines = err.strip().splitlines()
    assert code in codes and len(lines) == 1 and "Traceback" not in err, (code, err)
    assert fragment in err, err


# Damage that a resume repairs: the chunk is solved again and the results are those of an undamaged run.
REPAIRED: dict[str, Callable[[Path], None]] = {
    "truncated chunk csv": lambda o: truncate(chunk(o, 1, "csv")),
    "truncated chunk npz": lambda o: truncate(chunk(o, 2, "npz")),
    "emptied chunk csv": lambda o: chunk(o, 0, "csv").write_bytes(b""),
    "flipped byte in chunk csv": lambda o: flip(chunk(o, 3, "csv")),
    "flipped byte in chunk npz": lambda o: flip(chunk(o, 0, "npz"), 0.9),
    "flipped byte in a sidecar": lambda o: flip(chunk(o, 1, "json"), 0.3),
    "garbled sidecar": lambda o: chunk(o, 2, "json").write_text("{not json"),
    "deleted chunk csv": lambda o: chunk(o, 1, "csv").unlink(),
    "deleted chunk npz": lambda o: chunk(o, 3, "npz").unlink(),
    "deleted sidecar": lambda o: chunk(o, 0, "json").unlink(),
    "deleted whole chunk": lambda o: [chunk(o, 2, s).unlink(missing_ok=True) for s in ("csv", "npz", "json")],
    "two chunks swapped": lambda o: swap_chunks(o, 0, 3),
    "two chunks' csv swapped": lambda o: swap_chunks(o, 1, 2, ("csv",)),
    "a chunk duplicated over another": lambda o: duplicate(o, 0, 1),
    "an extra chunk beyond the sweep": extra,
    "the chunks folder deleted": lambda o: shutil.rmtree(o / "chunks"),
    "a sidecar of another index": lambda o: shutil.copyfile(chunk(o, 0, "json"), chunk(o, 1, "json")),
}

# Damage to the final files of a finished folder: a resume rebuilds them from the verified chunks.
REBUILT: dict[str, Callable[[Path], None]] = {
    "garbled manifest.json": lambda o: (o / "manifest.json").write_text("{\"files\": "),
    "truncated results.csv": lambda o: truncate(o / "results.csv"),
    "flipped byte in points.npz": lambda o: flip(o / "points.npz"),
    "garbled summary.json": lambda o: flip(o / "summary.json", 0.2),
    "deleted results.csv": lambda o: (o / "results.csv").unlink(),
    "flipped byte in one chunk's rows of results.csv": lambda o: flip(o / "results.csv", 0.45),
    "results.csv with its last byte cut": lambda o: (o / "results.csv").write_bytes(
        (o / "results.csv").read_bytes()[:-1]),
    "results.csv of another sweep": lambda o: (o / "results.csv").write_bytes(
        (o / "results.csv").read_bytes().replace(b"0.3", b"0.2")),
}
#: Damage to a chunk's CSV file, which a finished folder no longer has (its rows are in results.csv).
CHUNK_CSV = {"truncated chunk csv", "emptied chunk csv", "flipped byte in chunk csv", "deleted chunk csv",
             "two chunks' csv swapped"}

# Damage to the sweep's record: the folder cannot say which sweep it holds, so it is refused.
REFUSED: dict[str, tuple[Callable[[Path], None], int, str]] = {
    "truncated sweep.json": (lambda o: truncate(o / "sweep.json"), 3, "sweep.json: damaged"),
    "emptied sweep.json": (lambda o: (o / "sweep.json").write_bytes(b""), 3, "sweep.json: damaged"),
    "non-UTF-8 sweep.json": (lambda o: (o / "sweep.json").write_bytes(b"\xff\xfe{"), 3, "sweep.json: damaged"),
    "edited sweep.json": (lambda o: (o / "sweep.json").write_text((o / "sweep.json").read_text().replace(
        '"chunk_size": 13', '"chunk_size": 12', 1)), 3, "does not match its checksum"),
    "sweep.json of another sweep": (lambda o: (o / "sweep.json").write_text((o / "sweep.json").read_text().replace(
        "0.3", "0.2")), 3, "sweep.json: damaged"),
    "sweep.json a list": (lambda o: (o / "sweep.json").write_text("[1, 2]"), 3, "without checksums"),
    "deleted sweep.json": (lambda o: (o / "sweep.json").unlink(), 2, "no sweep.json"),
}


@pytest.mark.parametrize("state", [finished, interrupted])
@pytest.mark.parametrize("damage", list(REPAIRED))
def test_a_damaged_chunk_is_solved_again_on_resume_and_the_results_are_identical(reference, tmp_path, capsys,
                                                                                 state, damage):
    if state is finished and damage in CHUNK_CSV:
        pytest.skip("a finished folder keeps a chunk's rows only in results.csv (see REBUILT)")
    out = state(reference, tmp_path)
    REPAIRED[damage](out)
    code, err = resume(out, capsys)
    assert_repaired(out, reference, code, err)
    if damage == "an extra chunk beyond the sweep":
        assert "chunk-00099" in err and "ignored" in err
    elif damage not in ("deleted whole chunk", "the chunks folder deleted"):  # no file left: as if never reached
        assert "again" in err  # say so on stderr
    assert main([*ARGV, "-o", str(out), "--resume"]) == 0  # and the repaired folder verifies again


def test_a_chunk_of_another_sweep_is_solved_again(reference, tmp_path, capsys):
    out = interrupted(reference, tmp_path)
    foreign(out, tmp_path)
    code, err = resume(out, capsys)
    assert_repaired(out, reference, code, err)
    assert "another sweep" in err


@pytest.mark.parametrize("damage", list(REBUILT))
def test_damaged_final_files_are_rebuilt_identically_on_resume(reference, tmp_path, capsys, damage):
    out = finished(reference, tmp_path)
    REBUILT[damage](out)
    code, err = resume(out, capsys)
    assert_repaired(out, reference, code, err)


@pytest.mark.parametrize("state", [finished, interrupted])
@pytest.mark.parametrize("damage", list(REFUSED))
def test_a_damaged_sweep_record_is_refused_in_one_line(reference, tmp_path, capsys, state, damage):
    out = state(reference, tmp_path)
    how, exit_code, fragment = REFUSED[damage]
    how(out)
    code, err = resume(out, capsys)
    assert_refused(code, err, (exit_code,), fragment)
    assert not (out / ".results.csv.tmp").exists()


def test_resume_with_the_varied_parameters_in_another_order_is_refused(reference, tmp_path, capsys):
    out = interrupted(reference, tmp_path)
    swapped = ["sweep", SEED, "--vary", "s=0:0.3:3", "--vary", "mu=0:0.3:40", "--chunk-size", str(CHUNK),
               "--figures", "none", "--quiet", "--format", "csv"]
    code, err = resume(out, capsys, swapped)
    assert_refused(code, err, (2,), "order")
    assert not (out / "results.csv").exists()
    assert_repaired(out, reference, *resume(out, capsys))  # the right order still completes it


@pytest.mark.parametrize("extra_argv, fragment", [
    (["--set", "Delta=0.05"], "--set differs"),
    (["--chunk-size", "12"], "--chunk-size differs"),
])
def test_resume_of_another_sweep_names_what_differs(reference, tmp_path, capsys, extra_argv, fragment):
    out = interrupted(reference, tmp_path)
    code, err = resume(out, capsys, [*ARGV, *extra_argv])
    assert_refused(code, err, (2,), fragment)


def test_random_flips_truncations_and_deletions_anywhere_end_in_a_refusal_or_identical_results(reference, tmp_path,
                                                                                             capsys):
    rng = random.Random(14)
    for trial in range(int(os.environ.get("NEGOSIM_FLIP_TRIALS", "40"))):
        out = tmp_path / f"t{trial}"
        shutil.copytree(reference, out)
        files = sorted(p for p in out.rglob("*") if p.is_file())
        target = rng.choice(files)
        data = bytearray(target.read_bytes())
        how = rng.choice(["flip", "truncate", "delete"])
        if how == "delete":
            target.unlink()
        elif how == "truncate":
            target.write_bytes(bytes(data[: rng.randrange(len(data) + 1)]))
        elif data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
            target.write_bytes(bytes(data))
        code, err = resume(out, capsys)
        if code == 0:
            assert (out / "results.csv").read_bytes() == (reference / "results.csv").read_bytes(), target
        else:
            assert_refused(code, err)


def test_a_chunk_changed_between_its_writing_and_the_join_is_refused_then_repaired(tmp_path, reference, capsys):
    scenario = load_scenario(SEED)
    vary = {"mu": (0.0, 0.3, 40), "s": (0.0, 0.3, 3)}

    def damage_at_the_end(done: int, total: int) -> None:
        if done == total:
            truncate(chunk(tmp_path / "o", 4, "csv"))

    with pytest.raises(DamagedFolderError, match="chunk-00004.csv: changed since it was written"):
        run_sweep(scenario, vary, out_dir=tmp_path / "o", chunk_size=CHUNK, progress=damage_at_the_end,
                  table="csv")
    assert not (tmp_path / "o" / "results.csv").exists()
    assert_repaired(tmp_path / "o", reference, *resume(tmp_path / "o", capsys))


# --- plot verifies what it reads ----------------------------------------------------------
ONE = ["sweep", SEED, "--vary", "mu=0:0.3:31", "--chunk-size", "8", "--figures", "none", "--quiet", "--format", "csv"]


@pytest.fixture(scope="module")
def one_parameter(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("one") / "mu"
    assert main([*ONE, "-o", str(out)]) == 0
    return out


PLOT_DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "results.csv truncated": (lambda o: truncate(o / "results.csv"), "results.csv: changed"),
    "results.csv byte": (lambda o: flip(o / "results.csv", 0.7), "results.csv: changed"),
    "points.npz truncated": (lambda o: truncate(o / "points.npz"), "points.npz: changed"),
    "points.npz deleted": (lambda o: (o / "points.npz").unlink(), "points.npz: missing"),
    "summary.json byte": (lambda o: flip(o / "summary.json", 0.5), "summary.json: changed"),
    "manifest.json garbled": (lambda o: truncate(o / "manifest.json"), "manifest.json: damaged"),
    "manifest.json deleted": (lambda o: (o / "manifest.json").unlink(), "has not finished"),
    "sweep.json garbled": (lambda o: flip(o / "sweep.json", 0.5), "sweep.json: damaged"),
    "sweep.json of an unfinished rerun": (lambda o: (o / "sweep.json").write_text(
        (o / "sweep.json").read_text().replace('"chunk_size": 8', '"chunk_size": 9')), "sweep.json: damaged"),
}


@pytest.mark.parametrize("damage", list(PLOT_DAMAGE))
def test_plot_refuses_a_damaged_folder_in_one_line(one_parameter, tmp_path, capsys, damage):
    out = tmp_path / "mu"
    shutil.copytree(one_parameter, out)
    how, fragment = PLOT_DAMAGE[damage]
    how(out)
    capsys.readouterr()
    code = main(["plot", str(out)])
    assert_refused(code, capsys.readouterr().err, (3,), fragment)
    assert not list(out.glob("*.png"))


def test_plot_draws_an_undamaged_folder_and_a_regime_map_from_verified_files(one_parameter, reference, tmp_path):
    assert main(["plot", str(one_parameter), "-o", str(tmp_path / "a")]) == 0
    assert main(["plot", str(reference), "-o", str(tmp_path / "b")]) == 0
    assert (tmp_path / "a" / "outcome-mu.png").exists() and (tmp_path / "b" / "regime-map-mu-s.png").exists()


def test_plot_of_a_randomly_damaged_folder_refuses_or_draws_the_undamaged_figure(one_parameter, tmp_path, capsys):
    assert main(["plot", str(one_parameter), "-o", str(tmp_path / "good")]) == 0
    good = (tmp_path / "good" / "outcome-mu.png").read_bytes()
    rng = random.Random(7)
    for trial in range(int(os.environ.get("NEGOSIM_FLIP_TRIALS", "40")) // 2):
        out = tmp_path / f"t{trial}"
        shutil.copytree(one_parameter, out)
        target = rng.choice(sorted(p for p in out.iterdir() if p.is_file()))
        data = bytearray(target.read_bytes())
        if rng.random() < 0.5:
            target.write_bytes(bytes(data[: rng.randrange(len(data) + 1)]))
        else:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
            target.write_bytes(bytes(data))
        capsys.readouterr()
        code = main(["plot", str(out), "-o", str(tmp_path / f"fig{trial}")])
        if code == 0:
            assert (tmp_path / f"fig{trial}" / "outcome-mu.png").read_bytes() == good, target
        else:
            assert_refused(code, capsys.readouterr().err, (2, 3))


# --- identity -----------------------------------------------------------------------------
def test_the_identity_hash_keeps_the_order_of_the_varied_parameters_but_not_of_the_overrides():
    a = make_identity("x" * 64, {"s": 0.1, "k": 0.2}, "grid", {"mu": (0, 0.3, 5), "p": (0, 1, 3)}, None, None, 10)
    b = make_identity("x" * 64, {"k": 0.2, "s": 0.1}, "grid", {"mu": (0, 0.3, 5), "p": (0, 1, 3)}, None, None, 10)
    c = make_identity("x" * 64, {"s": 0.1, "k": 0.2}, "grid", {"p": (0, 1, 3), "mu": (0, 0.3, 5)}, None, None, 10)
    d = make_identity("x" * 64, {"s": 0.1, "k": 0.2}, "grid", {"mu": (0, 0.3, 5), "p": (0, 1, 3)}, None, None, 11)
    assert a.sha256 == b.sha256 and len({a.sha256, c.sha256, d.sha256}) == 3


# --- out-of-range options -----------------------------------------------------------------
@pytest.mark.parametrize("argv, fragment", [
    (["--vary", "mu=0:0.3:1000000000000"], "more than the bound of 100,000,000"),
    (["--vary", "mu=0:0.3:20000", "--vary", "s=0:0.3:20000"], "400,000,000 points"),
    (["--vary", "mu=0:0.3:1000", "--max-points", "999"], "more than the bound of 999"),
    (["--vary", "mu=0:0.3:10", "--max-points", "0"], "--max-points 0"),
    (["--design", "lhs", "--samples", "1e11", "--seed", "1"], "invalid int value"),
    (["--design", "lhs", "--samples", "100000000000", "--seed", "1"], "more than the bound"),
    (["--design", "lhs", "--samples", "30000000", "--seed", "1"], "draws"),  # 30M samples x 15 parameters
    (["--design", "sobol", "--samples", str(2**40), "--seed", "1"], "more than the bound"),
    (["--design", "lhs", "--samples", "64", "--seed", "-1"], "--seed -1"),
    (["--design", "lhs", "--samples", "64", "--seed", str(2**128)], "2**128"),
    (["--vary", "mu=0:0.3:10", "--chunk-size", "0"], "--chunk-size 0"),
    (["--vary", "mu=0:0.3:10", "--chunk-size", "1000000000000"], "from 1 to 1,000,000"),
    (["--vary", "mu=0:0.3:10", "--chunk-size", "-5"], "--chunk-size -5"),
])
def test_out_of_range_sweep_options_are_one_line_usage_errors(argv, fragment, tmp_path, capsys):
    code = main(["sweep", SEED, "-o", str(tmp_path / "o"), "--quiet", "--figures", "none", *argv])
    err = capsys.readouterr().err
    assert_refused(code, err, (2,), fragment)
    assert not (tmp_path / "o" / "chunks").exists()


@pytest.mark.parametrize("argv, fragment", [
    (["--method", "sobol", "--samples", "64", "--seed", "-1"], "--seed -1"),
    (["--method", "morris", "--seed", "-1"], "--seed -1"),
    (["--method", "sobol", "--samples", str(2**40)], "more than the bound of 10,000,000"),
    (["--method", "morris", "--trajectories", "1000000000000"], "more than the bound of 10,000,000"),
    (["--method", "morris", "--levels", "100000000000"], "at most 1,000"),
    (["--method", "sobol", "--samples", "1e11"], "invalid int value"),
])
def test_out_of_range_sensitivity_options_are_one_line_usage_errors(argv, fragment, capsys):
    code = main(["sensitivity", SEED, "--parameters", "p,mu", *argv])
    assert_refused(code, capsys.readouterr().err, (2,), fragment)


def test_a_named_sweep_beyond_the_bound_is_refused_by_the_library_too(tmp_path):
    with pytest.raises(UsageError, match="more than the bound"):
        run_sweep(load_scenario(SEED), {"mu": (0.0, 0.3, 10**12)}, out_dir=tmp_path)


# --- the folder lock ----------------------------------------------------------------------
BIG = ["sweep", SEED, "--vary", "p=0.2:0.8:400", "--vary", "mu=0:0.3:500", "--chunk-size", "5000",
       "--figures", "none", "--quiet", "--format", "csv"]


def _cli(argv: list[str]) -> list[str]:
    return [sys.executable, "-m", "negosim", *argv]


def _wait_for_chunks(out: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not list((out / "chunks").glob("chunk-*.json")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)


@pytest.fixture(scope="module")
def big_reference(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("big") / "ref"
    done = subprocess.run(_cli([*BIG, "-o", str(out)]), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return (out / "results.csv").read_bytes()


def test_two_concurrent_sweeps_into_one_folder_never_mix_even_when_the_lock_file_is_deleted(big_reference, tmp_path):
    out = tmp_path / "shared"
    first = subprocess.Popen(_cli([*BIG, "-o", str(out)]), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for_chunks(out, first)
    first.send_signal(signal.SIGSTOP)  # hold it mid-run, holding its lock, while the others try
    assert first.poll() is None, "the first sweep finished before the second could start"
    for lock_file in out.rglob(".lock"):
        lock_file.unlink()  # what defeated a lock held on a file
    (tmp_path / "alias").symlink_to(out)
    seconds = [subprocess.run(_cli([*BIG, "-o", str(where), *flag]), capture_output=True, text=True, timeout=120)
               for where in (out, tmp_path / "alias") for flag in ([], ["--resume"])]
    first.send_signal(signal.SIGCONT)
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    for second in seconds:
        assert second.returncode == 2 and "another negosim sweep is writing" in second.stderr, second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
    assert (out / "results.csv").read_bytes() == big_reference


def test_two_sweeps_started_together_give_one_result_and_one_refusal(big_reference, tmp_path):
    out = tmp_path / "race"
    procs = [subprocess.Popen(_cli([*BIG, "-o", str(out)]), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    # the loser finds the folder locked, or (started late) the finished sweep it must not overwrite
    assert sorted(code for code, _ in results) == [0, 2], results
    assert (out / "results.csv").read_bytes() == big_reference


def test_sigkill_at_random_moments_then_resume_is_byte_identical(big_reference, tmp_path):
    rng = random.Random(5)
    out = tmp_path / "killed"
    argv = _cli([*BIG, "-o", str(out)])
    for attempt in range(3):
        proc = subprocess.Popen(argv + (["--resume"] if attempt else []), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        _wait_for_chunks(out, proc)
        time.sleep(rng.uniform(0.0, 0.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    done = subprocess.run(argv + ["--resume"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (out / "results.csv").read_bytes() == big_reference
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"]["results.csv"]["bytes"] == len(big_reference)


def test_a_folder_replaced_during_a_run_stops_it_before_it_writes_again(tmp_path):
    out = tmp_path / "o"

    def replace_folder(done: int, total: int) -> None:
        if done == CHUNK:
            shutil.rmtree(out)
            out.mkdir()

    with pytest.raises(DamagedFolderError, match="removed or replaced while the sweep was writing"):
        run_sweep(load_scenario(SEED), {"mu": (0.0, 0.3, 40), "s": (0.0, 0.3, 3)}, out_dir=out, chunk_size=CHUNK,
                  progress=replace_folder)
    assert list(out.iterdir()) == []


def test_plot_refuses_a_sensitivity_file_missing_a_field_in_one_line(tmp_path, capsys):
    out = tmp_path / "sens"
    assert main(["sensitivity", SEED, "--parameters", "p,mu", "-o", str(out), "--figures", "none"]) == 0
    data = json.loads((out / "sensitivity.json").read_text())
    del data["players"]
    (out / "sensitivity.json").write_text(json.dumps(data))
    capsys.readouterr()
    code = main(["plot", str(out)])
    assert_refused(code, capsys.readouterr().err, (3,), "sensitivity.json: damaged")
