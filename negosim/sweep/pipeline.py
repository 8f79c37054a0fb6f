"""Solve one chunk while the one before it is encoded and written: a sweep in this process hands each
solved chunk to one writer thread.

Encoding a chunk (Parquet through pyarrow, which releases the GIL) and numpy's solving both run
mostly outside the GIL, so on a machine with two cores the two overlap almost fully: a serial sweep
takes about the longer of the two instead of their sum. The writer handles the chunks one at a time
in the order they were handed over, so the folder fills exactly as in a serial run: a chunk's sidecar
is written after its rows, and an interrupted sweep keeps every chunk whose sidecar exists.

At most `DEPTH` solved chunks wait for the writer, so memory stays bounded by a few chunks.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

#: Solved chunks that may wait for the writer (besides the one being written).
DEPTH = 1

_DONE = object()


class ChunkWriter:
    """A writer thread calling ``write(place, solved)`` for each pair handed to `put`, in order.

    Use it as a context manager. Leaving the block normally waits for every chunk to be written.
    Leaving it with an exception (an error while solving, Ctrl-C) still writes the chunks already
    handed over, since they are solved, and then lets the exception go on. An exception raised by
    `write` (a full disk, a lost folder lock, a progress callback that stops the sweep) stops the
    writer: later chunks are dropped unwritten, and the exception is raised in the calling thread by
    the next `put` or when the block ends.

    Parameters
    ----------
    write : callable
        ``write(place, solved)``: encodes and writes one chunk.
    depth : int
        Solved chunks that may wait (`put` blocks when that many are waiting).
    prepare : callable, optional
        Called once on the writer thread before the first chunk (an import the writing needs, done
        while the first chunk is solved); its exception is handled as one of `write`'s.

    Examples
    --------
    >>> written = []
    >>> with ChunkWriter(lambda place, solved: written.append((place, solved))) as writer:
    ...     for place in range(3):
    ...         writer.put(place, place * 10)
    >>> written
    [(0, 0), (1, 10), (2, 20)]
    >>> def fail(place, solved):
    ...     raise OSError("disk full")
    >>> with ChunkWriter(fail) as writer:
    ...     writer.put(0, "rows")
    Traceback (most recent call last):
    OSError: disk full
    """

    def __init__(self, write: Callable[[Any, Any], None], depth: int = DEPTH,
                 prepare: Callable[[], None] | None = None) -> None:
        self._write = write
        self._prepare = prepare
        self._queue: queue.Queue = queue.Queue(maxsize=max(1, depth))
        self._error: BaseException | None = None  # set once, by the writer thread: it is stopped from then on
        self._raised = False
        self._thread = threading.Thread(target=self._run, name="negosim-chunk-writer", daemon=True)

    def __enter__(self) -> ChunkWriter:
        self._thread.start()
        return self

    def put(self, place: Any, solved: Any) -> None:
        """Hand over one solved chunk (blocks while `depth` chunks wait); raise the writer's error, if any."""
        self._raise()
        self._queue.put((place, solved))

    def __exit__(self, kind, exc, tb) -> None:
        self._queue.put(_DONE)
        self._join()
        if exc is None:
            self._raise()

    def _join(self) -> None:
        # A Ctrl-C while waiting here interrupts the wait only: the writer finishes what it holds.
        while self._thread.is_alive():
            try:
                self._thread.join(timeout=0.1)
            except KeyboardInterrupt:
                self._join()
                raise

    def _raise(self) -> None:
        if self._error is not None and not self._raised:
            self._raised = True  # raised once; the writer stays stopped
            raise self._error

    def _run(self) -> None:
        if self._prepare is not None:
            try:
                self._prepare()
            except BaseException as exc:  # noqa: BLE001 (handed to the calling thread, which raises it)
                self._error = exc
        while (item := self._queue.get()) is not _DONE:
            if self._error is not None:
                continue  # stopped: drop what comes, but keep taking it so that `put` never blocks for ever
            try:
                self._write(*item)
            except BaseException as exc:  # noqa: BLE001 (handed to the calling thread, which raises it)
                self._error = exc


__all__ = ["DEPTH", "ChunkWriter"]
