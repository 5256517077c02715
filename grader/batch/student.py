"""What each worker does with one submission: grade it with :func:`grader.check.check_notebook`,
under the run's :class:`GradeSettings` (plain data, so it travels to processes and to a cluster)."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import assignments
from grader.assignment.assignment import Assignment, load_assignment
from grader.assignment.config import GradingConfig
from grader.batch.submissions import StudentNotebook
from grader.report.values import GradeReport

_THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass(frozen=True, slots=True)
class GradeSettings:
    """How every submission of a run is graded (sent to each worker, so plain data only)."""

    assignment: str = assignments.DEFAULT  # a bundled assignment's name, or a folder of one
    config_doc: dict[str, Any] | None = None  # a parsed grading TOML; None: the assignment's
    config_source: str = "grading.toml"
    timeout: float | None = None
    sandbox: bool | None = None
    data_file: Path | None = None  # None: the bundled data
    data_bytes: bytes | None = None  # the data itself, for workers on other machines
    threads: int | None = None  # BLAS threads per kernel, so parallel kernels do not oversubscribe

    def loaded(self) -> Assignment:
        """The assignment, graded by the run's configuration."""
        found = load_assignment(self.assignment)
        if self.config_doc is None:
            return found
        return found.grading_doc(self.config_doc, self.config_source)

    def config(self) -> GradingConfig:
        return self.loaded().grading


def grade_submission(item: StudentNotebook, settings: GradeSettings) -> GradeReport:
    """Grade one submission (what each worker runs); the notebook runs in its own kernel."""
    from grader.check import check_notebook

    if settings.threads is not None:  # read by the kernels this worker starts
        os.environ.update(dict.fromkeys(_THREADS, str(settings.threads)))
    data = settings.data_file
    if settings.data_bytes is not None:
        data = _materialise(settings.data_bytes, Path(settings.loaded().data_file).name)
    # No prefetch process: in a batch every core is already grading a notebook.
    report = check_notebook(item.path, assignment=settings.loaded(), data_file=data,
                            timeout=settings.timeout, sandbox=settings.sandbox,
                            prefetch=False)  # fmt: skip
    return _relabelled(report, str(item.path), item.label)


def _relabelled(report: GradeReport, path: str, label: str) -> GradeReport:
    # Students see the name they submitted, not where the instructor (or a worker) keeps it.
    def clean(text: str) -> str:
        return text.replace(path, label)

    error = clean(report.error) if report.error else report.error
    return replace(report, notebook=label, error=error, notes=tuple(map(clean, report.notes)))


def grade_shipped(
    shipped: tuple[StudentNotebook, bytes | None], settings: GradeSettings
) -> GradeReport:
    """:func:`grade_submission` on a worker that may not see our files: the notebook comes along."""
    item, content = shipped
    if content is None:  # not a readable file of a sane size: the path's report says why
        return grade_submission(item, settings)
    with tempfile.TemporaryDirectory(prefix="hlm-grader-shipped-") as tmp:
        path = Path(tmp) / f"{item.student}.ipynb"
        path.write_bytes(content)
        return grade_submission(replace(item, path=path), settings)


@functools.cache
def _materialise(data: bytes, name: str) -> Path:
    # A private folder per worker process and data (never a guessable shared /tmp path).
    folder = Path(tempfile.mkdtemp(prefix="hlm-grader-data-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / name
    path.write_bytes(data)
    return path
