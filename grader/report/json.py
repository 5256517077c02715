"""A report as JSON (``hlm-grader check --json``): the values as they are, feedback marks kept.

The feedback keeps its Markdown-style marks (`code`, *emphasis*): JSON is for machines, which
render them as they see fit (Gradescope reads them as Markdown).
"""

from __future__ import annotations

import json

from grader.report.markup import encodable
from grader.report.values import GradeReport


def to_json(report: GradeReport) -> str:
    """The report's dict as indented JSON, safe to print or save in any UTF-8 file."""
    return encodable(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, allow_nan=False))
