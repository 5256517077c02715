"""The class's grades as CSV files: ``grades.csv``, and imports for Canvas and Moodle as they are.

* ``grades.csv``: one row per student, each part's score, the total and any problem.
* ``grades-canvas.csv``: Canvas's gradebook import ("Grades → Import"). Canvas reads a header row
  ``Student, ID, SIS User ID, SIS Login ID, Section`` and then one column per assignment, an
  optional second row whose first cell is ``Points Possible``, and one row per student; a student
  is matched by Canvas ID, else by SIS User ID or SIS Login ID, else by name, and a column whose
  title is not an existing assignment creates one (Canvas's ``GradebookImporter``). The student
  id (the submission's file or folder name, usually the LMS login) goes in ``SIS Login ID`` and
  ``Student``; the Canvas ID, unknown here, stays empty.
* ``grades-moodle.csv``: Moodle's "Import → CSV file". Moodle asks which column identifies the
  user (map ``Username`` to *username*) and which grade item each other column fills (map the
  assignment column to the grade item, ``Feedback`` to its feedback); comma-separated, UTF-8.

Scores are plain decimals with a point (``57.5``). A cell a spreadsheet would run as a formula
(starting ``=``, ``+``, ``-`` or ``@``) is quoted with a leading apostrophe, except the numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from grader.assignment.config import GradingConfig
from grader.report.markup import plain
from grader.report.values import GradeReport

Reports = Sequence[tuple[str, GradeReport]]
GRADES, CANVAS, MOODLE = "grades.csv", "grades-canvas.csv", "grades-moodle.csv"
CANVAS_STUDENT = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def grades_csv(reports: Reports, config: GradingConfig) -> str:
    """One row per student: each part's score, the total, and the run's problem if any."""
    rows: list[list[str]] = [["student", *(p.id for p in config.parts), "total", "error"]]
    for student, report in reports:
        scores = {p.id: number(p.score) for p in report.parts}
        row = [text(student), *(scores.get(p.id, "") for p in config.parts), number(report.score)]
        rows.append([*row, text(report.error or "")])
    return _csv(rows)


def canvas_csv(reports: Reports, config: GradingConfig, *, assignment: str) -> str:
    """The totals as a Canvas gradebook import, with the assignment's points possible; the
    gradebook column is ``assignment`` (Canvas creates the assignment if it has no such one)."""
    rows = [
        [*CANVAS_STUDENT, text(assignment)],
        ["Points Possible", "", "", "", "", number(config.max_score)],
    ]
    rows += [[text(s), "", "", text(s), "", number(r.score)] for s, r in reports]
    return _csv(rows)


def moodle_csv(reports: Reports, *, assignment: str) -> str:
    """The totals as a Moodle grade import: username, grade, and a one-line feedback summary."""
    rows = [["Username", text(assignment), "Feedback"]]
    rows += [[text(s), number(r.score), text(summary(r))] for s, r in reports]
    return _csv(rows)


def summary(report: GradeReport) -> str:
    """One line for a gradebook's feedback cell: the total and every part's score."""
    parts = "; ".join(f"{p.title} {number(p.score)}/{number(p.max_score)}" for p in report.parts)
    problem = f" Problem: {plain(report.error)}" if report.error else ""
    return f"Total {number(report.score)}/{number(report.max_score)}. {parts}.{problem}"


def number(value: float) -> str:
    """A score as a plain decimal: 57.5, 10, 3.3333 (never 1e-05 or a comma)."""
    return f"{round(value, 4):.4f}".rstrip("0").rstrip(".") or "0"


def text(value: str) -> str:
    # A spreadsheet would run a cell starting with one of these as a formula.
    return "'" + value if value[:1] in {"=", "+", "-", "@"} else value


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
