"""Tying a student's design to the data by its values, for every way a student builds the model.

Each design here is the design of a real statsmodels model built the way students build it; the
tied spec is then fitted by the reference and compared with lme4 1.1.31 (``scripts/lme4_truth.txt``,
the best of three optimizers), never with numbers from the code under test.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from reference.fitting.cache import cached_fit
from reference.model.tie import Component, StudentDesign, tie_design
from reference.quantities import forecast_from
from tests.hlm import FORECAST_PROFILE

# lme4 (scripts/lme4_truth.txt): the seed's model, and models of variables derived by hand.
SEED_LLF, SEED_PRACAD, SEED_SCALE = -23139.4984, 4.385775619, 35.68693874
CENTRED = {"llf": -23269.0715, "ses_c": 2.194972149, "mean_ses": 5.245389792, "tau11": 0.6849191947}
SQUARE = {"llf": -23195.1478, "ses": 1.96644274, "ses2": -0.007442558375, "scale": 36.12961093}
LOG = {"llf": -23191.0496, "log_size": 0.6874631748, "sector": 2.662208361}
NOT_SECTOR = {"llf": -23274.1586, "not_sector": -1.224792613, "intercept": 13.33419283}
SES_INTERCEPT = {"llf": -23320.5023, "ses": 2.391499725, "tau00": 4.728509198}
# lme4: mathach ~ cses + meanses + sector + (1 | school) + (0 + cses | school), ML, bobyqa.
INDEPENDENT = {"llf": -23269.47225, "tau11": 0.6765092973, "aic": 46552.94451}


def design_of(model: object, *, reml: bool = False) -> StudentDesign:
    """What the kernel reports of a statsmodels MixedLM: its arrays, names and groups."""
    m = model
    groups = pd.factorize(np.asarray(m.groups))[0].astype(float)  # type: ignore[attr-defined]
    exog_re = m.exog_re if m.exog_re is not None else np.zeros((len(m.endog), 0))  # type: ignore[attr-defined]
    names_re = tuple(m.data.exog_re_names or ())  # type: ignore[attr-defined]
    return StudentDesign(
        endog=np.asarray(m.endog, dtype=float),  # type: ignore[attr-defined]
        exog=np.asarray(m.exog, dtype=float),  # type: ignore[attr-defined]
        exog_names=tuple(m.exog_names),  # type: ignore[attr-defined]
        exog_re=np.asarray(exog_re, dtype=float),
        exog_re_names=names_re,
        groups=groups,
        vc=_components(m),
        reml=reml,
    )


def _components(m: object) -> tuple[Component, ...]:
    spec = getattr(m, "exog_vc", None)
    if not getattr(m, "k_vc", 0) or spec is None:
        return ()
    out = []
    for k, name in enumerate(spec.names):
        codes = np.zeros(len(m.endog))  # type: ignore[attr-defined]
        for g, label in enumerate(m.group_labels):  # type: ignore[attr-defined]
            rows = m.row_indices[label]  # type: ignore[attr-defined]
            codes[rows] = np.argmax(spec.mats[k][g], axis=1)
        out.append(Component(name, "partition", codes))
    return tuple(out)


def mixedlm(formula: str, data: pd.DataFrame, **kwargs: object) -> object:
    import statsmodels.formula.api as smf

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return smf.mixedlm(formula, data, **kwargs)


def fit(tie_spec: object, hsb: pd.DataFrame) -> object:
    return cached_fit(tie_spec, hsb)  # type: ignore[arg-type]


def test_the_seed_model_in_capitals_with_groups_by_name(hsb: pd.DataFrame) -> None:
    upper = hsb.rename(columns=str.upper)
    model = mixedlm("MATHACH ~ SES + MEANSES + PRACAD + MINORITY + FEMALE", upper,
                    groups="SCHOOL", re_formula="~MINORITY")  # fmt: skip
    tie = tie_design(design_of(model), hsb)
    assert tie.problem is None and tie.spec is not None
    assert tie.spec.formula == "mathach ~ ses + meanses + pracad + minority + female"
    assert tie.spec.re_formula == "~minority"
    assert tie.fixed["PRACAD"] == "pracad" and tie.random == {
        "SCHOOL": "Intercept",
        "MINORITY": "minority",
    }
    result = fit(tie.spec, hsb)
    assert result.llf == pytest.approx(SEED_LLF, abs=1e-3)  # type: ignore[attr-defined]
    assert result.fe_params["pracad"] == pytest.approx(SEED_PRACAD, abs=1e-4)  # type: ignore[attr-defined]


def test_patsy_categorical_terms_are_the_data_columns(hsb: pd.DataFrame) -> None:
    model = mixedlm("mathach ~ C(minority) + C(female) + ses + pracad + meanses", hsb,
                    groups=hsb["school"], re_formula="~minority")  # fmt: skip
    tie = tie_design(design_of(model), hsb)
    assert tie.fixed["C(minority)[T.1.0]"] == "minority" and not tie.spec.derived  # type: ignore[union-attr]
    assert fit(tie.spec, hsb).llf == pytest.approx(SEED_LLF, abs=1e-3)  # type: ignore[attr-defined]
    assert "`C(minority)[T.1.0]` is minority" in tie.read


def test_the_array_api_with_bare_arrays(hsb: pd.DataFrame) -> None:
    import statsmodels.api as sm

    columns = ["ses", "meanses", "pracad", "minority", "female"]
    exog = sm.add_constant(hsb[columns].to_numpy())
    exog_re = sm.add_constant(hsb[["minority"]].to_numpy())
    model = sm.MixedLM(hsb["mathach"].to_numpy(), exog, groups=hsb["school"].to_numpy(),
                       exog_re=exog_re)  # fmt: skip
    tie = tie_design(design_of(model), hsb)
    assert tie.fixed == {"const": "Intercept", "x1": "ses", "x2": "meanses", "x3": "pracad",
                         "x4": "minority", "x5": "female"}  # fmt: skip
    assert fit(tie.spec, hsb).llf == pytest.approx(SEED_LLF, abs=1e-3)  # type: ignore[attr-defined]


def test_ses_centred_by_hand_is_a_derived_variable_fitted_exactly(hsb: pd.DataFrame) -> None:
    df = hsb.copy()
    df["ses_c"] = df["ses"] - df.groupby("school")["ses"].transform("mean")
    df["mean_ses"] = df.groupby("school")["ses"].transform("mean")
    model = mixedlm("mathach ~ ses_c + mean_ses + sector", df, groups="school", re_formula="~ses_c")
    tie = tie_design(design_of(model), hsb)
    assert [(d.name, d.expr.text()) for d in tie.spec.derived] == [  # type: ignore[union-attr]
        ("ses_c", "centre(ses)"),
        ("mean_ses", "mean(ses)"),
    ]
    assert dict(tie.spec.aliases) == {
        "cses": "ses_c",
        "meanses": "mean_ses",
        "ses_mean": "mean_ses",
    }  # type: ignore[union-attr]
    result = fit(tie.spec, hsb)
    assert result.llf == pytest.approx(CENTRED["llf"], abs=1e-3)  # type: ignore[attr-defined]
    assert result.fe_params["ses_c"] == pytest.approx(CENTRED["ses_c"], abs=1e-4)  # type: ignore[attr-defined]
    assert result.cov_re[1][1] == pytest.approx(CENTRED["tau11"], rel=1e-3)  # type: ignore[attr-defined]
    # At the forecast's student: a school mean of ses is meanses, ses centred is ses - meanses.
    fe = {"Intercept": 1.0, "ses_c": 10.0, "mean_ses": 100.0, "sector": 0.0}
    value = forecast_from(fe, FORECAST_PROFILE, tie.spec.derived)  # type: ignore[union-attr]
    assert value == pytest.approx(1.0 + 10 * 0.4 + 100 * -0.4)


def test_ses_minus_meanses_by_hand_is_the_data_cses(hsb: pd.DataFrame) -> None:
    df = hsb.copy()
    df["SES_C"] = df["ses"] - df["meanses"]  # equal to cses: both columns have 3 decimals
    model = mixedlm("mathach ~ SES_C + meanses", df, groups="school")
    tie = tie_design(design_of(model), hsb)
    assert tie.fixed["SES_C"] == "cses" and dict(tie.spec.aliases) == {"ses_c": "cses"}  # type: ignore[union-attr]


def test_square_log_and_reversed_dummy(hsb: pd.DataFrame) -> None:
    square = tie_design(design_of(mixedlm("mathach ~ ses + I(ses**2) + meanses + minority", hsb,
                                           groups="school")), hsb)  # fmt: skip
    result = fit(square.spec, hsb)
    assert result.llf == pytest.approx(SQUARE["llf"], abs=1e-3)  # type: ignore[attr-defined]
    name = square.fixed["I(ses ** 2)"]
    assert result.fe_params[name] == pytest.approx(SQUARE["ses2"], abs=1e-5)  # type: ignore[attr-defined]
    log = tie_design(design_of(mixedlm("mathach ~ minority + ses + np.log(size) + sector", hsb,
                                        groups="school")), hsb)  # fmt: skip
    result = fit(log.spec, hsb)
    assert result.llf == pytest.approx(LOG["llf"], abs=1e-3)  # type: ignore[attr-defined]
    assert result.fe_params[log.fixed["np.log(size)"]] == pytest.approx(LOG["log_size"], abs=1e-4)  # type: ignore[attr-defined]
    flipped = tie_design(design_of(mixedlm("mathach ~ ses + C(sector, Treatment(1)) + meanses",
                                           hsb, groups="school")), hsb)  # fmt: skip
    result = fit(flipped.spec, hsb)
    name = flipped.fixed["C(sector, Treatment(1))[T.0.0]"]
    assert result.fe_params[name] == pytest.approx(NOT_SECTOR["not_sector"], abs=1e-4)  # type: ignore[attr-defined]
    assert result.fe_params["Intercept"] == pytest.approx(NOT_SECTOR["intercept"], abs=1e-4)  # type: ignore[attr-defined]


def test_vc_formula_with_one_group_is_a_random_school_intercept(hsb: pd.DataFrame) -> None:
    df = hsb.assign(one=1)
    model = mixedlm("mathach ~ ses", df, groups="one", vc_formula={"school": "0 + C(school)"})
    tie = tie_design(design_of(model), hsb)
    assert tie.spec.re_formula == "1" and tie.random == {"school": "Intercept"}  # type: ignore[union-attr]
    result = fit(tie.spec, hsb)
    assert result.llf == pytest.approx(SES_INTERCEPT["llf"], abs=1e-3)  # type: ignore[attr-defined]
    assert result.tau00 == pytest.approx(SES_INTERCEPT["tau00"], rel=1e-4)  # type: ignore[attr-defined]


def test_reordered_rows_are_matched(hsb: pd.DataFrame) -> None:
    shuffled = hsb.sample(frac=1.0, random_state=3).reset_index(drop=True)
    model = mixedlm("mathach ~ ses + meanses + pracad + minority + female", shuffled,
                    groups="school", re_formula="~minority")  # fmt: skip
    tie = tie_design(design_of(model), hsb)
    assert tie.problem is None
    assert fit(tie.spec, hsb).llf == pytest.approx(SEED_LLF, abs=1e-3)  # type: ignore[attr-defined]


def test_what_cannot_be_tied_says_why(hsb: pd.DataFrame) -> None:
    by_sector = tie_design(design_of(mixedlm("mathach ~ ses", hsb, groups="sector")), hsb)
    assert by_sector.spec is None and "not the schools" in (by_sector.problem or "")
    fewer = hsb.iloc[:-10]
    short = tie_design(design_of(mixedlm("mathach ~ ses", fewer, groups="school")), hsb)
    assert "7175 rows" in (short.problem or "")


def test_a_column_that_matches_nothing_is_fitted_as_given(hsb: pd.DataFrame) -> None:
    """Judged on its own fit: the model is still the student's, exactly, but has no forecast."""
    from reference.errors import SpecError
    from reference.fitting.robust import robust_fit

    noisy = hsb.assign(noise=np.random.default_rng(1).normal(size=len(hsb)))
    model = mixedlm("mathach ~ ses + noise + meanses", noisy, groups="school")
    tie = tie_design(design_of(model), hsb)
    assert tie.spec is not None and tie.fixed["noise"] == "noise"
    assert "`noise` matches no column of the data" in " ".join(tie.read)
    # The same model fitted on the data with the column added by hand, by the reference's own
    # likelihood: the tie must reproduce it exactly (lme4 cannot see this random column).
    plain = robust_fit(tie.spec.__class__("mathach ~ ses + noise + meanses"), noisy)
    assert fit(tie.spec, hsb).llf == pytest.approx(plain.llf, abs=1e-6)  # type: ignore[attr-defined]
    with pytest.raises(SpecError, match="no value at the forecast profile"):
        forecast_from({"noise": 1.0}, FORECAST_PROFILE, tie.spec.derived)


def test_a_singular_optimum_is_on_the_boundary() -> None:
    """lme4's T for the two-slope model is singular (theta[6] = 0); the seed model's is not."""
    from reference.fitting.random_effects import on_boundary

    assert on_boundary(_fit_with(((1.840796722, -0.07018869112, 0.174815287),
                                  (-0.07018869112, 1.42346814, -0.8102424714),
                                  (0.174815287, -0.8102424714, 0.471091752))))  # fmt: skip
    assert not on_boundary(_fit_with(((1.378727572, 0.05253387235),
                                      (0.05253387235, 1.673468526))))  # fmt: skip


def _fit_with(t: tuple[tuple[float, ...], ...]) -> object:
    from reference.fitting.result import FitResult
    from reference.model.spec import ModelSpec

    return FitResult(ModelSpec("mathach ~ 1"), {}, {}, (), t, (), 1.0, 0.0, 0.0, "", 0, 0)


def test_vc_formula_slopes_are_independent_random_effects(hsb: pd.DataFrame) -> None:
    """``groups="school", re_formula="1", vc_formula={"cses": "0 + cses"}`` is lme4's
    ``(1 | school) + (0 + cses | school)``: lme4 (scripts/lme4_truth.txt, independent_cses)."""
    model = mixedlm("mathach ~ cses + meanses + sector", hsb, groups="school", re_formula="1",
                    vc_formula={"cses": "0 + cses"})  # fmt: skip
    design = design_of(model)
    stitched = np.zeros(len(hsb))
    for g, label in enumerate(model.group_labels):  # type: ignore[attr-defined]
        stitched[model.row_indices[label]] = model.exog_vc.mats[0][g][:, 0]  # type: ignore[attr-defined]
    design = StudentDesign(design.endog, design.exog, design.exog_names, design.exog_re,
                           design.exog_re_names, design.groups,
                           (Component("cses", "column", stitched),))  # fmt: skip
    tie = tie_design(design, hsb)
    assert tie.spec is not None and tie.spec.independent == ("cses",)
    result = fit(tie.spec, hsb)
    assert result.llf == pytest.approx(INDEPENDENT["llf"], abs=1e-3)  # type: ignore[attr-defined]
    assert result.cov_re[0][1] == 0.0  # type: ignore[attr-defined]
    assert result.cov_re[1][1] == pytest.approx(INDEPENDENT["tau11"], rel=1e-3)  # type: ignore[attr-defined]
    assert result.aic == pytest.approx(INDEPENDENT["aic"], abs=1e-2)  # type: ignore[attr-defined]


def test_a_product_the_student_named_is_their_variable_and_patsys_is_an_interaction(
    hsb: pd.DataFrame,
) -> None:
    from reference.equations.model import model_equations
    from reference.model.spec import parse_spec

    df = hsb.assign(ses_cath=hsb["ses"] * hsb["sector"])
    named = tie_design(design_of(mixedlm("mathach ~ ses + sector + ses_cath + meanses", df,
                                         groups="school")), hsb)  # fmt: skip
    patsy = tie_design(design_of(mixedlm("mathach ~ ses * sector + meanses", hsb,
                                         groups="school")), hsb)  # fmt: skip
    assert fit(named.spec, hsb).llf == pytest.approx(fit(patsy.spec, hsb).llf, abs=1e-6)  # type: ignore[attr-defined]
    text = str(model_equations(parse_spec(named.spec, hsb)).combined)  # type: ignore[arg-type]
    assert "ses_cath_ij" in text
    text = str(model_equations(parse_spec(patsy.spec, hsb)).combined)  # type: ignore[arg-type]
    assert "sector_j·ses_ij" in text


def test_patsy_centring_is_read_as_the_column_in_equations(hsb: pd.DataFrame) -> None:
    tie = tie_design(design_of(mixedlm("mathach ~ center(ses) + meanses", hsb, groups="school")),
                     hsb)  # fmt: skip
    assert tie.spec is not None and dict(tie.spec.aliases)["ses"] == "ses_centred"
    assert "`center(ses)` is ses - 0.0001434, called ses_centred here" in tie.read


def test_labelled_categories_are_named_by_their_label_and_read_as_variables(
    hsb: pd.DataFrame,
) -> None:
    """pyreadstat's ``apply_value_formats=True`` gives SECTOR as 'Public'/'Catholic': patsy's
    ``C(sector)[T.Public]`` is 1 − sector (lme4's not_sector model), called `public` as the
    student's equations call it (``γ01·Public_j``), a name that reads as a school-level variable."""
    from reference.equations.symbols import read_symbol

    labelled = hsb.assign(sector=np.where(hsb["sector"] == 1, "Catholic", "Public"))
    tied = tie_design(design_of(mixedlm("mathach ~ ses + C(sector) + meanses", labelled,
                                        groups="school")), hsb)  # fmt: skip
    name = tied.fixed["C(sector)[T.Public]"]
    assert name == "public"
    result = fit(tied.spec, hsb)
    assert result.fe_params[name] == pytest.approx(NOT_SECTOR["not_sector"], abs=1e-4)  # type: ignore[attr-defined]
    assert read_symbol(f"{name}_j").kind == "variable"
    unnamed = tie_design(design_of(mixedlm("mathach ~ ses + I(sector == 0) + meanses", hsb,
                                           groups="school")), hsb)  # fmt: skip
    made_up = unnamed.fixed["I(sector == 0)[T.True]"]
    assert read_symbol(f"{made_up}_j").kind == "variable", made_up
