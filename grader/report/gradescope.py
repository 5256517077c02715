"""A report in Gradescope's autograder format (``results.json``), one test per graded part.

The format is Gradescope's "Autograder Specifications": a top-level ``score``, ``output`` and
``tests``, each test with ``name``, ``score``, ``max_score``, ``output`` and ``status``
(``passed``/``failed``). A partly right part is ``failed`` with its partial score, as Gradescope
shows scores and statuses side by side.
"""

from __future__ import annotations

import json
from typing import Any

from grader.report.values import GradeReport, PartResult


def to_gradescope(report: GradeReport) -> dict[str, Any]:
    """The report as a Gradescope ``results.json`` document."""
    doc: dict[str, Any] = {
        "score": round(report.score, 4),
        "output": _overall(report),
        "output_format": "text",
        "tests": [_test(number, part) for number, part in enumerate(report.parts, start=1)],
    }
    if report.elapsed is not None:
        doc["execution_time"] = round(report.elapsed)
    return doc


def to_gradescope_json(report: GradeReport) -> str:
    return json.dumps(to_gradescope(report), indent=2, allow_nan=False)


def _test(number: int, part: PartResult) -> dict[str, Any]:
    return {
        "name": part.title,
        "number": str(number),
        "score": round(part.score, 4),
        "max_score": part.max_score,
        "status": "passed" if part.status == "passed" else "failed",
        "output": part.feedback,
        # Feedback marks variables and code with backticks.
        "output_format": "md",
    }


def _overall(report: GradeReport) -> str:
    lines = [f"Total: {report.score:g} / {report.max_score:g}"]
    if report.error:
        lines.insert(0, f"Problem: {report.error}")
    lines += [f"- {note}" for note in report.notes]
    return "\n".join(lines)
