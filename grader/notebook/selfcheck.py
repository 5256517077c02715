"""The self-check inside a notebook: ``from grader.notebook.selfcheck import check; check("icc")``.

It shows a small table of the part (or of every part, with ``check()``), judged by the same rules
as ``hlm-grader check``: answers are read in the kernel as data and judged in a fresh ``python -I``
process. It is a convenience while working; the authoritative grade is always the one computed
outside the kernel (``hlm-grader check`` / ``hlm-grader grade``).
"""

from __future__ import annotations

from grader.notebook.nbgrader_cell import judgement, user_namespace
from grader.report.values import GradeReport, PartResult

__all__ = ["check"]


def check(part: str | None = None, namespace: dict[str, object] | None = None) -> GradeReport:
    """Judge one part (by id, e.g. ``"icc"``) or all parts of the running notebook.

    Returns:
        A report that renders as an HTML table in Jupyter.
    """
    results = judgement(namespace if namespace is not None else user_namespace())
    raw_parts = results.get("parts")
    parts = [
        PartResult.from_dict(p)
        for p in (raw_parts.values() if isinstance(raw_parts, dict) else [])
        if isinstance(p, dict) and (part is None or p.get("id") == part)
    ]
    error = results.get("error")
    if part is not None and not parts and error is None:
        error = f"there is no part {part!r}; parts are the ids in the assignment's grading.toml."
    notes = results.get("notes")
    return GradeReport(
        notebook="this notebook (self-check)",
        parts=tuple(parts),
        error=str(error) if error else None,
        notes=tuple(str(n) for n in notes) if isinstance(notes, list) else (),
    )
