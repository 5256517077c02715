"""The name each item of a written list of effects stands for.

Students write ``* `ses` `` , ``- Intercept ($\\gamma_{00}$)``, ``1. minority (random slope)``,
``- $u_{1j}$: the school's minority slope``. Each item becomes one name the effect-list check can
compare: the first of its code spans, math spans and words that names a term of the final model
(or the intercept, the residual, a school random effect u_pj); failing that, its first code span
or its leading words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from grader.answers.names import INTERCEPT, RESIDUAL, term_key

MAX_ITEM = 300
_CODE = re.compile(r"`([^`\n]{1,80})`")
_MATH = re.compile(r"\$([^$\n]{1,80})\$")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_:*×]{0,60}")
_U = re.compile(r"u\d{1,2}j?")
_STOPS = (" - ", " – ", " — ", " (", "(", ", ", "; ", ": ", " which", " for ", " is ", " =")


def effect_names(items: Iterable[str], terms: Iterable[str] = ()) -> tuple[str, ...]:
    """One name per item (items that name nothing are left out).

    >>> effect_names(["`ses`", "Intercept ($\\\\gamma_{00}$)", "$u_{1j}$: the slope"], ["ses"])
    ('ses', 'Intercept', 'u_{1j}')
    """
    known = {term_key(t) for t in terms} | {INTERCEPT, RESIDUAL}
    names: dict[frozenset[str], str] = {}
    for item in items:
        name = _name(item[:MAX_ITEM], known)
        if name:
            names.setdefault(term_key(name), name)
    return tuple(names.values())


def _name(item: str, known: set[frozenset[str]]) -> str | None:
    found = [
        (m.start(), m[1].strip()) for pattern in (_CODE, _MATH) for m in pattern.finditer(item)
    ]
    found += [(m.start(), m[0]) for m in _WORD.finditer(item)]
    for _, token in sorted(found, key=lambda pair: pair[0]):
        squashed = re.sub(r"[\\{}_\s$]", "", token).lower()
        if term_key(token) in known or _U.fullmatch(squashed):
            return token.strip("*_ ")
    codes = _CODE.findall(item)
    if codes:
        return codes[0].strip()
    lead = item.strip().strip("*_ ")
    for stop in _STOPS:
        lead = lead.split(stop)[0]
    lead = lead.strip().strip("*_`$. ")
    return lead if 0 < len(lead) <= 40 else None
