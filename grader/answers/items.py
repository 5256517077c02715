"""The names each item of a written list of effects stands for.

Students write ``* `ses` ``, ``- Intercept ($\\gamma_{00}$)``, ``1. minority (random slope)``,
``- $\\gamma_{11}$ — minority × sector``, ``- meanses, sector (school level)``, ``"cses (u1j)"``.
An item may name several effects (split at commas and "and"); each piece becomes one name the
effect-list check can compare: a phrase naming a term of the final model ("minority × sector"),
else the first code span, math span or word that names one (or the intercept, the residual, a
school random effect u_pj); an item naming nothing known keeps its first code span or leading
words, so the check can say it is not an effect of the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from grader.answers.names import INTERCEPT, RESIDUAL, term_key

MAX_ITEM = 300
_CODE = re.compile(r"`([^`\n]{1,80})`")
_MATH = re.compile(r"\$([^$\n]{1,80})\$")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_:*×]{0,60}")
#: A school random effect, u_pj (or r_pj in R&B's three-level letters), not the residual r.
_U = re.compile(r"[ur]\d{1,2}j?")
_SEGMENT = re.compile(r" [—–-] |[():;]|\s-\s|—|–")
#: Words that name the intercept in a list of random effects ("school", "Group"), and in a list of
#: fixed effects are more often part of a description ("public school").
_WEAK_INTERCEPT = frozenset({"school", "group"})
_PIECES = re.compile(r",|\band\b|\bplus\b|&|\bund\b|\by\b|\bet\b")  # and, und, y, et


def effect_names(items: Iterable[str], terms: Iterable[str] = ()) -> tuple[str, ...]:
    """The names a list's items stand for, in order, each once.

    >>> effect_names(["`ses`", "Intercept ($\\\\gamma_{00}$)", "$u_{1j}$: the slope"], ["ses"])
    ('ses', 'Intercept', 'u_{1j}')
    >>> effect_names(["meanses, sector (school level)"], ["meanses", "sector"])
    ('meanses', 'sector')
    >>> effect_names(["ses", "I(ses ** 2)"], ["ses", "I(ses ** 2)"])
    ('ses', 'I(ses ** 2)')
    """
    known = {term_key(t) for t in terms} | {INTERCEPT, RESIDUAL}
    names: dict[frozenset[str], str] = {}
    for item in items:
        for name in _names(item[:MAX_ITEM], known):
            names.setdefault(term_key(name), name)
    return tuple(names.values())


def _names(item: str, known: set[frozenset[str]]) -> list[str]:
    """Each piece's name; the whole item's fallback name when no piece names anything."""
    whole = item.strip().strip("`*_ ")
    if term_key(whole) in known:  # a model's own name, as fe_params spells it (``I(ses ** 2)``)
        return [whole]
    names = []
    for piece in _PIECES.split(_protect_braces(item)):
        piece = piece.replace("\x00", ",").strip()
        if piece.count("$") % 2:  # a list inside one math span, cut at its commas
            piece = piece.replace("$", "")
        name = _known(piece, known) or _symbol(piece)
        if name:
            names.append(name)
    if names:
        return names
    fallback = _fallback(item)
    return [fallback] if fallback else []


def _protect_braces(item: str) -> str:
    """Commas inside braces (``\\gamma_{1,10}``) do not separate items."""
    out, depth = [], 0
    for ch in item:
        depth += (ch == "{") - (ch == "}")
        out.append("\x00" if ch == "," and depth > 0 else ch)
    return "".join(out)


def _symbol(piece: str) -> str | None:
    """A piece naming no known term keeps a symbol it names (``\\gamma_{01}``, `` `x` ``), for
    the check to map or to call not an effect; plain words are dropped."""
    codes = _CODE.findall(piece)
    maths = _MATH.findall(piece)
    if codes or maths:
        return (codes or maths)[0].strip()
    bare = piece.strip().strip("*_.` ")
    if bare.count("(") != bare.count(")"):  # "(γ00, γ01, γ10)" was cut at its commas
        bare = bare.strip("()")
    return bare if bare and " " not in bare and len(bare) <= 40 else None


def _known(piece: str, known: set[frozenset[str]]) -> str | None:
    """A phrase of the piece naming a known term, else its first known token."""
    bare = _MATH.sub(" ", piece).replace("`", "").replace("*", " ")
    for segment in _SEGMENT.split(bare):
        phrase = segment.strip().strip("._ ").removeprefix("the ").strip()
        if phrase and " " in phrase and term_key(phrase) in known:
            return phrase
    spans = [(m.start(), m[1].strip()) for p in (_CODE, _MATH) for m in p.finditer(piece)]
    spans += [(m.start(), m[0]) for m in _WORD.finditer(piece)]
    weak = None
    for _, token in sorted(spans, key=lambda pair: pair[0]):
        squashed = re.sub(r"[\\{}_\s$]", "", token).lower()
        if squashed in _WEAK_INTERCEPT:
            weak = weak or token  # "school" names the intercept only when nothing else is named
        elif term_key(token) in known or _U.fullmatch(squashed):
            return token.strip("*_ ")
    if weak is not None and (_CODE.search(piece) or _MATH.search(piece)):
        return None  # "$\\gamma_{01}$ (public school)": the symbol says more than "school"
    return weak


def _fallback(item: str) -> str | None:
    codes = _CODE.findall(item)
    if codes:
        return codes[0].strip()
    maths = _MATH.findall(item)
    if maths:
        return maths[0].strip()
    lead = item.strip().strip("*_ ")
    for stop in (" - ", " – ", " — ", " (", "(", ", ", "; ", ": ", " which", " for ", " is ", " ="):
        lead = lead.split(stop)[0]
    lead = lead.strip().strip("*_`$. ")
    return lead if 0 < len(lead) <= 40 else None
