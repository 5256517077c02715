"""The profiled likelihood engine: its gradient, its factors and its agreement with the full likelihood."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import approx_fprime

from reference import make_spec
from reference.fitting.likelihood import (
    CrossProducts,
    diagonal_mask,
    factor,
    gradient,
    loglike,
    profile,
    psd_factor,
)
from reference.fitting.robust import build_model, model_cross_products


@pytest.fixture(scope="module")
def two_slopes(hsb: pd.DataFrame) -> CrossProducts:
    _spec, model = build_model(
        make_spec("mathach ~ minority + cses + meanses", "~minority + cses"), hsb
    )
    return model_cross_products(model)


@pytest.mark.parametrize("reml", [False, True])
def test_analytic_gradient_matches_finite_differences(
    two_slopes: CrossProducts, reml: bool
) -> None:
    theta = np.array([0.2, 0.05, 0.15, -0.03, 0.1, 0.08])
    numeric = approx_fprime(theta, lambda t: profile(two_slopes, t, reml).llf, 1e-6)
    assert np.allclose(gradient(two_slopes, theta, reml), numeric, atol=0.02)


@pytest.mark.parametrize("reml", [False, True])
def test_full_likelihood_at_profiled_optimum_equals_profile(
    two_slopes: CrossProducts, reml: bool
) -> None:
    theta = np.array([0.2, 0.05, 0.15, -0.03, 0.1, 0.0])  # singular Λ is allowed
    at = profile(two_slopes, theta, reml)
    lam = factor(theta, two_slopes.q)
    full = loglike(two_slopes, beta=at.beta, lam=lam, sigma2=at.sigma2, reml=reml)
    assert full == pytest.approx(at.llf, abs=1e-7)


def test_factors_and_masks() -> None:
    assert diagonal_mask(2).tolist() == [True, False, True]
    assert factor(np.array([1.0, 2.0, 3.0]), 2).tolist() == [[1.0, 0.0], [2.0, 3.0]]
    singular = np.array([[4.0, 2.0], [2.0, 1.0]])
    lam = psd_factor(singular)
    assert np.allclose(lam @ lam.T, singular)
