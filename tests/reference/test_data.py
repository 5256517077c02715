"""The bundled data (rebuilt from nlme, described as in the seed notebook), its loader and spec checks."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from reference import DataError, SpecError, load_data, make_spec, parse_spec
from tests.hlm import HLM

ROOT = Path(__file__).resolve().parents[2]

# The seed notebook's df_hsb.describe() (seed/000_590531ad52d8e84f.txt), printed to 4 decimals.
COLUMNS = [
    "SCHOOL",
    "STUDENT",
    "CONS",
    "MINORITY",
    "FEMALE",
    "SES",
    "MEANSES",
    "CSES",
    "MATHACH",
    "SIZE",
    "SECTOR",
    "PRACAD",
    "DISCLIM",
    "HIMINTY",
]
SEED_DESCRIBE = {
    "count": [7185.0] * 14,
    "mean": [
        5277.8978,
        24.5081,
        1.0,
        0.2747,
        0.5282,
        0.0001,
        0.0061,
        -0.006,
        12.7479,
        1056.8618,
        0.4931,
        0.5345,
        -0.1319,
        0.28,
    ],
    "std": [
        2499.5778,
        15.2024,
        0.0,
        0.4464,
        0.4992,
        0.7794,
        0.4136,
        0.6606,
        6.8782,
        604.1725,
        0.5,
        0.2512,
        0.944,
        0.449,
    ],
    "min": [
        1224.0,
        1.0,
        1.0,
        0.0,
        0.0,
        -3.758,
        -1.188,
        -3.657,
        -2.832,
        100.0,
        0.0,
        0.0,
        -2.416,
        0.0,
    ],
    "25%": [
        3020.0,
        12.0,
        1.0,
        0.0,
        0.0,
        -0.538,
        -0.317,
        -0.454,
        7.275,
        565.0,
        0.0,
        0.32,
        -0.817,
        0.0,
    ],
    "50%": [
        5192.0,
        23.0,
        1.0,
        0.0,
        1.0,
        0.002,
        0.038,
        0.01,
        13.131,
        1016.0,
        0.0,
        0.53,
        -0.231,
        0.0,
    ],
    "75%": [7342.0, 36.0, 1.0, 1.0, 1.0, 0.602, 0.333, 0.463, 18.317, 1436.0, 1.0, 0.7, 0.46, 1.0],
    "max": [9586.0, 67.0, 1.0, 1.0, 1.0, 2.692, 0.831, 2.85, 24.993, 2713.0, 1.0, 1.0, 2.756, 1.0],
}


def committed() -> pd.DataFrame:
    import pyreadstat

    df, _meta = pyreadstat.read_sav(str(HLM.bundled_data))
    return df


def test_describe_matches_the_seed_notebook() -> None:
    described = committed().describe().round(4)
    assert list(described.columns) == COLUMNS
    expected = pd.DataFrame(SEED_DESCRIBE, index=COLUMNS).T
    pd.testing.assert_frame_equal(described, expected, check_exact=True)


def test_rebuilding_from_nlme_reproduces_the_committed_file() -> None:
    location = ROOT / "scripts" / "build_hsb12.py"
    spec = importlib.util.spec_from_file_location("build_hsb12", location)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pd.testing.assert_frame_equal(module.build(), committed(), check_exact=True)


def test_load_hsb_as_the_assignment_does(hsb: pd.DataFrame) -> None:
    assert hsb.shape == (7185, 13)
    # CONS is a constant; DISCLIM stays: it is in the file, and students may use it.
    assert "cons" not in hsb.columns and "disclim" in hsb.columns
    assert hsb.groupby("school")["disclim"].nunique().max() == 1  # a school-level variable
    assert hsb["school"].dtype.kind == "i" and hsb["school"].nunique() == 160


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"nothere\.sav does not exist"):
        load_data("hlm", tmp_path / "nothere.sav")


def test_file_that_is_not_spss(tmp_path: Path) -> None:
    fake = tmp_path / "hsb12.sav"
    fake.write_text("SCHOOL,STUDENT\n1224,1\n")
    with pytest.raises(DataError, match=r"could not be read as an SPSS \.sav file"):
        load_data("hlm", fake)


def test_sav_without_required_columns(tmp_path: Path) -> None:
    import pyreadstat

    partial = tmp_path / "partial.sav"
    pyreadstat.write_sav(committed().drop(columns=["MATHACH", "SIZE"]), str(partial))
    with pytest.raises(DataError, match=r"lacks column\(s\) mathach, size"):
        load_data("hlm", partial)


def test_unknown_variable_lists_the_available_ones(hsb: pd.DataFrame) -> None:
    available = "cses, disclim, female, himinty, meanses, minority, pracad, sector, ses, size"
    with pytest.raises(SpecError, match=rf"unknown variable\(s\) iq; available: {available}\."):
        parse_spec(make_spec("mathach ~ ses + iq + meanses"), hsb)


def test_final_model_needs_three_predictors(hsb: pd.DataFrame) -> None:
    with pytest.raises(SpecError, match=r"at least three predictors; found 2 \(ses, meanses\)"):
        parse_spec(make_spec("mathach ~ ses + meanses"), hsb)
    assert parse_spec(make_spec("mathach ~ ses + meanses"), hsb, require_final=False)


def test_final_model_needs_a_school_level_predictor(hsb: pd.DataFrame) -> None:
    with pytest.raises(SpecError, match="at least one school-level predictor"):
        parse_spec(make_spec("mathach ~ ses + minority + female"), hsb)


def test_no_random_slope_for_a_school_level_variable(hsb: pd.DataFrame) -> None:
    with pytest.raises(SpecError, match=r"random slope\(s\) for school-level variable\(s\) sector"):
        parse_spec(make_spec("mathach ~ ses + sector + minority", "~sector"), hsb)


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os').system('true')",
        "mathach ~ ses + I(ses ** 2) + meanses",
        "mathach ~ C(sector) + ses + meanses",
        "mathach ~ np.log(size) + ses + meanses",
        "mathach ~ ses; import os",
    ],
)
def test_code_like_formulas_are_rejected(hsb: pd.DataFrame, formula: str) -> None:
    # Rejected by the tokenizer, or (a call like C(x) tokenizes as a name) as an unknown variable.
    with pytest.raises(SpecError, match=r"unsupported part|must have the form|unknown variable"):
        parse_spec(make_spec(formula), hsb)


def test_code_like_random_formula_is_rejected() -> None:
    with pytest.raises(SpecError, match="unsupported part"):
        make_spec("mathach ~ ses", "~ses | school")
