"""Numbers a notebook's text reports for an answer: ``ICC: 0.1793`` on a line or in a sentence,
the result of a computation written out, a number printed alone under a heading or comment that
names its answer. Every pattern is bounded (linear on any input).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader.answers.found import excerpt
from grader.answers.markdown import heading, without_code_spans
from grader.answers.patterns import (
    DECREASE_WORDS,
    TEXT_KEYWORDS,
    keyword_span,
    name_fits,
    quantity_end,
)

NUMBER_PARTS = tuple(TEXT_KEYWORDS)
PROPORTIONS = frozenset({"icc", "residual_variance_change"})
MAX_NUMBER_GAP = 60  # characters between a keyword and its number
# One number: sign, digits, decimals, exponent, percent; no nested quantifiers (linear).
_NUMBER = re.compile(r"[-−+]?\d+(?:\.\d+)?(?:[eE][-+]?\d{1,3})?")
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
#: "a − b = c" after the AIC: the change written out.
_DIFFERENCE = re.compile(r"\d\s{0,3}[-−]\s{0,3}\d[\d.]{0,20}\s{0,3}=\s{0,3}[-−]?\d")
MAX_CONTEXT = 300  # characters of a Markdown cell short enough to be a heading in all but name


@dataclass(frozen=True, slots=True)
class Place:
    """Where a piece of text was read: the cell (1-based), printed output or Markdown."""

    cell: int
    source: str  # "output" or "markdown"
    order: int  # reading order within the notebook


@dataclass(frozen=True, slots=True)
class TextNumber:
    """A number reported for a part (``ICC: 0.1793``), with the line it was read from."""

    part: str
    value: float
    place: Place
    text: str
    decimals: int


def text_context(markdown: str) -> str:
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


def under(context: str, source: str) -> tuple[str, str] | None:
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


def lone(line: str, under: tuple[str, str], place: Place) -> list[TextNumber]:
    """The number a line holds alone, read as the part its heading names; none when its label
    names something else ("AIC null: 47121.81" under "AIC change" is an AIC, not the change).

    >>> [n.value for n in lone("change: -827.7", ("aic_change", "AIC change"), Place(1, "o", 0))]
    [-827.7]
    >>> lone("AIC final: 46294.1", ("aic_change", "AIC change"), Place(1, "o", 0))
    []
    """
    part, words = under
    match = _LONE.fullmatch(line[:200])
    if match is None:
        return []
    label = match["label"] or ""
    if label and (quantity_end(part, label) is not None
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
        span = keyword_span(part, clean) or _difference_span(part, clean)
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


def _difference_span(part: str, text: str) -> tuple[int, int] | None:
    """Where "AIC" stands in a line that writes the change out as a difference of two AICs
    (``AIC: 46314.54 - 47121.81 = -807.27``): the change, though no word says so.

    >>> [(n.part, n.value) for n in numbers_in("AIC: 46314.54 - 47121.81 = -807.27",
    ...                                           Place(1, "output", 0), prose=False)]
    [('aic_change', -807.27)]
    """
    end = quantity_end(part, text) if part == "aic_change" else None
    if end is None or _DIFFERENCE.search(text, end, end + 120) is None:
        return None
    return end, end


def _names_part(part: str, name: str) -> bool:
    """Whether a name assigned a number in the text may be the answer's (``ICC = …``,
    ``rho = …``, ``delta_aic = …``), not some other quantity's (``k = 9``)."""
    return keyword_span(part, name.replace("_", " ")) is not None or name_fits(part, name)
