"""What a comparison of a student's equations found: term-level findings and the overall result.

Messages are data: each finding stores the kind and the texts it is about, and its message is a
template from :data:`MESSAGES` filled with them, so feedback can be reworded without touching code
(pass other templates to :meth:`Finding.render`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sympy

#: Default message templates, one per finding kind; fields: {subject}, {expected}, {found}, {detail}.
MESSAGES: Mapping[str, str] = {
    "not_an_equation": "The {subject} could not be read as an equation: {found}.",
    "wrong_response": "The {subject} should have {expected} alone on one side; found {found}.",
    "unknown_symbol": (
        "The symbol {found} is not part of the notation; use β_pj, γ_pq, u_pj, r_ij and the "
        "model's variables, with subscript ij for student-level and j for school-level ones."
    ),
    "unknown_variable": "{found} is not a variable of your model{detail}",
    "spelling": "Read {found} as your variable {subject}.",
    "missing_term": "The term {expected} is missing: the model has a fixed effect of {subject}.",
    "extra_term": "The term {found} does not belong in the {subject}{detail}.",
    "wrong_coefficient": "In {found}, {subject}; the coefficients here are {expected}.",
    "missing_coefficient": "The term {found} has no coefficient; write it as {expected}.",
    "missing_random": (
        "The random effect {expected} is missing: the model lets the effect of {subject} vary "
        "between schools."
    ),
    "random_on_fixed": (
        "{found} is a random effect on {subject}, but the model keeps that effect fixed (the same "
        "in every school); remove it or add the random slope to the model."
    ),
    "school_var_in_level1": (
        "{found}: {subject} is a school-level variable (constant within a school), so it belongs "
        "in a level-2 equation, not in level 1."
    ),
    "student_var_in_level2": (
        "{found}: {subject} is a student-level variable; level-2 equations hold only school-level "
        "variables (subscript j)."
    ),
    "wrong_subscript": "Write {expected} instead of {found}: {subject}.",
    "wrong_index": "In {found}, {subject}; write {expected}.",
    "sign": "Write {expected} instead of {found}: a coefficient's sign belongs to its estimate.",
    "missing_residual": "The level-1 residual r_ij is missing from the {subject}.",
    "level2_count": "Found {found} level-2 equation(s); the model needs {expected}, one per β.",
    "level2_unknown_beta": (
        "There is a level-2 equation for {subject}, but {subject} is not in the level-1 equation."
    ),
    "missing_level2": "The level-2 equation for {subject} is missing; expected {expected}.",
    "duplicate_equation": "There is more than one level-2 equation for {subject}.",
    "duplicate_coefficient": (
        "{subject} is used for several terms ({found}); each term needs its own coefficient."
    ),
    "symbol_not_estimate": "Replace {subject} in {found} by its estimate, {expected}.",
    "wrong_estimate": "The coefficient of {subject} is {found}; the model's estimate is {expected}.",
}

#: Notation slips: reported, but the equation still matches the model.
NOTES = frozenset({"wrong_subscript", "wrong_index", "sign", "unknown_variable", "spelling"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing about one term or symbol of a student's equation.

    Attributes:
        kind: a key of :data:`MESSAGES` (``missing_term``, ``extra_term``, ...).
        subject: what the finding is about (a variable, a coefficient, an equation).
        expected: what the model has there, in plain text.
        found: what the student wrote, in plain text.
        detail: an optional reason, starting with a separator (``"; r_ij is added alone"``).
    """

    kind: str
    subject: str = ""
    expected: str = ""
    found: str = ""
    detail: str = ""

    @property
    def blocking(self) -> bool:
        """Whether this finding makes the equation differ from the model (not a notation slip)."""
        return self.kind not in NOTES

    @property
    def message(self) -> str:
        return self.render(MESSAGES)

    def render(self, templates: Mapping[str, str]) -> str:
        template = templates.get(self.kind, MESSAGES[self.kind])
        fields = {"subject": self.subject, "expected": self.expected, "found": self.found}
        return template.format(detail=self.detail, **fields)


@dataclass(frozen=True, slots=True)
class Comparison:
    """The outcome of comparing one part (level 1, level 2, combined, estimates) with the model.

    Attributes:
        part: ``level1``, ``level2``, ``combined`` or ``estimates``.
        findings: what differs, term by term; notation slips included.
        matches: each student coefficient and the model's coefficient it was matched to by the
            variables it multiplies (the student may number β/γ/u differently).
    """

    part: str
    findings: tuple[Finding, ...]
    matches: tuple[tuple[sympy.Symbol, sympy.Symbol], ...] = ()

    @property
    def equivalent(self) -> bool:
        return not any(f.blocking for f in self.findings)

    @property
    def messages(self) -> tuple[str, ...]:
        return tuple(f.message for f in self.findings)

    def kinds(self) -> tuple[str, ...]:
        return tuple(f.kind for f in self.findings)
