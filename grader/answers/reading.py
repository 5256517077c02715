"""What a notebook's text says: equations, reported numbers, effect lists, letter definitions.

Read once per notebook from :class:`~grader.answers.notebook_text.NotebookText`: Markdown cells
(math spans, plain equation lines, bullet lists, sentences, table rows; HTML subscripts as TeX's)
and the text code cells printed (plain equation lines, ``text/latex`` math, ``display(Markdown)``,
labelled numbers such as ``ICC: 0.1793``, and a number printed alone under a heading or comment
that names its answer). A number is the result of a computation written out (``8.555 / (8.555 +
39.148) = 0.179``), never a profile's value (``minority=1``), a count (``k=9``) or a power
(``sigma^2``). Nothing here decides which of them is graded; :mod:`grader.answers.locate` does,
after the variables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.answers.effect_lines import both_kinds, inline_list, which_effects
from grader.answers.found import excerpt
from grader.answers.letters import Mention, mentions
from grader.answers.markdown import (
    bullet_lists,
    heading,
    html_to_text,
    sentences,
    split_fences,
    without_code_spans,
)
from grader.answers.mathread import RowEquation, RowFailure, latex_rows, plain_rows, read_rows
from grader.answers.notebook_text import NotebookCell, NotebookText
from grader.answers.text_numbers import (
    NUMBER_PARTS,
    Place,
    TextNumber,
    lone,
    numbers_in,
    text_context,
    under,
)

__all__ = ["NUMBER_PARTS", "Place", "TextEquation", "TextList", "TextNumber", "TextReading",
           "numbers_in", "read_text"]  # fmt: skip

MAX_LINES = 5000  # per notebook, printed lines and sentences each
# Math handed to the reader per notebook: a few hundred equations at most in a real notebook;
# the caps keep a hostile one to about a second of reading.
MAX_MATH_ROWS = 1500
MAX_MATH_CHARS = 300_000
MAX_LIST_LINE = 2000
#: The items of a printed Python list: ``['Intercept', "ses"]``.
_QUOTED = re.compile(r"'([^'\n]{1,80})'|\"([^\"\n]{1,80})\"")


@dataclass(frozen=True, slots=True)
class TextEquation:
    place: Place
    row: RowEquation


@dataclass(frozen=True, slots=True)
class TextList:
    """A list of effects the text gives, raw items as written."""

    which: str  # "fixed" or "random"
    items: tuple[str, ...]
    place: Place
    text: str


@dataclass(frozen=True, slots=True)
class TextReading:
    """Everything read from the notebook's text."""

    equations: tuple[TextEquation, ...] = ()
    failures: tuple[tuple[Place, RowFailure], ...] = ()
    printed: tuple[TextNumber, ...] = ()
    prose: tuple[TextNumber, ...] = ()
    lists: tuple[TextList, ...] = ()
    letters: tuple[Mention, ...] = ()
    notes: tuple[str, ...] = ()
    #: unlabelled printed numbers under a heading (or a comment) that names their part
    headed: tuple[TextNumber, ...] = ()


def read_text(
    notebook: NotebookText, response: str, template: frozenset[str] = frozenset()
) -> TextReading:
    """Read every cell of the notebook's text (see the module's docstring); ``response`` is the
    assignment's response column, which equations of the model define. A Markdown cell that is
    word for word one of the assignment's own (``template``: its grading table, its worked
    examples) says nothing of the student's, and is not read."""
    builder = _Builder(response)
    for cell in notebook.cells:
        if cell.kind == "markdown" and cell.source.strip() not in template:
            builder.markdown(cell)
        elif cell.kind == "code" and cell.output:
            builder.output(cell)
    return builder.result()


class _Builder:
    def __init__(self, response: str) -> None:
        self.response = response
        self.order = 0
        self.equations: list[TextEquation] = []
        self.failures: list[tuple[Place, RowFailure]] = []
        self.printed: list[TextNumber] = []
        self.prose: list[TextNumber] = []
        self.lists: list[TextList] = []
        self.letters: list[Mention] = []
        self.notes: list[str] = []
        self.headed: list[TextNumber] = []
        self.context = ""  # the heading (or short Markdown cell) the next outputs stand under
        self.lines: dict[str, int] = {}
        self.math_chars = self.math_rows = 0
        self.math_full = False

    def place(self, cell: NotebookCell, source: str) -> Place:
        self.order += 1
        return Place(cell.number, source, self.order)

    def markdown(self, cell: NotebookCell) -> None:
        outside, math_fences, plain_fences = split_fences(html_to_text(cell.source))
        self.context = text_context(outside)
        rows = latex_rows(outside) + tuple(r for f in math_fences for r in latex_rows(f"$${f}$$"))
        self.math(cell, "markdown", rows, "latex")
        plain = plain_rows(without_code_spans(outside), self.response) + tuple(
            r for f in plain_fences for r in plain_rows(f, self.response)
        )
        self.math(cell, "markdown", plain, "plain")
        self.bullets(cell, "markdown", outside)
        for sentence in sentences(outside):
            if self._budget("sentences"):
                self.sentence(cell, sentence)
        self.letters += mentions(outside, cell.number)

    def sentence(self, cell: NotebookCell, sentence: str) -> None:
        if heading(sentence) is not None:
            return
        self.inline_list(cell, "markdown", sentence)
        self.prose += numbers_in(sentence, self.place(cell, "markdown"), prose=True)

    def output(self, cell: NotebookCell) -> None:
        text = html_to_text(cell.output)  # display(Markdown(...)) prints Markdown
        self.math(cell, "output", latex_rows(text), "latex")
        self.math(cell, "output", plain_rows(text, self.response), "plain")
        self.bullets(cell, "output", text)
        heading_part = under(self.context, cell.source)
        for line in text.split("\n"):
            if line.strip() and self._budget("printed lines"):
                found = numbers_in(line, self.place(cell, "output"), prose=False)
                self.printed += found
                if heading_part is not None and not found:
                    self.headed += lone(line, heading_part, self.place(cell, "output"))
                self.inline_list(cell, "output", line)

    def bullets(self, cell: NotebookCell, source: str, text: str) -> None:
        """Bullet lists of effects, introduced by a line that says which (``Fixed effects:``)."""
        for item in bullet_lists(text):
            which = which_effects(item.context)
            if which is not None:
                place = self.place(cell, source)
                self.lists.append(TextList(which, item.items, place, excerpt(item.context)))

    def inline_list(self, cell: NotebookCell, source: str, line: str) -> None:
        """``Fixed effects: ['Intercept', 'ses']``, ``* **Random:** u0j, r_ij`` or a table row
        ``| fixed | γ00, γ01 |``."""
        found = inline_list(without_code_spans(line.strip()[:MAX_LIST_LINE]))
        if found is None:
            return
        for which, rest in both_kinds(*found):
            quoted = [a or b for a, b in _QUOTED.findall(rest)] if source == "output" else []
            items = tuple(quoted) if quoted else (rest.strip().rstrip("."),)  # split later
            self.lists.append(TextList(which, items, self.place(cell, source), excerpt(line)))

    def math(self, cell: NotebookCell, source: str, rows: tuple[str, ...], syntax: str) -> None:
        rows = self._math_budget(rows)
        if not rows:
            return
        read = read_rows(rows, "latex" if syntax == "latex" else "plain", self.response)
        for row in read.equations:
            self.equations.append(TextEquation(self.place(cell, source), row))
        self.failures += [(self.place(cell, source), f) for f in read.failures]

    def _math_budget(self, rows: tuple[str, ...]) -> tuple[str, ...]:
        """The rows still within the notebook's reading budget (a note when it runs out)."""
        kept = []
        for row in rows:
            if self.math_chars + len(row) > MAX_MATH_CHARS or self.math_rows >= MAX_MATH_ROWS:
                if not self.math_full:
                    self.math_full = True
                    self.notes.append(
                        f"Only the first {self.math_rows:,} equations and math blocks of the "
                        "notebook were read; the text has more than the grader reads."
                    )
                break
            self.math_chars += len(row)
            self.math_rows += 1
            kept.append(row)
        return tuple(kept)

    def _budget(self, what: str) -> bool:
        """Lines left to read for numbers; Markdown and printed text each have their own."""
        self.lines[what] = used = self.lines.get(what, 0) + 1
        if used == MAX_LINES:
            self.notes.append(f"Only the first {MAX_LINES:,} {what} were read for numbers.")
        return used < MAX_LINES

    def result(self) -> TextReading:
        return TextReading(tuple(self.equations), tuple(self.failures), tuple(self.printed),
                           tuple(self.prose), tuple(self.lists), tuple(self.letters),
                           tuple(self.notes), tuple(self.headed))  # fmt: skip
