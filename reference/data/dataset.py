"""What the reference knows of an assignment's data: a :class:`Dataset`, carried by the data frame.

A data frame of an assignment carries its description in ``DataFrame.attrs`` under :data:`ATTR`, put
there by :func:`reference.data.files.load_data` (the one place frames are made) and read back by
:func:`dataset_of`. Every reference function already takes the data frame, and the response, the
groups and the id columns are facts about *its* columns, so the description travels with the frame
(pandas keeps ``attrs`` through copies, selections and new columns) and can never be paired with
the wrong one. A frame made any other way has no description, and :func:`dataset_of` says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import pandas as pd

from reference.errors import DataError

#: The key of ``DataFrame.attrs`` that holds the frame's :class:`Dataset`.
ATTR = "hlm_dataset"

Reader = Literal["spss", "csv"]


@dataclass(frozen=True, slots=True)
class DataFile:
    """How the notebook reads the data file, and so how the grader reads it too.

    Attributes:
        path: the file as the notebook opens it, relative to the notebook (``data/hsb12.sav``).
        reader: ``spss`` (pyreadstat) or ``csv``.
        lower_case: the column names are lower-cased after reading.
        drop: columns dropped after that (not described to students).
        integers: columns read as integers (ids).
        columns: the columns the assignment relies on; a file without one is refused.
    """

    path: str
    reader: Reader
    lower_case: bool
    drop: tuple[str, ...]
    integers: tuple[str, ...]
    columns: tuple[str, ...]

    @property
    def name(self) -> str:
        """The file's name, as feedback mentions it (``hsb12.sav``)."""
        return Path(self.path).name


@dataclass(frozen=True, slots=True)
class FinalRules:
    """What a final model needs: this many predictors, this many of them group-level."""

    min_predictors: int
    min_group_level: int


@dataclass(frozen=True, slots=True)
class Signal:
    """Hidden data: the response moves by ``sign·c·(x − x̄)`` with ``c`` drawn from [low, high]."""

    column: str
    sign: int
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class HiddenRecipe:
    """How a perturbed copy of the data is made (see :mod:`reference.data.perturb`)."""

    between: tuple[float, float]
    within: tuple[float, float]
    shift: tuple[float, float]
    decimals: int
    signals: tuple[Signal, ...]
    probes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Profile(Mapping[str, float]):
    """The forecast's student: a value per predictor, and which columns hold group means.

    It reads as the mapping of values; ``group_means`` says how a variable a student derived is
    evaluated there (their ``mean(ses)`` is the profile's ``meanses``).
    """

    numbers: Mapping[str, float]
    group_means: Mapping[str, str]

    def __getitem__(self, key: str) -> float:
        return self.numbers[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.numbers)

    def __len__(self) -> int:
        return len(self.numbers)


@dataclass(frozen=True, slots=True)
class Dataset:
    """An assignment's data as the reference sees it.

    Attributes:
        assignment: the assignment's name (its folder's).
        folder: the assignment's folder: the bundled data file is ``folder / file.path``.
        file: how the file is read.
        response: the response column.
        group: the column of the level-2 units (schools).
        ids: columns that are neither the response, the group nor a predictor.
        group_means: a column → the column holding its group mean (``ses`` → ``meanses``).
        profile: the forecast's student: a value for each predictor.
        rules: what a final model needs.
        solution: the solution's final model, ``(formula, re_formula)``.
        hidden: the hidden-data recipe (None: the assignment has none).
    """

    assignment: str
    folder: Path = field(repr=False)
    file: DataFile = field(repr=False)
    response: str
    group: str
    ids: tuple[str, ...] = field(repr=False)
    group_means: Mapping[str, str] = field(repr=False)
    profile: Mapping[str, float] = field(repr=False)
    rules: FinalRules = field(repr=False)
    solution: tuple[str, str] = field(repr=False)
    hidden: HiddenRecipe | None = field(default=None, repr=False)

    @property
    def not_predictors(self) -> frozenset[str]:
        """The columns no model may use as a predictor: the response, the group and the ids."""
        return frozenset({self.response, self.group, *self.ids})

    @property
    def forecast_profile(self) -> Profile:
        """The forecast's student, with the group means a derived variable is evaluated by."""
        return Profile(self.profile, self.group_means)

    @property
    def bundled(self) -> Path:
        """The data file shipped with the assignment."""
        return self.folder / self.file.path

    def __deepcopy__(self, memo: dict[int, Any]) -> Dataset:
        # pandas deep-copies ``attrs`` on every operation; a frozen value is its own copy.
        return self


def frozen_mapping(values: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy (``MappingProxyType`` cannot be deep-copied, so it never sits in attrs
    itself: the :class:`Dataset` holding it answers deep copies with itself)."""
    return MappingProxyType(dict(values))


def dataset_of(data: pd.DataFrame) -> Dataset:
    """The description a data frame carries (see the module's docstring).

    Raises:
        DataError: the frame was not made by :func:`reference.data.files.load_data`.
    """
    found = data.attrs.get(ATTR)
    if not isinstance(found, Dataset):
        raise DataError(
            "this data frame carries no assignment description (DataFrame.attrs"
            f"[{ATTR!r}]); load the data with reference.data.load_data(assignment), or attach "
            "one with reference.data.with_dataset(frame, dataset)."
        )
    return found


def with_dataset(data: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    """``data`` (not a copy) carrying ``dataset``."""
    data.attrs[ATTR] = dataset
    return data
