"""Atomic file writing: a reader (or a crash) never sees a half-written file under its final name.

Every file negosim writes (sweep tables and their chunks, figures, handouts, Gambit and LaTeX
files) goes through `atomic_path`: the data go to a temporary file in the same folder, which is
then moved over the final name with `os.replace` (atomic on POSIX and Windows); on any error the
temporary file is removed and the final name is untouched.

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> digest = write_atomic(os.path.join(folder, "a.txt"), "hello\\n")
>>> open(os.path.join(folder, "a.txt")).read(), sorted(os.listdir(folder))
('hello\\n', ['a.txt'])
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

#: Permissions of a finished file: readable by everyone (mkstemp creates private files).
FILE_MODE = 0o644


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside `path`; when the block ends without error, move it to `path`.

    Parameters
    ----------
    path : str or PathLike
        The final name. Its folder must exist.

    Yields
    ------
    Path
        Where to write (a file already created, empty).

    Raises
    ------
    OSError
        From the filesystem (the temporary file is removed first).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from negosim.io.atomic import atomic_path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     final = pathlib.Path(folder) / "out.txt"
    ...     with atomic_path(final) as partial:
    ...         _ = partial.write_text("done")
    ...         print(final.exists())
    ...     print(final.read_text())
    False
    done
    """
    final = Path(path)
    fd, tmp = _create_beside(final)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _create_beside(final: Path) -> tuple[int, str]:
    """Create a new private file ``.NAME.RANDOM.tmp`` in `final`'s folder, as `tempfile.mkstemp` would (created
    exclusively, mode 0600, symbolic links not followed), without importing `tempfile` (and `random` and
    `shutil` with it: several milliseconds at the start of every CLI command that writes)."""
    folder = final.parent if str(final.parent) else Path(".")
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):  # a name already taken (by another writer's temporary file) is drawn again
        tmp = str(folder / f".{final.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder}: no free temporary name for {final.name} after 100 tries")


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> str:
    """Write `data` (text as UTF-8, or bytes) to `path` atomically (see `atomic_path`); return the
    SHA-256 of the bytes written (sweep folders record it to check the file before trusting it).

    Parameters
    ----------
    path : str or PathLike
        The final name. Its folder must exist.
    data : str or bytes
        What to write.

    Returns
    -------
    str
        The hexadecimal SHA-256 of the bytes written.

    Raises
    ------
    OSError
        From the filesystem; nothing is left at `path` that was not there before.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from negosim.io.atomic import write_atomic
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_atomic(pathlib.Path(folder) / "a.txt", "abc")[:12]
    'ba7816bf8f01'
"""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path) as tmp:
        tmp.write_bytes(raw)
    return hashlib.sha256(raw).hexdigest()


__all__ = ["FILE_MODE", "atomic_path", "write_atomic"]
