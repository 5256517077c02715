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

import nbformat
import pandas as pd

from grader.answers.cell import extraction_cell
from grader.answers.models import StudentModel
from grader.answers.notebook_text import NotebookText, from_notebook
from grader.answers.submission import Submission, parse_answers
from grader.assignment.assignment import Assignment, assignment_here, load_assignment
from grader.assignment.config import GradingConfig
from grader.assignment.contract import ANSWERS_FILE
from grader.errors import AnswerError, NotebookError
from grader.judge.engine import judgement
from grader.judge.prefetch import Prefetch
from grader.report.values import GradeReport
from grader.run.execute import CellRun, ExecutionResult, run_notebook
from grader.run.notebook_file import read_notebook
from reference.data.files import load_data
from reference.errors import HLMReferenceError


def check_notebook(
    path: str | Path,
    *,
    assignment: Assignment | str | Path | None = None,
    config: GradingConfig | None = None,
    data_file: str | Path | None = None,
    timeout: float | None = None,
    sandbox: bool | None = None,
    prefetch: bool = True,
) -> GradeReport:
    """Run and grade one notebook.

    Args:
        path: the student's ``.ipynb`` (never modified).
        assignment: the assignment (loaded, or its name or folder); by default the one whose data
            file is beside the notebook, else the default assignment.
        config: a grading configuration instead of the assignment's ``grading.toml``.
        data_file: the data the notebook reads (at the assignment's path, e.g. ``data/hsb12.sav``)
            and the reference is computed on; the bundled file by default (a perturbed copy for
            hidden-data grading).
        timeout: overall seconds for the notebook; the config's ``total_timeout`` by default.
        sandbox: require (True) or skip (False) bubblewrap; None uses it where available.
        prefetch: fit the reference models in a second process while the notebook runs (see
            :mod:`grader.judge.prefetch`); turn off when every core is already busy (batch grading).
    """
    started = time.monotonic()
    chosen = load_assignment(assignment if assignment is not None
                             else assignment_here(Path(path).resolve().parent))  # fmt: skip
    chosen = chosen.with_grading(config) if config is not None else chosen
    source = Path(data_file) if data_file is not None else chosen.bundled_data
    name = Path(path).name
    try:
        notebook = read_notebook(Path(path))  # once: the prefetch and the run both use it
        background = _prefetch(notebook, source, chosen) if prefetch else None
        warm = threading.Thread(target=_warm_up, args=(source, chosen), daemon=True)
        warm.start()  # imports and data loading overlap the notebook's run
        try:
            run = _run(Path(path), notebook, chosen, source, timeout, sandbox)
        finally:
            if background is not None:
                background.wait()
            warm.join()
    except NotebookError as exc:
        return _report(name, Submission(), chosen, source, str(exc), (), None, started)
    submission, problem = _submission(run, chosen)
    notes = (*run.notes, *cell_notes(run.cells, chosen))
    return _report(name, submission, chosen, source, run.error or problem, notes,
                   run.sandboxed, started)  # fmt: skip


def _warm_up(data: Path, assignment: Assignment) -> None:
    """Import what judging needs and read the data while the kernel works (the GIL is free then)."""
    import statsmodels.formula.api  # noqa: F401 - the formula engine parse_spec uses

    import reference.compare.equations  # noqa: F401 - sympy and the equation machinery

    with contextlib.suppress(HLMReferenceError):
        _data(data, assignment)


@functools.lru_cache(maxsize=4)
def _cached_data(path: str, mtime_ns: int, size: int, folder: Path) -> pd.DataFrame:
    return load_data(folder, path)


def _data(path: Path, assignment: Assignment) -> pd.DataFrame:
    """The data, read once per file version (a batch grades many notebooks on one file)."""
    stat = path.stat()
    return _cached_data(str(path), stat.st_mtime_ns, stat.st_size, assignment.folder).copy()


def _prefetch(notebook: nbformat.NotebookNode, data: Path, assignment: Assignment) -> Prefetch:
    sources = [str(c.source) for c in notebook.cells if c.cell_type == "code"]
    return Prefetch(sources, data, assignment.dataset)


def _run(
    path: Path,
    notebook: nbformat.NotebookNode,
    assignment: Assignment,
    data: Path,
    timeout: float | None,
    sandbox: bool | None,
) -> ExecutionResult:
    config = assignment.grading
    total = timeout if timeout is not None else config.total_timeout
    return run_notebook(
        path,
        data_file=data,
        data_path=assignment.data_file,
        say=config.say,
        extra_cells=[extraction_cell(assignment.contract.names, assignment.name)],
        artifacts=[ANSWERS_FILE],
        cell_timeout=min(config.cell_timeout, total),
        total_timeout=total,
        memory_mb=config.memory_mb,
        sandbox=sandbox,
        notebook=notebook,
    )


def _submission(run: ExecutionResult, assignment: Assignment) -> tuple[Submission, str | None]:
    """The answers the kernel wrote, with the notebook's text from the grader's own run (never
    any the answers file claims): equations in Markdown and printed answers are graded too,
    even when the answers could not be read back."""
    text = from_notebook(run.notebook) if run.notebook is not None else NotebookText()
    raw = run.artifacts.get(ANSWERS_FILE)
    say = assignment.grading.say
    if raw is None:
        return Submission(notebook=text), None if run.error else say("run.no_answers")
    try:
        return dataclasses.replace(parse_answers(raw), notebook=text), None
    except AnswerError as exc:
        return Submission(notebook=text), say("run.no_answers_because", reason=str(exc))


def _report(
    name: str,
    submission: Submission,
    assignment: Assignment,
    data: Path,
    error: str | None,
    notes: tuple[str, ...],
    sandboxed: bool | None,
    started: float,
) -> GradeReport:
    done = judgement(submission, assignment=assignment, data=_data(data, assignment))
    return GradeReport(
        notebook=name,
        parts=done.parts,
        error=error,
        notes=(*done.notes, *notes),
        sandboxed=sandboxed,
        elapsed=time.monotonic() - started,
        meta=submission_meta(done.final, assignment),
    )


def submission_meta(final: StudentModel | None, assignment: Assignment) -> dict[str, Any]:
    """Facts about the submission a class summary groups by: the assignment and the final model
    the student chose, as the grader read it (one formula however the student spelled it)."""
    if final is None:
        return {"assignment": assignment.name, "final_model": None}
    model = {"formula": final.formula, "re_formula": final.re_formula, "method": final.method}
    return {"assignment": assignment.name, "final_model": model}


def cell_notes(cells: tuple[CellRun, ...], assignment: Assignment) -> tuple[str, ...]:
    """One sentence per cell that raised, with a hint where the error is a common one.

    Timeouts and kernel deaths are already the run's ``error``; they are not repeated here.
    """
    notes = []
    say = assignment.grading.say
    for cell in cells:
        if cell.status == "error" and cell.error_name:
            message = (cell.error_message or "").strip()[:300]
            said = f": {message}" if message else ""
            said += "" if said.endswith((".", "!", "?")) else "."
            hint = _hint(cell, assignment)
            line = say("run.cell_raised", cell=cell.index + 1, error=cell.error_name, message=said)
            notes.append(line + (" " + say(hint) if hint else ""))
    return tuple(notes)


def _hint(cell: CellRun, assignment: Assignment) -> str | None:
    """The key of a hint for a common error, if the cell's is one."""
    message = cell.error_message or ""
    # pyreadstat (an SPSS reader, also behind pandas.read_spss) raises its own error.
    not_found = cell.error_name == "FileNotFoundError" or (
        cell.error_name == "PyreadstatError" and "does not exist" in message
    )
    stem = Path(assignment.data_file).stem
    suffix = Path(assignment.data_file).suffix
    if not_found and re.search(f"{re.escape(stem)}|{re.escape(suffix)}", message, re.I):
        return "run.hint_data"
    if cell.error_name == "ModuleNotFoundError":
        return "run.hint_module"
    return None
