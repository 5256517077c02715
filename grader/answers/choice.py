"""Which fitted model is the final one (or the unconditional one): the one the notebook *says*.

Many notebooks fit more than one model, and some fit an alternative *after* the final one and
reject it in the text. The model graded is, in this order:

1. the contract's variable (``final``);
2. the model a sentence names ("our final model is `m3`", "we keep model 2") — a clause that
   rejects it ("m4 is not better") does not count;
3. the model fitted under a heading that names the role ("## Final model"), leaving out
   subsections about alternatives;
4. the model the later answers use (the AIC change computed from ``m3.aic``…), found in the code;
5. a name that says so (``final``, ``best``, ``chosen``);
6. the last model fitted.

Every choice comes with the reason, said to the student.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from grader.answers.markdown import heading, sentences
from grader.answers.notebook_text import NotebookText
from grader.answers.usage import CodeFacts

ROLE_WORDS = {
    "final": r"\bfinal\b|\bchosen\b|\bselected\b|\bpreferred\b|\bbest\b",
    "unconditional": r"unconditional|\bnull\b|\bempty\b|baseline|intercept[- ]only",
}
NAME_HINTS = {
    "final": r"final|best|chosen|select|prefer",
    "unconditional": r"uncond|null|empty|base|m0|model0|_0$",
}
_DECLARE = re.compile(r"\bfinal\b|\bcho(?:se|sen|ice)\b|\bkeep\b|\bkept\b|\bselect\w*|\bretain\w*"
                      r"|\bprefer\w*|\bgo with\b|\bsettle\w*|\bbest\b|\bwin\w*", re.IGNORECASE)  # fmt: skip
_NEGATIVE = re.compile(r"\breject\w*|\bnot\b|\bno\b|n't\b|\bworse\b|\bdiscard\w*|\bdrop\w*"
                       r"|\binstead\b|\brather\b|\bthan\b|\bover\b|\balternative\w*|\bwithout\b",
                       re.IGNORECASE)  # fmt: skip
_CLAUSE = re.compile(r"[,;:()]|\bbut\b|\bso\b|\bbecause\b|\bwhile\b|\bwhereas\b|\bhowever\b"
                     r"|(?=\brather than\b)|(?=\binstead of\b)|(?=\bthan\b)|(?=\bover\b)",
                     re.IGNORECASE)  # fmt: skip
_ALTERNATIVE = re.compile(r"alternativ|compar|\bother\b|\bextra\b|sensitiv|robust|\btry|\btrial"
                          r"|reject|instead|\bvs\b|versus|attempt|experiment", re.IGNORECASE)  # fmt: skip
_NUMBERED = re.compile(r"\bmodel\s?#?\s?(\d{1,2})\b", re.IGNORECASE)
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,60}")


@dataclass(frozen=True, slots=True)
class Choice:
    """The model chosen for a role and the reason, in words for the student."""

    variable: str | None
    reason: str = ""


def choose(
    role: str, candidates: Sequence[str], notebook: NotebookText, facts: CodeFacts,
    users: Sequence[tuple[str, frozenset[str]]],
) -> Choice:  # fmt: skip
    """The candidate the notebook says plays ``role`` ("final" or "unconditional").

    Args:
        role: ``final`` or ``unconditional``.
        candidates: fitted models that may play it, in the namespace's order.
        notebook: the notebook's text.
        facts: the code's assignments and reads.
        users: answers that may use the model, as (label, names they read).
    """
    if not candidates:
        return Choice(None)
    if len(candidates) == 1:
        kind = "intercept-only model" if role == "unconditional" else "model with predictors"
        return Choice(candidates[0], f"it is the only {kind} fitted")
    for rule in (_declared, _under_heading, _used_by, _named):
        choice = rule(role, candidates, notebook, facts, users)
        if choice is not None:
            return choice
    last = max(candidates, key=lambda c: (facts.last_assigned(c), candidates.index(c)))
    return Choice(last, "it is the last model fitted")


def _declared(
    role: str, candidates: Sequence[str], notebook: NotebookText, facts: CodeFacts, _: object
) -> Choice | None:
    declare = _DECLARE if role == "final" else re.compile(ROLE_WORDS[role], re.IGNORECASE)
    said: Choice | None = None
    for cell in notebook.markdown:
        for sentence in sentences(cell.source):
            if len(sentence) > 1000 or not declare.search(sentence):
                continue
            named = _positively_named(sentence, declare, candidates, facts)
            if len(named) == 1:
                said = Choice(
                    named[0], f"your text in cell {cell.number} says so (“{_cut(sentence)}”)"
                )
    return said


def _positively_named(
    sentence: str, declare: re.Pattern[str], candidates: Sequence[str], facts: CodeFacts
) -> list[str]:
    named: list[str] = []
    for clause in _CLAUSE.split(sentence.replace("`", "")):
        if not clause or not declare.search(clause) or _NEGATIVE.search(clause):
            continue
        named += [c for c in _references(clause, candidates, facts) if c not in named]
    return named


def _references(text: str, candidates: Sequence[str], facts: CodeFacts) -> list[str]:
    """Candidates a text names: by variable, by the model object fitted into it, by number."""
    tokens = set(_TOKEN.findall(text))
    found = [c for c in candidates if c in tokens]
    found += [c for c in candidates if facts.fitted_from.get(c, frozenset()) & tokens]
    for number in _NUMBERED.findall(text):
        numbered = [c for c in candidates if re.sub(r"\D", "", c) == number]
        found += numbered if len(numbered) == 1 else []
    return list(dict.fromkeys(found))


def _under_heading(
    role: str, candidates: Sequence[str], notebook: NotebookText, facts: CodeFacts, _: object
) -> Choice | None:
    role_words = re.compile(ROLE_WORDS[role], re.IGNORECASE)
    path: list[tuple[int, str, int]] = []  # (level, text, cell) of the headings in force
    under: dict[str, tuple[str, int]] = {}
    for cell in notebook.cells:
        if cell.kind == "markdown":
            for line in cell.source.split("\n")[:2000]:
                found = heading(line)
                if found is not None:
                    path = [p for p in path if p[0] < found.level] + [
                        (found.level, found.text[:200], cell.number)
                    ]
            continue
        at = next((i for i, p in enumerate(path) if role_words.search(p[1])), None)
        if at is None or any(_ALTERNATIVE.search(p[1]) for p in path[at:]):
            continue
        role_heading = path[at]
        for name in candidates:
            if cell.number in facts.assigned.get(name, ()):
                under.setdefault(name, (role_heading[1], role_heading[2]))
    if len(under) != 1:
        return None
    ((name, (text, number)),) = under.items()
    return Choice(name, f"it is the model fitted under your heading “{text}” (cell {number})")


def _used_by(
    role: str,
    candidates: Sequence[str],
    notebook: NotebookText,
    facts: CodeFacts,
    users: Sequence[tuple[str, frozenset[str]]],
) -> Choice | None:
    votes: dict[str, list[str]] = {}
    for label, names in users:
        reached = facts.reaches(names, candidates)
        if len(reached) == 1:
            votes.setdefault(reached.pop(), []).append(label)
    if not votes:
        return None
    ranked = sorted(votes.items(), key=lambda kv: len(kv[1]), reverse=True)
    if len(ranked) > 1 and len(ranked[0][1]) == len(ranked[1][1]):
        return None
    name, labels = ranked[0]
    return Choice(name, f"your answers use it ({', '.join(labels)})")


def _named(
    role: str, candidates: Sequence[str], notebook: NotebookText, facts: CodeFacts, _: object
) -> Choice | None:
    hinted = [c for c in candidates if re.search(NAME_HINTS[role], c.lower())]
    plain = [c for c in hinted if "summary" not in c.lower()] or hinted
    if not plain:
        return None
    name = max(plain, key=lambda c: (facts.last_assigned(c), candidates.index(c)))
    return Choice(name, "its name says so")


def _cut(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
