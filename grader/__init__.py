"""The HLM autograder: run a notebook safely, read its answers as data, judge them, explain.

The public surface, imported on first use so that ``hlm-grader --help`` stays quick:
``check_notebook`` (run and grade one notebook), ``grade_batch`` (grade a class, as
``hlm-grader grade`` does), ``judge`` (grade answers already read),
``load_config``/``GradingConfig``, ``GradeReport``/``PartResult``, and ``check`` (the in-notebook
self-check).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "check_notebook": "check",
    "grade_batch": "batch.grade",
    "BatchResult": "batch.grade",
    "judge": "judge.engine",
    "GradingConfig": "assignment.config",
    "load_config": "assignment.config",
    "GradeReport": "report.values",
    "PartResult": "report.values",
    "check": "notebook.selfcheck",
    "CONTRACT": "assignment.contract",
    "GraderError": "errors",
}

if TYPE_CHECKING:
    from grader.assignment.config import GradingConfig, load_config
    from grader.assignment.contract import CONTRACT
    from grader.batch.grade import BatchResult, grade_batch
    from grader.check import check_notebook
    from grader.errors import GraderError
    from grader.judge.engine import judge
    from grader.notebook.selfcheck import check
    from grader.report.values import GradeReport, PartResult

__all__ = [
    "CONTRACT",
    "BatchResult",
    "GradeReport",
    "GraderError",
    "GradingConfig",
    "PartResult",
    "check",
    "check_notebook",
    "grade_batch",
    "judge",
    "load_config",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'grader' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"grader.{module}"), name)
    globals()[name] = value
    return value
