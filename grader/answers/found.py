"""An answer found in a notebook, with where it was found (its provenance).

Feedback names what the student wrote, never a contract name they did not use: a variable by its
name, a dict entry by its key, printed text and Markdown by the cell they are in, with the
excerpt that was read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from grader.answers.encoded import Encoded

#: contract: the variable the assignment names; variable: a variable under the student's own
#: name; dict: an entry of an answers dict; output: text a cell printed; markdown: a text cell.
Source = Literal["contract", "variable", "dict", "output", "markdown"]
MAX_EXCERPT = 240
#: What each answer is, in feedback.
WHAT = {
    "icc": "the ICC",
    "aic_change": "the change in AIC",
    "residual_variance_change": "the relative change in the level-1 residual variance",
    "forecast": "the forecast",
    "level1": "the level-1 equation",
    "level2": "the level-2 equations",
    "combined": "the combined model",
    "combined_with_estimates": "the combined model with estimates",
    "fixed_effects": "the list of fixed effects",
    "random_effects": "the list of random effects",
    "fixed_estimates": "the fixed-effect estimates",
}


@dataclass(frozen=True, slots=True)
class Found:
    """An answer (``value`` is ``None`` when absent) and where it came from.

    Attributes:
        variable: the notebook variable that holds it (the dict's name for a dict entry).
        value: the answer as encoded data (see :mod:`grader.answers.encoded`).
        guessed: found somewhere other than the contract's variable.
        source: what kind of place it came from.
        cell: the cell's number (1-based, every cell counted) for printed text and Markdown.
        key: the dict key, for a dict entry.
        excerpt: the text that was read, for answers read from text (capped).
        notes: what the reader noticed on the way (a TeX trap, a renamed letter).
    """

    variable: str | None
    value: Encoded | None
    guessed: bool = False
    source: Source = "contract"
    cell: int | None = None
    key: str | None = None
    excerpt: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How feedback names this answer: `` `rho` ``, `` `answers['icc']` ``, a cell."""
        if self.source == "dict" and self.variable is not None:
            return f"`{self.variable}[{self.key!r}]`"
        if self.source == "output":
            return f"the output of cell {self.cell}" if self.cell else "a printed output"
        if self.source == "markdown":
            return f"the Markdown of cell {self.cell}" if self.cell else "the Markdown"
        return f"`{self.variable}`" if self.variable else "your answer"

    @property
    def from_text(self) -> bool:
        """Read from printed text, Markdown, or a string: feedback says what was read."""
        return self.source in {"output", "markdown"} or self.excerpt is not None

    @property
    def where(self) -> str:
        """Where the answer stands, for the report's ``variable`` field."""
        if self.source in {"output", "markdown"}:
            return f"cell {self.cell} ({'printed' if self.source == 'output' else 'Markdown'})"
        if self.source == "dict":
            return self.label.strip("`")
        return self.variable or ""


def excerpt(text: str) -> str:
    """A short one-line excerpt of what was read."""
    line = " ".join(text.split())
    return line if len(line) <= MAX_EXCERPT else line[: MAX_EXCERPT - 1] + "…"
