"""What a notebook's text says: equations, reported numbers, effect lists, letter definitions.

Read once per notebook from :class:`~grader.answers.notebook_text.NotebookText`: Markdown cells
(math spans, plain equation lines, bullet lists, sentences) and the text code cells printed (plain
equation lines, ``text/latex`` math, labelled numbers such as ``ICC: 0.1793``). Nothing here
decides which of them is graded; :mod:`grader.answers.locate` does, after the variables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.answers.found import excerpt
from grader.answers.letters import Mention, mentions
from grader.answers.markdown import (
    bullet_item,
    bullet_lists,
    heading,
    sentences,
    split_fences,
    without_code_spans,
)
from grader.answers.mathread import RowEquation, RowFailure, latex_rows, plain_rows, read_rows
from grader.answers.notebook_text import NotebookCell, NotebookText
from grader.answers.patterns import DECREASE_WORDS, TEXT_KEYWORDS, keyword_span

NUMBER_PARTS = tuple(TEXT_KEYWORDS)
PROPORTIONS = frozenset({"icc", "residual_variance_change"})
MAX_NUMBER_GAP = 60  # characters between a keyword and its number
MAX_LINES = 5000  # per notebook, printed lines and sentences each
# Math handed to the reader per notebook: a few hundred equations at most in a real notebook;
# the caps keep a hostile one to about a second of reading.
MAX_MATH_ROWS = 1500
MAX_MATH_CHARS = 300_000
# One number: sign, digits, decimals, exponent, percent; no nested quantifiers (linear).
_NUMBER = re.compile(r"[-−+]?\d+(?:\.\d+)?(?:[eE][-+]?\d{1,3})?")
MAX_LIST_LINE = 2000
#: The items of a printed Python list: ``['Intercept', "ses"]``.
_QUOTED = re.compile(r"'([^'\n]{1,80})'|\"([^\"\n]{1,80})\"")
_INLINE_LIST = re.compile(r"^(?:the\s)?(fixed|random)(?:\s(?:effects?|parts?|terms?|coefficients?))?"
                          r"[^:]{0,40}:\s?(.+)$", re.IGNORECASE)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Place:
    """Where a piece of text was read: the cell (1-based), printed output or Markdown."""

    cell: int
    source: str  # "output" or "markdown"
    order: int  # reading order within the notebook


@dataclass(frozen=True, slots=True)
class TextEquation:
    place: Place
    row: RowEquation


@dataclass(frozen=True, slots=True)
class TextNumber:
    """A number reported for a part (``ICC: 0.1793``), with the line it was read from."""

    part: str
    value: float
    place: Place
    text: str
    decimals: int


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
        self.lines: dict[str, int] = {}
        self.math_chars = self.math_rows = 0
        self.math_full = False

    def place(self, cell: NotebookCell, source: str) -> Place:
        self.order += 1
        return Place(cell.number, source, self.order)

    def markdown(self, cell: NotebookCell) -> None:
        outside, math_fences, plain_fences = split_fences(cell.source)
        rows = latex_rows(outside) + tuple(r for f in math_fences for r in latex_rows(f"$${f}$$"))
        self.math(cell, "markdown", rows, "latex")
        plain = plain_rows(without_code_spans(outside), self.response) + tuple(
            r for f in plain_fences for r in plain_rows(f, self.response)
        )
        self.math(cell, "markdown", plain, "plain")
        for item in bullet_lists(outside):
            which = _which_effects(item.context)
            if which is not None:
                place = self.place(cell, "markdown")
                self.lists.append(TextList(which, item.items, place, excerpt(item.context)))
        for sentence in sentences(outside):
            if self._budget("sentences"):
                self.sentence(cell, sentence)
        self.letters += mentions(outside, cell.number)

    def sentence(self, cell: NotebookCell, sentence: str) -> None:
        if heading(sentence) is not None:
            return
        item = bullet_item(sentence)  # "* Fixed effects: intercept, ses" is a list in a bullet
        text = without_code_spans(item if item is not None else sentence)
        inline = _INLINE_LIST.match(text.lstrip("*_ "))  # "**Fixed:** γ00 (intercept), …" too
        if inline is not None:
            items = (inline[2].strip().rstrip("."),)  # one item: effect_names splits it
            place = self.place(cell, "markdown")
            self.lists.append(TextList(inline[1].lower(), items, place, excerpt(sentence)))
        self.prose += numbers_in(sentence, self.place(cell, "markdown"), prose=True)

    def output(self, cell: NotebookCell) -> None:
        text = cell.output
        self.math(cell, "output", latex_rows(text), "latex")
        self.math(cell, "output", plain_rows(text, self.response), "plain")
        for line in text.split("\n"):
            if line.strip() and self._budget("printed lines"):
                self.printed += numbers_in(line, self.place(cell, "output"), prose=False)
                self.printed_list(cell, line)

    def printed_list(self, cell: NotebookCell, line: str) -> None:
        """``Fixed effects: ['Intercept', 'ses']`` or ``Random effects: school intercept, ses``."""
        inline = _INLINE_LIST.match(line.strip()[:MAX_LIST_LINE])
        if inline is None:
            return
        quoted = [a or b for a, b in _QUOTED.findall(inline[2])]
        items = tuple(quoted) if quoted else (inline[2].strip().rstrip("."),)
        place = self.place(cell, "output")
        self.lists.append(TextList(inline[1].lower(), items, place, excerpt(line)))

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
                           tuple(self.notes))  # fmt: skip


def _which_effects(context: str) -> str | None:
    """Whether the line introducing a list announces fixed or random effects."""
    low = context.lower()
    fixed, random = low.rfind("fixed"), low.rfind("random")
    if fixed < 0 and random < 0:
        return None
    if "effect" not in low and "part" not in low and "term" not in low and "slope" not in low:
        return None
    return "fixed" if fixed > random else "random"


def numbers_in(text: str, place: Place, *, prose: bool) -> list[TextNumber]:
    """The number each part's keywords report in one line or sentence.

    >>> [(n.part, n.value) for n in numbers_in("Change in AIC: -813.2119", Place(1, "output", 0),
    ...                                           prose=False)]
    [('aic_change', -813.2119)]
    """
    found = []
    clean = without_code_spans(text)
    if len(clean) > 2000:
        return []
    for part in NUMBER_PARTS:
        span = keyword_span(part, clean)
        if span is None:
            continue
        proportion = part in PROPORTIONS
        number = _number_after(clean, span[1], percent_ok=proportion) or _number_after(
            clean, span[0], percent_ok=proportion, stop=span[1]
        )
        if number is None:
            continue
        value, decimals = number
        if part == "aic_change" and prose and "from" in clean.lower() and " to " in clean.lower():
            continue  # "AIC fell from 47.1k to 46.3k" reports two AICs, not the change
        if part == "aic_change" and prose and value > 0 and DECREASE_WORDS.search(clean):
            value = -value  # "AIC decreased by 813" is a change of -813
        found.append(TextNumber(part, value, place, excerpt(text), decimals))
    return found


def _number_after(
    text: str, start: int, *, percent_ok: bool, stop: int | None = None
) -> tuple[float, int] | None:
    """The first number after ``start`` (and before ``stop``) that stands alone (not ``m3``,
    ``47.1k``, ``level-1``)."""
    end = min(len(text), start + MAX_NUMBER_GAP + 40, stop if stop is not None else len(text))
    for match in _NUMBER.finditer(text, start, end):
        if match.start() - start > MAX_NUMBER_GAP:
            return None
        before = text[match.start() - 1 : match.start()]
        after = text[match.end() : match.end() + 1]
        if before.isalpha() or before == "_" or (after.isalpha() and after not in "eE"):
            continue
        raw = match.group().replace("−", "-")
        value = float(raw)
        decimals = len(raw.partition(".")[2].partition("e")[0].partition("E")[0])
        if text[match.end() : match.end() + 2].strip().startswith("%"):
            if not percent_ok:
                return None
            return value / 100, decimals + 2
        return value, decimals
    return None
