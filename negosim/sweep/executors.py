"""Where a sweep's chunks run: this process, local worker processes (`--jobs N`), or a Dask cluster
(`--scheduler tcp://HOST:PORT`, with the optional `distributed` extra).

Every chunk is solved and encoded by the same function (`negosim.sweep.chunk_solve.encoded_chunk`, which
calls `solve_chunk`) from the same arguments, and the main process writes what comes back (the
chunk's Parquet or CSV bytes and its labels), so the results are identical whichever
executor runs them. From Python, `run_sweep(..., executor=...)` takes any
`concurrent.futures.Executor`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import UsageError

if TYPE_CHECKING:  # (concurrent.futures is imported when chunks are solved elsewhere: --jobs, --scheduler)
    from concurrent.futures import Executor

#: Seconds to wait for a Dask scheduler to answer before giving up.
CONNECT_TIMEOUT = 15


@contextlib.contextmanager
def sweep_executor(jobs: int | None = None, scheduler: str | None = None) -> Iterator[Executor | None]:
    """Yield the executor for `jobs` local processes or a Dask `scheduler` address (None: in-process);
    shut it down (cancelling what has not started) when the block ends, however it ends.

    A context manager (`contextlib.contextmanager`).

    Parameters
    ----------
    jobs : int, optional
        Local worker processes (None or 1: this process).
    scheduler : str, optional
        A Dask scheduler's address (needs the optional ``distributed`` extra).

    Yields
    ------
    concurrent.futures.Executor or None
        The executor for `run_sweep`'s `executor`; None to solve in this process.

    Raises
    ------
    NegosimUsageError
        For both `jobs` and `scheduler`, or `jobs` below 1.

    Examples
    --------
    >>> with sweep_executor() as ex:
    ...     print(ex)
    None
    >>> with sweep_executor(jobs=2) as ex:
    ...     type(ex).__name__
    'ProcessPoolExecutor'
    """
    if jobs is not None and scheduler is not None:
        raise UsageError("give --jobs or --scheduler, not both")
    if scheduler is not None:
        with _dask_executor(scheduler) as ex:
            yield ex
        return
    if jobs is None or jobs == 1:
        yield None
        return
    if jobs < 1:
        raise UsageError(f"--jobs must be a positive number of processes (got {jobs}; this machine has "
                         f"{os.cpu_count()} cores)")
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_interrupts)
    try:
        yield pool
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _ignore_interrupts() -> None:
    """In a worker: leave Ctrl-C to the main process, which stops the workers itself (a terminal sends
    SIGINT to every process of the group, and each worker would print its own traceback)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop(pool) -> None:
    """Cancel what has not started and end the workers now: a chunk being solved is not waited for
    (its result would not be written anyway), so Ctrl-C returns at once."""
    pool.shutdown(wait=False, cancel_futures=True)
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for proc in processes:
        proc.terminate()
    for proc in processes:
        proc.join(timeout=5)


@contextlib.contextmanager
def _dask_executor(address: str) -> Iterator[Executor]:
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--scheduler needs dask.distributed: pip install 'negosim[distributed]'") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(f"--scheduler {address}: cannot reach a Dask scheduler there ({reason})") from None
    try:
        yield client.get_executor()
    finally:
        client.close()


__all__ = ["sweep_executor"]


#: Chunks in flight on an executor at once: enough to keep a cluster busy, few enough that the
#: finished-but-unwritten results stay small (each is one chunk's CSV text).
MAX_IN_FLIGHT = 32


def run_on(executor: Executor, todo: Sequence, task: Callable[[Any], tuple], finished: Callable) -> None:
    """Run ``fn(*args)`` for ``(fn, *args) = task(place)`` of each place in `todo` on `executor`, at most
    MAX_IN_FLIGHT at a time, and call ``finished(place, result)`` in the places' order as they finish; on
    an error or interrupt cancel the rest (what finished has been handed over)."""
    from concurrent.futures import FIRST_COMPLETED, wait

    pending: dict = {}
    queue = list(todo)
    try:
        while queue or pending:
            while queue and len(pending) < MAX_IN_FLIGHT:
                place = queue.pop(0)
                pending[executor.submit(*task(place))] = place
            ready, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for fut in sorted(ready, key=lambda f: pending[f].index):
                finished(pending.pop(fut), fut.result())
    finally:
        for fut in pending:
            fut.cancel()
