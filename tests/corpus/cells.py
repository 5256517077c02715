"""Cells of a corpus notebook, and the cell texts several submissions share.

A submission is a list of :class:`Cell`; :mod:`tests.corpus.build` turns it into a notebook. Texts
shared by several students (how they load the data, the assignment's forecast profile) live here so
that each submission module reads as what one student wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class Cell:
    """One notebook cell: its kind, its source, and any cell metadata (nbgrader's, in templates)."""

    kind: Literal["code", "markdown"]
    source: str
    metadata: dict[str, Any] = field(default_factory=dict)


def code(source: str, **metadata: Any) -> Cell:
    return Cell("code", source.strip("\n"), dict(metadata))


def md(source: str, **metadata: Any) -> Cell:
    return Cell("markdown", source.strip("\n"), dict(metadata))


# The seed student's loading cell (pyreadstat, CONS/DISCLIM dropped, names lower-cased).
SEED_LOAD = """
import pyreadstat
import pandas as pd
import statsmodels.formula.api as smf

pd.options.display.float_format = '{:.4f}'.format

df_hsb, metadata_hsb = pyreadstat.read_sav("data/hsb12.sav")
df_hsb = df_hsb.drop(["CONS", "DISCLIM"], axis=1)
df_hsb.columns = df_hsb.columns.str.lower()
df_hsb["school"] = df_hsb["school"].astype(int)
df_hsb["student"] = df_hsb["student"].astype(int)
df_hsb.head()
"""

# A shorter load many students write: one data frame called df, warnings silenced.
DF_LOAD = """
import warnings

import numpy as np
import pandas as pd
import pyreadstat
import statsmodels.formula.api as smf

warnings.filterwarnings("ignore")
df, meta = pyreadstat.read_sav("data/hsb12.sav")
df.columns = df.columns.str.lower()
df.shape
"""

# The student the assignment asks to forecast for, as free-form notebooks copy it from the task.
PROFILE_TEXT = """
Forecast `mathach` for a student with: minority = 1, female = 1, ses = 0, cses = 0.4,
meanses = -0.4, size = 800, sector = 0, pracad = 0.25, himinty = 0.
"""

PROFILE_DICT = """
student = {"minority": 1, "female": 1, "ses": 0.0, "cses": 0.4, "meanses": -0.4,
           "size": 800, "sector": 0, "pracad": 0.25, "himinty": 0}
"""
