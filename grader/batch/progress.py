"""The batch's progress display: counts, who is still running, and an ETA that stays honest.

rich's own estimate divides the work left by the recent speed, so when one notebook loops until its
time limit the display freezes at "ETA 0:00:03" for minutes and names nobody. Here the estimate
comes from how long a notebook typically takes (the median so far) and who is running now: a
student far past the typical time is named, with how long they have run and when their time limit
stops them, and the ETA says it may run that long. Shown on stderr; silent when not a terminal.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from grader.report.values import GradeReport

# A student counts as overdue past this many typical durations (and OVERDUE_MIN seconds).
OVERDUE_FACTOR = 2.0
OVERDUE_MIN = 30.0
NAME_CHARS = 32  # a student's id as shown; ids can be long or odd


@dataclass(frozen=True, slots=True)
class Running:
    """A student being graded now, and for how long so far (seconds)."""

    student: str
    elapsed: float


@dataclass(frozen=True, slots=True)
class Estimate:
    """When the run should end.

    Attributes:
        seconds: time left if every running and queued student takes the typical time (None:
            nobody has finished yet, so there is no typical time).
        overdue: running students far past the typical time (slowest first).
        worst: time left if those run until their time limit stops them (None: no limit known).
    """

    seconds: float | None
    overdue: tuple[Running, ...] = ()
    worst: float | None = None


def estimate(
    durations: Iterable[float], running: Iterable[Running], queued: int, *, jobs: int,
    limit: float | None,
) -> Estimate:  # fmt: skip
    """The run's remaining time from finished durations, the running students and the queue."""
    done = list(durations)
    if not done:
        return Estimate(None)
    typical = statistics.median(done)
    now = list(running)
    late = max(OVERDUE_FACTOR * typical, typical + OVERDUE_MIN)
    overdue = tuple(sorted((r for r in now if r.elapsed > late), key=lambda r: -r.elapsed))
    left = [max(typical - r.elapsed, 0.0) for r in now if r not in overdue]
    # The queue goes to the workers not tied up by an overdue student.
    seconds = max([*left, (sum(left) + queued * typical) / max(jobs - len(overdue), 1)])
    worst = None
    if overdue and limit is not None:
        worst = max(seconds, *(max(limit - r.elapsed, 0.0) for r in overdue))
    return Estimate(seconds, overdue, worst)


def describe(eta: Estimate, running: Iterable[Running], limit: float | None) -> Text:
    """The lines under the bar: the ETA and who is running (an overdue student named first)."""
    if eta.seconds is None:
        text = Text("ETA: after the first student finishes", style="dim")
    elif eta.overdue and eta.seconds < 1 and eta.worst is not None:
        text = Text(f"ETA: up to {clock(eta.worst)}, waiting only for the slow ones below "
                    "(their time limit stops them)")  # fmt: skip
    else:
        text = Text(f"ETA ~{clock(eta.seconds)}")
        if eta.worst is not None and eta.worst > eta.seconds:
            text.append(f" (up to {clock(eta.worst)} if the slow ones run to their time limit)")
    for late in eta.overdue:
        stop = f" (time limit {clock(limit)})" if limit is not None else ""
        text.append(f"\nStill running: {_name(late.student)} for {clock(late.elapsed)}{stop}",
                    style="yellow")  # fmt: skip
    others = [r for r in running if r not in eta.overdue]
    if others:
        names = ", ".join(f"{_name(r.student)} ({clock(r.elapsed)})" for r in others)
        text.append(f"\nRunning: {names}", style="dim")
    return text


def clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _name(student: str) -> str:
    return student if len(student) <= NAME_CHARS else student[: NAME_CHARS - 1] + "…"


class _Display(Progress):
    """A rich Progress with the ETA and running students under its bar."""

    def __init__(self, status: BatchProgress, *columns: ProgressColumn, **kwargs: Any) -> None:
        self.status = status  # before Progress's own init, which renders once
        super().__init__(*columns, **kwargs)

    def get_renderables(self) -> Iterable[RenderableType]:
        yield Group(self.make_tasks_table(self.tasks), self.status.lines())


class BatchProgress:
    """A context manager showing how many students are done, and how they did.

    Args:
        total: students to grade in this run.
        skipped: students already graded by an earlier run (mentioned once).
        enabled: show it; None shows it when stderr is a terminal.
        jobs: students graded at once (for the estimate).
        limit: seconds after which one student's grading is stopped (for the estimate).
        clock: seconds from a fixed point (``time.monotonic``; a test passes its own).
    """

    def __init__(
        self, total: int, *, skipped: int = 0, enabled: bool | None = None, jobs: int = 1,
        limit: float | None = None, clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        self.console = Console(stderr=True)
        shown = sys.stderr.isatty() if enabled is None else enabled
        self.total, self.skipped, self.jobs, self.limit = total, skipped, jobs, limit
        self.clock = clock
        self.opened = clock()
        self.counts = {"passed": 0, "failed": 0, "ungraded": 0}
        self.started: dict[str, float] = {}
        self.durations: list[float] = []
        self.progress = _Display(
            self, TextColumn("Grading"), BarColumn(), MofNCompleteColumn(),
            TextColumn("[green]{task.fields[passed]} all passed[/] · [yellow]{task.fields[failed]} "
                       "not all passed[/] · [red]{task.fields[ungraded]} could not be graded[/]"),
            TimeElapsedColumn(), console=self.console, disable=not shown,
        )  # fmt: skip
        self.task = self.progress.add_task("grading", total=total, **self._fields())

    def __enter__(self) -> BatchProgress:
        if self.skipped and not self.progress.disable:
            self.console.print(
                f"Skipping {self.skipped} student(s) graded by an earlier run (--force regrades)."
            )
        self.progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.progress.stop()

    def start(self, student: str) -> None:
        """A worker started on ``student``."""
        self.started[student] = self.clock()

    def advance(self, report: GradeReport, student: str | None = None) -> None:
        """Count one finished student (``student``: the id :meth:`start` was given)."""
        began = self.started.pop(student, None) if student is not None else None
        if began is not None:
            self.durations.append(self.clock() - began)
        self.counts[outcome(report)] += 1
        self.progress.update(self.task, advance=1, **self._fields())

    def _fields(self) -> dict[str, Any]:
        return dict(self.counts)  # the text column's {task.fields[...]}

    def running(self) -> list[Running]:
        now = self.clock()
        return [Running(s, now - t) for s, t in self.started.items()]

    def lines(self) -> Text:
        """The ETA and the running students, as :func:`describe` words them."""
        running = self.running()
        done = sum(self.counts.values())
        if done >= self.total:
            return Text("")
        queued = max(self.total - done - len(running), 0)
        eta = estimate(self.durations, running, queued, jobs=self.jobs, limit=self.limit)
        if eta.seconds is None and done:  # no start times (a Dask cluster): the overall rate
            eta = Estimate((self.clock() - self.opened) / done * (self.total - done))
        return describe(eta, running, self.limit)


def outcome(report: GradeReport) -> str:
    """How a finished student counts: passed every part, graded, or could not be graded."""
    return "passed" if report.passed else "failed" if report.graded else "ungraded"


def tally(reports: Mapping[str, GradeReport] | Iterable[GradeReport]) -> dict[str, int]:
    """The three counts of :func:`outcome` over ``reports``."""
    counts = {"passed": 0, "failed": 0, "ungraded": 0}
    for report in reports.values() if isinstance(reports, Mapping) else reports:
        counts[outcome(report)] += 1
    return counts
