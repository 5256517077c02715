"""``check_notebook``: run a notebook safely, read its answers, judge them, and report.

The same engine serves the student's self-check, the instructor's batch grading and (through
:mod:`grader.notebook.adjudicate`) nbgrader. A student's problem is always a report, never an exception:
an unreadable file, a dead kernel or a timeout sets ``error`` in one sentence, and every part that
can still be judged is judged.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd

from grader.answers.cell import extraction_cell
from grader.answers.locate import locate
from grader.answers.models import StudentModel
from grader.answers.notebook_text import NotebookText, from_notebook
from grader.answers.submission import Submission, parse_answers
from grader.assignment.config import GradingConfig, load_config
from grader.assignment.contract import ANSWERS_FILE
from grader.errors import AnswerError, NotebookError
from grader.judge.engine import judge
from grader.judge.prefetch import Prefetch
from grader.report.values import GradeReport
from grader.run.execute import CellRun, ExecutionResult, run_notebook
from grader.run.notebook_file import read_notebook
from reference.data.hsb import bundled_data_path, load_hsb
from reference.errors import HLMReferenceError

NO_ANSWERS = (
    "Your answers could not be read back from the notebook, so every part counts as missing."
)


def check_notebook(
    path: str | Path,
    *,
    config: GradingConfig | None = None,
    data_file: str | Path | None = None,
    timeout: float | None = None,
    sandbox: bool | None = None,
    prefetch: bool = True,
) -> GradeReport:
    """Run and grade one notebook.

    Args:
        path: the student's ``.ipynb`` (never modified).
        config: the grading configuration; the assignment's ``grading.toml`` by default.
        data_file: the data the notebook reads as ``data/hsb12.sav`` and the reference is computed
            on; the bundled file by default (a perturbed copy for hidden-data grading).
        timeout: overall seconds for the notebook; the config's ``total_timeout`` by default.
        sandbox: require (True) or skip (False) bubblewrap; None uses it where available.
        prefetch: fit the reference models in a second process while the notebook runs (see
            :mod:`grader.judge.prefetch`); turn off when every core is already busy (batch grading).
    """
    started = time.monotonic()
    config = config or load_config()
    source = Path(data_file) if data_file is not None else bundled_data_path()
    name = Path(path).name
    try:
        background = _prefetch(Path(path), source) if prefetch else None
        warm = threading.Thread(target=_warm_up, args=(source,), daemon=True)
        warm.start()  # imports and data loading overlap the notebook's run
        try:
            run = _run(Path(path), config, source, timeout, sandbox)
        finally:
            if background is not None:
                background.wait()
            warm.join()
    except NotebookError as exc:
        return _report(name, Submission(), config, source, str(exc), (), None, started)
    submission, problem = _submission(run)
    notes = (*run.notes, *cell_notes(run.cells))
    return _report(name, submission, config, source, run.error or problem, notes,
                   run.sandboxed, started)  # fmt: skip


def _warm_up(data: Path) -> None:
    """Import what judging needs and read the data while the kernel works (the GIL is free then)."""
    import statsmodels.formula.api  # noqa: F401 - the formula engine parse_spec uses

    import reference.compare.equations  # noqa: F401 - sympy and the equation machinery

    with contextlib.suppress(HLMReferenceError):
        _data(data)


@functools.lru_cache(maxsize=4)
def _cached_data(path: str, mtime_ns: int, size: int) -> pd.DataFrame:
    return load_hsb(path)


def _data(path: Path) -> pd.DataFrame:
    """The data, read once per file version (a batch grades many notebooks on one file)."""
    stat = path.stat()
    return _cached_data(str(path), stat.st_mtime_ns, stat.st_size).copy()


def _prefetch(path: Path, data: Path) -> Prefetch:
    notebook = read_notebook(path)
    sources = [str(c.source) for c in notebook.cells if c.cell_type == "code"]
    return Prefetch(sources, data)


def _run(
    path: Path, config: GradingConfig, data: Path, timeout: float | None, sandbox: bool | None
) -> ExecutionResult:
    total = timeout if timeout is not None else config.total_timeout
    return run_notebook(
        path,
        data_file=data,
        extra_cells=[extraction_cell(ANSWERS_FILE)],
        artifacts=[ANSWERS_FILE],
        cell_timeout=min(config.cell_timeout, total),
        total_timeout=total,
        memory_mb=config.memory_mb,
        sandbox=sandbox,
    )


def _submission(run: ExecutionResult) -> tuple[Submission, str | None]:
    """The answers the kernel wrote, with the notebook's text from the grader's own run (never
    any the answers file claims): equations in Markdown and printed answers are graded too,
    even when the answers could not be read back."""
    text = from_notebook(run.notebook) if run.notebook is not None else NotebookText()
    raw = run.artifacts.get(ANSWERS_FILE)
    if raw is None:
        return Submission(notebook=text), None if run.error else NO_ANSWERS
    try:
        return dataclasses.replace(parse_answers(raw), notebook=text), None
    except AnswerError as exc:
        return Submission(notebook=text), f"{NO_ANSWERS[:-1]}: {exc}"


def _report(
    name: str,
    submission: Submission,
    config: GradingConfig,
    data: Path,
    error: str | None,
    notes: tuple[str, ...],
    sandboxed: bool | None,
    started: float,
) -> GradeReport:
    parts, located_notes = judge(submission, config=config, data=_data(data))
    return GradeReport(
        notebook=name,
        parts=parts,
        error=error,
        notes=(*located_notes, *notes),
        sandboxed=sandboxed,
        elapsed=time.monotonic() - started,
        meta=submission_meta(submission),
    )


def submission_meta(submission: Submission) -> dict[str, Any]:
    """Facts about the submission a class summary groups by: the final model the student chose."""
    final = locate(submission).final
    if not isinstance(final, StudentModel):
        return {"final_model": None}
    model = {"formula": final.formula, "re_formula": final.re_formula, "method": final.method}
    return {"final_model": model}


def cell_notes(cells: tuple[CellRun, ...]) -> tuple[str, ...]:
    """One sentence per cell that raised, with a hint where the error is a common one.

    Timeouts and kernel deaths are already the run's ``error``; they are not repeated here.
    """
    notes = []
    for cell in cells:
        if cell.status == "error" and cell.error_name:
            message = (cell.error_message or "").strip()[:300]
            said = f": {message}" if message else ""
            end = "" if said.endswith((".", "!", "?")) else "."
            notes.append(f"Cell {cell.index + 1} raised {cell.error_name}{said}{end}{_hint(cell)}")
    return tuple(notes)


def _hint(cell: CellRun) -> str:
    message = cell.error_message or ""
    # pyreadstat (the assignment's reader, also behind pandas.read_spss) raises its own error.
    not_found = cell.error_name == "FileNotFoundError" or (
        cell.error_name == "PyreadstatError" and "does not exist" in message
    )
    if not_found and re.search(r"hsb12|\.sav", message, re.I):
        return " Read the data with the relative path data/hsb12.sav, as the assignment does."
    if cell.error_name == "ModuleNotFoundError":
        return " Only the packages of the course environment are available."
    return ""
