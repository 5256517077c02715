"""Builders of extraction records, so check tests can be written as plain answer dicts."""

from __future__ import annotations

import json
import math
from typing import Any


def num(x: float) -> dict[str, Any]:
    if math.isnan(x):
        return {"type": "number", "special": "nan"}
    if math.isinf(x):
        return {"type": "number", "special": "inf" if x > 0 else "-inf"}
    return {"type": "number", "value": x}


def names(*items: str) -> dict[str, Any]:
    return {"type": "list", "items": [{"type": "string", "value": i} for i in items]}


def mapping(values: dict[str, float]) -> dict[str, Any]:
    return {"type": "mapping", "items": [[k, num(v)] for k, v in values.items()], "pytype": "dict"}


def model(
    formula: str,
    fe: dict[str, float],
    cov_re: list[list[float]],
    scale: float,
    llf: float,
    aic: float,
    *,
    re_names: tuple[str, ...] = ("Group",),
    method: str = "ML",
    n_obs: int = 7185,
    n_groups: int = 160,
) -> dict[str, Any]:
    return {
        "type": "model",
        "formula": formula,
        "re_names": list(re_names),
        "method": method,
        "fe_params": [[k, num(v)] for k, v in fe.items()],
        "cov_re": [[num(x) for x in row] for row in cov_re],
        "scale": num(scale),
        "llf": num(llf),
        "aic": num(aic),
        "n_obs": n_obs,
        "n_groups": n_groups,
        "converged": True,
    }


def answers_file(
    answers: dict[str, Any] | None = None,
    models: dict[str, Any] | None = None,
    scalars: dict[str, float] | None = None,
) -> bytes:
    doc = {
        "version": 1,
        "answers": answers or {},
        "models": models or {},
        "scalars": {k: num(v) for k, v in (scalars or {}).items()},
        "values": {},
    }
    return json.dumps(doc).encode()


# The seed student's fits, as printed in /work/shared/seed (statsmodels' output, 4 decimals).
# The unconditional fit is at the optimum (lme4: llf -23557.9051, tau00 8.55346, sigma2 39.14840).
SEED_UNCONDITIONAL = model(
    "mathach ~ 1", {"Intercept": 12.637}, [[8.555]], 39.1483, -23557.9051, 47121.8102
)
# The final fit stopped 4.8 log-likelihood units short of the optimum (lme4: -23139.4984).
SEED_FINAL_DEFAULT = model(
    "mathach ~ ses + meanses + pracad + minority + female",
    {"Intercept": 11.9452, "ses": 1.8784, "meanses": 1.2356, "pracad": 4.0973,
     "minority": -2.9647, "female": -1.2308},
    [[1.729, 0.781], [0.781, 3.153]],
    35.4463,
    -23144.2992,
    46308.5983,
    re_names=("Group", "minority"),
)  # fmt: skip
# lme4's optimum of the same model (DOMAIN.md table).
SEED_FINAL_OPTIMUM = model(
    "mathach ~ ses + meanses + pracad + minority + female",
    {"Intercept": 11.80175, "ses": 1.88795, "meanses": 1.13019, "pracad": 4.38578,
     "minority": -2.94470, "female": -1.23279},
    [[1.37873, 0.05253], [0.05253, 1.67347]],
    35.68694,
    -23139.4984,
    46298.997,
    re_names=("Group", "minority"),
)  # fmt: skip
