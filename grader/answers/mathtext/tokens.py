"""Tokens: the text cut into names, numbers, operators and brackets, in one linear pass.

One compiled pattern per syntax, of simple alternatives with possessive quantifiers (no
backtracking), is matched at each position; commands are looked up in :mod:`.commands`. The
tokenizer refuses the whole text (:class:`~.caps.Refused`) on a forbidden command, more than
:data:`~.caps.MAX_TOKENS` tokens or brackets nested deeper than :data:`~.caps.MAX_DEPTH`; anything
else it does not know becomes a ``bad`` token whose text says why, so only that row is skipped.

Token kinds: ``name`` ``greek`` ``number`` ``script`` (an unbraced sub/superscript) ``usub``
(Unicode subscripts) ``sup`` (Unicode superscripts) ``text`` ``deco`` ``uscore`` (``\\_``) ``op``
(``+ - * / ^ _``) ``eq`` ``rel`` ``open`` ``close`` ``left`` ``right`` ``frac`` ``amp`` ``row``
``gap`` ``begin`` ``end`` ``punct`` ``bad``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from grader.answers.mathtext import commands
from grader.answers.mathtext.caps import (
    MAX_ARGUMENT,
    MAX_DEPTH,
    MAX_TOKENS,
    Refused,
    describe_char,
)

Syntax = Literal["latex", "plain"]

_GREEK = "".join(commands.GREEK_CHARS)
#: Zero-width spaces and joiners, and the byte-order mark: pasted from the web, read as spaces.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_SUB = "₀₁₂₃₄₅₆₇₈₉ᵢⱼ"
_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"
_SCRIPT_ASCII = str.maketrans(_SUB + _SUP, "0123456789ij" + "0123456789-")
_SYMBOLS = r"[-+*/=()\[\]{}^_&,.;:|<>~!'−·×∗⋅∙≤≥≈∼∈≠]"
_LATEX = re.compile(
    rf"(?P<space>[\s{_INVISIBLE}]++)|(?P<comment>%[^\n]*+)|(?P<command>\\(?:[A-Za-z]++|[\s\S]))"
    r"|(?P<number>[0-9]++(?:\.[0-9]*+)?+|\.[0-9]++)|(?P<word>[A-Za-z][A-Za-z0-9]*+)"
    rf"|(?P<greek>[{_GREEK}])|(?P<usub>[{_SUB}]++)|(?P<sup>[{_SUP}]++)"
    rf"|(?P<symbol>:=|{_SYMBOLS})|(?P<other>[\s\S])"
)
_LETTER = rf"[A-Za-z{_GREEK}]"
_PLAIN = re.compile(
    rf"(?P<row>\n)|(?P<space>(?:[^\S\n]|[{_INVISIBLE}])++)"
    r"|(?P<number>(?:[0-9]++(?:\.[0-9]*+)?+|\.[0-9]++)(?:[eE][-+]?+[0-9]++)?+)"
    rf"|(?P<word>{_LETTER}(?:[A-Za-z0-9{_GREEK}]|_(?=[A-Za-z0-9{_GREEK}]))*+)"
    rf"|(?P<usub>[{_SUB}]++)|(?P<sup>[{_SUP}]++)"
    rf"|(?P<symbol>\*\*|:=|==|<=|>=|!=|{_SYMBOLS})|(?P<other>[\s\S])"
)
_KINDS = {
    "+": ("op", "+"), "-": ("op", "-"), "−": ("op", "-"), "*": ("op", "*"), "·": ("op", "*"),
    "×": ("op", "*"), "∗": ("op", "*"), "⋅": ("op", "*"), "∙": ("op", "*"), "/": ("op", "/"),
    "^": ("op", "^"), "**": ("op", "^"), "_": ("op", "_"), "=": ("eq", "="), ":=": ("eq", "="),
    "==": ("eq", "="), "(": ("open", "("), "[": ("open", "["), "{": ("open", "{"),
    ")": ("close", ")"), "]": ("close", "]"), "}": ("close", "}"), "&": ("amp", "&"),
    ",": ("punct", ","), ";": ("punct", ";"), ".": ("punct", "."), ":": ("punct", ":"),
}  # fmt: skip
_RUN = re.compile(r"[ \t]*+([A-Za-z0-9]++)")
_ENVIRONMENT = re.compile(r"\s*+\{\s*+([A-Za-z]{1,20}+\*?+)\s*+\}")
_ROW_SPACE = re.compile(r"\*?+\s*+\[\s*+-?+[0-9.]++\s*+[a-z]{2}\s*+\]")
_TEXT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*+")
INDEX_CHARS = frozenset("0123456789ij")


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its normalised text, where it stands, and how it was written.

    Attributes:
        glued: no space (or spacing command) separates it from the token before.
        trap: an unbraced script TeX would not render as written (``_0j``: only ``0`` is lowered).
    """

    kind: str
    text: str
    start: int
    end: int
    glued: bool = False
    trap: bool = False


def tokenize(text: str, syntax: Syntax) -> list[Token]:
    """Cut ``text`` into tokens, or refuse it whole.

    >>> [t.text for t in tokenize(r"\\beta_{0j} = \\gamma_{00}", "latex")]
    ['beta', '_', '{', '0', 'j', '}', '=', 'gamma', '_', '{', '00', '}']
    """
    return _Scanner(text, syntax).run()


class _Scanner:
    def __init__(self, text: str, syntax: Syntax) -> None:
        self.text, self.latex = text, syntax == "latex"
        self.pattern = _LATEX if self.latex else _PLAIN
        self.pos, self.depth, self.glued = 0, 0, False
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
        while self.pos < len(self.text):
            match = self.pattern.match(self.text, self.pos)
            if match is None:  # never: the last alternative matches any character
                break
            start, self.pos, group = self.pos, match.end(), match.lastgroup
            if group in {"space", "comment"}:
                self.glued = False
            elif group == "command":
                self._command(match.group()[1:], start)
            elif group == "symbol":
                self._symbol(match.group(), start)
            else:
                self._simple(str(group), match.group(), start)
        return self.tokens

    def emit(self, kind: str, text: str, start: int, *, trap: bool = False) -> None:
        if len(self.tokens) >= MAX_TOKENS:
            raise Refused(
                f"This text holds more than {MAX_TOKENS:,} symbols; equations are read up to "
                "that size. Write each equation on its own, without repeating it."
            )
        if kind in {"open", "left"}:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise Refused(
                    f"Brackets are nested more than {MAX_DEPTH} deep here; nothing was read. "
                    "An HLM equation needs two or three levels at most."
                )
        elif kind in {"close", "right"}:
            self.depth = max(0, self.depth - 1)
        self.tokens.append(Token(kind, text, start, self.pos, self.glued, trap))
        self.glued = True

    def _simple(self, group: str, found: str, start: int) -> None:
        if group == "word":
            self.emit("name", found, start)
        elif group == "greek":
            self.emit("greek", commands.GREEK_CHARS[found], start)
        elif group in {"usub", "sup"}:
            self.emit(group, found.translate(_SCRIPT_ASCII), start)
        elif group in {"number", "row"}:
            self.emit(group, found, start)
        else:
            why = f"the character {describe_char(found)} is not part of the notation read here"
            self.emit("bad", why + "; retype it", start)

    def _symbol(self, found: str, start: int) -> None:
        if found == "~":
            if self.latex:  # a non-breaking space in TeX, "distributed as" in plain text
                self.glued = False
            else:
                self.emit("rel", "~", start)
            return
        kind, text = _KINDS.get(found, ("rel", found))
        if found in "|!'" or (found == "&" and not self.latex):
            kind, text = "bad", f"the character '{found}' is not part of the notation read here"
        self.emit(kind, text, start)
        if self.latex and found in "_^":
            self._script(found)

    def _script(self, mark: str) -> None:
        """An unbraced script: TeX lowers one character; ``_0j``, ``^10`` are read whole, noted."""
        run = _RUN.match(self.text, self.pos)
        if run is None:
            return
        chars = run[1]
        whole = len(chars) > 1 and (set(chars) <= INDEX_CHARS if mark == "_" else chars.isdigit())
        taken = chars if whole else chars[0]
        self.pos = run.start(1) + len(taken)
        self.emit("script", taken, run.start(1), trap=whole)

    def _command(self, name: str, start: int) -> None:
        if name in commands.FORBIDDEN:
            raise Refused(
                f"\\{name} defines a command or reaches outside the equation, so this text was "
                "not read (nothing in it is ever run). Write the equation with names, numbers, "
                "+, -, \\cdot, \\frac and powers only."
            )
        for table, kind in _SIMPLE_COMMANDS:
            if name in table:
                self.emit(kind, _command_text(kind, name), start)
                if name == "\\":  # \\[4pt]: a row's extra space, not a bracket
                    self._skip_row_space()
                return
        if name in commands.SPACING:
            self.glued = False
            if name in commands.GAPS:
                self.emit("gap", name, start)
        elif name in commands.WITH_ARGUMENT:
            self._skip_argument(name, start)
        elif name in {"left", "right"}:
            self._delimiter(name, start)
        elif name in {"begin", "end"}:
            self._environment(name, start)
        elif name in commands.TEXT:
            self._text(name, start)
        else:
            self.emit("bad", f"\\{name} is not part of the notation read here", start)

    def _argument(self) -> str | None:
        """The raw text of a braced argument ``{...}`` (no nested braces), or ``None``."""
        while self.pos < len(self.text) and self.text[self.pos] in " \t\n*":
            self.pos += 1
        if not self.text.startswith("{", self.pos):
            return None
        close = self.text.find("}", self.pos, self.pos + MAX_ARGUMENT + 2)
        content = self.text[self.pos + 1 : close]
        if close < 0 or "{" in content:
            return None
        self.pos = close + 1
        return content

    def _skip_argument(self, name: str, start: int) -> None:
        if self._argument() is None:
            self.emit("bad", f"\\{name} needs a short argument in braces", start)
        self.glued = False

    def _delimiter(self, name: str, start: int) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1
        match = _LATEX.match(self.text, self.pos)
        found = match.group() if match else ""
        if match is None or found not in commands.DELIMITERS:
            self.emit("bad", f"\\{name} needs a delimiter such as ( or [ after it", start)
            return
        self.pos = match.end()
        self.emit(name, commands.DELIMITERS[found], start)

    def _environment(self, name: str, start: int) -> None:
        match = _ENVIRONMENT.match(self.text, self.pos)
        if match is None or match[1] not in commands.ENVIRONMENTS:
            what = f"the environment {match[1]}" if match else f"\\{name} without a known name"
            self.emit("bad", f"{what} is not part of the notation read here", start)
            return
        self.pos = match.end()
        if name == "begin":
            self._skip_options()
            if match[1] in commands.ENVIRONMENT_ARGUMENT and self._argument() is None:
                self.emit("bad", f"the {match[1]} environment needs its argument in braces", start)
        self.emit(name, match[1], start)

    def _skip_row_space(self) -> None:
        space = _ROW_SPACE.match(self.text, self.pos)
        if space is not None:
            self.pos = space.end()

    def _skip_options(self) -> None:
        """An optional ``[t]`` after ``\\begin{aligned}`` (short, no nesting)."""
        rest = self.text[self.pos : self.pos + 12].lstrip()
        if rest.startswith("[") and "]" in rest:
            self.pos = self.text.index("]", self.pos) + 1

    def _text(self, name: str, start: int) -> None:
        """``\\text{meanses}`` is one name; ``\\text{ for all j}`` is words, read as a gap."""
        content = self._argument()
        if content is None:
            self.emit("bad", f"\\{name} needs a short argument in braces", start)
            return
        words = content.replace("\\_", "_").strip()
        if _TEXT_NAME.fullmatch(words):
            self.emit("text", words, start)
        elif words:
            self.emit("gap", name, start)
        else:
            self.glued = False


_SIMPLE_COMMANDS = (
    ({"\\"}, "row"),
    (commands.GREEK, "greek"),
    (commands.DECORATIONS, "deco"),
    (commands.FRACTIONS, "frac"),
    (commands.FUNCTIONS, "func"),
    (commands.TIMES, "op"),
    (commands.EQUALS, "eq"),
    (commands.RELATIONS, "rel"),
    (commands.OPENERS, "open"),
    (commands.CLOSERS, "close"),
    ({"_"}, "uscore"),
)


def _command_text(kind: str, name: str) -> str:
    texts = {"greek": commands.GREEK.get(name, name), "op": "*", "eq": "=", "rel": "\\" + name,
             "func": commands.FUNCTIONS.get(name, name)}  # fmt: skip
    texts |= {"open": commands.OPENERS.get(name, ""), "close": commands.CLOSERS.get(name, "")}
    return texts.get(kind, name)
