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
    html_to_text,
    sentences,
    split_fences,
    without_code_spans,
)
from grader.answers.mathread import RowEquation, RowFailure, latex_rows, plain_rows, read_rows
from grader.answers.notebook_text import NotebookCell, NotebookText
from grader.answers.patterns import (
    DECREASE_WORDS,
    TEXT_KEYWORDS,
    keyword_span,
    name_fits,
    names_quantity,
)

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
#: Words that announce a list of fixed or of random effects, in the languages students write in.
_FIXED = re.compile(r"fixed|\bfix[eo]s?\b|\bfeste[nr]?\b|\bfij[oa]s?\b", re.IGNORECASE)
_RANDOM = re.compile(r"random|zufällig|aleatori", re.IGNORECASE)
_EFFECTS = re.compile(r"effect|effekt|efecto|efeito|part|term|slope|coefficient|komponent|component",
                      re.IGNORECASE)  # fmt: skip
#: ``k = 9`` or ``minority=1`` just before a number: a count or a profile's value, not the answer.
_ASSIGNED = re.compile(r"([A-Za-z_][A-Za-z0-9_]{0,30})\s{0,3}=\s{0,3}$")
#: A number that is an operand (``46305.478 - 47121.810 = -816.332``): the result follows ``=``.
_OPERATION = re.compile(r"\s{0,3}[-−+*/×]\s{0,3}\(?[-−]?\d")
_WORD = re.compile(r"[^\W\d_]{3}")  # a word: text, not a computation
_OPERATOR = re.compile(r"\s{0,3}[-−+*/×·]")
_OPERAND = re.compile(r"\d\s{0,3}[-−+*/×]\s{0,3}\(?$")
#: A line that is one number, perhaps labelled (``change: -827.71``), indexed (a Series'
#: ``0    10.987386``) or wrapped (``array([10.27])``): what a cell prints under a heading.
_LONE = re.compile(
    r"\s{0,8}(?:(?P<label>[^\n:=]{1,60}?)\s{0,3}[:=]\s{0,3})?(?:\d{1,6}\s{2,12})?"
    r"(?:array\(\[|np\.float64\(|\[|\()?\s{0,3}(?P<num>[-−+]?\d+(?:\.\d+)?(?:[eE][-+]?\d{1,3})?)"
    r"\s{0,3}(?P<pct>%)?\s{0,3}(?:\]\)|\]|\))?\s{0,3}"
)
#: A second label inside a labelled line: ``…; random effects: u0j`` or ``…. Random: u0j``.
_SECOND_LABEL = re.compile(
    r"[;.]\s{0,3}(?:and\s)?([^\s:;.]{1,20}(?:\s[^\s:;.]{1,20}){0,2})\s{0,3}:"
)
MAX_CONTEXT = 300  # characters of a Markdown cell short enough to be a heading in all but name


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
        self.context = _context(outside)
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
        under = _under(self.context, cell.source)
        for line in text.split("\n"):
            if line.strip() and self._budget("printed lines"):
                found = numbers_in(line, self.place(cell, "output"), prose=False)
                self.printed += found
                if under is not None and not found:
                    self.headed += _lone(line, under, self.place(cell, "output"))
                self.inline_list(cell, "output", line)

    def bullets(self, cell: NotebookCell, source: str, text: str) -> None:
        """Bullet lists of effects, introduced by a line that says which (``Fixed effects:``)."""
        for item in bullet_lists(text):
            which = _which_effects(item.context)
            if which is not None:
                place = self.place(cell, source)
                self.lists.append(TextList(which, item.items, place, excerpt(item.context)))

    def inline_list(self, cell: NotebookCell, source: str, line: str) -> None:
        """``Fixed effects: ['Intercept', 'ses']``, ``* **Random:** u0j, r_ij`` or a table row
        ``| fixed | γ00, γ01 |``."""
        found = _inline_list(without_code_spans(line.strip()[:MAX_LIST_LINE]))
        if found is None:
            return
        for which, rest in _both_kinds(*found):
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


def _which_effects(context: str, *, bare: bool = False) -> str | None:
    """Whether the line introducing a list announces fixed or random effects (``bare``: a label
    may be the word alone, as in ``Fixed: γ00, γ01``).

    >>> _which_effects("Random effects:"), _which_effects("Efectos fijos"), _which_effects("fixed")
    ('random', 'fixed', None)
    """
    fixed = [m.start() for m in _FIXED.finditer(context[:500])]
    random = [m.start() for m in _RANDOM.finditer(context[:500])]
    if not fixed and not random:
        return None
    if not bare and _EFFECTS.search(context[:500]) is None:
        return None
    return "fixed" if max(fixed, default=-1) > max(random, default=-1) else "random"


def _inline_list(line: str) -> tuple[str, str] | None:
    """Which effects a labelled line lists, and the rest of the line.

    >>> _inline_list("* **Random effects:** u0j, r_ij")
    ('random', 'u0j, r_ij')
    >>> _inline_list("| fixed | γ00 (intercept), γ01 |")
    ('fixed', 'γ00 (intercept), γ01')
    """
    item = bullet_item(line)
    text = (item if item is not None else line).strip()
    if text.startswith("|"):
        cells = [c.strip() for c in text.strip("|").split("|")[:20]]
        label, rest = cells[0], ", ".join(c for c in cells[1:] if c)
    else:
        body = text.lstrip("*_ ")
        colon = body.find(":", 0, 60)
        if colon <= 0:
            return None
        label, rest = body[:colon], body[colon + 1 :]
    label, rest = label.strip("*_ "), rest.strip("*_ ").strip()
    if not rest or len(label) > 50 or not label[:1].isalpha():
        return None
    which = _which_effects(label, bare=True)
    return None if which is None else (which, rest)


def _both_kinds(which: str, rest: str) -> list[tuple[str, str]]:
    """A line listing both kinds (``Fixed effects: γ00, γ01; random effects: u0j, r_ij``), cut
    where the second label starts.

    >>> _both_kinds("fixed", "γ00, γ01; random effects: u0j, r_ij")
    [('fixed', 'γ00, γ01'), ('random', 'u0j, r_ij')]
    """
    for match in _SECOND_LABEL.finditer(rest):
        other = _which_effects(match[1], bare=True)
        if other is not None and other != which:
            return [(which, rest[: match.start()].strip()), (other, rest[match.end() :].strip())]
    return [(which, rest)]


def _context(markdown: str) -> str:
    """What a Markdown cell announces for the outputs below it: its last heading, or the whole
    cell when it is as short as one ("**AIC change**", "Now the forecast:")."""
    last = ""
    for line in markdown.split("\n"):
        found = heading(line)
        if found is not None:
            last = found.text
    if last:
        return last[:MAX_CONTEXT]
    text = " ".join(markdown.split())
    return text if len(text) <= MAX_CONTEXT else ""


def _under(context: str, source: str) -> tuple[str, str] | None:
    """The one numeric part a cell's outputs stand under, and the words that say so: the code's
    own comments first (``# change in AIC``), else the heading above the cell."""
    comments = " ".join(line.strip().lstrip("#") for line in source.split("\n")[:50]
                        if line.strip().startswith("#"))  # fmt: skip
    for words in (comments[:MAX_CONTEXT], context):
        parts = [p for p in NUMBER_PARTS if keyword_span(p, words) is not None]
        if len(parts) == 1:
            return parts[0], words.strip()
        if parts:
            return None  # a heading naming two answers says nothing of which line is which
    return None


def _lone(line: str, under: tuple[str, str], place: Place) -> list[TextNumber]:
    """The number a line holds alone, read as the part its heading names; none when its label
    names something else ("AIC null: 47121.81" under "AIC change" is an AIC, not the change).

    >>> [n.value for n in _lone("change: -827.7", ("aic_change", "AIC change"), Place(1, "o", 0))]
    [-827.7]
    >>> _lone("AIC final: 46294.1", ("aic_change", "AIC change"), Place(1, "o", 0))
    []
    """
    part, words = under
    match = _LONE.fullmatch(line[:200])
    if match is None:
        return []
    label = match["label"] or ""
    if label and (names_quantity(part, label)
                  or any(keyword_span(p, label) for p in NUMBER_PARTS if p != part)):  # fmt: skip
        return []
    raw = match["num"].replace("−", "-")
    value, decimals = float(raw), len(raw.partition(".")[2].partition("e")[0])
    if match["pct"]:
        if part not in PROPORTIONS:
            return []
        value, decimals = value / 100, decimals + 2
    said = excerpt(f"{words} → {line.strip()}")
    return [TextNumber(part, value, place, said, decimals)]


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
        number = _number_after(clean, span[1], part, percent_ok=proportion) or _number_after(
            clean, span[0], part, percent_ok=proportion, stop=span[1]
        )
        if number is None:
            continue
        value, decimals = number
        if part == "aic_change" and prose and "from" in clean.lower() and " to " in clean.lower():
            continue  # "AIC fell from 47.1k to 46.3k" reports two AICs, not the change
        if part == "aic_change" and value > 0 and DECREASE_WORDS.search(clean):
            value = -value  # "AIC decreased by 813" is a change of -813
        found.append(TextNumber(part, value, place, excerpt(text), decimals))
    return found


def _number_after(
    text: str, start: int, part: str, *, percent_ok: bool, stop: int | None = None, hops: int = 0
) -> tuple[float, int] | None:
    """The first number after ``start`` (and before ``stop``) that stands alone (not ``m3``,
    ``47.1k``, ``level-1``, ``σ^2``, ``k=9``, ``minority=1``) and, when it opens a computation
    (``46305.48 - 47121.81 = -816.33``), the computation's result.

    >>> [_number_after(t, 0, "aic_change", percent_ok=False) for t in (
    ...     "AIC change = 46305.478 - 47121.810 = -816.332", "with k=9 parameters: -822.81")]
    [(-816.332, 3), (-822.81, 2)]
    """
    limit = min(len(text), stop if stop is not None else len(text), start + 400)
    gap_from = start  # a skipped profile value (``minority=1, …``) does not count as the gap
    for match in _NUMBER.finditer(text, start, limit):
        if match.start() - gap_from > MAX_NUMBER_GAP:
            return None
        before = text[match.start() - 1 : match.start()]
        after = text[match.end() : match.end() + 1]
        if before.isalpha() or before in "_^" or (after.isalpha() and after not in "eE"):
            continue
        if (
            text[max(0, match.start() - 3) : match.start()].endswith("**")
            and text[max(0, match.start() - 3)].isalnum()
        ):
            continue  # a power (sigma**2), not bold (**-810.57**)
        if _OPERAND.search(text, max(0, match.start() - 12), match.start()) is not None:
            continue  # the second operand of a computation whose first was passed over
        assigned = _ASSIGNED.search(text, max(0, match.start() - 40), match.start())
        if (
            assigned is not None
            and assigned.start() >= start
            and not _names_part(part, assigned[1])
        ):
            gap_from = match.end()
            continue
        if _OPERATOR.match(text, match.end()) is not None:
            line_end = text.find("\n", match.end())
            line_end = len(text) if line_end < 0 else line_end
            equals = text.rfind("=", match.end(), min(line_end, match.end() + 160))
            if (
                equals >= 0 and _WORD.search(text, match.end(), equals) is None and hops < 4
            ):  # "8.555 / (8.555 + 39.148) = 0.179": the result
                return _number_after(text, equals + 1, part, percent_ok=percent_ok, hops=hops + 1)
            if _OPERATION.match(text, match.end()) is not None:
                return None  # an operand whose result is not given
        raw = match.group().replace("−", "-")
        value = float(raw)
        decimals = len(raw.partition(".")[2].partition("e")[0].partition("E")[0])
        if text[match.end() : match.end() + 2].strip().startswith("%"):
            if not percent_ok:
                return None
            return value / 100, decimals + 2
        return value, decimals
    return None


def _names_part(part: str, name: str) -> bool:
    """Whether a name assigned a number in the text may be the answer's (``ICC = …``,
    ``rho = …``, ``delta_aic = …``), not some other quantity's (``k = 9``)."""
    return keyword_span(part, name.replace("_", " ")) is not None or name_fits(part, name)
