"""Matching the rows of a student's design with the data's: what :mod:`reference.model.tie` ties.

Students rarely reorder rows, but may (``df.sort_values(...)``); then each school is found by its
students' responses, and rows within a school by their response. Two students of one school with
the same response can only be matched up to their order: :func:`same_rows` checks that such rows
hold the same values, in some order, once every column is known.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from reference.data.dataset import dataset_of
from reference.errors import SpecError
from reference.model.design import StudentDesign

if TYPE_CHECKING:
    from reference.model.derived import Expr


def order_inverse(order: np.ndarray) -> np.ndarray:
    """Rows of the student's design in the data's order (``order[i]`` is design row i's data row)."""
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return inverse


def align_rows(design: StudentDesign, data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For each design row, its row in ``data`` (the identity unless the student reordered rows),
    and which data rows are only matched up to their school and response (two students of one
    school with the same response: their order is settled by :func:`same_rows`).

    Raises:
        SpecError: other rows, another response or other groups than the assignment's.
    """
    dataset = dataset_of(data)
    n, response = len(data), data[dataset.response].to_numpy(dtype=float)
    groups = data[dataset.group].to_numpy()
    if len(design.endog) != n:
        raise SpecError(
            f"the model was fitted on {len(design.endog)} rows; the data has {n} students"
        )
    partition = _school_partition(design)
    if _close(design.endog, response):
        order = np.arange(n)
    else:
        order = _matched_rows(design.endog, partition, response, groups, dataset.response)
    if not _same_partition(partition[order_inverse(order)], groups):
        raise SpecError(
            f"the model's groups are not the {dataset.group}s: group by {dataset.group}"
        )
    if np.array_equal(order, np.arange(n)):
        return order, np.zeros(n, dtype=bool)
    keys = pd.DataFrame({"s": groups, "y": response})
    return order, keys.duplicated(keep=False).to_numpy()


def same_rows(
    design: StudentDesign,
    inverse: np.ndarray,
    unsure: np.ndarray,
    columns: list[tuple[str, Expr | None]],
    data: pd.DataFrame,
) -> bool:
    """Rows matched only by school and response hold the same values, in some order."""
    from reference.model.derived import evaluate

    mine = np.column_stack([design.exog, design.exog_re])[inverse]
    theirs = np.column_stack([evaluate(e, data) for _, e in columns if e is not None])
    dataset = dataset_of(data)
    keys = pd.DataFrame(
        {"s": data[dataset.group].to_numpy(), "y": data[dataset.response].to_numpy()}
    )
    for _, rows in keys[unsure].groupby(["s", "y"]).groups.items():
        index = np.asarray(rows)
        if not np.allclose(_sorted_rows(mine[index]), _sorted_rows(theirs[index]), atol=1e-6):
            return False
    return True


def _sorted_rows(matrix: np.ndarray) -> np.ndarray:
    return matrix[np.lexsort(np.round(matrix, 6).T[::-1])]


def _school_partition(design: StudentDesign) -> np.ndarray:
    """The codes that should be the schools: the groups, or a variance component's partition
    when everything is one group (``vc_formula={"school": "0 + C(school)"}``)."""
    if len(np.unique(design.groups)) > 1:
        return design.groups
    parts = [c.values for c in design.vc if c.kind == "partition"]
    return parts[0] if len(parts) == 1 else design.groups


def _matched_rows(
    endog: np.ndarray, groups: np.ndarray, response: np.ndarray, schools: np.ndarray, name: str
) -> np.ndarray:
    """Match reordered rows by school and response; raises SpecError when they do not match."""
    keys = {_signature(response[schools == s]): s for s in np.unique(schools)}
    order = np.empty(len(endog), dtype=int)
    for g in np.unique(groups):
        mine = np.flatnonzero(groups == g)
        school = keys.get(_signature(endog[mine]))
        if school is None:
            raise SpecError(f"the model's response is not {name} of the assignment's data")
        theirs = np.flatnonzero(schools == school)
        order[mine[np.argsort(endog[mine], kind="stable")]] = theirs[
            np.argsort(response[theirs], kind="stable")
        ]
    return order


def _signature(values: np.ndarray) -> tuple[float, ...]:
    return tuple(np.round(np.sort(values), 6).tolist())


def _same_partition(codes: np.ndarray, schools: np.ndarray) -> bool:
    pairs = pd.DataFrame({"code": codes, "school": schools}).drop_duplicates()
    return bool(pairs["code"].is_unique and pairs["school"].is_unique)


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= 1e-6 * max(1.0, np.abs(b).max())))
