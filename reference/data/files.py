"""Reading an assignment's data file the way its notebook does, and writing a copy of it.

The file is read with the assignment's reader (an SPSS ``.sav`` or a CSV), its names lower-cased if
the notebook does so, the columns not described to students dropped and the ids made integers: the
frame the student's notebook works with. Which predictors are school-level is derived from the data
(constant within every school), never listed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

import assignments
from reference.data.dataset import Dataset, dataset_of, with_dataset
from reference.data.description import load_dataset
from reference.errors import DataError

_KINDS = {"spss": "an SPSS .sav file", "csv": "a CSV file"}


def load_data(
    assignment: str | Path | Dataset = assignments.DEFAULT, path: str | Path | None = None
) -> pd.DataFrame:
    """Read an assignment's data as its notebook does; the frame carries the assignment's
    :class:`~reference.data.dataset.Dataset` (see :mod:`reference.data.dataset`).

    Args:
        assignment: the assignment (name, folder or description).
        path: a data file; the copy shipped with the assignment when omitted.

    Raises:
        DataError: the file is missing, unreadable, or lacks a column the assignment relies on.

    >>> df = load_data("hlm")
    >>> df.shape, df["school"].nunique()
    ((7185, 13), 160)
    """
    dataset = assignment if isinstance(assignment, Dataset) else load_dataset(assignment)
    name = str(path) if path is not None else f"the bundled {dataset.file.name}"
    return tidy(read_raw(dataset, path), dataset, name)


def bundled_data_path(assignment: str | Path = assignments.DEFAULT) -> Path:
    """The data file shipped with an assignment (the default one's when none is named)."""
    return load_dataset(assignment).bundled


def read_raw(dataset: Dataset, path: str | Path | None = None) -> pd.DataFrame:
    """The file's table as it is, with a clear :class:`DataError` for any reading problem."""
    target = Path(path) if path is not None else dataset.bundled
    if not target.is_file():
        raise DataError(f"data file {target} does not exist; pass the path of {dataset.file.name}.")
    try:
        return _read(dataset, target)
    except Exception as exc:  # readers raise their own types and OSError alike
        raise DataError(
            f"{target} could not be read as {_KINDS[dataset.file.reader]} "
            f"({type(exc).__name__}); pass the {dataset.file.name} shipped with the assignment."
        ) from None


def _read(dataset: Dataset, target: Path) -> pd.DataFrame:
    if dataset.file.reader == "csv":
        return pd.read_csv(target)
    import pyreadstat

    frame, _meta = pyreadstat.read_sav(str(target))
    return frame


def tidy(raw: pd.DataFrame, dataset: Dataset, name: str = "the data") -> pd.DataFrame:
    """The file's table as the notebook uses it (see :func:`load_data`); ``raw`` is not changed."""
    file = dataset.file
    frame = raw.rename(columns=lambda c: str(c).lower()) if file.lower_case else raw.copy()
    missing = [c for c in file.columns if c not in frame.columns]
    if missing:
        raise DataError(
            f"{name} lacks column(s) {', '.join(missing)}; expected the {file.name} variables "
            f"{', '.join(file.columns)}. Use the file shipped with the assignment."
        )
    frame = frame.drop(columns=[c for c in file.drop if c in frame.columns])
    for column in file.integers:
        frame[column] = frame[column].astype(int)
    frame = frame.reset_index(drop=True)
    frame.attrs.clear()  # only the description below: nothing a reader left behind
    return with_dataset(frame, dataset)


def raw_column(raw: pd.DataFrame, dataset: Dataset, column: str) -> str:
    """The name in the file of a column the notebook names ``column`` (``MATHACH`` for mathach)."""
    if not dataset.file.lower_case:
        return column
    return next((str(c) for c in raw.columns if str(c).lower() == column), column)


def write_raw(raw: pd.DataFrame, dataset: Dataset, target: Path, source: Path) -> Path:
    """Write a table in the file's own format, keeping the labels of ``source`` (SPSS)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if dataset.file.reader == "csv":
        raw.to_csv(target, index=False)
        return target
    import pyreadstat

    _, meta = pyreadstat.read_sav(str(source), metadataonly=True)
    labels = {str(k): (str(v) if v is not None else None)
              for k, v in (meta.column_names_to_labels or {}).items()}  # fmt: skip
    pyreadstat.write_sav(raw, str(target), column_labels=labels)
    return target


def school_level_columns(df: pd.DataFrame) -> frozenset[str]:
    """Columns that are constant within every school (level-2 variables), derived from the data.

    >>> sorted(school_level_columns(load_data("hlm")))
    ['disclim', 'himinty', 'meanses', 'pracad', 'sector', 'size']
    """
    dataset = dataset_of(df)
    candidates = [c for c in df.columns if c not in dataset.not_predictors]
    spread = df.groupby(dataset.group)[candidates].nunique(dropna=False).max()
    return frozenset(str(c) for c, n in spread.items() if n <= 1)


def student_level_columns(df: pd.DataFrame) -> frozenset[str]:
    """Predictors that vary within at least one school (level-1 variables)."""
    others = set(map(str, df.columns)) - dataset_of(df).not_predictors
    return frozenset(others) - school_level_columns(df)


def predictor_columns(df: pd.DataFrame) -> list[str]:
    """The columns a model may use as predictors, in the data's order."""
    excluded = dataset_of(df).not_predictors
    return [str(c) for c in df.columns if c not in excluded]


def data_hash(df: pd.DataFrame) -> str:
    """A short content hash of a data frame (values, column names and its grouping), for cache keys."""
    digest = hashlib.sha256()
    digest.update(",".join(map(str, df.columns)).encode())
    digest.update(f"|group={dataset_of(df).group}".encode())
    digest.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return digest.hexdigest()[:16]
