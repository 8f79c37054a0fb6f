"""Atomic writes: the final name holds the whole file or its old content, never a part; temporary files
are private, created exclusively beside the final name, and never left behind."""

import os
import stat

import pytest

from negosim.io import atomic
from negosim.io.atomic import atomic_path, write_atomic


def test_a_written_file_is_whole_readable_by_all_and_leaves_no_temporary_file(tmp_path):
    final = tmp_path / "out.bin"
    digest = write_atomic(final, b"\x00\x01payload")
    assert final.read_bytes() == b"\x00\x01payload" and len(digest) == 64
    assert stat.S_IMODE(final.stat().st_mode) == atomic.FILE_MODE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_an_error_leaves_the_old_file_and_removes_the_temporary_one(tmp_path):
    final = tmp_path / "out.txt"
    final.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(final) as partial:
        assert partial.parent == tmp_path and partial.name.startswith(".out.txt.") and partial.name.endswith(".tmp")
        assert stat.S_IMODE(partial.stat().st_mode) == 0o600  # private while it is being written
        partial.write_text("half")
        raise RuntimeError("interrupted")
    assert final.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_temporary_name_already_taken_is_drawn_again(tmp_path, monkeypatch):
    draws = iter([b"\x01" * 6, b"\x01" * 6, b"\x02" * 6])
    monkeypatch.setattr(atomic.os, "urandom", lambda n: next(draws))
    (tmp_path / f".out.txt.{'01' * 6}.tmp").write_text("another writer's")
    write_atomic(tmp_path / "out.txt", "mine")
    assert (tmp_path / "out.txt").read_text() == "mine"
    assert (tmp_path / f".out.txt.{'01' * 6}.tmp").read_text() == "another writer's"  # not overwritten


def test_a_relative_path_is_written_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_atomic("plain.txt", "text")
    assert (tmp_path / "plain.txt").read_text() == "text"
    assert os.listdir(tmp_path) == ["plain.txt"]
