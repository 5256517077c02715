"""What each answer is called when a student names it, and how prose and printed text mention it.

Two kinds of patterns per answer of the contract:

* :data:`NAME_PATTERNS` match a variable's name (or an ``answers`` dict's key) after
  :func:`normalise`: lower case, runs of other characters as one ``_``. Every group of a pattern
  must match, and no :data:`NAME_EXCLUDES` pattern may: ``pve_level1`` is the level-1 variance
  change, ``pve_level2`` is not.
* :data:`TEXT_KEYWORDS` find the sentence or printed line that reports a number: all groups must
  occur in it (``Change in AIC: -813.2``), and none of :data:`TEXT_EXCLUDES`.

A name only nominates a variable: its type must fit the part too (see :mod:`grader.answers.locate`).
Every pattern is a plain alternation of literals with at most one bounded class per branch, so
matching is linear in the text (tested against adversarial strings).
"""

from __future__ import annotations

import re

NAME_PATTERNS: dict[str, tuple[str, ...]] = {
    "icc": (r"icc|intraclass|intra_class|^rho(_|$)|_rho$",),
    "aic_change": (
        r"aic|akaike",
        r"change|diff|delta|chg|^d_?aic|_d$|reduc|improv|drop|decr|gain",
    ),
    "residual_variance_change": (
        r"var|sigma|resid|scale|s2|^pve|^prv|r2|level_?1|^l1",
        r"change|diff|delta|reduc|rel|prop|pve|prv|explained|decr|r2",
    ),
    "forecast": (
        r"forecast|predict(ed|ion)|^pred(_|$)|_pred(_|$)|yhat|y_hat|_hat$|prognos"
        r"|pronostic|vorhersag",
    ),
    "level1": (r"^l_?1(_|$)|level_?1|lvl_?1|lev_?1|level_?one|first_level|^eq_?1$|eq_?l_?1",),
    "level2": (r"^l_?2(_|$)|level_?2|lvl_?2|lev_?2|level_?two|second_level|^eq_?2$|eq_?l_?2",),
    "combined": (r"comb|mixed|composite|full_eq|reduced_form|single_eq",),
    "combined_with_estimates": (
        r"comb|mixed|composite|eq|model|formula",
        r"est|num|fit|value|coef|param",
    ),
    "fixed_effects": (r"^fe(_|s$|$)|fixed|fixef",),
    "random_effects": (r"^re(_|s$|$)|random|ranef|^rand(_|$)",),
    "fixed_estimates": (r"coef|param|estim|gammas?$|^fe_est|fixef",),
}

#: A name matching one of these is not the answer, whatever else it says.
NAME_EXCLUDES: dict[str, str] = {
    "residual_variance_change": r"level_?2|^l2|_l2|tau|between|intercept|school|group",
    "icc": r"reml",
    "forecast": r"^(n|num|number|count|len|k)_|predictors|sigma|tau|var|beta|gamma|icc|aic|coef",
    "fixed_effects": r"estim|param|coef|_est",
    "fixed_estimates": r"^re(_|$)|random|std|se$|_se_|pval|p_val|tval|conf|bse",
}
#: Names of the template's worked examples and of scratch work.
EXCLUDED_NAMES = re.compile(r"^(example|demo|template|sample|test|tmp|temp|old|draft)")

TEXT_KEYWORDS: dict[str, tuple[str, ...]] = {
    # Not ``\b``: "ΔAIC" and "AIC_change" name the AIC too (Δ and _ are word characters).
    "icc": (r"(?<![A-Za-z])icc(?![A-Za-z])|intra-?\s?class|intraclass|intrak?las",),
    "aic_change": (
        r"(?<![A-Za-z])aic(?![A-Za-z])|akaike",
        r"chang|diff|delta|Δ|decreas|reduc|drop|improv|fell|fall|lower|gain|cambi|änder|ander"
        r"|sinkt|veränder|disminu|baj",
    ),
    "residual_variance_change": (
        r"residu|level[- ]?1|within|σ²|σ\^2|sigma|scale|first[- ]level|pve|prv|nivel[- ]?1"
        r"|ebene[- ]?1",
        r"chang|reduc|explain|propor|pve|prv|decreas|relative|fell|fall|drop|cambi|änder"
        r"|erklär|explica|anteil|\br2\b|r²|r\^2",
    ),
    "forecast": (r"forecast|predic|prognos|pronóstic|pronostic|vorhersag|ŷ|yhat",),
}
TEXT_EXCLUDES: dict[str, str] = {
    "residual_variance_change": r"level[- ]?2|between|τ|tau|intercept variance|second[- ]level",
    "icc": r"\breml\b",
}
#: Words that say a reported AIC change went down, so "decreased by 813" is -813.
DECREASE_WORDS = re.compile(r"decreas|reduc|drop|fell|fall|lower|improv|sinkt|gesunken|disminu|baj",
                            re.IGNORECASE)  # fmt: skip

_COMPILED = {
    part: tuple(re.compile(p) for p in patterns) for part, patterns in NAME_PATTERNS.items()
}
_EXCLUDE = {part: re.compile(p) for part, p in NAME_EXCLUDES.items()}
_TEXT = {
    part: tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    for part, patterns in TEXT_KEYWORDS.items()
}
_TEXT_EXCLUDE = {part: re.compile(p, re.IGNORECASE) for part, p in TEXT_EXCLUDES.items()}


def normalise(name: str) -> str:
    """A name or key as the patterns see it.

    >>> normalise("AIC change"), normalise("pveLevel1"), normalise("Level-1 eq.")
    ('aic_change', 'pvelevel1', 'level_1_eq')
    """
    out: list[str] = []
    for ch in name[:100].lower():
        if ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "_":
            out.append("_")
    return "".join(out).strip("_")


def name_fits(part: str, name: str) -> bool:
    """Whether a variable name or dict key suggests the answer ``part``.

    >>> [name_fits("residual_variance_change", n) for n in ("pve_level1", "pve_level2", "prv")]
    [True, False, True]
    >>> name_fits("icc", "rho"), name_fits("aic_change", "delta_aic"), name_fits("level1", "L1")
    (True, True, True)
    """
    clean = normalise(name)
    if not clean or EXCLUDED_NAMES.match(clean):
        return False
    patterns = _COMPILED.get(part, ())
    exclude = _EXCLUDE.get(part)
    if exclude is not None and exclude.search(clean):
        return False
    return bool(patterns) and all(p.search(clean) for p in patterns)


def parts_named(name: str, parts: tuple[str, ...]) -> tuple[str, ...]:
    """The parts (of ``parts``) a name suggests."""
    return tuple(p for p in parts if name_fits(p, name))


def quantity_end(part: str, text: str) -> int | None:
    """Where the name of the quantity ``part`` is about ends in ``text`` (its first keyword group:
    "AIC", "σ²"), whether or not the text says what became of it; None when it is not named."""
    groups = _TEXT.get(part, ())
    match = groups[0].search(text) if groups else None
    return None if match is None else match.end()


def keyword_span(part: str, text: str) -> tuple[int, int] | None:
    """Where the keywords of ``part`` first occur in ``text``: the end of the first of them and
    the end of the one completing the set; None unless every group occurs.

    The reported number is the first one after the set is complete ("Change in AIC: -813.21",
    "AIC 47121.81 → 46298.99: change -822.81"), else one between the keywords ("explains 11.25%
    of the level-1 variance").

    >>> text = "Change in AIC: -813.2119"
    >>> start, end = keyword_span("aic_change", text)
    >>> text[end:]
    ': -813.2119'
    """
    groups = _TEXT.get(part, ())
    exclude = _TEXT_EXCLUDE.get(part)
    if not groups or (exclude is not None and exclude.search(text)):
        return None
    ends = []
    for pattern in groups:
        match = pattern.search(text)
        if match is None:
            return None
        ends.append(match.end())
    return min(ends), max(ends)
