"""The class on a Dask distributed cluster (``hlm-grader grade --scheduler``): the same work as the
worker pool of :mod:`grader.batch.workers`, each task's failure kept to itself."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from grader.batch.workers import Failure
from grader.errors import ExecutionError

T = TypeVar("T")
R = TypeVar("R")


def run_dask(
    tasks: Sequence[T],
    work: Callable[[T], R],
    *,
    address: str,
    on_done: Callable[[T, R | Failure], None],
) -> None:
    """Like :func:`run_pool`, on the Dask distributed cluster whose scheduler is at ``address``.

    Dask retries a task whose worker died on another worker and gives up after a few deaths
    (``KilledWorker``); that, like anything the work raises, becomes the task's :class:`Failure`.

    Raises:
        ExecutionError: Dask is not installed, or the scheduler cannot be reached.
    """
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise ExecutionError(
            "`hlm-grader grade --scheduler` needs Dask distributed: pip install 'hlm-grader[dask]'"
        ) from exc
    try:
        client = Client(address, timeout=30)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ExecutionError(
            f"Could not connect to the Dask scheduler at {address} ({exc}); check the address "
            "(e.g. tcp://host:8786) and that the scheduler is running."
        ) from exc
    with client:
        # Sent to each worker once, not once per task: it may carry the whole data file.
        shared = client.scatter(work, broadcast=True, hash=False)
        futures = {client.submit(_call, shared, task, pure=False): task for task in tasks}
        for future in as_completed(futures):
            on_done(futures[future], _dask_result(future))


def _call(work: Callable[[T], R], task: T) -> R:
    return work(task)


def _dask_result(future: Any) -> Any:
    try:
        return future.result()
    except Exception as exc:  # whatever the cluster raises is this task's failure alone
        if type(exc).__name__ == "KilledWorker":
            return Failure("The grader's worker process died on this submission, repeatedly.")
        return Failure(f"The grader failed on this submission ({type(exc).__name__}: {exc}).")
