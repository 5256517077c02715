"""A student's fitted model as numbers: the design the kernel reported, read by :mod:`reference.model.tie`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True, eq=False)
class Component:
    """A variance component (``vc_formula``): a column, or a partition of the rows into codes."""

    name: str
    kind: str  # "column" or "partition"
    values: np.ndarray


@dataclass(frozen=True, slots=True, eq=False)
class StudentDesign:
    """A fitted model's design as the student's kernel reported it (rows in the model's order)."""

    endog: np.ndarray
    exog: np.ndarray
    exog_names: tuple[str, ...]
    exog_re: np.ndarray
    exog_re_names: tuple[str, ...]
    groups: np.ndarray
    vc: tuple[Component, ...] = ()
    reml: bool = False
