"""Feedback messages as data: templates keyed by ``part.outcome``, filled from a result's fields.

Instructors reword any of them in the assignment's ``grading.toml`` under ``[messages]``. Templates
never contain the expected value: the grader appends it only when ``reveal_expected`` is on, so the
students' self-check cannot give the answer away.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MESSAGES: dict[str, str] = {
    # shared
    "missing": "No answer found: put it in the variable `{variable}` ({description}).",
    "invalid": "{answer} holds {reason}; this part needs {wanted}.",
    "not_finite": "{answer} is {observed}, not a finite number.",
    "passed": "{stated} agrees with the reference to within {tolerance}.",
    "ecf": (
        "{stated} does not match the optimum of your model, but it follows "
        "correctly from your own fit, which stopped short (see the final model part): "
        "{credit} credit here, so the one mistake costs points only once."
    ),
    "ecf.estimates": (
        "The estimates in your equation do not match the optimum of your model, but they follow "
        "correctly from your own fit, which stopped short (see the final model part): they get "
        "{credit} credit, so that one mistake costs points only once."
    ),
    "percent": ("{stated} looks like a percentage; give it as a proportion (e.g. 0.25, not 25)."),
    "no_final": (
        "This part is judged for your own final model, and no usable final model was found "
        "(see the final model part), so it could not be checked."
    ),
    "expected": "Expected {expected} ({tolerance}).",
    "hidden.typed_in": (
        "{stated} is the answer on the original hsb12.sav, but your notebook ran "
        "on a different copy of the data (the grader's hidden-data test): it did not follow the "
        "data, so it looks typed in rather than computed. Compute it from your fitted model "
        "instead of writing the number down."
    ),
    # icc
    "icc.checked": (
        "Checked {answer} against τ00 / (τ00 + σ²) of the unconditional model `mathach ~ 1` with a "
        "random school intercept, to within {tolerance}."
    ),
    "icc.reml": (
        "Your ICC comes from the REML fit of the unconditional model. That is a legitimate "
        "choice (ML gives a slightly smaller τ00), so it gets full credit."
    ),
    "icc.inverted": (
        "{stated} looks like the share of the variance that lies *within* schools: "
        "the level-1 residual variance σ² is in its numerator. The ICC is the share that lies "
        "*between* schools, so its numerator is the school-level variance: the intercept "
        "variance in your unconditional model's `.cov_re`."
    ),
    "icc.wrong": (
        "{stated} is not the ICC of the unconditional model. Take τ00 from `.cov_re` of the "
        "fitted unconditional model (the school intercept variance) and σ² from its `.scale`, "
        "then compute τ00 / (τ00 + σ²)."
    ),
    "icc.unconditional_wrong": (
        "The model in `{variable}` is not the unconditional model: it should be "
        '`smf.mixedlm("mathach ~ 1", df, groups=df["school"])` (found {found}).'
    ),
    # aic change
    "aic_change.checked": (
        "Checked {answer} against AIC(final) − AIC(unconditional) for your final model, "
        "both fitted by ML, to within {tolerance}."
    ),
    "aic_change.nan": (
        "{answer} is nan: statsmodels returns aic = nan for REML fits. Fit both models with "
        "`.fit(reml=False)` and subtract their `.aic`."
    ),
    "aic_change.sign": (
        "The size is right but the sign is reversed: the change is AIC(final) − "
        "AIC(unconditional), negative when the final model is better."
    ),
    "aic_change.reml": (
        "This matches AICs built from REML log-likelihoods. REML likelihoods of models with "
        "different fixed effects are not comparable: fit both models with `reml=False`."
    ),
    "aic_change.wrong": (
        "{stated} is not AIC(final) − AIC(unconditional). Use `.aic` of both "
        "fitted results (both with `reml=False`) and subtract the unconditional from the final."
    ),
    # residual variance change
    "residual_variance_change.checked": (
        "Checked {answer} against (σ²_unconditional − σ²_final) / "
        "σ²_unconditional, with σ² = `.scale` of each model, to within {tolerance}."
    ),
    "residual_variance_change.tau": (
        "This is the relative change in the school-level intercept variance τ00, not in the "
        "level-1 residual variance σ². Use `.scale` of both models."
    ),
    "residual_variance_change.sign": (
        "The size is right but the sign is reversed: the proportion reduction is "
        "(σ²_unconditional − σ²_final) / σ²_unconditional."
    ),
    "residual_variance_change.wrong": (
        "{stated} is not (σ²_unconditional − σ²_final) / "
        "σ²_unconditional. σ² is `.scale` of each fitted model."
    ),
    # forecast
    "forecast.undefined": (
        "The forecast could not be checked: {reason} Your instructor will look at this part."
    ),
    "forecast.checked": (
        "Checked {answer} against the fixed part of your final model at the given student's "
        "profile (random effects set to 0), to within {tolerance}."
    ),
    "forecast.dropped_term": (
        "{stated} equals the prediction without the `{term}` term. Every term of "
        "your model, `{term}` included, must be evaluated at the student's profile."
    ),
    "forecast.random_effect": (
        "{stated} is the prediction for a student of school {school}: it adds that "
        "school's random effects (its `random_effects`). The student's school is unknown, so its "
        "random effects are 0: use only the fixed effects (γ's)."
    ),
    "forecast.wrong": (
        "{stated} is not the fixed part of your final model at the given profile. "
        "Multiply each fixed effect by the student's value of its variable (products for "
        "interactions), add the intercept, and leave out random effects."
    ),
    # final model
    "final_model.checked": (
        "Checked the model in `{variable}` ({formula}, random part {re_formula}): at least three "
        "predictors, at least one school-level, fitted by ML, and whether the fit reached the "
        "maximum of the log-likelihood (to within {optimum_tolerance} units)."
    ),
    "final_model.missing": (
        "No fitted final model found: put your fitted MixedLM result in `final` "
        "(e.g. `final = smf.mixedlm(...).fit(reml=False)`)."
    ),
    "final_model.rules": "The model breaks the assignment's rules: {reason}",
    "final_model.unusable": "The final model could not be used: {reason}",
    "final_model.read": "Read from the values of your model's columns: {columns}.",
    "final_model.boundary": (
        "The optimum of this model lies on the boundary: a random-effect variance is 0 or a "
        "correlation is ±1. statsmodels keeps the covariance strictly positive, so none of its "
        "optimizers reaches that point exactly; your fit, {gap:.2f} log-likelihood units below it, "
        "is as close as they get, so it counts as the optimum. (Such a model is often simpler "
        "without the random effect whose variance is 0.)"
    ),
    "final_model.reml": (
        "The final model was fitted by REML. Fit it with `reml=False` (ML): AIC comparisons "
        "between models with different fixed effects need ML."
    ),
    "final_model.groups": (
        "The model has {n_groups} groups; it should be grouped by school (160 groups): pass "
        '`groups=df["school"]`.'
    ),
    "final_model.rows": (
        "The model was fitted on {n_obs} students; the data has {expected_rows}. Use all rows "
        "of data/hsb12.sav."
    ),
    "final_model.short": (
        "Your fit stopped {gap:.2f} log-likelihood units short of the maximum (your llf "
        "{observed_llf:.4f}). statsmodels' default optimizer can stop early while still saying "
        "'converged'. Fit with several methods, e.g. `fit(reml=False, method=m)` for m in "
        "'lbfgs', 'powell', 'nm', and keep the result with the highest `.llf`."
    ),
    "final_model.not_genuine": (
        "The numbers reported for the model in `{variable}` are not a point of its likelihood; "
        "answers are judged against the optimum of this model."
    ),
    "final_model.passed": "The model meets the requirements and reached the optimum.",
    # equations
    "equations.checked": (
        "Compared {variables} term by term with the equations of your final model (term order, "
        "factoring and numbering of β/γ/u do not matter; each difference costs a quarter of the "
        "equation's points)."
    ),
    "equations.checked_estimates": (
        "Compared {answer} term by term with your model's combined equation, "
        "its estimates to within {tolerance}, random terms written out."
    ),
    # reading answers written as text, and answers under the student's own names
    "missing.free_form": (
        "No {what} found. The grader looked in your variables (names such as {examples}), in a "
        "dict of answers, in what your cells print and in your Markdown ({forms})."
    ),
    "missing.unread": "Read but not graded: {items}.",
    "read.number": "We read {what} in {where} (“{excerpt}”) as {observed}.",
    "read.equation": "We read {what} in {where} as {equations}.",
    "read.list": "We read {what} in {where} as: {items}.",
    "read.letters": "Letters were read as the data's variables: {renames}.",
    "read.notes": "While reading it we noticed: {notes}",
    "prose.disagrees": (
        "Your text in cell {cell} says {quoted} (“{excerpt}”), but your code gives {observed}, "
        "the value graded: check which one you meant."
    ),
    "prose.reml": (
        "Your text in cell {cell} says {quoted} (“{excerpt}”), but your code gives {observed}, "
        "the value graded. {quoted} is the ICC of the REML fit of the unconditional model; your "
        "code fits it by ML. Both are fine, but say the same number in text and code."
    ),
    "equations.same_omission": (
        "The missing {terms} is the same omission as in {earlier}, so it is not charged again here."
    ),
    # fixed estimates
    "fixed_estimates.checked": (
        "Compared each estimate in `{variable}` with the ML optimum of your model, to within "
        "{tolerance}."
    ),
    "fixed_estimates.missing_terms": "Missing estimate(s) for: {terms}.",
    "fixed_estimates.extra_terms": "Not terms of your final model: {terms}.",
    "fixed_estimates.wrong_values": (
        "Estimate(s) off by more than the tolerance: {terms}. Report `final.fe_params` of a fit "
        "that reached the optimum."
    ),
    "fixed_estimates.ecf": (
        "Estimate(s) of {terms} do not match the optimum of your model but agree with your own "
        "fit, which stopped short (see the final model part): {credit} credit for them, so the "
        "one mistake costs points only once."
    ),
    "fixed_estimates.typed_in": (
        "Estimate(s) of {terms} are those of the original hsb12.sav, but your notebook ran on a "
        "different copy of the data (the grader's hidden-data test): they did not follow the "
        "data, so they look typed in. Take them from your fitted model (`final.fe_params`)."
    ),
    "fixed_estimates.from_model": (
        "No separate table of estimates was found, so the estimates of your fitted final model "
        "were graded."
    ),
    # effect lists
    "effect_lists.checked": (
        "Compared {answers} with the terms of your final model "
        "(order and spelling such as '(Intercept)' do not matter)."
    ),
    "effect_lists.fixed_missing": "Fixed effects missing from your list: {terms}.",
    "effect_lists.fixed_extra": "Not fixed effects of your model: {terms}.",
    "effect_lists.random_missing": (
        "Random effects missing from your list: {terms}. Each coefficient that varies between "
        "schools (the intercept u0j and every random slope) is a random effect."
    ),
    "effect_lists.random_extra": (
        "Listed as random but fixed in your model: {terms}. Only the terms in `re_formula` (and "
        "the intercept, if kept) vary between schools."
    ),
}


def render(key: str, overrides: Mapping[str, str], /, **fields: Any) -> str:
    """Fill the template ``key`` (an instructor's override first) from ``fields``.

    A template that names a field not given is returned with that field left visible rather
    than failing the whole report.
    """
    template = overrides.get(key) or MESSAGES[key]
    try:
        return template.format(**fields)
    except (KeyError, IndexError, ValueError):
        return template
