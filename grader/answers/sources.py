"""The answers that are values — numbers, lists of effects, estimates — from the first place that
holds one of the right type.

Places, in order: the contract's variable; an answers dict; the student's own variable, by name,
and for numbers also by what the code computes (``(m0.scale - m1.scale) / m0.scale`` is the σ²
change whatever it is called); printed outputs; the Markdown. A list of effects is a list: a dict
or Series of estimates counts as one only where no written list exists (its keys are the effects,
but it was written as estimates). Values are tidied on the way, and each tidying is said: list
items keep only the effect they name, a table of estimates loses its variance-component rows,
and an AIC change held in a variable named as a reduction is read as the change it reports.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from grader.answers.candidates import LIST_ANSWERS, NUMBER_ANSWERS, fits, names_value, own_values
from grader.answers.encoded import Encoded, names_of, number_of
from grader.answers.found import WHAT, Found, excerpt
from grader.answers.items import effect_names
from grader.answers.reading import TextReading
from grader.answers.submission import Submission
from grader.answers.usage import CodeFacts
from grader.assignment.contract import SLOTS

Dicts = Sequence[tuple[str, dict[str, tuple[str, Encoded]]]]
_REDUCTION = re.compile(r"reduc|decreas|drop|improv|fall|fell|gain|lower", re.IGNORECASE)
_VARIANCE_ROW = re.compile(r"(?:^|\s)(?:var|cov)$|\bvar\b|\bcov\b|variance", re.IGNORECASE)


def find_value(
    part: str,
    submission: Submission,
    dicts: Dicts,
    text: TextReading,
    facts: CodeFacts,
    terms: tuple[str, ...],
) -> tuple[Found, str | None]:
    """The answer of ``part`` and, when its contract variable was passed over, why."""
    contract = submission.answers.get(part)
    found = _first(part, submission, dicts, text, facts, terms)
    if found.value is None and contract is not None:
        return Found(part, contract), None  # judged as it is: the check says why it does not fit
    skipped = None
    if contract is not None and found.source != "contract":
        skipped = (f"`{part}` holds {_describe(contract)}, not {WHAT[part]}; graded "
                   f"{found.label} instead.")  # fmt: skip
    return _tidy(part, found, terms), skipped


def _first(
    part: str, submission: Submission, dicts: Dicts, text: TextReading, facts: CodeFacts,
    terms: tuple[str, ...],
) -> Found:  # fmt: skip
    looseness = (False, True) if part in LIST_ANSWERS else (False,)
    for loose in looseness:
        contract = submission.answers.get(part)
        if contract is not None and fits(part, contract, strings=True, loose=loose):
            return Found(part, contract)
        for name, parts in dicts:
            if part in parts and fits(part, parts[part][1], strings=True, loose=loose):
                return Found(name, parts[part][1], True, "dict", key=parts[part][0])
        own = _own(part, submission, facts, loose)
        if own is not None:
            return own
        found = None if loose else _from_text(part, text, terms)
        if found is not None:
            return found
    return Found(None, None)


def _own(part: str, submission: Submission, facts: CodeFacts, loose: bool) -> Found | None:
    """The student's own variable: by name, else (numbers) by what its code computes."""
    own = own_values(submission, part, skip=set(SLOTS), loose=loose)
    names = list(submission.scalars) + list(submission.values)
    if own:
        name, enc = max(own, key=lambda kv: (facts.last_assigned(kv[0]), names.index(kv[0])))
        return Found(name, enc, True, "variable")
    if part not in NUMBER_ANSWERS:
        return None
    computed = [n for n in submission.scalars if n not in SLOTS and facts.computes(n) == part]
    if not computed:
        return None
    name = max(computed, key=lambda n: (facts.last_assigned(n), names.index(n)))
    said = f"`{name}` was read as {WHAT[part]} from the code that computes it"
    return Found(name, {"type": "number", "value": submission.scalars[name]}, True, "variable",
                 notes=(said + ".",))  # fmt: skip


def _from_text(part: str, text: TextReading, terms: tuple[str, ...]) -> Found | None:
    if part in NUMBER_ANSWERS:
        for pool in (text.printed, text.headed, text.prose):
            numbers = [n for n in pool if n.part == part]
            if numbers:
                n = numbers[-1]
                value: Encoded = {"type": "number", "value": n.value}
                return Found(None, value, True, n.place.source, n.place.cell,  # type: ignore[arg-type]
                             excerpt=n.text)  # fmt: skip
    if part in LIST_ANSWERS:
        which = part.split("_")[0]
        for item in reversed([t for t in text.lists if t.which == which]):
            names = effect_names(item.items, terms)
            if names:
                listed = excerpt(f"{item.text} {'; '.join(item.items)}")
                return Found(None, names_value(names), True, item.place.source, item.place.cell,  # type: ignore[arg-type]
                             excerpt=listed)  # fmt: skip
    return None


def _tidy(part: str, found: Found, terms: tuple[str, ...]) -> Found:
    """The value as the check should see it, with a note for each change made."""
    from dataclasses import replace

    value = found.value
    if value is None or found.source == "markdown":
        return found
    if part in LIST_ANSWERS and value.get("type") == "list":
        names = names_of(value)
        cleaned = effect_names(names, terms) if isinstance(names, tuple) else ()
        if cleaned and cleaned != names:
            return replace(found, value=names_value(cleaned))
    if part == "fixed_estimates" and value.get("type") == "mapping":
        return replace(found, value=_without_variance_rows(value))
    if part == "aic_change" and _REDUCTION.search(found.key or found.variable or ""):
        number = number_of(value)
        if isinstance(number, float) and number > 0:
            note = (f"{found.label} is named as a reduction, so {number:.4f} was read as an AIC "
                    f"change of {-number:.4f}.")  # fmt: skip
            changed: Encoded = {"type": "number", "value": -number}
            return replace(found, value=changed, notes=(*found.notes, note))
    return found


def _without_variance_rows(value: Encoded) -> Encoded:
    """A fit's ``params`` holds the variance components after the fixed effects: not estimates
    of fixed effects, so not judged as such."""
    items = value.get("items")
    if not isinstance(items, list):
        return value
    kept = [p for p in items if not (isinstance(p, list) and p and _VARIANCE_ROW.search(str(p[0])))]
    return {**value, "items": kept}


def _describe(enc: Encoded) -> str:
    if enc.get("type") == "invalid":
        return str(enc.get("reason") or "a value that could not be read")[:200]
    if enc.get("type") == "mapping":
        return f"a {enc.get('pytype') or 'dict'} of values (estimates, by their keys)"
    return f"a {enc.get('type')}"
