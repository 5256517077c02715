"""What a comparison of a student's equations found: term-level findings and the overall result.

A finding is data: its kind and the texts it is about. What it *says* is a sentence of the
assignment's catalogue (``findings.<kind>`` in ``messages.toml``), filled with the finding's fields
by :meth:`Finding.render`; the reference holds no sentence of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sympy

#: Every kind of finding; a catalogue has one sentence for each, with the fields of
#: :data:`FIELDS` to fill in.
KINDS = frozenset({
    "not_an_equation", "wrong_response", "unknown_symbol", "unknown_variable", "spelling",
    "missing_term", "extra_term", "wrong_coefficient", "missing_coefficient", "missing_random",
    "random_on_fixed", "school_var_in_level1", "student_var_in_level2", "wrong_subscript",
    "wrong_index", "sign", "missing_residual", "level2_count", "level2_unknown_beta",
    "missing_level2", "duplicate_equation", "duplicate_coefficient", "symbol_not_estimate",
    "wrong_estimate",
})  # fmt: skip
#: What a finding's sentence may say: what it is about, what the model has, what the student
#: wrote, and an optional reason that starts with its own separator.
FIELDS = frozenset({"subject", "expected", "found", "detail"})

#: Notation slips: reported, but the equation still matches the model.
NOTES = frozenset({"wrong_subscript", "wrong_index", "sign", "unknown_variable", "spelling"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing about one term or symbol of a student's equation.

    Attributes:
        kind: one of :data:`KINDS` (``missing_term``, ``extra_term``, ...).
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

    def render(self, templates: Mapping[str, str]) -> str:
        """The finding in words: ``templates[kind]`` filled with its :data:`FIELDS`.

        >>> Finding("missing_residual", "level-1 equation").render(
        ...     {"missing_residual": "The residual r_ij is missing from the {subject}."})
        'The residual r_ij is missing from the level-1 equation.'
        """
        return templates[self.kind].format(**self.fields())

    def fields(self) -> dict[str, str]:
        """What the finding's sentence may say (:data:`FIELDS`)."""
        return {"subject": self.subject, "expected": self.expected, "found": self.found,
                "detail": self.detail}  # fmt: skip


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

    def kinds(self) -> tuple[str, ...]:
        return tuple(f.kind for f in self.findings)
