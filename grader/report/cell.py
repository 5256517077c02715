"""What an nbgrader autograder test cell shows: the part's score, carrying its feedback.

nbgrader takes a test cell's partial credit from the ``text/plain`` form of the cell's last value
(``nbgrader.utils.determine_grade``), and its feedback page shows that value's richest form. So
the cell's last expression, ``grade("icc")``, returns a :class:`PartScore`: a float whose plain
form is the score alone (``7.5``, what nbgrader reads) and whose HTML form is the part's feedback,
wrapped, with the part's name, in the look of the self-check. Nothing is printed: printed text
would show as a second, unwrapped copy in a ``<pre>`` box.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from grader.report.html import part_html


@dataclass(frozen=True, slots=True)
class _Part:
    title: str
    score: float
    max_score: float
    status: str
    feedback: str


class PartScore(float):
    """A part's score (a float, for nbgrader and any arithmetic) that shows its feedback."""

    html: str

    def __new__(cls, score: float, html: str) -> PartScore:
        value = super().__new__(cls, score)
        value.html = html
        return value

    def __repr__(self) -> str:
        return float.__repr__(self)  # exactly what nbgrader parses as the partial credit

    def _repr_html_(self) -> str:
        return self.html


def part_score(part_id: str, part: Mapping[str, object] | None, problem: str | None) -> PartScore:
    """The value a test cell ends with, from the judged part (a ``PartResult.to_dict()``).

    Args:
        part_id: the part the cell grades.
        part: its judged result, or None when judging produced none.
        problem: why there is no result (shown instead, with a score of 0).
    """
    if part is None:
        why = problem or "no result"
        failed = _Part(part_id, 0.0, 0.0, "error", f"This part could not be judged: {why}")
        return PartScore(0.0, part_html(failed))
    shown = _Part(
        title=str(part.get("title") or part_id),
        score=_number(part.get("score")),
        max_score=_number(part.get("max_score")),
        status=str(part.get("status") or "error"),
        feedback=str(part.get("feedback") or ""),
    )
    return PartScore(shown.score, part_html(shown))


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
