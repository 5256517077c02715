"""A fitted two-level model as plain values: what the cache stores and the grader compares.

Kept apart from :mod:`reference.fitting.robust` (which re-exports it) so that reading a cached fit needs
neither statsmodels nor scipy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reference.errors import SpecError
from reference.model.derived import derived_from_json
from reference.model.spec import ModelSpec


@dataclass(frozen=True, slots=True)
class Attempt:
    """One optimizer run and the log-likelihood it reached."""

    optimizer: str
    llf: float


@dataclass(frozen=True, slots=True)
class FitResult:
    """A fitted two-level model, as plain values (statsmodels' names and order).

    Attributes:
        spec: the normalised model.
        fe_params: fixed effects (γ's), ``Intercept`` first.
        bse: standard errors of the fixed effects.
        fe_cov: covariance matrix of the fixed effects, in ``fe_params`` order.
        cov_re: ``T``, the covariance of the random effects, in ``cov_re_names`` order.
        cov_re_names: ``Intercept`` (statsmodels' "Group") and the random slopes.
        scale: ``σ²``, the level-1 residual variance.
        llf: log-likelihood (ML or REML, as the spec says).
        aic: ``−2 llf + 2 n_params`` for ML; ``nan`` for REML (not comparable across models).
        optimizer: the strategy whose optimum was kept.
        n_obs: students; n_groups: schools.
        attempts: every optimizer run and its log-likelihood.
    """

    spec: ModelSpec
    fe_params: dict[str, float]
    bse: dict[str, float]
    fe_cov: tuple[tuple[float, ...], ...]
    cov_re: tuple[tuple[float, ...], ...]
    cov_re_names: tuple[str, ...]
    scale: float
    llf: float
    aic: float
    optimizer: str
    n_obs: int
    n_groups: int
    attempts: tuple[Attempt, ...] = ()

    @property
    def tau00(self) -> float:
        """Variance of the random intercept, 0.0 for a model without one."""
        if "Intercept" not in self.cov_re_names:
            return 0.0
        i = self.cov_re_names.index("Intercept")
        return self.cov_re[i][i]

    @property
    def n_params(self) -> int:
        """Fixed effects + estimated entries of ``T`` + ``σ²`` (as lme4 and statsmodels count):
        every distinct entry, except the covariances of independent random slopes, which are 0."""
        apart = sum(1 for n in self.cov_re_names if n in self.spec.independent)
        shared = len(self.cov_re_names) - apart  # one unstructured block, then one variance each
        return len(self.fe_params) + shared * (shared + 1) // 2 + apart + 1

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict (non-finite numbers become ``None``)."""
        return {
            "formula": self.spec.formula,
            "re_formula": self.spec.re_formula,
            "method": self.spec.method,
            "derived": [d.to_json() for d in self.spec.derived],
            "independent": list(self.spec.independent),
            "fe_params": {k: json_number(v) for k, v in self.fe_params.items()},
            "bse": {k: json_number(v) for k, v in self.bse.items()},
            "fe_cov": [[json_number(v) for v in row] for row in self.fe_cov],
            "cov_re": [[json_number(v) for v in row] for row in self.cov_re],
            "cov_re_names": list(self.cov_re_names),
            "scale": json_number(self.scale),
            "llf": json_number(self.llf),
            "aic": json_number(self.aic),
            "optimizer": self.optimizer,
            "n_obs": self.n_obs,
            "n_groups": self.n_groups,
            "attempts": [
                {"optimizer": a.optimizer, "llf": json_number(a.llf)} for a in self.attempts
            ],
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> FitResult:
        """Rebuild a :class:`FitResult` from :meth:`to_dict`'s output.

        Raises:
            ValueError: ``raw`` lacks a field or holds a value of the wrong type.
        """
        try:
            return cls(
                spec=ModelSpec(
                    str(raw["formula"]),
                    str(raw["re_formula"]),
                    raw["method"] == "REML",
                    tuple(derived_from_json(d) for d in raw.get("derived", [])),
                    independent=tuple(str(n) for n in raw.get("independent", [])),
                ),
                fe_params={str(k): _num(v) for k, v in raw["fe_params"].items()},
                bse={str(k): _num(v) for k, v in raw["bse"].items()},
                fe_cov=_matrix(raw["fe_cov"]),
                cov_re=_matrix(raw["cov_re"]),
                cov_re_names=tuple(str(n) for n in raw["cov_re_names"]),
                scale=_num(raw["scale"]),
                llf=_num(raw["llf"]),
                aic=_num(raw["aic"]),
                optimizer=str(raw["optimizer"]),
                n_obs=int(raw["n_obs"]),
                n_groups=int(raw["n_groups"]),
                attempts=tuple(
                    Attempt(str(a["optimizer"]), _num(a["llf"])) for a in raw["attempts"]
                ),
            )
        except (KeyError, TypeError, ValueError, AttributeError, SpecError) as exc:
            raise ValueError(f"not a FitResult dict ({type(exc).__name__}: {exc})") from None


def _matrix(rows: Sequence[Sequence[Any]]) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(_num(v) for v in row) for row in rows)


def json_number(value: float) -> float | None:
    """A float for JSON: non-finite values (nan for a REML AIC, -inf for a failed start) become None."""
    return float(value) if math.isfinite(value) else None


def _num(value: Any) -> float:
    return math.nan if value is None else float(value)
