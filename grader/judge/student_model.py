"""Reading the student's fitted model: which model it is over the data, in the reference's names.

A model whose design came from the kernel is read by its values (:func:`reference.model.tie.
tie_design`): whatever the student called the columns, the grader then knows the model exactly and
renames its estimates to the reference's names, so every later comparison is like with like. A
model without a usable design (an older answers file, a design too large to send) is read from its
formula, as before.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from grader.answers.encoded import Invalid
from grader.answers.models import StudentModel
from grader.judge.assess import FitAssessment, read_spec
from reference.data.dataset import dataset_of
from reference.model.tie import INTERCEPT, StudentDesign, Tie, tie_design


def read_model(
    model: StudentModel | Invalid | None, data: pd.DataFrame
) -> tuple[StudentModel | Invalid | None, FitAssessment]:
    """The model in the reference's names, and the spec the grader will judge it by."""
    if not isinstance(model, StudentModel) or not isinstance(model.design, StudentDesign):
        return model, read_spec(model)
    tie = tie_design(model.design, data)
    if tie.spec is None:
        formula = read_spec(model)
        if formula.spec is not None:
            return model, formula
        return model, FitAssessment(None, unusable=f"`{model.variable}`: {tie.problem}")
    labels = {v: k for k, v in tie.fixed.items()}  # the fixed terms: what estimates are named by
    fit = FitAssessment(tie.spec.with_reml(False), tied=True, read=tie.read, labels=labels)
    return translated(model, tie, data), fit


def translated(model: StudentModel, tie: Tie, data: pd.DataFrame) -> StudentModel:
    """``model`` with its estimates and random effects under the names of the tied spec."""
    fe = {tie.fixed.get(name, name): value for name, value in model.fe_params.items()}
    re_names, cov_re = tuple(tie.random.get(n, n) for n in model.re_names), model.cov_re
    components = (
        [c.name for c in model.design.vc] if isinstance(model.design, StudentDesign) else []
    )
    if not model.re_names and model.vcomp and INTERCEPT in tie.random.values():
        re_names, cov_re = (INTERCEPT,), ((model.vcomp[0],),)  # vc_formula's school intercept
    elif any(c in tie.random for c in components):  # variance components: independent slopes
        extra = [(tie.random[c], v) for c, v in zip(components, model.vcomp, strict=False)
                 if c in tie.random]  # fmt: skip
        re_names = re_names + tuple(name for name, _ in extra)
        cov_re = _block_diagonal(cov_re, [v for _, v in extra])
    assert tie.spec is not None  # only a tied model is translated
    return replace(model, formula=tie.spec.formula, fe_params=fe, re_names=re_names,
                   cov_re=cov_re, n_groups=int(data[dataset_of(data).group].nunique()))  # fmt: skip


def read_other(
    model: StudentModel | Invalid | None, data: pd.DataFrame
) -> StudentModel | Invalid | None:
    """Another model of the notebook (the unconditional one) in the reference's names."""
    if not isinstance(model, StudentModel) or not isinstance(model.design, StudentDesign):
        return model
    tie = tie_design(model.design, data)
    return translated(model, tie, data) if tie.spec is not None else model


def _block_diagonal(
    cov: tuple[tuple[float, ...], ...], variances: list[float]
) -> tuple[tuple[float, ...], ...]:
    """``T`` of the random effects followed by independent ones with the given variances."""
    q, k = len(cov), len(variances)
    out = np.zeros((q + k, q + k))
    if q:
        out[:q, :q] = np.asarray(cov, dtype=float)
    out[q:, q:] = np.diag(variances)
    return tuple(tuple(float(v) for v in row) for row in out)
