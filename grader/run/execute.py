"""Running a student's notebook in a fresh, limited kernel and saying what happened.

Everything a notebook can do wrong (raise, loop forever, exhaust memory, kill its kernel, print
gigabytes, wait for input) ends up in the :class:`ExecutionResult`; only the grader's own failures
(no kernel can start, the data file is missing) raise :class:`~grader.errors.ExecutionError`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, TypeVar

import nbformat
import zmq
from jupyter_core.utils import ensure_async
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from grader.errors import ExecutionError
from grader.run.notebook_file import notebook_notes, read_notebook, strip_outputs
from grader.run.sandbox import (
    GraderKernelManager,
    KernelLaunch,
    Limits,
    WorkDir,
    kernel_launch,
    make_workdir,
    read_artifacts,
    remove_workdir,
    resolve_sandbox,
)

MB = 1000**2
MIB = 1024**2
DEFAULT_MAX_OUTPUT_BYTES = 1 * MB
DEFAULT_MAX_ARTIFACT_BYTES = 5 * MB
CellStatus = Literal["ok", "error", "timeout", "skipped"]

# Name of the error nbclient reports for a cell it interrupted after its time limit.
_TIMEOUT_NAME = "GraderCellTimeout"
# Seconds an interrupted kernel gets to become responsive again before we give up on it.
_INTERRUPT_GRACE = 5
# Seconds to wait for a cell's last outputs once its reply is in (nbclient's default).
_IOPUB_GRACE = 4
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class CellRun:
    """What happened to one code cell.

    Attributes:
        index: Position of the cell in the notebook (0-based, counting every cell); for an extra
            cell, its position in ``extra_cells``.
        status: ``ok``, ``error`` (it raised, or the kernel died in it), ``timeout`` (interrupted
            after its time limit) or ``skipped`` (never run).
        error_name: The exception's name, e.g. ``"ZeroDivisionError"``.
        error_message: One line describing the error.
        elapsed: Wall-clock seconds the cell ran.
    """

    index: int
    status: CellStatus
    error_name: str | None = None
    error_message: str | None = None
    elapsed: float = 0.0


@dataclass(frozen=True, slots=True)
class ExecutionResult:
    """The outcome of one notebook run.

    Attributes:
        cells: One entry per code cell of the notebook, in order.
        extra_cells: One entry per extra (grader) cell, run after the notebook.
        error: One sentence on what went wrong with the run as a whole (a timeout, a dead or
            stuck kernel, a failed extra cell); None when the run went through. Exceptions inside
            student cells are not run errors: they are in ``cells``.
        timed_out: A cell hit its time limit or the notebook hit its overall deadline.
        kernel_died: The kernel process ended while running a cell.
        sandboxed: The kernel ran inside bubblewrap.
        elapsed: Wall-clock seconds of the whole run, kernel start and clean-up included.
        artifacts: Files the run left in its working directory, by name (only the names asked
            for, only regular files within the size cap).
        notes: Sentences about oddities that did not stop the run (no cells, another kernel,
            an oversized artifact).
        notebook: The executed notebook without the extra cells, outputs capped.
    """

    cells: tuple[CellRun, ...]
    extra_cells: tuple[CellRun, ...]
    error: str | None
    timed_out: bool
    kernel_died: bool
    sandboxed: bool
    elapsed: float
    artifacts: Mapping[str, bytes] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    notebook: nbformat.NotebookNode | None = field(default=None, repr=False, compare=False)


# One kernel message above this is dropped by ZMQ, which also ends the iopub connection: the run
# then goes on without outputs. Only a kernel working around its own output cap gets there.
_MAX_MESSAGE_BYTES = 64 * MB


def run_notebook(
    path: Path,
    *,
    data_file: Path,
    data_path: str,
    extra_cells: Sequence[str] = (),
    artifacts: Sequence[str] = (),
    cell_timeout: float = 120,
    total_timeout: float = 600,
    memory_mb: int = 4096,
    max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
    max_artifact_bytes: int = DEFAULT_MAX_ARTIFACT_BYTES,
    sandbox: bool | None = None,
) -> ExecutionResult:
    """Run a notebook in a fresh kernel, then the grader's ``extra_cells`` in the same kernel.

    The kernel's working directory holds only a copy of the notebook and a copy of the data at
    ``data_path``. Cells run in order and errors do not stop the run, so later cells
    can still define answers. The original notebook and data file are never written to.

    Args:
        path: The submitted notebook.
        data_file: The assignment's data (or a perturbed copy), copied to ``data_path``.
        data_path: Where the notebook reads the data, relative to it (``data/hsb12.sav``).
        extra_cells: Code run after the notebook, e.g. to write ``answers.json``; they start in
            the working directory even if the notebook changed directory.
        artifacts: Plain file names to read back from the working directory afterwards.
        cell_timeout: Seconds a single cell may run before it is interrupted.
        total_timeout: Seconds the notebook's cells may run in total (extra cells excluded).
        memory_mb: Address-space limit of the kernel.
        max_output_bytes: Output kept per cell; beyond it the cell's output is cut with a note.
        max_artifact_bytes: Largest artifact read back; a bigger one is ignored with a note.
        sandbox: True to require bubblewrap, False to run without it, None to use it if usable.

    Raises:
        NotebookError: The file is not a runnable notebook.
        ExecutionError: The grader could not run it (no kernel, no sandbox when required, ...).
    """
    started = time.monotonic()
    _check_names(artifacts)
    notebook = read_notebook(path)
    sandboxed = resolve_sandbox(sandbox)
    work = make_workdir(path, data_file, data_path)
    try:
        limits = Limits(memory_mb * MIB, output_chars=max_output_bytes)
        launch = kernel_launch(work, sandboxed=sandboxed, limits=limits)
        runnable = _with_extra_cells(strip_outputs(notebook), extra_cells, work.root)
        # The kernel cuts stdout and stderr itself; the margin lets its note and a traceback
        # through while still bounding rich outputs.
        client = _CappedClient(runnable, launch, max_output_bytes + 64 * 1024)
        runner = _Runner(client, len(notebook.cells), cell_timeout, total_timeout)
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


class _CappedClient(NotebookClient):
    """An nbclient that caps each cell's kept output and remembers each cell's execute reply."""

    def __init__(self, notebook: nbformat.NotebookNode, launch: KernelLaunch, cap: int) -> None:
        # nbclient drops its km reference on some failures; we keep ours for the clean-up.
        self.grader_km = GraderKernelManager(launch, max_message_bytes=_MAX_MESSAGE_BYTES)
        super().__init__(
            notebook,
            km=self.grader_km,
            allow_errors=True,
            interrupt_on_timeout=True,
            error_on_timeout={"ename": _TIMEOUT_NAME, "evalue": "", "traceback": []},
            # Applies only to non-cell waits (the responsiveness probe); cells use timeout_func.
            timeout=_INTERRUPT_GRACE,
            iopub_timeout=_IOPUB_GRACE,
            shell_timeout_interval=1,
            store_widget_state=False,
        )
        self.launch = launch
        self.cell_limit: float = 1.0
        # nbclient annotates int but computes deadlines with any number; fractions matter here.
        self.timeout_func = self._cell_timeout  # type: ignore[assignment]
        self.on_cell_executed = self._remember_reply
        self.last_reply: dict[str, Any] | None = None
        self.max_output_bytes = cap
        self._output_bytes: dict[int, int] = {}

    def _cell_timeout(self, _cell: nbformat.NotebookNode) -> float:
        return self.cell_limit

    def _remember_reply(self, execute_reply: dict[str, Any] | None = None, **_: Any) -> None:
        self.last_reply = execute_reply

    def output(
        self,
        outs: list[nbformat.NotebookNode],
        msg: dict[str, Any],
        display_id: str | None,
        cell_index: int,
    ) -> nbformat.NotebookNode | None:
        """Keep outputs while the cell stays under its cap, then a prefix and a note."""
        content = msg.get("content") or {}
        used = self._output_bytes.get(cell_index, 0)
        total = used + _content_size(content)
        self._output_bytes[cell_index] = total
        if total <= self.max_output_bytes:
            return super().output(outs, msg, display_id, cell_index)
        if used > self.max_output_bytes:
            return None
        note = f"\n[output cut after {self.max_output_bytes:,} bytes]\n"
        if msg.get("msg_type") == "stream":
            text = str(content.get("text") or "")[: self.max_output_bytes - used] + note
            return super().output(
                outs, {**msg, "content": {**content, "text": text}}, None, cell_index
            )
        outs.append(nbformat.v4.new_output("stream", name="stderr", text=note))
        return None

    def handle_comm_msg(
        self, outs: list[nbformat.NotebookNode], msg: dict[str, Any], cell_index: int
    ) -> None:
        """Ignore widget traffic: grading never needs it and it would grow without a cap."""


def _content_size(content: dict[str, Any]) -> int:
    data = content.get("data") or {}
    traceback = content.get("traceback") or []
    return (
        len(content.get("text") or "")
        + sum(len(str(value)) for value in data.values())
        + sum(len(line) for line in traceback)
    )


class _Runner:
    """Runs the cells of one notebook in one kernel and collects what happened."""

    def __init__(
        self, client: _CappedClient, student_cells: int, cell_timeout: float, total_timeout: float
    ) -> None:
        self.client = client
        self.km = client.grader_km
        self.launch = client.launch
        self.student_cells = student_cells
        self.cell_timeout = cell_timeout
        self.total_timeout = total_timeout
        self.cells: list[CellRun] = []
        self.extra: list[CellRun] = []
        self.fatal: str | None = None  # the kernel is dead or stuck: nothing more can run
        self.deadline_hit: str | None = None  # no more notebook cells, extra cells still run
        self.problems: list[str] = []
        self.timed_out = False
        self.kernel_died = False

    async def run(self) -> None:
        """Start the kernel, run every cell, and always shut the kernel down."""
        cells = self.client.nb.cells
        try:
            await self._start()
            deadline = time.monotonic() + self.total_timeout
            for index in range(self.student_cells):
                if cells[index].cell_type == "code":
                    self.cells.append(await self._student_cell(index, deadline))
            for index in range(self.student_cells, len(cells)):
                self.extra.append(await self._extra_cell(index))
        finally:
            await self._shutdown()

    def result(
        self, *, notes: tuple[str, ...], artifacts: Mapping[str, bytes], elapsed: float
    ) -> ExecutionResult:
        """The collected outcome as an :class:`ExecutionResult`."""
        executed = self.client.nb
        executed.cells = executed.cells[: self.student_cells]
        error = self.fatal or self.deadline_hit or (self.problems[0] if self.problems else None)
        return ExecutionResult(
            cells=tuple(self.cells),
            extra_cells=tuple(self.extra),
            error=error,
            timed_out=self.timed_out,
            kernel_died=self.kernel_died,
            sandboxed=self.launch.sandboxed,
            elapsed=elapsed,
            artifacts=dict(artifacts),
            notes=notes,
            notebook=executed,
        )

    async def _start(self) -> None:
        work: WorkDir = self.launch.work
        try:
            with work.log.open("wb") as log:
                await self.km.start_kernel(
                    env=dict(self.launch.env), cwd=str(work.root), stdout=log, stderr=log
                )
            await self.client.async_start_new_kernel_client()
        except (OSError, RuntimeError, TimeoutError, zmq.ZMQError) as exc:
            raise ExecutionError(
                f"The kernel could not start ({_one_line(str(exc)) or type(exc).__name__}); "
                f"its log ends with: {_log_tail(work.log) or 'nothing'}."
            ) from exc

    async def _student_cell(self, index: int, deadline: float) -> CellRun:
        left = deadline - time.monotonic()
        if self.fatal or self.deadline_hit:
            return CellRun(index, "skipped")
        if left <= 0:
            self._hit_deadline(f"before cell {index + 1}")
            return CellRun(index, "skipped")
        limit = min(self.cell_timeout, left)
        run = await self._cell(index, limit, f"cell {index + 1}")
        if run.status == "timeout" and limit < self.cell_timeout:
            self._hit_deadline(f"in cell {index + 1}")
        elif run.status == "timeout":
            self.problems.append(
                f"Cell {index + 1} ran longer than {limit:.3g} s and was interrupted; "
                "the later cells still ran."
            )
        return run

    def _hit_deadline(self, where: str) -> None:
        self.timed_out = True
        self.deadline_hit = self.deadline_hit or (
            f"The notebook reached its {self.total_timeout:g} s time limit {where}; "
            "the remaining cells were not run."
        )

    async def _extra_cell(self, index: int) -> CellRun:
        # A notebook stopped by its deadline still holds its answers, so extra cells run then.
        number = index - self.student_cells
        if self.fatal:
            return CellRun(number, "skipped")
        run = await self._cell(index, self.cell_timeout, f"the grader's extra cell {number + 1}")
        if run.status in {"error", "timeout"} and not self.fatal:
            self.problems.insert(
                0,
                f"The grader's extra cell {number + 1} failed ({run.error_name}: "
                f"{run.error_message}). It runs after your last cell to read your answers, so "
                "code in the notebook broke what it needs (for example Python's builtins or "
                "imports): remove that code and run the self-check again.",
            )
        return CellRun(number, run.status, run.error_name, run.error_message, run.elapsed)

    async def _cell(self, index: int, limit: float, label: str) -> CellRun:
        if not self.client.nb.cells[index].source.strip():
            return CellRun(index, "ok")
        started = time.monotonic()
        try:
            run = await self._execute(index, limit)
            if run.status == "timeout":
                self.timed_out = True
                if not await self._responds():
                    self.fatal = self.fatal or (
                        f"Running {label} did not stop when interrupted after {limit:.3g} s; "
                        "nothing after it could run."
                    )
        except DeadKernelError:
            self.kernel_died = True
            self.fatal = self.fatal or (
                f"The kernel died while running {label} (it may have run out of memory, "
                "crashed, or called exit() or os._exit())."
            )
            run = CellRun(index, "error", "DeadKernelError", "The kernel died in this cell.")
        return replace(run, elapsed=time.monotonic() - started)

    async def _execute(self, index: int, limit: float) -> CellRun:
        client = self.client
        client.cell_limit, client.last_reply = limit, None
        count = client.code_cells_executed + 1
        try:
            await client.async_execute_cell(client.nb.cells[index], index, execution_count=count)
        except DeadKernelError:
            raise
        except (RuntimeError, TimeoutError, zmq.ZMQError) as exc:
            raise ExecutionError(
                f"The grader lost track of cell {index + 1} ({type(exc).__name__}: "
                f"{_one_line(str(exc))})."
            ) from exc
        return _from_reply(index, client.last_reply, limit)

    async def _responds(self) -> bool:
        # Ask for kernel_info on the shell channel: it is answered only once the interrupted cell
        # has really stopped. nbclient interrupts once more if it has not.
        kc = self.client.kc
        if kc is None:
            return False
        msg_id = await ensure_async(kc.kernel_info())
        return await self.client.async_wait_for_reply(msg_id) is not None

    async def _shutdown(self) -> None:
        provisioner = self.km.provisioner
        pgid, process = getattr(provisioner, "pgid", None), getattr(provisioner, "process", None)
        if self.client.kc is not None:
            self.client.kc.stop_channels()
        # Killed before the leader is reaped, so the pgid cannot belong to anyone else yet; the
        # group also holds whatever the kernel started (the sandbox's pid namespace, or children).
        if pgid and hasattr(os, "killpg"):
            with contextlib.suppress(OSError):
                os.killpg(pgid, signal.SIGKILL)
        if process is not None:  # reaping here spares jupyter_client's 0.1 s polling
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        # A dead or half-started kernel fails to shut down in many ways; it is killed already.
        with contextlib.suppress(Exception):
            await self.km.shutdown_kernel(now=True)


def _from_reply(index: int, reply: dict[str, Any] | None, limit: float) -> CellRun:
    if reply is None:  # nbclient did not run it (a "skip-execution" tag)
        return CellRun(index, "skipped")
    content = reply.get("content") or {}
    if content.get("status") == "ok":
        return CellRun(index, "ok")
    name = str(content.get("ename") or "Error")
    if name == _TIMEOUT_NAME:
        return CellRun(index, "timeout", "TimeoutError", f"The cell ran longer than {limit:.3g} s.")
    return CellRun(index, "error", name, _one_line(str(content.get("evalue") or "")))


def _one_line(text: str, limit: int = 200) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _log_tail(log: Path) -> str:
    try:
        with log.open("rb") as handle:
            handle.seek(max(0, log.stat().st_size - 4096))
            lines = handle.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return ""
    return _one_line(next((line for line in reversed(lines) if line.strip()), ""))
