"""Reading a student's fitted model by its values: which data each design column is.

A student may fit the same model in many spellings: ``groups="school"``, ``C(sector)``, upper-case
names kept from the .sav, ``I(ses**2)``, the array API with columns ``x1, x2``, or a variable they
derived by hand (``ses`` minus its school mean). Names cannot be trusted to say what a column is;
values can. :func:`tie_design` matches every column of the student's design with the data — equal to
a column, to a school mean, to a centred column, to a product, to a simple transform — and writes the
model as a :class:`~reference.model.spec.ModelSpec` whose extra columns are
:class:`~reference.model.derived.Derived`, so the reference re-fits exactly the student's model and
every later answer is judged against it, in the student's own names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reference.data.dataset import dataset_of
from reference.errors import SpecError
from reference.model.align import align_rows, order_inverse, same_rows
from reference.model.candidates import Candidate, candidates, tie_column
from reference.model.derived import Expr
from reference.model.design import Component, StudentDesign
from reference.model.naming import INTERCEPT, Names
from reference.model.spec import ModelSpec, make_spec

__all__ = ["INTERCEPT", "Component", "StudentDesign", "Tie", "order_inverse", "tie_design"]


@dataclass(frozen=True, slots=True)
class Tie:
    """What a student's design is in terms of the data.

    Attributes:
        spec: the same model written over the data's columns (None if it could not be tied).
        fixed: each fixed column's label (as in the student's ``fe_params``) → the spec's term.
        random: each random effect's label (as in ``cov_re``) → ``Intercept`` or a slope's name.
        read: sentences saying how columns with other names were read (for the feedback).
        problem: why the design could not be tied to the data.
    """

    spec: ModelSpec | None
    fixed: Mapping[str, str] = field(default_factory=dict)
    random: Mapping[str, str] = field(default_factory=dict)
    read: tuple[str, ...] = ()
    problem: str | None = None


def tie_design(design: StudentDesign, data: pd.DataFrame) -> Tie:
    """The student's model as a spec over ``data``, found from the design's values.

    >>> from reference.data import load_data
    >>> data = load_data("hlm")
    >>> centred = data["ses"] - data.groupby("school")["ses"].transform("mean")
    >>> exog = np.column_stack([np.ones(len(data)), data["sector"], centred])
    >>> design = StudentDesign(data["mathach"].to_numpy(), exog,
    ...     ("Intercept", "C(sector)[T.1.0]", "ses_c"), np.ones((len(data), 1)), ("school",),
    ...     data["school"].to_numpy())
    >>> tie = tie_design(design, data)
    >>> tie.spec.formula, tie.spec.re_formula, tie.fixed["C(sector)[T.1.0]"]
    ('mathach ~ sector + ses_c', '1', 'sector')
    >>> tie.spec.derived[0].expr.text(), dict(tie.spec.aliases)
    ('centre(ses)', {'cses': 'ses_c'})
    """
    try:
        order, unsure = align_rows(design, data)
    except SpecError as exc:
        return Tie(None, problem=str(exc))
    inverse, sure = order_inverse(order), ~unsure
    table = [Candidate(c.expr, c.values[sure]) for c in candidates(data)]
    fixed = _tie_columns(design.exog[inverse][sure], design.exog_names, table)
    random = _tie_columns(design.exog_re[inverse][sure], design.exog_re_names, table)
    if unsure.any() and any(e is None for _, e in (*fixed, *random)):
        return Tie(None, problem="the model's rows could not be matched with the data's")
    if unsure.any() and not same_rows(design, inverse, unsure, [*fixed, *random], data):
        return Tie(None, problem="the model's rows could not be matched with the data's")
    fixed = _as_given(fixed, design.exog[inverse])
    random = _as_given(random, design.exog_re[inverse])
    apart = _as_given(
        _tie_components(design, inverse, sure, table), _component_matrix(design, inverse)
    )
    return _spec(fixed, random + apart, design, data, independent={label for label, _ in apart})


def _slope_components(design: StudentDesign) -> list[Component]:
    """Variance components that are random slopes by school (one column, groups = schools)."""
    if len(np.unique(design.groups)) <= 1:
        return []
    return [c for c in design.vc if c.kind == "column"]


def _tie_components(
    design: StudentDesign, inverse: np.ndarray, sure: np.ndarray, table: list[Candidate]
) -> list[tuple[str, Expr | None]]:
    return [(c.name, tie_column(c.values[inverse][sure], table)) for c in _slope_components(design)]


def _component_matrix(design: StudentDesign, inverse: np.ndarray) -> np.ndarray:
    columns = [c.values[inverse] for c in _slope_components(design)]
    return np.column_stack(columns) if columns else np.zeros((len(inverse), 0))


def _as_given(
    columns: list[tuple[str, Expr | None]], matrix: np.ndarray
) -> list[tuple[str, Expr | None]]:
    """Columns that match nothing in the data, kept as their values (rows in the data's order)."""
    return [
        (label, expr if expr is not None else _values(label, matrix[:, k]))
        for k, (label, expr) in enumerate(columns)
    ]


def _values(label: str, column: np.ndarray) -> Expr:
    return Expr("values", name=label[:60], data=np.asarray(column, dtype="<f8").tobytes())


def _tie_columns(
    matrix: np.ndarray, labels: tuple[str, ...], table: list[Candidate]
) -> list[tuple[str, Expr | None]]:
    return [(label, tie_column(matrix[:, k], table)) for k, label in enumerate(labels)]


def _spec(
    fixed: list[tuple[str, Expr | None]],
    random: list[tuple[str, Expr | None]],
    design: StudentDesign,
    data: pd.DataFrame,
    independent: set[str],
) -> Tie:
    names = Names(data, [*fixed, *random])
    terms = {label: names.term(expr) for label, expr in fixed if expr is not None}
    slopes = {label: names.term(expr) for label, expr in random if expr is not None}
    slopes.update(_vc_intercept(design))
    if not slopes:
        return Tie(None, problem="the model has no random effect by school")
    intercept = INTERCEPT in terms.values()
    body = " + ".join(t for t in terms.values() if t != INTERCEPT) or "1"
    formula = f"{dataset_of(data).response} ~ {body if intercept else '0 + ' + body}"
    used = {f for name in (*terms.values(), *slopes.values()) for f in name.split(":")}
    apart = tuple(slopes[label] for label in slopes if label in independent)
    spec = make_spec(formula, _re_formula(list(slopes.values())), reml=design.reml,
                     derived=names.derived(), aliases=names.aliases(data, used),
                     independent=apart)  # fmt: skip
    read = tuple(names.sentence(label, expr) for label, expr in (*fixed, *random) if expr)
    return Tie(spec, terms, slopes, tuple(s for s in read if s))


def _vc_intercept(design: StudentDesign) -> dict[str, str]:
    if len(np.unique(design.groups)) > 1:
        return {}
    return {c.name: INTERCEPT for c in design.vc if c.kind == "partition"}


def _re_formula(slopes: list[str]) -> str:
    others = [s for s in slopes if s != INTERCEPT]
    if not others:
        return "1"
    return "~" + ("" if INTERCEPT in slopes else "0 + ") + " + ".join(others)
