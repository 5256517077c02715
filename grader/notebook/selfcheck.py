"""The self-check inside a notebook: ``from grader.notebook.selfcheck import check; check("icc")``.

It shows a small table of the part (or of every part, with ``check()``), judged by the same rules
as ``hlm-grader check``: answers are read in the kernel as data and judged in a fresh ``python -I``
process. It is a convenience while working; the authoritative grade is always the one computed
outside the kernel (``hlm-grader check`` / ``hlm-grader grade``).
"""

from __future__ import annotations

from grader.assignment.assignment import assignment_here, load_assignment
from grader.errors import ConfigError
from grader.notebook.nbgrader_cell import judgement, user_namespace
from grader.report.values import GradeReport, PartResult

__all__ = ["check"]


def check(
    part: str | None = None,
    namespace: dict[str, object] | None = None,
    assignment: str | None = None,
) -> GradeReport:
    """Judge one part (by id, e.g. ``"icc"``) or all parts of the running notebook.

    The assignment is ``assignment`` if given, else the notebook's: the course's setting
    (``HLM_GRADER_ASSIGNMENT``), else the one whose data file is beside the notebook.

    Returns:
        A report that renders as an HTML table in Jupyter.
    """
    named = assignment or str(assignment_here())
    results = judgement(namespace if namespace is not None else user_namespace(), named)
    raw_parts = results.get("parts")
    parts = [
        PartResult.from_dict(p)
        for p in (raw_parts.values() if isinstance(raw_parts, dict) else [])
        if isinstance(p, dict) and (part is None or p.get("id") == part)
    ]
    error = results.get("error")
    if part is not None and not parts and error is None:
        error = _no_part(part, named)
    notes = results.get("notes")
    return GradeReport(
        notebook="this notebook (self-check)",
        parts=tuple(parts),
        error=str(error) if error else None,
        notes=tuple(str(n) for n in notes) if isinstance(notes, list) else (),
    )


def _no_part(part: str, assignment: str) -> str:
    try:
        return load_assignment(assignment).grading.say("notebook.no_part", part=part)
    except ConfigError as exc:
        return str(exc)
