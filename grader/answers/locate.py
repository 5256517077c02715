"""Finding the answers in a submission, whether or not it kept the contract's names.

The contract's variables come first. A notebook written with its own names (like the seed's
``final_model_results`` and ``variance_change``) is still graded: fitted models are recognised by
their formula, numbers by names that suggest them; every such choice is reported to the student.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from grader.answers.encoded import Encoded, Invalid
from grader.answers.models import StudentModel
from grader.answers.submission import Submission
from reference.errors import SpecError
from reference.model.spec import normalise_formula

# name patterns for numeric answers: all groups must match somewhere in the variable's name
NUMBER_PATTERNS: dict[str, tuple[str, ...]] = {
    "icc": (r"icc|intraclass|intra_class",),
    "aic_change": (r"aic", r"change|diff|delta|chg|d_|_d\b|reduc|improv"),
    "residual_variance_change": (
        r"var|sigma|resid|scale|s2",
        r"change|diff|delta|reduc|rel|prop|pve|explained",
    ),
    "forecast": (r"forecast|predict|pred|yhat|y_hat",),
}


@dataclass(frozen=True, slots=True)
class Found:
    """An answer and the variable it came from (``None`` when absent)."""

    variable: str | None
    value: Encoded | None
    guessed: bool = False


@dataclass(frozen=True, slots=True)
class Located:
    """The answers the checks will judge, with notes on any guesses made."""

    unconditional: StudentModel | Invalid | None
    unconditional_variable: str | None
    final: StudentModel | Invalid | None
    final_variable: str | None
    answers: dict[str, Found] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def get(self, name: str) -> Found:
        return self.answers.get(name, Found(None, None))


def locate(submission: Submission) -> Located:
    """Pick the unconditional and final models and every contract answer from a submission."""
    notes: list[str] = []
    unc_var, unc = _pick_model(submission, "unconditional", _is_unconditional, notes)
    fin_var, fin = _pick_model(submission, "final", lambda m: not _is_unconditional(m), notes)
    answers = {name: Found(name, enc) for name, enc in submission.answers.items()}
    for name, patterns in NUMBER_PATTERNS.items():
        if name not in answers and (guess := _guess_number(submission, patterns)):
            answers[name] = Found(
                guess, {"type": "number", "value": submission.scalars[guess]}, True
            )
            notes.append(f"`{name}` was not set; graded your variable `{guess}` instead.")
    return Located(unc, unc_var, fin, fin_var, answers, tuple(notes))


def _is_unconditional(model: StudentModel) -> bool:
    try:
        return model.formula is not None and normalise_formula(model.formula) == "mathach ~ 1"
    except SpecError:
        return False


def _pick_model(
    submission: Submission, name: str, fits: object, notes: list[str]
) -> tuple[str | None, StudentModel | Invalid | None]:
    models = submission.models
    if name in models:
        return name, models[name]
    if name in submission.answers:
        enc = submission.answers[name]
        return name, Invalid(f"`{name}` is not a fitted MixedLM result ({enc.get('type')})")
    candidates = [
        k for k, m in models.items() if isinstance(m, StudentModel) and callable(fits) and fits(m)
    ]
    if not candidates:
        return None, None
    chosen = _prefer(candidates, name)
    notes.append(f"`{name}` was not set; graded your fitted model `{chosen}` as the {name} model.")
    return chosen, models[chosen]


def _prefer(candidates: list[str], name: str) -> str:
    """The candidate whose variable name mentions the role, else the last one defined."""
    hints = {"unconditional": r"uncond|null|empty|base|m0|model0", "final": r"final|best|chosen"}
    named = [c for c in candidates if re.search(hints[name], c.lower())]
    without_summaries = [c for c in (named or candidates) if "summary" not in c.lower()]
    return (without_summaries or named or candidates)[-1]


def _guess_number(submission: Submission, patterns: tuple[str, ...]) -> str | None:
    matches = [
        k for k in submission.scalars
        if all(re.search(p, k.lower()) for p in patterns)
    ]  # fmt: skip
    return matches[-1] if matches else None
