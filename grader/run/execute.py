"""Running a student's notebook in a fresh, limited kernel and saying what happened.

Everything a notebook can do wrong (raise, loop forever, exhaust memory, kill its kernel, print
gigabytes, wait for input) ends up in the :class:`ExecutionResult`; only the grader's own failures
(no kernel can start, the data file is missing) raise :class:`~grader.errors.ExecutionError`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import time
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

import nbformat

from grader.run.client import MB, CappedClient
from grader.run.notebook_file import notebook_notes, read_notebook, strip_outputs
from grader.run.results import CellRun, CellStatus, ExecutionResult
from grader.run.runner import Runner, Say
from grader.run.sandbox import Limits, kernel_launch, resolve_sandbox
from grader.run.workdir import make_workdir, read_artifacts, remove_workdir

__all__ = ["CellRun", "CellStatus", "ExecutionResult", "run_notebook"]

MIB = 1024**2
DEFAULT_MAX_OUTPUT_BYTES = 1 * MB
DEFAULT_MAX_ARTIFACT_BYTES = 5 * MB
_T = TypeVar("_T")


def run_notebook(
    path: Path,
    *,
    data_file: Path,
    data_path: str,
    say: Say,
    extra_cells: Sequence[str] = (),
    artifacts: Sequence[str] = (),
    cell_timeout: float = 120,
    total_timeout: float = 600,
    memory_mb: int = 4096,
    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
    max_artifact_bytes: int = DEFAULT_MAX_ARTIFACT_BYTES,
    sandbox: bool | None = None,
    notebook: nbformat.NotebookNode | None = None,
) -> ExecutionResult:
    """Run a notebook in a fresh kernel, then the grader's ``extra_cells`` in the same kernel.

    The kernel's working directory holds only a copy of the notebook and a copy of the data at
    ``data_path``. Cells run in order and errors do not stop the run, so later cells
    can still define answers. The original notebook and data file are never written to.

    Args:
        path: The submitted notebook.
        data_file: The assignment's data (or a perturbed copy), copied to ``data_path``.
        data_path: Where the notebook reads the data, relative to it (``data/hsb12.sav``).
        say: The assignment's sentences (``GradingConfig.say``): what the run reports is said
            in its words (``run.*``).
        extra_cells: Code run after the notebook, e.g. to write ``answers.json``; they start in
            the working directory even if the notebook changed directory.
        artifacts: Plain file names to read back from the working directory afterwards.
        cell_timeout: Seconds a single cell may run before it is interrupted.
        total_timeout: Seconds the notebook's cells may run in total (extra cells excluded).
        memory_mb: Address-space limit of the kernel.
        max_output_bytes: Output kept per cell; beyond it the cell's output is cut with a note.
        max_artifact_bytes: Largest artifact read back; a bigger one is ignored with a note.
        sandbox: True to require bubblewrap, False to run without it, None to use it if usable.
        notebook: ``path`` as :func:`~grader.run.notebook_file.read_notebook` read it, when the
            caller already did (a notebook is read once per run).

    Raises:
        NotebookError: The file is not a runnable notebook.
        ExecutionError: The grader could not run it (no kernel, no sandbox when required, ...).
    """
    started = time.monotonic()
    _check_names(artifacts)
    notebook = notebook if notebook is not None else read_notebook(path)
    sandboxed = resolve_sandbox(sandbox)
    work = make_workdir(path, data_file, data_path)
    try:
        limits = Limits(memory_mb * MIB, output_chars=max_output_bytes)
        launch = kernel_launch(work, sandboxed=sandboxed, limits=limits)
        runnable = _with_extra_cells(strip_outputs(notebook), extra_cells, work.root)
        # The kernel cuts stdout and stderr itself; the margin lets its note and a traceback
        # through while still bounding rich outputs.
        client = CappedClient(runnable, launch, max_output_bytes + 64 * 1024)
        runner = Runner(client, len(notebook.cells), (cell_timeout, total_timeout), say)
        _run_sync(runner.run())
        found, artifact_notes = read_artifacts(work, artifacts, max_artifact_bytes)
    finally:
        remove_workdir(work)
    return runner.result(
        notes=notebook_notes(notebook) + artifact_notes,
        artifacts=found,
        elapsed=time.monotonic() - started,
    )


def _check_names(names: Sequence[str]) -> None:
    for name in names:
        if not name or name in {".", ".."} or "/" in name or os.sep in name:
            raise ValueError(f"artifact names must be plain file names, got {name!r}")


def _with_extra_cells(
    notebook: nbformat.NotebookNode, sources: Sequence[str], cwd: Path
) -> nbformat.NotebookNode:
    # A notebook that called os.chdir must not make the grader's files land elsewhere; the
    # __import__ form binds no name in the student's namespace.
    sources = (
        [f"__import__('os').chdir({str(cwd)!r})\n{sources[0]}", *sources[1:]] if sources else []
    )
    notebook.cells.extend(nbformat.v4.new_code_cell(source) for source in sources)
    return notebook


def _run_sync(coroutine: Coroutine[Any, Any, _T]) -> _T:
    if not _in_running_loop():
        return asyncio.run(coroutine)
    # Called from inside a running loop (e.g. a Jupyter notebook): run in a thread of our own.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _in_running_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
