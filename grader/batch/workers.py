"""Running one function over many tasks in worker processes, each task's failure kept to itself.

A worker that dies (a segfault, the OOM killer, ``os._exit`` in code it ran) or overruns its time
limit costs only the task it was running: that task gets a :class:`Failure`, the worker is replaced,
and every other task goes on. :class:`concurrent.futures.ProcessPoolExecutor` cannot promise that
(one dead worker breaks the whole pool and fails every pending task), hence this small pool.

Workers fork from a ``forkserver`` that imported the heavy modules once, so a replacement starts in
milliseconds and no task pays for importing statsmodels or sympy again.
:func:`grader.batch.cluster.run_dask` does the same work on a Dask distributed cluster instead.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.forkserver
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from grader.errors import ExecutionError

T = TypeVar("T")
R = TypeVar("R")

# Imported once by the forkserver, so that every worker forked from it starts with them loaded.
PRELOAD = ("grader.check", "grader.judge.engine", "reference.equations.model", "reference.quantities",
           "statsmodels.formula.api")  # fmt: skip
# Seconds a worker asked to stop gets to shut its kernel down before it is killed.
_STOP_GRACE = 5.0
# Workers dying before their first task this often mean none can start: stop trying.
_MAX_START_FAILURES = 3


@dataclass(frozen=True, slots=True)
class Failure:
    """A task that produced no result: its worker died, overran, or the work raised."""

    reason: str


def run_pool(
    tasks: Sequence[T],
    work: Callable[[T], R],
    *,
    jobs: int,
    on_done: Callable[[T, R | Failure], None],
    limit: float | None = None,
    preload: Sequence[str] = PRELOAD,
    on_start: Callable[[T], None] | None = None,
) -> None:
    """Run ``work(task)`` for every task in ``jobs`` worker processes; call ``on_done`` as each ends.

    Args:
        tasks: picklable inputs, one per call of ``work``.
        work: a picklable (module-level) function; what it raises becomes a :class:`Failure`.
        jobs: worker processes at most.
        on_done: called in this process with each task and its result, in completion order.
        limit: seconds one task may take before its worker is stopped (None: no limit).
        preload: modules the forkserver imports for its workers, the first time it starts.
        on_start: called in this process with each task as a worker starts on it.
    """
    if not tasks:
        return
    context = start_forkserver(preload)
    pool: _Pool[T, R] = _Pool(context, work, limit, on_start)
    try:
        pool.run(deque(tasks), max(1, min(jobs, len(tasks))), on_done)
    finally:
        pool.close()


def start_forkserver(preload: Sequence[str] = PRELOAD) -> Any:
    """Start the forkserver now, so its imports overlap whatever the caller does before
    :func:`run_pool` (which calls it too); returns the multiprocessing context."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    multiprocessing.forkserver.ensure_running()
    return context


@dataclass(slots=True)
class _Worker(Generic[T]):
    process: BaseProcess
    conn: Connection
    task: T | None = None
    started: float = 0.0
    ready: bool = False  # set by its first message, once the work function is loaded


@dataclass(frozen=True, slots=True)
class _Ready:
    """A worker's first message: from now on, a task's time limit is the task's own."""


@dataclass(frozen=True, slots=True)
class _Raised:
    """Sent by a worker whose work function raised: the worker itself is fine and is kept."""

    reason: str


class _Pool(Generic[T, R]):
    """The workers of one :func:`run_pool` call."""

    def __init__(
        self,
        context: Any,
        work: Callable[[T], R],
        limit: float | None,
        on_start: Callable[[T], None] | None = None,
    ) -> None:
        self.context, self.work, self.limit, self.on_start = context, work, limit, on_start
        self.workers: list[_Worker[T]] = []
        self.start_failures = 0

    def run(self, pending: deque[T], size: int, on_done: Callable[[T, R | Failure], None]) -> None:
        self.workers = [self._spawn() for _ in range(size)]
        while pending or any(w.task is not None for w in self.workers):
            for worker in self.workers:
                if worker.ready and worker.task is None and pending:
                    worker.task, worker.started = pending.popleft(), time.monotonic()
                    worker.conn.send(worker.task)
                    if self.on_start is not None:
                        self.on_start(worker.task)
            self._wait()
            for index, worker in enumerate(self.workers):
                if worker.ready:
                    self._collect(index, worker, on_done)
                else:
                    self._starting(index, worker)

    def _starting(self, index: int, worker: _Worker[T]) -> None:
        with contextlib.suppress(EOFError, OSError):
            if worker.conn.poll() and isinstance(worker.conn.recv(), _Ready):
                worker.ready = True
                return
        if worker.process.is_alive():
            return
        self.start_failures += 1
        if self.start_failures >= _MAX_START_FAILURES:
            raise ExecutionError(
                f"The grader's worker processes exit as they start ({_death(worker.process.exitcode)}"
                "); run one notebook with hlm-grader check to see the error."
            )
        self.workers[index] = self._replace(worker)

    def _collect(
        self, index: int, worker: _Worker[T], on_done: Callable[[T, R | Failure], None]
    ) -> None:
        if worker.task is None or (outcome := self._outcome(worker)) is None:
            return
        task, worker.task = worker.task, None
        if isinstance(outcome, Failure):  # only this process makes these: the worker is gone
            self.workers[index] = self._replace(worker)
        elif isinstance(outcome, _Raised):
            outcome = Failure(outcome.reason)
        on_done(task, outcome)

    def _spawn(self) -> _Worker[T]:
        parent, child = self.context.Pipe()
        # Not daemonic: grading may start processes of its own, which daemons may not.
        process = self.context.Process(target=_serve, args=(child, self.work),
                                       name="hlm-grader-worker")  # fmt: skip
        process.start()
        child.close()
        return _Worker(process, parent)

    def _wait(self) -> None:
        busy = [w for w in self.workers if w.task is not None]
        watched = [w for w in self.workers if w.task is not None or not w.ready]
        handles: list[Any] = [h for w in watched for h in (w.conn, w.process.sentinel)]
        wait(handles, timeout=self._next_deadline(busy))

    def _next_deadline(self, busy: list[_Worker[T]]) -> float | None:
        if self.limit is None or not busy:
            return None
        soonest = min(w.started for w in busy) + self.limit
        return max(0.0, soonest - time.monotonic()) + 0.01

    def _outcome(self, worker: _Worker[T]) -> R | _Raised | Failure | None:
        if worker.conn.poll():
            try:
                return worker.conn.recv()  # type: ignore[no-any-return]
            except (EOFError, OSError):
                pass  # the worker died: its exit code tells how, below
        if not worker.process.is_alive():
            worker.process.join()
            return Failure(_death(worker.process.exitcode))
        if self.limit is not None and time.monotonic() - worker.started > self.limit:
            return Failure(f"The grader stopped this submission after {self.limit:g} s.")
        return None

    def _replace(self, worker: _Worker[T]) -> _Worker[T]:
        _stop(worker)
        return self._spawn()

    def close(self) -> None:
        for worker in self.workers:
            if worker.task is None and worker.process.is_alive():
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
        for worker in self.workers:
            worker.process.join(timeout=_STOP_GRACE if worker.task is None else 0)
            _stop(worker)


def _stop(worker: _Worker[Any]) -> None:
    # SIGTERM first: the worker exits through its finally blocks, which shut its kernel down.
    process = worker.process
    if process.is_alive():
        process.terminate()
        process.join(_STOP_GRACE)
    if process.is_alive():
        process.kill()
        process.join(_STOP_GRACE)
    worker.conn.close()


def _death(code: int | None) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"The grader's worker process was killed by {signal.Signals(-code).name}."
    return f"The grader's worker process exited unexpectedly (exit code {code})."


def _serve(conn: Connection, work: Callable[[Any], Any]) -> None:
    # Stopping a worker must run the finally blocks that shut a student's kernel down.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    conn.send(_Ready())
    while (task := _next_task(conn)) is not None:
        try:
            result: Any = work(task)
        except Exception as exc:  # reported per task; the worker stays usable
            result = _Raised(f"The grader failed on this submission ({type(exc).__name__}: {exc}).")
        try:
            conn.send(result)
        except Exception as exc:  # e.g. an unpicklable result
            conn.send(_Raised(f"The grader could not return this result ({exc})."))


def _next_task(conn: Connection) -> Any:
    try:
        return conn.recv()
    except EOFError:  # the parent is gone: nobody wants the result
        return None
