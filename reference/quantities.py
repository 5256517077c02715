"""The assignment's derived quantities, and the whole reference solution built from robust fits.

Conventions (see DOMAIN notes): the ICC comes from the unconditional model; the AIC change compares
ML fits (REML likelihoods are not comparable across fixed effects); variance changes are
``(old − new) / old`` from the unconditional to the final model; the forecast is the fixed part of
the final model at a profile, for a new student in a school whose random effect is unknown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from reference.data.dataset import Profile, dataset_of
from reference.data.files import data_hash, school_level_columns
from reference.errors import SpecError
from reference.fitting.cache import DEFAULT, CacheDefault, FitCache, cached_fit, resolve
from reference.fitting.result import FitResult, json_number
from reference.model.derived import Derived, at_profile
from reference.model.spec import ModelSpec, make_spec, parse_spec, unconditional


def icc(tau00: float, sigma2: float) -> float:
    """Intraclass correlation ``τ00 / (τ00 + σ²)``: the share of variance between schools.

    >>> round(icc(8.55346, 39.14840), 4)  # lme4's ML unconditional model
    0.1793
    """
    return tau00 / (tau00 + sigma2)


def relative_change(old: float, new: float) -> float:
    """Proportional reduction ``(old − new) / old`` (negative when ``new`` is larger; nan if old = 0).

    >>> round(relative_change(39.14840, 35.68694), 4)  # σ²: unconditional → seed model (lme4, ML)
    0.0884
    """
    return (old - new) / old if old != 0 else math.nan


def forecast_from(
    fe_params: Mapping[str, float],
    profile: Profile,
    derived: Sequence[Derived] = (),
) -> float:
    """Fixed part of a model at a profile: ``Σ γ·x``, an interaction ``a:b`` contributing ``γ·a·b``.

    A variable the student derived (``derived``) is computed at the profile from its recipe.

    Raises:
        SpecError: the profile lacks a variable the model uses.

    >>> from reference.data import load_dataset
    >>> fe = {"Intercept": 11.80175, "ses": 1.88795, "meanses": 1.13019, "pracad": 4.38578,
    ...       "minority": -2.94470, "female": -1.23279}  # lme4's fit of the seed's model
    >>> round(forecast_from(fe, load_dataset("hlm").forecast_profile), 3)
    8.269
    """
    return sum(float(v) * term_value(name, profile, derived) for name, v in fe_params.items())


def forecast_interval(fit: FitResult, profile: Profile, level: float = 0.95) -> tuple[float, float]:
    """Normal prediction interval for a new student in a school whose random effects are unknown.

    The variance is ``xᵀ V x + zᵀ T z + σ²``: uncertainty of the fixed effects (``V = fe_cov``), the
    school's random effects at the profile (``z = (1, slope values)``) and the student's residual.

    Raises:
        SpecError: the profile lacks a variable the model uses.
        ValueError: ``level`` is not strictly between 0 and 1.
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be strictly between 0 and 1; got {level}.")
    derived = fit.spec.derived
    x = np.array([term_value(name, profile, derived) for name in fit.fe_params])
    z = np.array([term_value(name, profile, derived) for name in fit.cov_re_names])
    variance = x @ np.array(fit.fe_cov) @ x + z @ np.array(fit.cov_re) @ z + fit.scale
    half = NormalDist().inv_cdf(0.5 + level / 2.0) * math.sqrt(float(variance))
    centre = forecast_from(fit.fe_params, profile, derived)
    return centre - half, centre + half


@dataclass(frozen=True, slots=True)
class ReferenceSolution:
    """Every answer of the assignment for one final model.

    ``final`` is always the ML fit (the AIC change needs it, and the seed's variance changes and
    forecast are ML); ``final_reml`` holds the REML fit when the final spec asked for REML.
    """

    unconditional: FitResult
    unconditional_reml: FitResult
    final: FitResult
    icc: float
    icc_reml: float
    aic_change: float
    residual_variance_change: float
    intercept_variance_change: float
    forecast: float
    forecast_interval: tuple[float, float]
    fixed_effects: tuple[str, ...]
    random_effects: tuple[str, ...]
    school_level: tuple[str, ...]
    profile: Profile
    final_reml: FitResult | None = None
    forecast_problem: str | None = None  # why there is no forecast (then it is nan)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict: the fits as :meth:`FitResult.to_dict`, non-finite numbers as ``None``."""
        return {
            "icc": json_number(self.icc),
            "icc_reml": json_number(self.icc_reml),
            "unconditional": self.unconditional.to_dict(),
            "unconditional_reml": self.unconditional_reml.to_dict(),
            "final": self.final.to_dict(),
            "final_reml": None if self.final_reml is None else self.final_reml.to_dict(),
            "aic_change": json_number(self.aic_change),
            "residual_variance_change": json_number(self.residual_variance_change),
            "intercept_variance_change": json_number(self.intercept_variance_change),
            "forecast": json_number(self.forecast),
            "forecast_interval": [json_number(v) for v in self.forecast_interval],
            "fixed_effects": list(self.fixed_effects),
            "random_effects": list(self.random_effects),
            "school_level": list(self.school_level),
            "profile": {k: float(v) for k, v in self.profile.items()},
        }


def solve(
    spec: ModelSpec,
    data: pd.DataFrame,
    *,
    cache: FitCache | CacheDefault | None = DEFAULT,
    profile: Profile | None = None,
    require_final: bool = True,
) -> ReferenceSolution:
    """The reference solution for a final model, on an assignment's data.

    The final model is always fitted by ML, whatever ``spec.reml`` says, because the AIC change
    needs ML; with ``spec.reml`` its REML fit is added as ``final_reml``. ``require_final=False``
    solves a model that breaks the final-model rules too: the grader judges a student's later
    answers against their own model even when the model itself loses points. The forecast is for
    the assignment's profile unless ``profile`` is given.

    Raises:
        SpecError: the final model breaks the assignment's rules (e.g. ≥ 3 predictors, ≥ 1
            school-level) and ``require_final`` is set, or its fixed effects are linearly dependent.

    >>> from reference.data import load_data
    >>> from reference.model.spec import solution_spec
    >>> hsb = load_data("hlm")
    >>> solution = solve(solution_spec(dataset_of(hsb)), hsb)
    >>> round(solution.icc, 4), round(solution.aic_change, 2), round(solution.forecast, 3)
    (0.1793, -822.81, 8.269)
    """
    dataset = dataset_of(data)
    final_spec = _final_spec(spec, data, resolve(cache), require_final)
    empty = unconditional(dataset)
    unconditional_ml = cached_fit(empty, data, cache=cache)
    unconditional_reml = cached_fit(empty.with_reml(True), data, cache=cache)
    final = cached_fit(final_spec, data, cache=cache)
    final_reml = cached_fit(final_spec.with_reml(True), data, cache=cache) if spec.reml else None
    return _solution(unconditional_ml, unconditional_reml, final, final_reml,
                     school_level_columns(data), profile or dataset.forecast_profile)  # fmt: skip


def _final_spec(
    spec: ModelSpec, data: pd.DataFrame, store: FitCache | None, require_final: bool = True
) -> ModelSpec:
    """The normalised ML spec of a valid final model.

    parse_spec needs statsmodels' formula machinery (2 s to import). A model already in the cache was
    validated when it was fitted, so only the final-model rules are re-checked here, cheaply; when
    that check fails parse_spec runs and raises its own, explanatory error.
    """
    normal = make_spec(spec.formula, spec.re_formula, reml=False)
    found = None if store is None else store.get(normal, data_hash(data))
    if found is not None and (not require_final or _meets_final_rules(found, data)):
        return normal
    return parse_spec(spec, data, require_final=require_final).spec.with_reml(False)


def _meets_final_rules(fit: FitResult, data: pd.DataFrame) -> bool:
    rules = dataset_of(data).rules
    factors = {f for name in fit.fe_params if name != "Intercept" for f in name.split(":")}
    school = factors & school_level_columns(data)
    return len(factors) >= rules.min_predictors and len(school) >= rules.min_group_level


def _solution(
    unconditional: FitResult,
    unconditional_reml: FitResult,
    final: FitResult,
    final_reml: FitResult | None,
    school_level: frozenset[str],
    profile: Profile,
) -> ReferenceSolution:
    return ReferenceSolution(
        unconditional=unconditional,
        unconditional_reml=unconditional_reml,
        final=final,
        icc=icc(unconditional.tau00, unconditional.scale),
        icc_reml=icc(unconditional_reml.tau00, unconditional_reml.scale),
        aic_change=final.aic - unconditional.aic,
        residual_variance_change=relative_change(unconditional.scale, final.scale),
        intercept_variance_change=relative_change(unconditional.tau00, final.tau00),
        **_forecast(final, profile),
        fixed_effects=tuple(final.fe_params),
        random_effects=final.cov_re_names,
        school_level=tuple(sorted(school_level)),
        profile=profile,
        final_reml=final_reml,
    )


def _forecast(final: FitResult, profile: Profile) -> dict[str, Any]:
    """The forecast and its interval, or nan and why (a column with no value at the profile)."""
    try:
        return {
            "forecast": forecast_from(final.fe_params, profile, final.spec.derived),
            "forecast_interval": forecast_interval(final, profile),
        }
    except SpecError as exc:
        return {"forecast": math.nan, "forecast_interval": (math.nan, math.nan),
                "forecast_problem": str(exc)}  # fmt: skip


def school_forecasts(solution: ReferenceSolution, data: pd.DataFrame) -> Mapping[int, float]:
    """The forecast for the profile's student in each school, the school's BLUPs added: what a
    student gets who adds ``random_effects[school]`` to the fixed part (a known mistake).

    Computed on demand (it needs statsmodels' design, which a warm :func:`solve` never imports).
    """
    from reference.fitting.random_effects import school_effects

    final = solution.final
    if solution.forecast_problem is not None:
        return MappingProxyType({})
    z = np.array([term_value(n, solution.profile, final.spec.derived) for n in final.cov_re_names])
    effects = school_effects(final, data) @ z
    schools = sorted(int(s) for s in data[dataset_of(data).group].unique())
    return MappingProxyType(
        {s: solution.forecast + float(e) for s, e in zip(schools, effects, strict=True)}
    )


def term_value(name: str, profile: Profile, derived: Sequence[Derived] = ()) -> float:
    """Value of a fixed or random effect's regressor: 1 for the intercept, a product for a:b.

    Raises:
        SpecError: the profile lacks a variable the term needs.
    """
    if name == "Intercept":
        return 1.0
    recipes = {d.name: d.expr for d in derived}
    value = 1.0
    for factor in name.split(":"):
        if factor in recipes:
            value *= at_profile(recipes[factor], profile, profile.group_means)
            continue
        if factor not in profile:
            raise SpecError(
                f"the forecast profile has no value for {factor!r} (needed by {name!r}); "
                f"it has {', '.join(sorted(profile))}. Add {factor} to the profile."
            )
        value *= float(profile[factor])
    return value
