"""Hidden data: a perturbed copy of hsb12.sav that catches answers typed in instead of computed.

With ``--hidden-data`` every submission runs against such a copy and the reference is computed on the
same copy, so a notebook that computes its answers still gets full marks while one that typed in
numbers fails. The copy keeps every column, the row count, the float64 type and the structure the
assignment relies on (schools, school-level variables constant within schools, 0/1 variables 0/1):
only ``mathach`` changes, by a seeded affine map plus student- and school-level noise, which moves
the ICC, every fixed effect, both AICs, σ² and the forecast.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from reference.data import bundled_data_path, read_sav

SCALE = 1.2
SHIFT = 1.5
SCHOOL_SD = 1.2
STUDENT_SD = 1.5


def perturb(raw: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The raw 14-column table (upper-case names, as in the file) with ``MATHACH`` perturbed.

    >>> from reference.data import bundled_data_path, read_sav
    >>> raw = read_sav()
    >>> new = perturb(raw, seed=1)
    >>> new.shape == raw.shape, bool((new.drop(columns="MATHACH") == raw.drop(columns="MATHACH")).all().all())
    (True, True)
    """
    rng = np.random.default_rng(seed)
    schools = raw["SCHOOL"].to_numpy()
    codes, index = np.unique(schools, return_inverse=True)
    school_effect = rng.normal(0.0, SCHOOL_SD, size=len(codes))[index]
    noise = rng.normal(0.0, STUDENT_SD, size=len(raw))
    out = raw.copy()
    out["MATHACH"] = np.round(SCALE * raw["MATHACH"] + SHIFT + school_effect + noise, 3)
    return out


def write_perturbed(target: str | Path, seed: int, source: str | Path | None = None) -> Path:
    """Write a perturbed copy of ``source`` (the bundled file by default) to ``target``."""
    import pyreadstat

    raw, meta = _read_with_labels(source)
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    pyreadstat.write_sav(perturb(raw, seed), str(path), column_labels=meta)
    return path


def _read_with_labels(
    source: str | Path | None,
) -> tuple[pd.DataFrame, dict[str, str | None]]:
    import pyreadstat

    raw = read_sav(source)
    path = source if source is not None else bundled_data_path()
    _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
    labels = meta.column_names_to_labels or {}
    return raw, {str(k): (str(v) if v is not None else None) for k, v in labels.items()}
