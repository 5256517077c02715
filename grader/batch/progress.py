"""The batch's progress bar: counts, elapsed time and ETA on stderr, silent when not a terminal."""

from __future__ import annotations

import sys
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from grader.report.values import GradeReport


class BatchProgress:
    """A context manager showing how many students are done, and how they did.

    Args:
        total: students to grade in this run.
        skipped: students already graded by an earlier run (mentioned once).
        enabled: show it; None shows it when stderr is a terminal.
    """

    def __init__(self, total: int, *, skipped: int = 0, enabled: bool | None = None) -> None:
        self.console = Console(stderr=True)
        shown = sys.stderr.isatty() if enabled is None else enabled
        self.skipped = skipped
        self.counts = {"passed": 0, "failed": 0, "errors": 0}
        self.progress = Progress(
            TextColumn("Grading"), BarColumn(), MofNCompleteColumn(),
            TextColumn("[green]{task.fields[passed]} all passed[/] · [yellow]{task.fields[failed]} "
                       "not all passed[/] · [red]{task.fields[errors]} errors[/]"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=self.console, disable=not shown,
        )  # fmt: skip
        self.task = self.progress.add_task("grading", total=total, passed=0, failed=0, errors=0)

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

    def advance(self, report: GradeReport) -> None:
        """Count one finished student."""
        key = "errors" if report.error else "passed" if report.passed else "failed"
        self.counts[key] += 1
        counts = self.counts
        self.progress.update(self.task, advance=1, passed=counts["passed"],
                             failed=counts["failed"], errors=counts["errors"])  # fmt: skip
