"""A fitted MixedLM found in the notebook, as the grader needs to know it (validated data)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from grader.answers.design import Pool, read_design
from grader.answers.encoded import Encoded, Invalid, number_of
from reference.model.tie import StudentDesign

_INTERCEPTS = frozenset({"intercept", "const", "(intercept)"})


@dataclass(frozen=True, slots=True)
class StudentModel:
    """What the grader needs to know of a fitted MixedLM found in the notebook."""

    variable: str
    formula: str | None
    re_names: tuple[str, ...]
    method: str
    fe_params: dict[str, float]
    cov_re: tuple[tuple[float, ...], ...]
    scale: float
    llf: float
    aic: float
    n_obs: int
    n_groups: int
    converged: bool
    vcomp: tuple[float, ...] = ()
    design: StudentDesign | str | None = field(default=None, compare=False, repr=False)

    @property
    def reml(self) -> bool:
        return self.method.upper() == "REML"

    @property
    def random_intercept(self) -> bool:
        return any(n in {"Group", "Intercept", "1"} for n in self.re_names)

    @property
    def random_slopes(self) -> tuple[str, ...]:
        return tuple(n for n in self.re_names if n not in {"Group", "Intercept", "1"})

    @property
    def re_formula(self) -> str:
        """The random part as a statsmodels re_formula."""
        if not self.random_slopes:
            return "1"
        prefix = "" if self.random_intercept else "0 + "
        return "~" + prefix + " + ".join(self.random_slopes)

    @property
    def intercept_only(self) -> bool:
        """Whether the fixed part is the intercept alone (an unconditional model's), read from the
        design's values when the notebook sent them (the array API has no formula)."""
        if isinstance(self.design, StudentDesign):
            exog = self.design.exog
            return exog.shape[1] == 1 and bool(np.all(exog[:, 0] == 1.0))
        return len(self.fe_params) == 1 and next(iter(self.fe_params)).lower() in _INTERCEPTS

    @property
    def tau00(self) -> float:
        if not self.random_intercept or not self.cov_re:
            return math.nan
        index = next(i for i, n in enumerate(self.re_names) if n in {"Group", "Intercept", "1"})
        return self.cov_re[index][index]


def to_model(variable: str, enc: Encoded, pool: Pool | None = None) -> StudentModel | Invalid:
    """Validate one fitted-model record (``pool``: the answers file's shared design columns)."""
    try:
        model = StudentModel(
            variable=variable,
            formula=enc["formula"] if isinstance(enc.get("formula"), str) else None,
            re_names=tuple(str(n) for n in enc["re_names"]),
            method=str(enc["method"]),
            fe_params={str(k): _finite_or_nan(v) for k, v in enc["fe_params"]},
            cov_re=tuple(tuple(_finite_or_nan(x) for x in row) for row in enc["cov_re"]),
            scale=_finite_or_nan(enc["scale"]),
            llf=_finite_or_nan(enc["llf"]),
            aic=_finite_or_nan(enc["aic"]),
            n_obs=int(enc["n_obs"]),
            n_groups=int(enc["n_groups"]),
            converged=bool(enc.get("converged")),
            vcomp=tuple(_finite_or_nan(x) for x in enc.get("vcomp", [])[:20]),
        )
    except (KeyError, TypeError, ValueError):
        return Invalid(f"the fitted model in `{variable}` could not be read")
    design = read_design(enc.get("design"), pool or {}, reml=model.reml)
    if not isinstance(design, str) and design.exog_re.shape[1] == len(model.re_names):
        design = replace(design, exog_re_names=model.re_names)
    elif not isinstance(design, str):
        design = "its random effects do not match its design"
    return replace(model, design=design)


def _finite_or_nan(enc: object) -> float:
    value = number_of(enc if isinstance(enc, dict) else None)
    return value if isinstance(value, float) else math.nan
