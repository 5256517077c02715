"""The autograder: run a notebook safely, read its answers as data, judge them, explain.

It grades an assignment it is handed (``assignments/<name>/``, read by ``load_assignment``); it
holds none itself. The public surface, imported on first use so that ``hlm-grader --help`` stays
quick: ``load_assignment``/``Assignment``, ``check_notebook`` (run and grade one notebook),
``grade_batch`` (grade a class, as ``hlm-grader grade`` does), ``judge`` (grade answers already
read), ``load_config``/``GradingConfig``, ``GradeReport``/``PartResult``, and ``check`` (the
in-notebook self-check).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "check_notebook": "check",
    "grade_batch": "batch.grade",
    "BatchResult": "batch.grade",
    "judge": "judge.engine",
    "Assignment": "assignment.assignment",
    "load_assignment": "assignment.assignment",
    "GradingConfig": "assignment.config",
    "load_config": "assignment.assignment",
    "GradeReport": "report.values",
    "PartResult": "report.values",
    "check": "notebook.selfcheck",
    "GraderError": "errors",
}

if TYPE_CHECKING:
    from grader.assignment.assignment import Assignment, load_assignment, load_config
    from grader.assignment.config import GradingConfig
    from grader.batch.grade import BatchResult, grade_batch
    from grader.check import check_notebook
    from grader.errors import GraderError
    from grader.judge.engine import judge
    from grader.notebook.selfcheck import check
    from grader.report.values import GradeReport, PartResult

__all__ = [
    "Assignment",
    "BatchResult",
    "GradeReport",
    "GraderError",
    "GradingConfig",
    "PartResult",
    "check",
    "check_notebook",
    "grade_batch",
    "judge",
    "load_assignment",
    "load_config",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'grader' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"grader.{module}"), name)
    globals()[name] = value
    return value
