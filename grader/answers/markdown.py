"""Small bounded scanners for the text students write: math spans, headings, lists, sentences.

No Markdown library and no regular expression that can backtrack: math delimiters are found with
``str.find`` from a moving position (a delimiter whose closer is missing is remembered as
exhausted, so a million unmatched ``$`` cost one pass), lines are split once, and every result
list is capped. What a cap cut is said in a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_SPANS = 400  # per text
MAX_SPAN_CHARS = 4000
MAX_STEPS = 20 * MAX_SPANS  # delimiters looked at per text, empty spans included
MAX_ITEMS = 60  # per list

#: LaTeX environments whose rows are equations.
ENVIRONMENTS = (
    "align", "align*", "aligned", "equation", "equation*", "gather", "gather*", "gathered",
    "eqnarray", "eqnarray*", "split", "multline", "multline*", "alignat", "alignat*", "array",
    "cases",
)  # fmt: skip
_MATH_FENCES = {"math", "latex", "tex", "katex"}
_OPENERS = (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$"))


@dataclass(frozen=True, slots=True)
class Scan:
    """What a scanner found in one text, and what it had to leave out."""

    items: tuple[str, ...]
    notes: tuple[str, ...] = ()


def split_fences(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """Text outside code fences, the bodies of math fences, and the bodies of unlabelled fences.

    Code in a ```` ```python ```` fence is an example, never an answer, so it is dropped.
    """
    outside: list[str] = []
    math: list[str] = []
    plain: list[str] = []
    body: list[str] | None = None
    label = ""
    for line in text.split("\n"):
        stripped = line.strip()
        if body is None and stripped.startswith(("```", "~~~")):
            body, label = [], stripped[3:].strip().lower()
        elif body is not None and stripped.startswith(("```", "~~~")):
            target = math if label in _MATH_FENCES else plain if not label else None
            if target is not None:
                target.append("\n".join(body))
            body = None
        elif body is not None:
            body.append(line)
        else:
            outside.append(line)
    return "\n".join(outside), tuple(math), tuple(plain)


def math_spans(text: str) -> Scan:
    """The contents of ``$…$``, ``$$…$$``, ``\\[…\\]``, ``\\(…\\)`` and ``\\begin{env}…\\end{env}``.

    >>> math_spans(r"Level 1: $$Y_{ij} = \\beta_{0j} + r_{ij}$$ and $x$.").items
    ('Y_{ij} = \\\\beta_{0j} + r_{ij}', 'x')
    """
    spans: list[str] = []
    notes: list[str] = []
    finder = _Openers(text)
    i, steps = 0, 0
    while len(spans) < MAX_SPANS and steps < MAX_STEPS:
        steps += 1
        found = finder.next(i)
        if found is None:
            break
        start, opener, closer = found
        body_start = start + len(opener)
        end = finder.closer(closer, body_start)
        if end < 0:
            finder.exhaust(opener)
            i = body_start
            continue
        body = text[body_start:end]
        if opener.startswith("\\begin"):
            body = opener + body + closer  # the rows keep their environment for splitting
        if len(body) > MAX_SPAN_CHARS:
            notes.append(f"a math block of {len(body):,} characters was not read")
        elif body.strip():
            spans.append(body)
        i = end + len(closer)
    if len(spans) >= MAX_SPANS or steps >= MAX_STEPS:
        notes.append(f"only the first {len(spans)} math spans were read")
    return Scan(tuple(spans), tuple(notes))


class _Openers:
    """Finds the next math opener; each opener's next position is remembered while still ahead,
    so a text is searched once per opener, not once per span (linear, whatever the input)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ahead: dict[str, int] = {}
        self.exhausted: set[str] = set()

    def exhaust(self, opener: str) -> None:
        """No closer follows: this opener can open nothing from here on."""
        self.exhausted.add(opener)

    def closer(self, closer: str, start: int) -> int:
        return _find_unescaped(self.text, closer, start)

    def next(self, i: int) -> tuple[int, str, str] | None:
        best: tuple[int, str, str] | None = None
        for opener, closer in _OPENERS:
            at = self._position(opener, i)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, opener, closer)
        env = self._environment(i)
        if env is not None and (best is None or env[0] <= best[0]):
            return env
        return best

    def _position(self, opener: str, i: int) -> int:
        if opener in self.exhausted:
            return -1
        at = self.ahead.get(opener, -1)
        if at < i:
            at = _find_unescaped(self.text, opener, i)
            self.ahead[opener] = at if at >= 0 else len(self.text) + 1
            if at < 0:
                self.exhausted.add(opener)
        return at

    def _environment(self, i: int) -> tuple[int, str, str] | None:
        text = self.text
        at = self._position("\\begin{", i)
        while at >= 0:
            close = text.find("}", at + 7, at + 30)
            name = text[at + 7 : close] if close > 0 else ""
            if name in ENVIRONMENTS and "\\begin{" + name + "}" not in self.exhausted:
                return at, "\\begin{" + name + "}", "\\end{" + name + "}"
            at = self._position("\\begin{", at + 7)
        return None


def _find_unescaped(text: str, needle: str, i: int) -> int:
    at = text.find(needle, i)
    while at > 0 and text[at - 1] == "\\" and needle.startswith("$"):
        at = text.find(needle, at + 1)
    return at


def without_code_spans(line: str) -> str:
    """A line with its inline code spans kept as their plain text (backticks removed)."""
    return line.replace("`", "")


@dataclass(frozen=True, slots=True)
class Heading:
    """A Markdown heading: its level (1 for ``#``) and text."""

    level: int
    text: str


def heading(line: str) -> Heading | None:
    """The heading a line is, if it is one (``## Final model``)."""
    stripped = line.lstrip()
    level = len(stripped) - len(stripped.lstrip("#"))
    if not 1 <= level <= 6 or not stripped[level : level + 1].isspace():
        return None
    return Heading(level, stripped[level:].strip().strip("#").strip())


@dataclass(frozen=True, slots=True)
class BulletList:
    """A list's items and the text just before it (the sentence or heading that introduces it)."""

    context: str
    items: tuple[str, ...]


def bullet_lists(text: str) -> Iterator[BulletList]:
    """Each bullet or numbered list of a Markdown text, with the line that introduces it."""
    context, items = "", list[str]()
    for line in text.split("\n"):
        item = bullet_item(line)
        if item is not None:
            if len(items) < MAX_ITEMS:
                items.append(item)
            continue
        if items:
            yield BulletList(context, tuple(items))
            items = []
        if line.strip():
            context = line.strip()[:500]
    if items:
        yield BulletList(context, tuple(items))


def bullet_item(line: str) -> str | None:
    """The text of a list item, or None when the line is not one."""
    stripped = line.lstrip()
    if stripped[:2] in {"* ", "- ", "+ "}:
        return stripped[2:].strip()
    digits = len(stripped) - len(stripped.lstrip("0123456789"))
    if 0 < digits < 4 and stripped[digits : digits + 2] in {". ", ") "}:
        return stripped[digits + 2 :].strip()
    return None


def sentences(text: str) -> Iterator[str]:
    """Sentences of prose: a paragraph's lines joined (a sentence may wrap), then split at
    ``. `` / ``! `` / ``? ``; headings, list items and table rows are paragraphs of their own."""
    for paragraph in _paragraphs(text):
        start = 0
        for i in range(len(paragraph) - 1):
            if paragraph[i] in ".!?" and paragraph[i + 1] == " ":
                yield paragraph[start : i + 1].strip()
                start = i + 2
        if paragraph[start:].strip():
            yield paragraph[start:].strip()


def _paragraphs(text: str) -> Iterator[str]:
    lines: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        alone = heading(line) is not None or bullet_item(line) is not None or stripped[:1] == "|"
        if not stripped or alone or (lines and labelled(stripped)):
            if lines:
                yield " ".join(lines)
                lines = []
            if alone:
                yield stripped
            elif stripped:
                lines.append(stripped)  # "Random effects: u0j, r_ij" starts a paragraph
        else:
            lines.append(stripped)
    if lines:
        yield " ".join(lines)


def labelled(line: str) -> bool:
    """Whether a line opens with a short label and a colon (``Fixed effects: γ00, γ01``,
    ``**Random:** u0j``): a new statement, even without a blank line before it.

    >>> labelled("Random effects: u0j, r_ij"), labelled("The model: see above"), labelled("x = 1")
    (True, True, False)
    """
    body = line.lstrip("*_ ")
    colon = body.find(":", 0, 45)
    label = body[:colon].strip("*_ ")
    return colon > 0 and label[:1].isalpha() and ". " not in label and "$" not in label


#: HTML students type in Markdown: subscripts and superscripts become TeX's, a break a new line;
#: other inline tags are dropped. Anything else that starts with ``<`` stays (it may be a "less
#: than"). One bounded pass (no nested quantifier).
_HTML_TAG = re.compile(r"<(/?)(sub|sup|br|b|i|em|strong|u|span|p|code|small|big|font"
                       r"|mark|center|div)\b[^<>]{0,60}?>", re.IGNORECASE)  # fmt: skip
_TEX = {("", "sub"): "_{", ("/", "sub"): "}", ("", "sup"): "^{", ("/", "sup"): "}"}


def html_to_text(text: str) -> str:
    """Text as the readers read it, without the HTML tags a Markdown cell may hold.

    >>> html_to_text("β<sub>0j</sub> = γ<sub>00</sub> + u<sub>0j</sub><br>r<sub>ij</sub> < 1")
    'β_{0j} = γ_{00} + u_{0j}\\nr_{ij} < 1'
    """
    if "<" not in text:
        return text
    return _HTML_TAG.sub(_tag, text)


def _tag(match: re.Match[str]) -> str:
    closing, name = match[1], match[2].lower()
    if name == "br":
        return "\n"
    return _TEX.get((closing, name), "")
