"""Running the cells of one notebook in one kernel, in order, within their limits, and saying what
happened: a timeout, a kernel that died or would not stop, an extra cell the notebook broke.

Every sentence is the assignment's (``run.*`` in its ``messages.toml``), through the ``say`` the
run is given.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import zmq
from jupyter_core.utils import ensure_async
from nbclient.exceptions import DeadKernelError

from grader.errors import ExecutionError
from grader.run.client import TIMEOUT_NAME, CappedClient
from grader.run.results import CellRun, ExecutionResult
from grader.run.workdir import WorkDir

#: A sentence of the assignment's catalogue by key, filled from fields.
Say = Callable[..., str]


class Runner:
    """Runs the cells of one notebook in one kernel and collects what happened."""

    def __init__(
        self, client: CappedClient, student_cells: int, limits: tuple[float, float], say: Say
    ) -> None:
        self.client = client
        self.km = client.grader_km
        self.launch = client.launch
        self.student_cells = student_cells
        self.cell_timeout, self.total_timeout = limits  # seconds per cell, for all cells
        self.say = say
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
            reason = _one_line(str(exc)) or type(exc).__name__
            raise ExecutionError(self.say("run.kernel_not_started", reason=reason,
                                          log=_log_tail(work.log) or "nothing")) from exc  # fmt: skip

    async def _student_cell(self, index: int, deadline: float) -> CellRun:
        left = deadline - time.monotonic()
        if self.fatal or self.deadline_hit:
            return CellRun(index, "skipped")
        if left <= 0:
            self._hit_deadline("run.deadline_before", index)
            return CellRun(index, "skipped")
        limit = min(self.cell_timeout, left)
        run = await self._cell(index, limit, self.say("run.cell", cell=index + 1))
        if run.status == "timeout" and limit < self.cell_timeout:
            self._hit_deadline("run.deadline_in", index)
        elif run.status == "timeout":
            self.problems.append(self.say("run.cell_timeout", cell=index + 1, limit=limit))
        return run

    def _hit_deadline(self, key: str, index: int) -> None:
        self.timed_out = True
        self.deadline_hit = self.deadline_hit or self.say(key, limit=self.total_timeout,
                                                          cell=index + 1)  # fmt: skip

    async def _extra_cell(self, index: int) -> CellRun:
        # A notebook stopped by its deadline still holds its answers, so extra cells run then.
        number = index - self.student_cells
        if self.fatal:
            return CellRun(number, "skipped")
        label = self.say("run.extra_cell", cell=number + 1)
        run = await self._cell(index, self.cell_timeout, label)
        if run.status in {"error", "timeout"} and not self.fatal:
            self.problems.insert(0, self.say("run.extra_cell_failed", cell=number + 1,
                                             error=run.error_name, message=run.error_message))  # fmt: skip
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
                    self.fatal = self.fatal or self.say("run.not_stopped", label=label,
                                                        limit=limit)  # fmt: skip
        except DeadKernelError:
            self.kernel_died = True
            self.fatal = self.fatal or self.say("run.kernel_died", label=label)
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
            raise ExecutionError(self.say("run.lost_track", cell=index + 1,
                                          error=f"{type(exc).__name__}: {_one_line(str(exc))}")) from exc  # fmt: skip
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
    if name == TIMEOUT_NAME:
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
