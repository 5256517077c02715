"""Robust ML/REML fits of the assignment's models: the true optimum, whatever statsmodels' optimizers do.

statsmodels' default ``MixedLM.fit`` stops at wrong optima with ``converged=True`` (the seed's model: 4.8
log-likelihood units short), ``lbfgs`` returns ``llf=-inf`` for random-intercept models, and no
statsmodels optimizer reaches optima on the boundary (a singular ``T``). So we do not ask it to
optimise. :mod:`reference.fitting.likelihood` maximises the profiled likelihood over lme4's ``θ`` (the Cholesky
factor of ``T / σ²``, ``diag ≥ 0``) from several starts, which matches lme4 on every model tried and
takes 0.02-0.3 s. statsmodels is then asked only for a results object *at* that point (``maxiter=0``):
its log-likelihood must agree with ours (an independent check of the algebra) and its standard errors
are the ones a student's ``summary()`` shows. Near a singular ``T`` statsmodels' own likelihood is
numerically meaningless, so there we keep lme4's GLS covariance of the fixed effects instead.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from reference.data.dataset import dataset_of
from reference.errors import FitError, SpecError
from reference.fitting.likelihood import (
    Array,
    CrossProducts,
    Maximum,
    cross_products,
    factor,
    free_entries,
    loglike,
    maximise,
    profile,
    psd_factor,
)
from reference.fitting.result import Attempt, FitResult
from reference.model.derived import with_derived
from reference.model.spec import ModelSpec, parse_spec

__all__ = ["Attempt", "FitResult", "loglike_at", "robust_fit"]

# statsmodels inverts T; below this smallest/largest eigenvalue ratio its likelihood loses all digits.
SINGULAR_RATIO = 1e-6
# Reported covariances are often rounded to 3 decimals, which can push a singular T slightly negative.
NEGATIVE_EIGENVALUE_TOLERANCE = 1e-3
# A unit-length fixed-effect column closer than this to the span of the earlier ones is dependent.
RANK_TOLERANCE = 1e-8


def robust_fit(spec: ModelSpec, data: pd.DataFrame) -> FitResult:
    """Fit a model at its true ML or REML optimum (see the module notes for how).

    Raises:
        SpecError: the spec names unknown variables or breaks the random-slope rule.
        FitError: no start produced a finite log-likelihood, or statsmodels disagrees with the
            likelihood computed here at the optimum.

    >>> from reference import load_data, make_spec
    >>> SEED_FINAL = make_spec("mathach ~ ses + meanses + pracad + minority + female", "~minority")
    >>> fit = robust_fit(SEED_FINAL, load_data("hlm"))
    >>> round(fit.llf, 4), round(fit.fe_params["pracad"], 3), round(fit.scale, 3)
    (-23139.4984, 4.386, 35.687)
    """
    spec, model = build_model(spec, data)
    cp = model_cross_products(model)
    with quiet():
        best = maximise(cp, spec.reml, _free(spec, model))
    if not math.isfinite(best.llf):
        raise FitError(
            f"no start gave a finite log-likelihood for {spec.formula} | {spec.re_formula}; "
            "check the data for constant or duplicated predictors."
        )
    return _robust_result(spec, model, cp, best)


def loglike_at(
    spec: ModelSpec,
    data: pd.DataFrame,
    *,
    fe_params: Mapping[str, float],
    cov_re: Sequence[Sequence[float]],
    scale: float,
) -> float:
    """Log-likelihood (the spec's ML or REML) at given parameters, nothing profiled or optimised.

    The grader uses it to tell whether a reported non-optimal fit is a genuine point of the model.
    For REML the quadratic form uses the given fixed effects, as statsmodels' ``llf`` does.

    Returns:
        The log-likelihood; ``-inf`` when the parameters are outside the parameter space
        (``scale ≤ 0``, non-finite values, or ``cov_re`` clearly not positive semi-definite).

    Raises:
        SpecError: ``fe_params`` or ``cov_re`` do not match the model's fixed and random effects.

    >>> from reference import load_data, make_spec
    >>> SEED_FINAL = make_spec("mathach ~ ses + meanses + pracad + minority + female", "~minority")
    >>> fe = {"Intercept": 11.945, "ses": 1.878, "meanses": 1.236, "pracad": 4.097,
    ...       "minority": -2.965, "female": -1.231}
    >>> llf = loglike_at(SEED_FINAL, load_data("hlm"), fe_params=fe,
    ...                  cov_re=[[1.729, 0.781], [0.781, 3.153]], scale=35.4463)
    >>> round(llf, 1)
    -23144.3
    """
    spec, model = build_model(spec, data)
    beta = _ordered(fe_params, [str(n) for n in model.exog_names])
    cov = _square(cov_re, model.k_re)
    if not (math.isfinite(scale) and scale > 0 and np.isfinite(cov).all()):
        return -math.inf
    cov = (cov + cov.T) / 2.0
    values = np.linalg.eigvalsh(cov)
    if values.min() < -NEGATIVE_EIGENVALUE_TOLERANCE * max(1.0, float(values.max())):
        return -math.inf
    lam = psd_factor(cov / scale)
    return loglike(model_cross_products(model), beta=beta, lam=lam, sigma2=scale, reml=spec.reml)


def build_model(spec: ModelSpec, data: pd.DataFrame) -> tuple[ModelSpec, Any]:
    """The normalised spec and its statsmodels MixedLM (statsmodels' names, order and design)."""
    spec = parse_spec(spec, data, require_final=False).spec
    if spec.re_formula == "0":
        raise SpecError(
            "re_formula '0' has no random effects; use '1' for a random intercept or "
            "'~ slope' for a random intercept and slope."
        )
    import statsmodels.formula.api as smf

    data = with_derived(data, spec.derived)
    with quiet():
        groups = data[dataset_of(data).group]
        model = smf.mixedlm(spec.formula, data, groups=groups, re_formula=spec.re_formula)
    _check_rank(np.asarray(model.exog, dtype=float), [str(n) for n in model.exog_names])
    return spec, model


def _check_rank(exog: Array, names: list[str]) -> None:
    """Reject linearly dependent fixed effects (in this data ``ses = cses + meanses`` exactly).

    statsmodels fits such a model anyway and lme4 silently drops a column; either way its
    coefficients mean nothing, so the user is told which term to drop.
    """
    norms = np.linalg.norm(exog, axis=0)
    with quiet():
        r = np.linalg.qr(exog / np.where(norms > 0, norms, 1.0), mode="r")
    dependent = [
        n for n, d in zip(names, np.abs(np.diag(r)), strict=True) if not d > RANK_TOLERANCE
    ]
    if dependent:
        first = names.index(dependent[0])
        raise SpecError(
            f"fixed effect {dependent[0]} is a linear combination of {', '.join(names[:first])} in "
            "this data (for example ses = cses + meanses), so its coefficient is not identified; "
            "drop one of these terms."
        )


def model_cross_products(model: Any) -> CrossProducts:
    return cross_products(model.endog, model.exog, model.exog_re, model.groups)


def _free(spec: ModelSpec, model: Any) -> np.ndarray:
    """The entries of ``θ`` the model estimates: all, unless some random slopes are independent."""
    names = _re_names(model)
    blocks = [1 + names.index(n) if n in spec.independent else 0 for n in names]
    return free_entries(blocks)


def _re_names(model: Any) -> list[str]:
    return ["Intercept" if n == "Group" else str(n) for n in model.data.exog_re_names]


def _robust_result(spec: ModelSpec, model: Any, cp: CrossProducts, best: Maximum) -> FitResult:
    at = profile(cp, best.theta, spec.reml)
    lam = factor(best.theta, cp.q)
    fe_cov = _statsmodels_fe_cov(model, spec, best)
    if fe_cov is None:  # lme4's conditional covariance σ² (Xᵀ V*⁻¹ X)⁻¹
        fe_cov = np.asarray(at.sigma2 * np.linalg.inv(at.xvx), dtype=np.float64)
    return assemble(
        spec,
        model,
        fe=at.beta,
        fe_cov=fe_cov,
        cov_re=at.sigma2 * (lam @ lam.T),
        scale=at.sigma2,
        llf=at.llf,
        optimizer=best.label,
        attempts=tuple(Attempt(label, llf) for label, llf in best.attempts),
    )


def _statsmodels_fe_cov(model: Any, spec: ModelSpec, best: Maximum) -> Array | None:
    """statsmodels' covariance of the fixed effects at ``θ``, after checking its llf against ours.

    ``None`` near a singular ``T``, where statsmodels cannot evaluate its own likelihood reliably.
    """
    lam = factor(best.theta, model.k_re)
    values = np.linalg.eigvalsh(lam @ lam.T)
    if values.min() <= SINGULAR_RATIO * values.max() or spec.independent:
        # statsmodels' model has a free correlation where ours is 0 (independent slopes): its
        # "maxiter=0" still steps along that gradient, so its point is not ours.
        return None
    with quiet():
        # maxiter=0: a results object at exactly this point (fit(do_cg=False) crashes in 0.15).
        results = model.fit(start_params=best.theta, reml=spec.reml, method="lbfgs", maxiter=0)
    if not abs(float(results.llf) - best.llf) <= 1e-7 * abs(best.llf):
        raise FitError(
            f"statsmodels' log-likelihood {float(results.llf):.6f} disagrees with the profiled "
            f"{best.llf:.6f} for {spec.formula} | {spec.re_formula}; this is a bug, please report it."
        )
    p = len(model.exog_names)
    fe_cov = np.asarray(results.cov_params(), dtype=float)[:p, :p]
    return fe_cov if np.isfinite(fe_cov).all() and (np.diag(fe_cov) > 0).all() else None


def assemble(
    spec: ModelSpec,
    model: Any,
    *,
    fe: Array,
    fe_cov: Array,
    cov_re: Array,
    scale: float,
    llf: float,
    optimizer: str,
    attempts: tuple[Attempt, ...],
) -> FitResult:
    names = [str(n) for n in model.exog_names]
    re_names = tuple(_re_names(model))
    k = len(names) + int(_free(spec, model).sum()) + 1
    return FitResult(
        spec=spec,
        fe_params={n: float(v) for n, v in zip(names, fe, strict=True)},
        bse={n: float(v) for n, v in zip(names, np.sqrt(np.diag(fe_cov)), strict=True)},
        fe_cov=_tuples(fe_cov),
        cov_re=_tuples(cov_re),
        cov_re_names=re_names,
        scale=float(scale),
        llf=float(llf),
        aic=math.nan if spec.reml else -2.0 * llf + 2.0 * k,
        optimizer=optimizer,
        n_obs=int(model.nobs),
        n_groups=len(model.group_labels),
        attempts=attempts,
    )


def _ordered(values: Mapping[str, float], names: list[str]) -> Array:
    if set(values) != set(names):
        raise SpecError(
            f"fixed effects {', '.join(sorted(values)) or 'none'} do not match the model's "
            f"{', '.join(names)}; give one value per fixed effect, with statsmodels' names."
        )
    return np.array([float(values[n]) for n in names])


def _square(matrix: Sequence[Sequence[float]], q: int) -> Array:
    cov = np.asarray(matrix, dtype=float)
    if cov.shape != (q, q):
        raise SpecError(
            f"cov_re has shape {cov.shape}; the model has {q} random effect(s), so a {q}×{q} "
            "matrix is expected (intercept first, then the slopes)."
        )
    return cov


@contextmanager
def quiet() -> Iterator[None]:
    """Silence statsmodels' and numpy's warnings: any stderr output zeroes an nbgrader cell."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def _tuples(matrix: Array) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(v) for v in row) for row in np.atleast_2d(matrix))
