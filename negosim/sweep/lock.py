"""The lock a sweep holds on its folder while it writes, so two sweeps never write one folder.

The lock is the operating system's, held on the folder itself (``flock`` on a descriptor of the
directory, kept open for the whole run), not on a file inside it: deleting a file cannot release it,
and it goes away with the process, however the process ends. Where the directory cannot be locked
(``flock`` on a directory is refused by some network filesystems) a ``.lock`` file in it is locked
instead; on Windows, where an open file cannot be deleted, ``msvcrt.locking`` locks that file.

Because a folder removed and made again under the same name is a new directory, `FolderLock.check`
compares the path with the directory the lock holds, and the sweep calls it before each write.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d, FolderLock(d) as lock:
...     lock.check()
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from ..errors import UsageError
from .identity import DamagedFolderError

LOCK_FILE = ".lock"
_BUSY = (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES)


def _busy(folder: Path) -> UsageError:
    return UsageError(f"{folder}: another negosim sweep is writing to this folder; wait for it to finish (then "
                      "--resume if it was interrupted) or use another folder")


class FolderLock:
    """An exclusive operating-system lock on a sweep folder, held from ``__enter__`` to ``__exit__``.

    Parameters
    ----------
    out_dir : path
        The folder (made if missing).

    Raises
    ------
    UsageError
        On entry, if another process holds the lock.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with FolderLock(Path(d) / "sweep") as lock:
    ...         lock.check()
    ...     (Path(d) / "sweep").is_dir()
    True
    """

    def __init__(self, out_dir: Path | str):
        self.folder = Path(out_dir)
        self._fds: list[int] = []
        self._identity: tuple[int, int] | None = None

    def __enter__(self) -> FolderLock:
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            import fcntl
        except ImportError:
            self._lock_windows()
            return self
        fd = os.open(self.folder, os.O_RDONLY)
        self._fds.append(fd)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in _BUSY:
                self._release()
                raise _busy(self.folder) from None
            self._lock_file(fcntl)  # this filesystem does not lock directories
        st = os.fstat(fd)
        self._identity = (st.st_dev, st.st_ino)
        return self

    def _lock_file(self, fcntl) -> None:
        """Lock ``.lock`` in the folder instead (the inode check in `check` still guards the folder)."""
        fd = os.open(self.folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        self._fds.append(fd)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._release()
            raise _busy(self.folder) from None

    def _lock_windows(self) -> None:
        try:
            import msvcrt
        except ImportError:  # neither flock nor msvcrt: no lock to take on this platform
            return
        fd = os.open(self.folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        self._fds.append(fd)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            self._release()
            raise _busy(self.folder) from None

    def check(self) -> None:
        """Raise DamagedFolderError if the folder was removed or replaced since the lock was taken."""
        if self._identity is None:
            return
        try:
            st = os.stat(self.folder)
        except FileNotFoundError:
            st = None
        if st is None or (st.st_dev, st.st_ino) != self._identity:
            raise DamagedFolderError(self.folder, "removed or replaced while the sweep was writing to it; run the "
                                     "sweep again")

    def _release(self) -> None:
        while self._fds:
            os.close(self._fds.pop())  # closing releases the lock

    def __exit__(self, *exc: object) -> None:
        self._release()


__all__ = ["FolderLock"]
