"""Lines that list effects: ``Fixed effects: γ00, γ01``, ``* **Random:** u0j, r_ij``, a table row
``| fixed | γ00, γ01 |``, both kinds on one line, and the words that say which kind, in the
languages students write in. Which names the items stand for is :mod:`grader.answers.items`'s
work; every pattern here is bounded (linear on any input).
"""

from __future__ import annotations

import re

from grader.answers.markdown import bullet_item

#: Words that announce a list of fixed or of random effects, in the languages students write in.
_FIXED = re.compile(r"fixed|\bfix[eo]s?\b|\bfeste[nr]?\b|\bfij[oa]s?\b", re.IGNORECASE)
_RANDOM = re.compile(r"random|zufällig|aleatori", re.IGNORECASE)
_EFFECTS = re.compile(r"effect|effekt|efecto|efeito|part|term|slope|coefficient|komponent|component",
                      re.IGNORECASE)  # fmt: skip
#: A second label inside a labelled line: ``…; random effects: u0j`` or ``…. Random: u0j``.
_SECOND_LABEL = re.compile(
    r"[;.]\s{0,3}(?:and\s)?([^\s:;.]{1,20}(?:\s[^\s:;.]{1,20}){0,2})\s{0,3}:"
)


def which_effects(context: str, *, bare: bool = False) -> str | None:
    """Whether the line introducing a list announces fixed or random effects (``bare``: a label
    may be the word alone, as in ``Fixed: γ00, γ01``).

    >>> which_effects("Random effects:"), which_effects("Efectos fijos"), which_effects("fixed")
    ('random', 'fixed', None)
    """
    fixed = [m.start() for m in _FIXED.finditer(context[:500])]
    random = [m.start() for m in _RANDOM.finditer(context[:500])]
    if not fixed and not random:
        return None
    if not bare and _EFFECTS.search(context[:500]) is None:
        return None
    return "fixed" if max(fixed, default=-1) > max(random, default=-1) else "random"


def inline_list(line: str) -> tuple[str, str] | None:
    """Which effects a labelled line lists, and the rest of the line.

    >>> inline_list("* **Random effects:** u0j, r_ij")
    ('random', 'u0j, r_ij')
    >>> inline_list("| fixed | γ00 (intercept), γ01 |")
    ('fixed', 'γ00 (intercept), γ01')
    >>> inline_list("With random slopes the model fits better: AIC 46290"), inline_list("A random pick: 3")
    (None, None)
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
    if not rest or len(label) > 50 or not label[:1].isalpha() or len(label.split()) > 4:
        return None  # "With random slopes the model fits better: …" is a sentence, not a label
    bare = len(label.split()) == 1  # "Fixed: γ00, γ01"; longer labels say "effects"
    which = which_effects(label, bare=bare)
    return None if which is None else (which, rest)


def both_kinds(which: str, rest: str) -> list[tuple[str, str]]:
    """A line listing both kinds (``Fixed effects: γ00, γ01; random effects: u0j, r_ij``), cut
    where the second label starts.

    >>> both_kinds("fixed", "γ00, γ01; random effects: u0j, r_ij")
    [('fixed', 'γ00, γ01'), ('random', 'u0j, r_ij')]
    """
    for match in _SECOND_LABEL.finditer(rest):
        other = which_effects(match[1], bare=True)
        if other is not None and other != which:
            return [(which, rest[: match.start()].strip()), (other, rest[match.end() :].strip())]
    return [(which, rest)]
