"""The hidden-data copy: same shape and structure, and every graded quantity moves far enough.

The issue's promise is that on the copy "every graded quantity moves by more than five times its
tolerance", so that a typed-in number cannot pass by being close. The tolerances are read from the
assignment's grading.toml, the file instructors edit, so tightening or loosening one is tested too.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reference import load_data
from reference.data.files import read_raw, tidy
from reference.data.perturb import perturb, probe_failure, vetted_copy, write_perturbed
from reference.model.spec import make_spec
from reference.quantities import ReferenceSolution, solve
from tests.hlm import HLM

GRADING = Path(__file__).parents[2] / "assignments" / "hlm" / "grading.toml"
MARGIN = 5.0

# Models students choose: the seed's (random minority slope), Raudenbush & Bryk's cross-level model
# (random cses slope), a random-intercept model with one level-1 predictor, and one with `size`.
MODELS = {
    "seed": ("mathach ~ ses + meanses + pracad + minority + female", "~ minority"),
    "r&b": ("mathach ~ meanses + sector + cses + cses:meanses + cses:sector", "~ cses"),
    "female": ("mathach ~ female + sector + pracad + meanses", "1"),
    "size": ("mathach ~ minority + size + himinty + ses", "1"),
}
QUANTITIES = ("icc", "aic_change", "residual_variance_change", "forecast")


def tolerance(part: str) -> float:
    """The absolute tolerance of a part at a typical value (atol + rtol·|value|, rtol unused)."""
    table = tomllib.loads(GRADING.read_text(encoding="utf-8"))["parts"][part]
    return float(table.get("atol", 0.0))


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return read_raw(HLM.dataset)


def test_the_copy_keeps_shape_types_and_every_column_but_mathach(raw: pd.DataFrame) -> None:
    copy = perturb(raw, HLM.dataset, seed=11)
    assert copy.shape == raw.shape and list(copy.columns) == list(raw.columns)
    assert (copy.dtypes == raw.dtypes).all()
    pd.testing.assert_frame_equal(copy.drop(columns="MATHACH"), raw.drop(columns="MATHACH"))
    assert copy["MATHACH"].notna().all()
    assert np.allclose(copy["MATHACH"], copy["MATHACH"].round(3))  # 3 decimals, as in the file
    moved = (copy["MATHACH"] - raw["MATHACH"]).abs()
    assert (moved > 0).mean() > 0.99


def test_a_seed_gives_the_same_copy_and_another_seed_another(raw: pd.DataFrame) -> None:
    first, again, other = (
        perturb(raw, HLM.dataset, 3),
        perturb(raw, HLM.dataset, 3),
        perturb(raw, HLM.dataset, 4),
    )
    pd.testing.assert_frame_equal(first, again)
    assert (first["MATHACH"] != other["MATHACH"]).mean() > 0.99


def test_a_copy_reads_as_the_assignment_loads_it(raw: pd.DataFrame) -> None:
    copy, real = tidy(perturb(raw, HLM.dataset, seed=5), HLM.dataset), load_data("hlm")
    assert copy.shape == real.shape == (7185, 13)
    assert copy["school"].nunique() == 160
    # School-level variables stay constant within schools on the copy.
    assert (
        (copy.groupby("school")[["meanses", "sector", "pracad", "size"]].nunique() == 1).all().all()
    )
    assert not np.allclose(copy["mathach"], real["mathach"])


def test_statsmodels_default_fit_reaches_every_probe_optimum_on_the_real_file(
    raw: pd.DataFrame,
) -> None:
    # The premise of vetting: students fitting these with plain .fit() lose nothing on the real file.
    assert probe_failure(raw, HLM.dataset) is None


@pytest.mark.slow
def test_the_written_copy_is_a_vetted_one(tmp_path: Path, raw: pd.DataFrame) -> None:
    # Seed 1's first candidate trips statsmodels' default fit (4 units short on a probe); the
    # second does not, and that is the one written.
    assert probe_failure(perturb(raw, HLM.dataset, 1), HLM.dataset) is not None
    copy, attempt = vetted_copy(raw, HLM.dataset, 1)
    assert attempt >= 1 and probe_failure(copy, HLM.dataset) is None
    written = read_raw(HLM.dataset, write_perturbed(tmp_path / "hsb12.sav", 1, HLM.dataset))
    np.testing.assert_allclose(written["MATHACH"], copy["MATHACH"])


@pytest.fixture(scope="module")
def solutions(raw: pd.DataFrame) -> dict[str, list[ReferenceSolution]]:
    """Each model solved on the real file and on three candidate copies (vetted or not)."""
    copies = [
        tidy(perturb(raw, HLM.dataset, seed, attempt), HLM.dataset)
        for seed, attempt in ((1, 0), (2, 0), (7, 3))
    ]
    datasets = [load_data("hlm"), *copies]
    return {
        name: [solve(make_spec(*model), data, require_final=False) for data in datasets]
        for name, model in MODELS.items()
    }


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("quantity", QUANTITIES)
def test_every_graded_number_moves_by_more_than_five_tolerances(
    solutions: dict[str, list[ReferenceSolution]], model: str, quantity: str
) -> None:
    real, *copies = solutions[model]
    for copy in copies:
        moved = abs(getattr(copy, quantity) - getattr(real, quantity))
        assert moved > MARGIN * tolerance(quantity), (model, quantity, moved)


@pytest.mark.parametrize("model", MODELS)
def test_every_fixed_effect_moves_by_more_than_five_tolerances(
    solutions: dict[str, list[ReferenceSolution]], model: str
) -> None:
    real, *copies = solutions[model]
    for copy in copies:
        for term, value in real.final.fe_params.items():
            if term == "size":
                continue  # per student: its whole estimate (~0.0004) is inside ±0.01, see below
            moved = abs(copy.final.fe_params[term] - value)
            assert moved > MARGIN * tolerance("fixed_estimates"), (model, term, moved)


def test_the_size_coefficient_is_within_tolerance_of_zero_anyway(
    solutions: dict[str, list[ReferenceSolution]],
) -> None:
    # Why `size` is exempt above: with ±0.01 even 0 passes, on the real file and on any copy, so
    # no perturbation of a plausible size could make a typed-in value fail. Documented limitation.
    for solution in solutions["size"]:
        assert abs(solution.final.fe_params["size"]) < tolerance("fixed_estimates")
