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
    "grade_batch": "batch",
    "BatchResult": "batch",
    "judge": "judge",
    "GradingConfig": "config",
    "load_config": "config",
    "GradeReport": "report",
    "PartResult": "report",
    "check": "notebook",
    "CONTRACT": "contract",
    "GraderError": "errors",
}

if TYPE_CHECKING:
    from grader.batch import BatchResult, grade_batch
    from grader.check import check_notebook
    from grader.config import GradingConfig, load_config
    from grader.contract import CONTRACT
    from grader.errors import GraderError
    from grader.judge import judge
    from grader.notebook import check
    from grader.report import GradeReport, PartResult

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
