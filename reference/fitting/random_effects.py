"""The schools' random effects at a fit, and whether its covariance lies on the boundary."""

from __future__ import annotations

import numpy as np
import pandas as pd

from reference.fitting.likelihood import Array, psd_factor
from reference.fitting.result import FitResult
from reference.fitting.robust import build_model, model_cross_products


def school_effects(fit: FitResult, data: pd.DataFrame) -> Array:
    """Each school's predicted random effects (BLUPs) at the fit, one row per school.

    ``û_j = T Z_jᵀ V_j⁻¹ (y_j − X_j β̂)``, written with ``Λ`` (``T = σ² Λ Λᵀ``) as
    ``Λ (Λᵀ Z_jᵀ Z_j Λ + I)⁻¹ Λᵀ Z_jᵀ r_j`` from the per-school sums, rows in the order of the
    sorted school ids (statsmodels' ``random_effects`` order).
    """
    _spec, model = build_model(fit.spec, data)
    cp = model_cross_products(model)
    beta = np.array([fit.fe_params[str(n)] for n in model.exog_names])
    lam = psd_factor(np.asarray(fit.cov_re, dtype=float) / fit.scale)
    zr = cp.zw[:, :, cp.p] - cp.zw[:, :, : cp.p] @ beta
    m = np.swapaxes(lam.T @ cp.zz @ lam, 1, 2) + np.eye(cp.q)
    b = np.linalg.solve(m, (lam.T @ zr[:, :, None]))[:, :, 0]
    return np.asarray(b @ lam.T)


def on_boundary(fit: FitResult) -> bool:
    """Whether a fit's ``T`` is singular: a variance at 0 or a correlation at ±1."""
    cov = np.asarray(fit.cov_re, dtype=float)
    if cov.size == 0:
        return False
    values = np.linalg.eigvalsh((cov + cov.T) / 2.0)
    return bool(values.min() <= 1e-4 * max(float(values.max()), 1e-12))
