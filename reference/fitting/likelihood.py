"""The likelihood of a two-level linear mixed model, computed from per-school sums, and its maximum.

statsmodels evaluates MixedLM's likelihood with a Python loop over schools and inverts the random-effects
covariance, which is slow and loses all precision as that covariance approaches singularity: on the
boundary (where lme4 finds some optima of this data) it cannot even be evaluated. Here we follow lme4:
the relative covariance ``T / σ² = Λ Λᵀ`` with ``Λ`` lower triangular, and ``θ`` its lower-triangle
entries row by row (``numpy.tril_indices`` order, which is also statsmodels' packed ``use_sqrt`` order).
With ``V* = I + Z Λ Λᵀ Zᵀ`` per school, Woodbury's identity needs only ``Zᵀ Z``, ``Zᵀ [X y]`` per school
and ``[X y]ᵀ [X y]``; each evaluation is a few batched q × q operations (about 0.1 ms) and stays exact
for a singular ``Λ``. ``σ²`` and the fixed effects are profiled out, so ``θ`` is all there is to search.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

# Multiples of the identity for Λ at which the search starts. One start is not enough: from lme4's
# own start (1.0) L-BFGS-B falls onto a boundary local optimum (τ00 = 0) for 4 of 12 models we tried,
# 40-80 log-likelihood units short. Starts spread over the plausible range of sd(u)/σ fix that.
STARTS = (1.0, 0.5, 0.2, 0.05)


@dataclass(frozen=True, slots=True)
class CrossProducts:
    """Sufficient statistics of a model: per school ``Zᵀ Z`` and ``Zᵀ [X y]``, overall ``[X y]ᵀ [X y]``."""

    zz: Array
    zw: Array
    ww: Array
    n_obs: int

    @property
    def q(self) -> int:
        """Number of random effects per school."""
        return int(self.zz.shape[1])

    @property
    def p(self) -> int:
        """Number of fixed effects."""
        return int(self.ww.shape[0]) - 1


@dataclass(frozen=True, slots=True)
class Profile:
    """The likelihood at ``θ`` with ``β`` and ``σ²`` at their optimum given ``θ``."""

    llf: float
    beta: Array
    sigma2: float
    xvx: Array  # Xᵀ V*⁻¹ X, so that cov(β̂) = σ² (Xᵀ V*⁻¹ X)⁻¹


@dataclass(frozen=True, slots=True)
class Maximum:
    """The best ``θ`` found, and the log-likelihood every start reached (label, llf)."""

    theta: Array
    llf: float
    label: str
    attempts: tuple[tuple[str, float], ...]


def cross_products(
    endog: Array, exog: Array, exog_re: Array, groups: npt.ArrayLike
) -> CrossProducts:
    """Per-school sums of a model's design (rows in any order)."""
    codes = np.unique(np.asarray(groups), return_inverse=True)[1].ravel()
    order = np.argsort(codes, kind="stable")
    w = np.column_stack([exog, endog]).astype(float)[order]
    z = np.asarray(exog_re, dtype=float)[order]
    starts = np.flatnonzero(np.r_[True, np.diff(codes[order]) != 0])
    zz = np.add.reduceat(z[:, :, None] * z[:, None, :], starts, axis=0)
    zw = np.add.reduceat(z[:, :, None] * w[:, None, :], starts, axis=0)
    return CrossProducts(zz=zz, zw=zw, ww=w.T @ w, n_obs=len(w))


def diagonal_mask(q: int) -> npt.NDArray[np.bool_]:
    """Which entries of ``θ`` are diagonal elements of ``Λ`` (those are bounded below by 0)."""
    rows, cols = np.tril_indices(q)
    return np.asarray(rows == cols)


def factor(theta: Array, q: int) -> Array:
    """``Λ`` from ``θ``: the lower triangle filled row by row."""
    lam = np.zeros((q, q))
    lam[np.tril_indices(q)] = theta
    return lam


def psd_factor(cov: Array) -> Array:
    """Any ``Λ`` with ``Λ Λᵀ = cov`` for a positive semi-definite ``cov`` (singular allowed)."""
    values, vectors = np.linalg.eigh(cov)
    return np.asarray(vectors * np.sqrt(np.clip(values, 0.0, None)))


def profile(cp: CrossProducts, theta: Array, reml: bool) -> Profile:
    """Profiled log-likelihood at ``θ`` (lme4's deviance / −2, statsmodels' ``llf`` at that point)."""
    return _evaluate(cp, theta, reml)[0]


def gradient(cp: CrossProducts, theta: Array, reml: bool) -> Array:
    """Gradient of the profiled log-likelihood with respect to ``θ`` (analytic)."""
    return _evaluate(cp, theta, reml)[1]


def loglike(cp: CrossProducts, *, beta: Array, lam: Array, sigma2: float, reml: bool) -> float:
    """Log-likelihood at given ``β``, ``Λ`` (of ``T / σ²``) and ``σ²``, nothing profiled.

    For REML the quadratic form uses the given ``β``, as statsmodels' ``llf`` does; at the GLS ``β̂``
    this is the REML log-likelihood.
    """
    logdet, a = _woodbury(cp, lam)
    coef = np.append(-np.asarray(beta, dtype=float), 1.0)
    quad = float(coef @ a @ coef)
    dof = cp.n_obs - cp.p if reml else cp.n_obs
    llf = -0.5 * (dof * math.log(2.0 * math.pi * sigma2) + logdet + quad / sigma2)
    if reml:
        llf -= 0.5 * float(np.linalg.slogdet(a[: cp.p, : cp.p])[1])
    return llf


def free_entries(blocks: Sequence[int]) -> npt.NDArray[np.bool_]:
    """Which entries of ``θ`` may be non-zero when random effects are correlated only within blocks.

    ``blocks[i]`` is the block of random effect ``i``: effects of different blocks are independent
    (``statsmodels``' variance components, lme4's ``(1 | g) + (0 + x | g)``), so ``Λ`` and ``T``
    are block-diagonal. One block for all is the usual unstructured ``T``.
    """
    rows, cols = np.tril_indices(len(blocks))
    block = np.asarray(blocks)
    return np.asarray(block[rows] == block[cols])


def maximise(cp: CrossProducts, reml: bool, free: npt.NDArray[np.bool_] | None = None) -> Maximum:
    """Maximise the profiled log-likelihood over ``θ`` from every start in :data:`STARTS`.

    Each start runs L-BFGS-B with central-difference gradients and ``diag(Λ) ≥ 0`` as bounds, so
    boundary optima are reached exactly; the best is then restarted once with a fresh curvature
    memory. Only the log-likelihood decides: an optimizer's own "converged" flag is never consulted.
    ``free`` (see :func:`free_entries`) keeps the other entries of ``θ`` at 0.
    """
    mask = diagonal_mask(cp.q)
    free = np.ones_like(mask) if free is None else free
    runs = [
        _climb(cp, reml, np.where(mask, s, 0.0), f"L-BFGS-B from theta={s}*I", free) for s in STARTS
    ]
    best = max(runs, key=lambda run: run[1])
    polished = _climb(cp, reml, best[0], f"{best[2]}, restarted", free)
    # A restart that gains only rounding noise does not count as the winning strategy.
    winner = polished if polished[1] > best[1] + 1e-6 else best
    attempts = tuple((label, llf) for _theta, llf, label in [*runs, polished])
    return Maximum(theta=winner[0], llf=winner[1], label=winner[2], attempts=attempts)


def _climb(
    cp: CrossProducts, reml: bool, start: Array, label: str, free: npt.NDArray[np.bool_]
) -> tuple[Array, float, str]:
    from scipy.optimize import minimize

    def full(x: Array) -> Array:
        theta = np.zeros(len(free))
        theta[free] = x
        return theta

    def objective(x: Array) -> tuple[float, Array]:
        at, grad = _evaluate(cp, full(x), reml)
        return -at.llf, -grad[free]

    diagonal = diagonal_mask(cp.q)[free]
    bounds = [(0.0, None) if d else (None, None) for d in diagonal]
    try:
        found = minimize(
            objective,
            start[free],
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"ftol": 1e-15, "gtol": 1e-6, "maxiter": 1000},
        )
        theta = full(np.asarray(found.x, dtype=float))
        return theta, profile(cp, theta, reml).llf, label
    except (np.linalg.LinAlgError, ValueError, FloatingPointError):
        # A start so poor the algebra breaks down is just a failed attempt; others will do.
        return start, -math.inf, label


def _evaluate(cp: CrossProducts, theta: Array, reml: bool) -> tuple[Profile, Array]:
    """Profiled log-likelihood and its analytic gradient in one pass over the per-school sums.

    Per school, with ``A = ZᵀZ``, ``B = A Λ``, ``M = Λᵀ B + I``, ``S = M⁻¹ Λᵀ Zᵀ[X y]`` and
    ``R = Zᵀ[X y] − B S``, the deviance ``−2 llf`` has gradient (in ``Λ``)
    ``2 Σ B M⁻¹ − (2 dof / pwrss) Σ (R c)(S c)ᵀ``, minus ``2 Σ R_X W S_Xᵀ`` for REML, where
    ``c = (−β̂, 1)``, ``W = (Xᵀ V*⁻¹ X)⁻¹`` and ``_X`` keeps the columns of ``X``. ``β̂`` and ``σ²`` drop
    out of the derivative because they are optimal given ``θ``.
    """
    q, p, n = cp.q, cp.p, cp.n_obs
    lam = factor(theta, q)
    b = cp.zz @ lam
    m = lam.T @ b + np.eye(q)
    m_inv = np.linalg.inv(m)
    s = m_inv @ (lam.T @ cp.zw)
    a = cp.ww - (lam.T @ cp.zw).reshape(-1, p + 1).T @ s.reshape(-1, p + 1)
    w = np.linalg.inv(a[:p, :p])
    beta = w @ a[:p, p]
    pwrss = float(a[p, p] - beta @ a[:p, p])
    dof = n - p if reml else n
    deviance = float(np.linalg.slogdet(m)[1].sum())
    deviance += dof * (1.0 + math.log(2.0 * math.pi * pwrss / dof))
    coef = np.append(-beta, 1.0)
    r = cp.zw - b @ s
    grad = 2.0 * (b @ m_inv).sum(axis=0)
    grad -= (2.0 * dof / pwrss) * np.einsum("gi,gj->ij", r @ coef, s @ coef)
    if reml:
        deviance += float(np.linalg.slogdet(a[:p, :p])[1])
        grad -= 2.0 * np.einsum("gik,gjk->ij", r[:, :, :p] @ w, s[:, :, :p])
    at = Profile(llf=-deviance / 2.0, beta=beta, sigma2=pwrss / dof, xvx=a[:p, :p])
    return at, -grad[np.tril_indices(q)] / 2.0


def _woodbury(cp: CrossProducts, lam: Array) -> tuple[float, Array]:
    """``log|V*|`` and ``[X y]ᵀ V*⁻¹ [X y]`` summed over schools, for ``V* = I + Z Λ Λᵀ Zᵀ``."""
    m = lam.T @ cp.zz @ lam + np.eye(cp.q)
    u = lam.T @ cp.zw
    s = np.linalg.solve(m, u)
    a = cp.ww - u.reshape(-1, cp.p + 1).T @ s.reshape(-1, cp.p + 1)
    return float(np.linalg.slogdet(m)[1].sum()), a
