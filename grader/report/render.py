"""The renderers under their former names, for callers written before the split by medium.

New code imports from the medium's own module: :mod:`grader.report.text` (terminal),
:mod:`grader.report.json`, :mod:`grader.report.html`, :mod:`grader.report.gradescope`.
"""

from __future__ import annotations

from grader.report.html import report_html as to_html
from grader.report.json import to_json
from grader.report.text import print_report

__all__ = ["print_report", "to_html", "to_json"]
