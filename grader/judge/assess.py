"""Assessing a student's final model before any part is judged: which model, fitted how, how well.

The final model is the student's choice, so the grader re-fits the student's own specification with
the reference's robust fit and judges every later part against that. A fit that stopped short of the
optimum costs points once (in ``final_model``); when the student's numbers are a genuine point of their
model's likelihood, later answers consistent with them earn error-carried-forward credit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from grader.answers.encoded import Invalid
from grader.answers.models import StudentModel
from grader.assignment.catalogue import Catalogue
from reference.data.dataset import dataset_of
from reference.data.files import data_hash
from reference.errors import HLMReferenceError, SpecError
from reference.model.spec import ModelSpec, make_spec, parse_spec

GENUINE_TOLERANCE = 0.05  # log-lik units; the numbers come unrounded from the results object


@dataclass(frozen=True, slots=True)
class FitAssessment:
    """What the grader made of the student's final model.

    Attributes:
        spec: the student's model as an ML spec (None if it could not be read).
        unusable: why no reference can be computed for it (unknown variable, bad formula, …).
        rules_problem: which assignment rule it breaks (fewer than three predictors, …).
        wrong_data: the fit used other rows or groups than the assignment's data.
        gap: log-likelihood units short of the reference optimum (ML fits only).
        short: the gap exceeds the configured tolerance.
        genuine: the reported estimates are a point of the model's likelihood (not typed in).
        at_optimum: the reported estimates themselves reach the optimum (their likelihood, computed
            here, is within the tolerance): their numbers are as right as the reference's, which
            matters where the likelihood is flat and equally good points differ in the 2nd decimal.
        tied: the model was read from its design's values (rows, groups and columns checked).
        boundary: the optimum lies on the boundary of the parameter space, which statsmodels cannot
            reach exactly, and the fit is as close as its optimizers get (not counted as short).
        read: how columns the student named otherwise were read (``C(sector)[T.1.0]`` is sector).
        labels: the student's own name for each of the spec's terms and random effects.
    """

    spec: ModelSpec | None
    unusable: str | None = None
    rules_problem: str | None = None
    wrong_data: str | None = None
    gap: float | None = None
    short: bool = False
    genuine: bool = False
    at_optimum: bool = False
    tied: bool = False
    boundary: bool = False
    read: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)

    def label(self, term: str) -> str:
        """The student's name for a term of the spec (the term itself if they used that)."""
        return self.labels.get(term, term)

    @property
    def formula(self) -> str:
        return self.spec.formula if self.spec else "?"

    @property
    def re_formula(self) -> str:
        return self.spec.re_formula if self.spec else "?"


def read_spec(model: StudentModel | Invalid | None) -> FitAssessment:
    """The student's spec, parsed without data (formula syntax and names only)."""
    if model is None:
        return FitAssessment(None, unusable="no final model was found")
    if isinstance(model, Invalid):
        return FitAssessment(None, unusable=model.reason)
    if model.formula is None:
        return FitAssessment(
            None, unusable="the model was not built from a formula (use smf.mixedlm)"
        )
    try:
        return FitAssessment(make_spec(model.formula, model.re_formula))
    except SpecError as exc:
        return FitAssessment(None, unusable=str(exc))


def check_rules(
    fit: FitAssessment, model: StudentModel, data: pd.DataFrame, messages: Catalogue
) -> FitAssessment:
    """Validate the spec against the data and the assignment's rules."""
    assert fit.spec is not None
    try:
        parse_spec(fit.spec, data, require_final=False)
    except SpecError as exc:
        return replace(fit, unusable=str(exc))
    try:
        parse_spec(fit.spec, data, require_final=True)
        rules = None
    except SpecError as exc:
        rules = str(exc)
    wrong = (
        None if fit.tied else _wrong_data(model, data, messages)
    )  # a tied design's rows: checked
    return replace(fit, rules_problem=rules, wrong_data=wrong)


def _wrong_data(model: StudentModel, data: pd.DataFrame, messages: Catalogue) -> str | None:
    groups = int(data[dataset_of(data).group].nunique())
    if model.n_groups != groups:
        return messages.say("final_model.groups", n_groups=model.n_groups, expected_groups=groups)
    if model.n_obs != len(data):
        return messages.say("final_model.rows", n_obs=model.n_obs, expected_rows=len(data))
    return None


def check_optimum(
    fit: FitAssessment,
    model: StudentModel,
    optimum_llf: float,
    data: pd.DataFrame,
    tolerance: float,
    *,
    boundary: bool = False,
) -> FitAssessment:
    """Measure the gap to the optimum and whether the reported point is genuine.

    An optimum on the ``boundary`` (a variance at 0, a correlation at ±1) is one statsmodels
    cannot reach exactly: a fit as good as the assignment's recipe of optimizers gets is not short.
    """
    fit = _gap(fit, model, optimum_llf, data, tolerance)
    if fit.short and fit.genuine and fit.spec is not None and boundary:
        best = _recipe_llf(fit.spec, data)
        if model.llf >= best - tolerance:
            return replace(fit, short=False, at_optimum=True, boundary=True)
    return fit


def _recipe_llf(spec: ModelSpec, data: pd.DataFrame) -> float:
    from reference.fitting.cache import default_cache
    from reference.fitting.statsmodels_fits import statsmodels_recipe_llf

    def compute() -> dict[str, float | None]:
        llf = statsmodels_recipe_llf(spec, data)
        return {"llf": llf if math.isfinite(llf) else None}

    found = default_cache().memo(spec, data_hash(data), "statsmodels_recipe", compute)
    value = found.get("llf")
    return float(value) if isinstance(value, int | float) else -math.inf


def _gap(
    fit: FitAssessment,
    model: StudentModel,
    optimum_llf: float,
    data: pd.DataFrame,
    tolerance: float,
) -> FitAssessment:
    if model.reml or fit.spec is None or fit.wrong_data:
        return fit
    llf, claim_possible = model.llf, True
    if not math.isfinite(llf) or llf > optimum_llf + tolerance:
        # Nothing lies above the maximum (a patched results object can claim it) and nan is no
        # value: judge the reported estimates by the likelihood computed here instead.
        llf, claim_possible = _loglike_at(fit.spec, model, data), False
        if math.isnan(llf):
            return fit
    gap = max(optimum_llf - llf, 0.0)
    short = gap > tolerance
    # A claimed llf is only believed when the estimates reproduce it; a recomputed one is ours.
    genuine = claim_possible and _is_genuine(fit.spec, model, data)
    at_optimum = not short and (genuine or not claim_possible)
    return replace(fit, gap=gap, short=short, genuine=genuine, at_optimum=at_optimum)


def _loglike_at(spec: ModelSpec, model: StudentModel, data: pd.DataFrame) -> float:
    """The model's log-likelihood at the reported estimates (nan if it cannot be computed)."""
    from reference.fitting.robust import loglike_at

    try:
        return loglike_at(spec, data, fe_params=model.fe_params, cov_re=model.cov_re,
                          scale=model.scale)  # fmt: skip
    except (HLMReferenceError, ValueError, ArithmeticError, KeyError):
        return math.nan


def _is_genuine(spec: ModelSpec, model: StudentModel, data: pd.DataFrame) -> bool:
    at = _loglike_at(spec, model, data)
    return math.isfinite(at) and abs(at - model.llf) <= GENUINE_TOLERANCE
