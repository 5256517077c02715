"""What a notebook run produced: one :class:`CellRun` per cell, and the :class:`ExecutionResult`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import nbformat

CellStatus = Literal["ok", "error", "timeout", "skipped"]


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
