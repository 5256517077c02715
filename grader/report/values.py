"""Grade results as values: one :class:`PartResult` per part, a :class:`GradeReport` per notebook.

Totals are properties computed from the parts, never stored twice. Rendering lives in one module
per medium (:mod:`grader.report.text`, :mod:`grader.report.html`, :mod:`grader.report.json`,
:mod:`grader.report.gradescope`); the HTML template reads plain attributes and never imports this
module, so ``_repr_html_`` here is the only link between the two.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from grader.report.html import report_html

Status = Literal["passed", "partial", "failed", "missing", "error"]


@dataclass(frozen=True, slots=True)
class PartResult:
    """The outcome of judging one part.

    Attributes:
        id, title: the part, as in the grading config.
        score, max_score: points earned and available.
        status: passed, partial, failed, missing (no answer found) or error (could not be judged).
        feedback: what was checked, what looks wrong and where to look next, in sentences.
        variable: the notebook variable that was graded, when one was.
        mistakes: codes of the recognised mistakes (for class summaries).
    """

    id: str
    title: str
    score: float
    max_score: float
    status: Status
    feedback: str
    variable: str | None = None
    mistakes: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> PartResult:
        """Rebuild a result written by :meth:`to_dict` (e.g. by the judging subprocess)."""
        return cls(
            id=str(raw["id"]),
            title=str(raw["title"]),
            score=float(raw["score"]),
            max_score=float(raw["max_score"]),
            status=raw["status"],
            feedback=str(raw["feedback"]),
            variable=raw.get("variable"),
            mistakes=tuple(raw.get("mistakes") or ()),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 4),
            "max_score": self.max_score,
            "status": self.status,
            "feedback": self.feedback,
            "variable": self.variable,
            "mistakes": list(self.mistakes),
        }


@dataclass(frozen=True, slots=True)
class GradeReport:
    """The report of one notebook: its parts, and a one-sentence ``error`` if the run went wrong."""

    notebook: str
    parts: tuple[PartResult, ...] = ()
    error: str | None = None
    notes: tuple[str, ...] = ()
    sandboxed: bool | None = None
    elapsed: float | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return sum(p.score for p in self.parts)

    @property
    def max_score(self) -> float:
        return sum(p.max_score for p in self.parts)

    @property
    def passed(self) -> bool:
        """Every part passed. A run problem beside that (a looping cell interrupted after the
        answers were set) is reported in ``error`` but takes nothing from the parts."""
        return bool(self.parts) and all(p.status == "passed" for p in self.parts)

    @property
    def graded(self) -> bool:
        """The notebook's answers were judged: no ``error``, or one that still left answers to
        judge. False when nothing could be read (the notebook did not run, or the grader failed).
        """
        if self.error is None:
            return bool(self.parts)
        return any(p.status not in ("missing", "error") for p in self.parts)

    def _repr_html_(self) -> str:
        return report_html(self, standalone=False)

    def part(self, part_id: str) -> PartResult:
        return next(p for p in self.parts if p.id == part_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "notebook": self.notebook,
            "score": round(self.score, 4),
            "max_score": self.max_score,
            "error": self.error,
            "notes": list(self.notes),
            "sandboxed": self.sandboxed,
            "parts": [p.to_dict() for p in self.parts],
        }
