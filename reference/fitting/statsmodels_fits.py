"""What students get from statsmodels' own optimizers, for judging their fits fairly.

``statsmodels_default_fit`` is plain ``.fit()`` (which can stop short while saying "converged");
``statsmodels_recipe_llf`` is the assignment's recipe, several methods keeping the best, which is as
close as statsmodels gets where the optimum lies on the boundary.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from reference.fitting.result import Attempt, FitResult
from reference.fitting.robust import assemble, build_model, quiet
from reference.model.spec import ModelSpec

STATSMODELS_DEFAULT = "statsmodels default (bfgs, lbfgs, cg)"


def statsmodels_default_fit(spec: ModelSpec, data: pd.DataFrame) -> FitResult:
    """What a student gets from plain ``smf.mixedlm(...).fit(reml=...)`` (may be a wrong optimum)."""
    spec, model = build_model(spec, data)
    with quiet():
        results = model.fit(reml=spec.reml)
    p = len(model.exog_names)
    return assemble(
        spec,
        model,
        fe=np.asarray(results.fe_params, dtype=float),
        fe_cov=np.asarray(results.cov_params(), dtype=float)[:p, :p],
        cov_re=np.asarray(results.cov_re, dtype=float),
        scale=float(results.scale),
        llf=float(results.llf),
        optimizer=STATSMODELS_DEFAULT,
        attempts=(Attempt(STATSMODELS_DEFAULT, float(results.llf)),),
    )


#: The assignment's recipe (DOMAIN notes): try several of statsmodels' optimizers, keep the best.
RECIPE: tuple[str | list[str] | None, ...] = (
    None,
    "lbfgs",
    "powell",
    "nm",
    ["powell", "lbfgs"],
    ["nm", "bfgs"],
)


def statsmodels_recipe_llf(spec: ModelSpec, data: pd.DataFrame) -> float:
    """The best log-likelihood statsmodels reaches with the assignment's recipe of optimizers.

    Where the optimum lies on the boundary (a variance at 0, a correlation at ±1), statsmodels,
    which keeps ``T`` positive definite, cannot reach it exactly; this is how close it gets, so a
    student who followed the recipe is not charged for the rest (``-inf`` if no method ran).
    """
    spec, model = build_model(spec, data)
    best = -math.inf
    for method in RECIPE:
        with quiet():
            try:
                options = {} if method is None else {"method": method}
                llf = float(model.fit(reml=spec.reml, **options).llf)
            except (ValueError, IndexError, np.linalg.LinAlgError, ArithmeticError):
                continue  # a method that breaks down is one attempt less; the others count
        if math.isfinite(llf):
            best = max(best, llf)
    return best
