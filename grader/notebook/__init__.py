"""What code inside a notebook calls: the self-check, nbgrader's test cells, the fresh-process
judge they use, and the nbgrader course they live in.

``from grader.notebook import check`` is the in-notebook self-check; ``grade`` is what the
assignment's hidden nbgrader test cells call.
"""

from __future__ import annotations

from grader.notebook.nbgrader_cell import grade
from grader.notebook.selfcheck import check

__all__ = ["check", "grade"]
