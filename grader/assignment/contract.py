"""The answer contract: which notebook variable holds which answer.

This is the one place the names are defined; the assignment notebook, the extraction step, the checks
and the README all refer to it. A notebook that kept its own names is still graded (see
:mod:`grader.answers.locate`), but these are the names the assignment asks for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["number", "model", "equation", "equations", "names", "estimates"]


@dataclass(frozen=True, slots=True)
class AnswerSpec:
    """One variable of the contract: its name, what it must hold, and the part that grades it."""

    name: str
    kind: Kind
    part: str
    description: str


CONTRACT: tuple[AnswerSpec, ...] = (
    AnswerSpec(
        "unconditional",
        "model",
        "icc",
        "the fitted unconditional model `mathach ~ 1` with a random school intercept "
        "(statsmodels MixedLMResults)",
    ),
    AnswerSpec("icc", "number", "icc", "the intraclass correlation of the unconditional model"),
    AnswerSpec(
        "final", "model", "final_model", "your fitted final model, estimated by ML (reml=False)"
    ),
    AnswerSpec(
        "level1",
        "equation",
        "level_equations",
        "the level-1 equation, a sympy Eq",
    ),
    AnswerSpec(
        "level2",
        "equations",
        "level_equations",
        "the level-2 equations, a list of sympy Eq, one per β",
    ),
    AnswerSpec(
        "combined", "equation", "combined_equation", "the combined (mixed) model, a sympy Eq"
    ),
    AnswerSpec(
        "fixed_effects",
        "names",
        "effect_lists",
        "the fixed effects of the final model: a list of term names as in fe_params "
        "(e.g. 'Intercept', 'ses', 'cses:sector')",
    ),
    AnswerSpec(
        "random_effects",
        "names",
        "effect_lists",
        "the random effects: a list naming what varies between schools ('Intercept' for "
        "u0j and each random slope's variable) and 'Residual' for r_ij",
    ),
    AnswerSpec(
        "fixed_estimates",
        "estimates",
        "fixed_estimates",
        "the fixed-effect estimates of the final model: a dict {term: estimate} or final.fe_params",
    ),
    AnswerSpec(
        "combined_with_estimates",
        "equation",
        "combined_with_estimates",
        "the combined model with the estimates in place of the γ's, a sympy Eq",
    ),
    AnswerSpec(
        "aic_change", "number", "aic_change", "AIC(final) − AIC(unconditional), both fitted by ML"
    ),
    AnswerSpec(
        "residual_variance_change",
        "number",
        "residual_variance_change",
        "(σ²_unconditional − σ²_final) / σ²_unconditional, the relative change in the "
        "level-1 residual variance",
    ),
    AnswerSpec(
        "forecast",
        "number",
        "forecast",
        "the predicted mathach of the given student (fixed part, random effects 0)",
    ),
)

BY_NAME: dict[str, AnswerSpec] = {a.name: a for a in CONTRACT}
ANSWERS_FILE = "answers.json"
