"""Loading the High School and Beyond data as the assignment uses it.

The assignment reads ``data/hsb12.sav`` with pyreadstat, drops ``CONS`` and ``DISCLIM`` (not described to
students) and lower-cases the column names. Which predictors are school-level is derived from the data
(constant within every school), never hard-coded.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import pandas as pd

from reference.errors import DataError

GROUP = "school"
RESPONSE = "mathach"
DROPPED = ("cons", "disclim")
#: Columns that hold a school mean of another: a student's own ``mean(ses)`` is ``meanses`` at a
#: profile (the forecast's student), and ``centre(ses)`` is ``ses − meanses`` there, like ``cses``.
SCHOOL_MEANS = {"ses": "meanses"}
REQUIRED = (
    "school",
    "student",
    "minority",
    "female",
    "ses",
    "meanses",
    "cses",
    "mathach",
    "size",
    "sector",
    "pracad",
    "himinty",
)


def bundled_data_path() -> Path:
    """Path of the ``hsb12.sav`` file shipped with the assignment."""
    return Path(str(resources.files("assignments").joinpath("hlm", "data", "hsb12.sav")))


def load_hsb(path: str | Path | None = None) -> pd.DataFrame:
    """Read ``hsb12.sav`` the way the assignment does.

    Args:
        path: a ``.sav`` file; the bundled copy when omitted.

    Returns:
        One row per student, lower-case columns, ``CONS``/``DISCLIM`` dropped, ``school`` and
        ``student`` as integers.

    Raises:
        DataError: the file is missing, not an SPSS file, or lacks a required column.

    >>> df = load_hsb()
    >>> df.shape, df["school"].nunique()
    ((7185, 12), 160)
    """
    return tidy(read_sav(path), _name(path))


def tidy(raw: pd.DataFrame, name: str = "the data") -> pd.DataFrame:
    """The file's table as the assignment uses it (see :func:`load_hsb`); ``raw`` is not changed."""
    raw = raw.rename(columns=lambda c: str(c).lower())
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise DataError(
            f"{name} lacks column(s) {', '.join(missing)}; expected the hsb12.sav variables "
            f"{', '.join(REQUIRED)}. Use the file shipped with the assignment."
        )
    df = raw.drop(columns=[c for c in DROPPED if c in raw.columns])
    df[GROUP] = df[GROUP].astype(int)
    df["student"] = df["student"].astype(int)
    return df.reset_index(drop=True)


def read_sav(path: str | Path | None = None) -> pd.DataFrame:
    """Read an SPSS file as it is, with a clear :class:`DataError` for any reading problem."""
    import pyreadstat

    target = Path(path) if path is not None else bundled_data_path()
    if not target.is_file():
        raise DataError(f"data file {target} does not exist; pass the path of hsb12.sav.")
    try:
        df, _meta = pyreadstat.read_sav(str(target))
    except Exception as exc:  # pyreadstat raises its own types and OSError alike
        raise DataError(
            f"{target} could not be read as an SPSS .sav file ({type(exc).__name__}); "
            "pass the hsb12.sav shipped with the assignment."
        ) from None
    return df


def school_level_columns(df: pd.DataFrame) -> frozenset[str]:
    """Columns that are constant within every school (level-2 variables), derived from the data.

    >>> sorted(school_level_columns(load_hsb()))
    ['himinty', 'meanses', 'pracad', 'sector', 'size']
    """
    candidates = [c for c in df.columns if c not in (GROUP, "student", RESPONSE)]
    spread = df.groupby(GROUP)[candidates].nunique(dropna=False).max()
    return frozenset(str(c) for c, n in spread.items() if n <= 1)


def student_level_columns(df: pd.DataFrame) -> frozenset[str]:
    """Predictors that vary within at least one school (level-1 variables)."""
    others = set(df.columns) - {GROUP, "student", RESPONSE}
    return frozenset(str(c) for c in others) - school_level_columns(df)


def data_hash(df: pd.DataFrame) -> str:
    """A short content hash of a data frame (values and column names), for cache keys."""
    digest = hashlib.sha256()
    digest.update(",".join(map(str, df.columns)).encode())
    digest.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return digest.hexdigest()[:16]


def _name(path: str | Path | None) -> str:
    return str(path) if path is not None else "the bundled hsb12.sav"
