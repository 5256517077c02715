"""The little markup feedback sentences use, read into spans: `code` and *emphasis*.

Feedback marks variables and code with backticks and stresses a word with asterisks, as Markdown
does. Every renderer reads the text through :func:`spans` and draws each span its own way (HTML
tags, terminal styles), so no medium shows the marks themselves. The scan is one linear pass with
bounded look-ahead: feedback can quote a student's text, and no input can make it slow.

Only what the feedback needs is recognised. A ``*`` stresses a word only where Markdown would
(``*within*``), not in a formula (``ses*meanses``, ``2 * x``); an unclosed mark is plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "code", "em"]
# The longest code or emphasis span looked for; beyond it the mark is plain text.
MAX_SPAN = 200
# Marks are read in this much text; the rest (only ever a quoted student text) stays plain.
MAX_TEXT = 20_000


@dataclass(frozen=True, slots=True)
class Span:
    """A run of feedback text: plain, code (was between backticks) or emphasis (between ``*``)."""

    kind: Kind
    text: str


def spans(text: str) -> list[Span]:
    """``text`` split into plain, code and emphasis spans (marks removed, adjacent text merged).

    >>> spans("`icc` is the share *between* schools, not 2 * x")
    [Span(kind='code', text='icc'), Span(kind='text', text=' is the share '), \
Span(kind='em', text='between'), Span(kind='text', text=' schools, not 2 * x')]
    """
    out: list[Span] = []
    plain: list[str] = []
    i, limit = 0, min(len(text), MAX_TEXT)
    while i < limit:
        found = _span_at(text, i)
        if found is None:
            plain.append(text[i])
            i += 1
            continue
        span, i = found
        if plain:
            out.append(Span("text", "".join(plain)))
            plain = []
        out.append(span)
    rest = "".join(plain) + text[i:]
    if rest:
        out.append(Span("text", rest))
    return out


def encodable(text: str) -> str:
    """``text`` without lone surrogates, which no UTF-8 file or terminal accepts.

    They come from file names that are not UTF-8 and from a student's strings; left in, printing
    or saving the report fails with UnicodeEncodeError.
    """
    return text.encode("utf-8", "replace").decode("utf-8")


def plain(text: str) -> str:
    """``text`` with its marks removed (for a medium that can show no styles at all)."""
    return "".join(s.text for s in spans(text))


def _span_at(text: str, i: int) -> tuple[Span, int] | None:
    """The code or emphasis span opening at ``text[i]``, and the index just after it."""
    mark = text[i]
    if mark == "`":
        tick = text.find("`", i + 1, i + 2 + MAX_SPAN)
        return (Span("code", text[i + 1 : tick]), tick + 1) if tick > i + 1 else None
    if mark == "*" and _opens(text, i):
        star = _closing_star(text, i)
        if star is not None:
            return Span("em", text[i + 1 : star]), star + 1
    return None


def _opens(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isalnum() and before != "*" and not after.isspace() and after != "*"


def _closing_star(text: str, start: int) -> int | None:
    for j in range(start + 2, min(len(text), start + 2 + MAX_SPAN)):
        if text[j] == "`":
            return None  # emphasis never spans code
        if text[j] != "*":
            continue
        after = text[j + 1] if j + 1 < len(text) else " "
        if not text[j - 1].isspace() and not after.isalnum():
            return j
    return None


# Every "what was checked" message (``*.checked`` in grader.assignment.messages) opens so.
CHECKED_LEADS = ("Checked ", "Compared ")


def split_checked(feedback: str) -> tuple[str, str]:
    """A part's feedback split into its "what was checked" sentence and the verdict after it.

    Feedback opens with the sentence saying what was checked, and how (``Checked `icc` against
    … to within ±0.0015.``); a passing row can leave it out where space is short. Feedback that
    does not open that way (an instructor's reworded message, a missing answer) is all verdict.

    >>> split_checked("Checked `x` against f(a. b) to within ±0.01. `x` = 1.0000 agrees.")
    ('Checked `x` against f(a. b) to within ±0.01.', '`x` = 1.0000 agrees.')
    """
    if not feedback.startswith(CHECKED_LEADS):
        return "", feedback
    end = _sentence_end(feedback[:MAX_TEXT])
    if end is None:
        return "", feedback
    return feedback[:end], feedback[end:].lstrip()


def _sentence_end(text: str) -> int | None:
    """The index just after the first full stop outside code and parentheses, or None."""
    depth, code = 0, False
    for i, char in enumerate(text):
        if char == "`":
            code = not code
        elif code:
            continue
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == "." and depth == 0 and text[i + 1 : i + 2] in ("", " "):
            following = text[i + 2 : i + 3]
            if not following.islower():
                return i + 1
    return None
