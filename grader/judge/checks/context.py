"""What every check may read: the :class:`Context` of one notebook (built once by
:func:`grader.judge.engine.build_context`), and on hidden data the :class:`Original` answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from grader.answers.locate import Located
from grader.answers.models import StudentModel
from grader.assignment.assignment import Assignment
from grader.assignment.config import GradingConfig
from grader.judge.assess import FitAssessment
from reference.data.dataset import Dataset


@dataclass(frozen=True, slots=True)
class Original:
    """The answers on the bundled data file, when the notebook ran on a perturbed copy of it.

    An answer that matches these instead of the copy's did not come from the data the notebook
    read: it was typed in (or copied).
    """

    icc_ml: float
    icc_reml: float
    solution: Any | None  # ReferenceSolution of the student's model on the bundled file


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a check may read. Built once per notebook by :func:`grader.judge.engine.judge`.

    Attributes:
        assignment: the assignment, graded by its configuration (``config``).
        reference: the reference solution for the student's own final model (None if unusable).
        unconditional_ml, unconditional_reml: reference fits of the unconditional model.
        assessment: what the grader found of the student's final model (rules, data, optimum).
        original: on hidden data, the answers of the bundled file (None otherwise).
    """

    located: Located
    assignment: Assignment
    data: pd.DataFrame
    reference: Any | None
    unconditional_ml: Any
    unconditional_reml: Any
    assessment: FitAssessment | None = None
    equations: Any | None = None
    original: Original | None = None

    @property
    def config(self) -> GradingConfig:
        return self.assignment.grading

    @property
    def dataset(self) -> Dataset:
        return self.assignment.dataset

    @property
    def own_fit_counts(self) -> bool:
        fit = self.assessment
        return fit is not None and fit.short and fit.genuine

    @property
    def own_fit_at_optimum(self) -> bool:
        """The student's own estimates reach the optimum: numbers consistent with them are right."""
        fit = self.assessment
        return fit is not None and fit.at_optimum

    @property
    def final(self) -> StudentModel | None:
        model = self.located.final
        return model if isinstance(model, StudentModel) else None

    @property
    def unconditional(self) -> StudentModel | None:
        model = self.located.unconditional
        return model if isinstance(model, StudentModel) else None

    def say(self, key: str, /, **fields: Any) -> str:
        """A sentence of the assignment's catalogue, filled from ``fields``."""
        return self.config.say(key, **fields)
