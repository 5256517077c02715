"""Instructor batch grading: every submission of a class, each in isolation, with per-student files.

:func:`grade_batch` finds the notebooks (:mod:`grader.batch.submissions`), grades each with
:func:`grader.check.check_notebook` in worker processes (:mod:`grader.batch.workers`) or on a Dask cluster,
writes each student's files the moment that student is done (:mod:`grader.batch.outputs`), and then the
class's ``grades.csv`` and ``summary.html`` (:mod:`grader.batch.summary`). A re-run skips the students
already graded on the same data, so an interrupted run loses nothing.
"""

from __future__ import annotations

import functools
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

import assignments
from grader.assignment.assignment import Assignment, load_assignment
from grader.assignment.config import GradingConfig, read_grading
from grader.batch.cluster import run_dask
from grader.batch.outputs import read_report, write_student
from grader.batch.progress import BatchProgress
from grader.batch.run_data import data_digest, run_data, warm_reference
from grader.batch.student import GradeSettings, grade_shipped, grade_submission
from grader.batch.submissions import StudentNotebook, find_submissions
from grader.batch.summary import write_summary
from grader.batch.workers import Failure, run_pool, start_forkserver
from grader.errors import GraderError
from grader.report.values import GradeReport, PartResult

# Seconds beyond the notebook's own limits a worker may take (kernel start, new reference fits).
GRACE = 600.0


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What a batch run did: every student's report (fresh or from an earlier run), by id."""

    out: Path
    reports: tuple[tuple[str, GradeReport], ...]
    graded: int
    skipped: int
    tool_failures: int
    hidden_seed: int | None = None

    @property
    def all_passed(self) -> bool:
        return all(report.passed for _, report in self.reports)


def grade_batch(
    submissions: Path,
    *,
    out: Path,
    jobs: int | None = None,
    timeout: float | None = None,
    hidden_data: bool = False,
    hidden_seed: int | None = None,
    force: bool = False,
    scheduler: str | None = None,
    config_path: Path | None = None,
    sandbox: bool | None = None,
    progress: bool | None = None,
    assignment: str | Path = assignments.DEFAULT,
) -> BatchResult:
    """Grade every submission in ``submissions`` and write the results under ``out``.

    Args:
        submissions: a folder of ``.ipynb`` files or an nbgrader ``submitted/`` tree.
        out: the output folder: ``<student>/{report.json,feedback.html,results.json}``,
            ``grades.csv`` and ``summary.html``.
        jobs: parallel worker processes (default: the number of cores).
        timeout: seconds each notebook may run (default: the config's ``total_timeout``).
        hidden_data: run every notebook, and compute every expected answer, on a perturbed copy
            of the data (the same copy for the whole run, and for a run that resumes it).
        hidden_seed: the perturbation's seed, to reproduce an earlier run's copy exactly; by
            default a resumed run's own, else a fresh random one.
        force: regrade students who already have a report.
        scheduler: the address of a Dask distributed scheduler to send the work to.
        config_path: a grading TOML instead of the assignment's.
        sandbox: require (True) or skip (False) bubblewrap; None uses it where available.
        progress: show a progress bar on stderr (default: when stderr is a terminal).
        assignment: the assignment graded (a bundled one's name, or a folder of one).

    Raises:
        GraderError: no submissions, a bad config, or an unreachable scheduler.
    """
    chosen = load_assignment(assignment, grading=config_path)  # checks --config too
    items = find_submissions(submissions, assignment=chosen.name)
    config_doc, source = _read_config_doc(config_path)
    if scheduler is None:
        start_forkserver()  # its imports overlap the reference warm-up below
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GraderError(f"Could not create the output folder {out} ({exc.strerror}).") from exc
    where = chosen.name if isinstance(assignment, str) else str(chosen.folder)
    with run_data(out, chosen, hidden=hidden_data, seed=hidden_seed, force=force) as found:
        data_file, seed = found
        data = warm_reference(chosen, data_file)
        digest = data_digest(data)
        todo = [i for i in items if force or not _done(out / i.student, digest)]
        settings = GradeSettings(where, config_doc, source, timeout, sandbox, data_file)
        run = _Run(out, settings.loaded(), data, {"hash": digest, "hidden_seed": seed})
        jobs = jobs or os.cpu_count() or 1
        bar = BatchProgress(len(todo), skipped=len(items) - len(todo), enabled=progress,
                            jobs=jobs, limit=_notebook_limit(settings, run.config))  # fmt: skip
        with _stop_on_sigterm(), bar:
            run.bar = bar
            _dispatch(todo, settings, run, jobs=jobs, scheduler=scheduler)
    reports = tuple((i.student, run.reports.get(i.student) or run.existing(i)) for i in items)
    write_summary(out, reports, config=run.config, title=chosen.title, hidden_seed=seed)
    return BatchResult(out, reports, len(todo), len(items) - len(todo), run.failures, seed)


class _Run:
    """The run's shared state: where to write, and what each finished student gets."""

    def __init__(
        self, out: Path, assignment: Assignment, data: pd.DataFrame, data_meta: dict[str, Any]
    ) -> None:
        self.out, self.assignment, self.data, self.data_meta = out, assignment, data, data_meta
        self.config = assignment.grading
        self.reports: dict[str, GradeReport] = {}
        self.failures = 0
        self.bar: BatchProgress | None = None

    def finish(self, item: StudentNotebook, outcome: GradeReport | Failure) -> None:
        """Complete one student's report and write their files now."""
        if isinstance(outcome, Failure):
            self.failures += 1
            outcome = failed_report(item, outcome, self.config)
        report = _completed(item, outcome, self.data_meta, self.config)
        try:
            write_student(self.out / item.student, report, config=self.config, data=self.data)
        except OSError as exc:
            raise GraderError(
                f"Could not write {self.out / item.student} ({exc.strerror or exc}); check the "
                "free space and permissions of --out, then run again to resume."
            ) from exc
        self.reports[item.student] = report
        if self.bar is not None:
            self.bar.advance(report, item.student)

    def start(self, item: StudentNotebook) -> None:
        """A worker started on ``item`` (shown as running until it finishes)."""
        if self.bar is not None:
            self.bar.start(item.student)

    def existing(self, item: StudentNotebook) -> GradeReport:
        """The report an earlier run wrote for a student this run skipped."""
        found = read_report(self.out / item.student)
        if found is None:  # removed while we ran: say so rather than invent a grade
            return failed_report(
                item, Failure("Its report disappeared during the run."), self.config
            )
        return found


def _dispatch(
    todo: list[StudentNotebook],
    settings: GradeSettings,
    run: _Run,
    *,
    jobs: int,
    scheduler: str | None,
) -> None:
    if scheduler is not None:
        shipped = replace(settings, data_file=None, data_bytes=_bytes_or_none(settings.data_file))
        work = functools.partial(grade_shipped, settings=shipped)
        tasks = [(item, _read_capped(item.path)) for item in todo]
        run_dask(tasks, work, address=scheduler, on_done=lambda t, r: run.finish(t[0], r))
        return
    threads = max(1, (os.cpu_count() or 1) // jobs)
    work = functools.partial(grade_submission, settings=replace(settings, threads=threads))
    limit = _notebook_limit(settings, run.config) + run.config.cell_timeout + GRACE
    run_pool(todo, work, jobs=jobs, on_done=run.finish, on_start=run.start, limit=limit)


def _notebook_limit(settings: GradeSettings, config: GradingConfig) -> float:
    """Seconds one notebook may run before it is stopped (the grader's own work aside)."""
    return settings.timeout or config.total_timeout


def failed_report(item: StudentNotebook, failure: Failure, config: GradingConfig) -> GradeReport:
    """The report of a submission whose grading produced nothing: every part 0, ``error`` set."""
    feedback = config.say("batch.not_graded")
    parts = tuple(PartResult(p.id, p.title, 0.0, p.points, "error", feedback) for p in config.parts)
    return GradeReport(notebook=item.label, parts=parts, error=failure.reason)


def _completed(
    item: StudentNotebook, report: GradeReport, data: dict[str, Any], config: GradingConfig
) -> GradeReport:
    meta = {**report.meta, "student": item.student, "submission": item.label, "data": data}
    notes = report.notes
    if data["hidden_seed"] is not None:
        astray = [p.title for p in report.parts if "typed_in" in p.mistakes]
        short = any("short_of_optimum" in p.mistakes for p in report.parts)
        said = [config.say("batch.hidden")]
        said += [config.say("batch.astray", parts="; ".join(astray))] if astray else []
        said += [config.say("batch.hidden_short")] if short else []
        notes = (*notes, " ".join(said))
    return replace(report, notes=notes, meta=meta)


def _done(folder: Path, digest: str) -> bool:
    report = read_report(folder)
    return report is not None and (report.meta.get("data") or {}).get("hash") == digest


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Stop on SIGTERM (a job scheduler's or container's stop) as on Ctrl-C: the workers and their
    kernels are shut down, and every student finished so far keeps their files."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _read_config_doc(path: Path | None) -> tuple[dict[str, Any] | None, str]:
    """The parsed grading TOML of ``--config`` (checked already, with the assignment)."""
    if path is None:
        return None, "grading.toml"
    return read_grading(path), str(path)


def _read_capped(path: Path, cap: int = 20 * 1000**2) -> bytes | None:
    try:
        if path.is_file() and path.stat().st_size <= cap:
            return path.read_bytes()
    except OSError:
        pass
    return None


def _bytes_or_none(path: Path | None) -> bytes | None:
    return path.read_bytes() if path is not None else None
