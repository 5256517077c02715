"""The caps that keep every reading bounded, and the signal that stops a row or a whole text.

Every loop in this package runs over at most :data:`MAX_TOKENS` tokens, every recursion is at most
:data:`MAX_DEPTH` brackets deep, and every exact number stays within :data:`MAX_BITS`, so any text,
however hostile, is read (or refused) in bounded time.
"""

from __future__ import annotations

import unicodedata

#: Characters in one text; a math block of an HLM assignment is a few hundred.
MAX_CHARS = 20_000
#: Tokens in one text (a combined model with ten predictors is about 100).
MAX_TOKENS = 10_000
#: Terms of one sum, or factors of one product (sympy sorts them: this bounds its work).
MAX_TERMS = 200
#: Notes kept for one text; the feedback needs the first few, not thousands.
MAX_NOTES = 40
#: Brackets (parentheses, braces, ``\left``) open at once.
MAX_DEPTH = 40
#: Rows read from one text; the rest are left with a note.
MAX_ROWS = 100
#: Characters in one name, subscript included (``mathach_ij`` is 10).
MAX_NAME = 60
#: Characters in one written number (``-2.965`` is 6; estimates never need 40).
MAX_NUMBER = 40
#: Largest whole exponent (``x^{2}``, ``10^{-3}``): towers like ``10^{10^{10}}`` stop here.
MAX_EXPONENT = 10
#: Bits of the numerator or denominator of any exact number built (about 120 digits).
MAX_BITS = 400
#: Characters of a row echoed back in feedback.
MAX_SOURCE = 300
#: Characters of the argument of ``\text{...}``, ``\label{...}`` or an environment's column spec.
MAX_ARGUMENT = 100


class Unreadable(Exception):
    """A row cannot be read; the message is the kind reason, shown to the student.

    Raised and caught inside this package only: :func:`~grader.answers.mathtext.read_math` turns it
    into a note (one row skipped) or, for :class:`Refused`, into the reading's ``error``.
    """


class Refused(Unreadable):
    """The whole text is not read (too long, too deep, a macro definition or a file command)."""


def shown(text: str, limit: int = MAX_SOURCE) -> str:
    """``text`` safe to echo in feedback: one line, visible characters only, at most ``limit``.

    >>> shown("a\\x00b\\n   c") == "a\\ufffdb c", len(shown("x" * 1000))
    (True, 300)
    """
    line = " ".join(text[: 4 * limit].split())
    if not line.isprintable():  # rare: only then look at each character
        line = " ".join("".join(_visible(char) for char in line).split())
    return line if len(line) <= limit and len(text) <= 4 * limit else line[: limit - 1] + "…"


def _visible(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Cf":
        return ""  # zero-width spaces, bidi overrides: invisible, and not echoed
    if category in {"Cc", "Cs", "Co", "Cn"}:
        return "\ufffd"  # control, surrogate, private or unassigned: not echoed as is
    return char


def describe_char(char: str) -> str:
    """A character named so a student can find it: ``'а' (CYRILLIC SMALL LETTER A)``.

    >>> describe_char("\\x00")
    'U+0000'
    """
    name = unicodedata.name(char, "")
    printable = unicodedata.category(char)[0] not in {"C", "Z"}
    code = f"U+{ord(char):04X}"
    if not printable:
        return code
    return f"'{char}' ({name})" if name else f"'{char}' ({code})"
