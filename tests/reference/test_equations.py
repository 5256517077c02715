"""Model equations in Raudenbush & Bryk notation: structure, numbering, rendering, estimates."""

from __future__ import annotations

import pandas as pd
import pytest
import sympy

from reference.equations.estimates import estimate_equations
from reference.equations.model import ModelEquations, model_equations
from reference.equations.symbols import beta, gamma, r, sigma2, tau, u, w, x
from reference.errors import EquationError
from reference.model.spec import make_spec, parse_spec
from reference.notation import y
from tests.hlm import SEED_FINAL

MODELS = {
    "random intercept": ("mathach ~ ses + meanses + pracad", "1"),
    "one random slope (seed)": (SEED_FINAL.formula, SEED_FINAL.re_formula),
    "two random slopes": ("mathach ~ minority + cses + meanses + sector", "~minority + cses"),
    "cross-level (R&B 4.5)": (
        "mathach ~ meanses + sector + cses + cses:meanses + cses:sector",
        "~cses",
    ),
    "size": ("mathach ~ ses + female + size", "~ses"),
    "level-1 product": ("mathach ~ ses + female + ses:female + meanses", "1"),
    "slope without intercept": ("mathach ~ meanses * cses + himinty", "~0 + cses"),
}

# DOMAIN.md's notation for the seed model, character for character.
SEED_LEVEL1 = "mathach_ij = β0j + β1j·minority_ij + β2j·female_ij + β3j·ses_ij + r_ij"
SEED_LEVEL2 = (
    "β0j = γ00 + γ01·meanses_j + γ02·pracad_j + u0j",
    "β1j = γ10 + u1j",
    "β2j = γ20",
    "β3j = γ30",
)
SEED_COMBINED = (
    "mathach_ij = γ00 + γ01·meanses_j + γ02·pracad_j + γ10·minority_ij + γ20·female_ij + "
    "γ30·ses_ij + u0j + u1j·minority_ij + r_ij"
)
# lme4 1.1-31, ML (DOMAIN.md): an independent source for the estimates.
SEED_LME4 = {
    "Intercept": 11.80175,
    "ses": 1.88795,
    "meanses": 1.13019,
    "pracad": 4.38578,
    "minority": -2.94470,
    "female": -1.23279,
}
SEED_T = [[1.37873, 0.05253], [0.05253, 1.67347]]
CROSS_LME4 = {
    "Intercept": 12.1136,
    "meanses": 5.3380,
    "sector": 1.2169,
    "cses": 2.9394,
    "meanses:cses": 1.0424,
    "sector:cses": -1.6439,
}
CROSS_T = [[2.3189, 0.1881], [0.1881, 0.0652]]


def equations_of(hsb: pd.DataFrame, name: str) -> ModelEquations:
    formula, re_formula = MODELS[name]
    return model_equations(parse_spec(make_spec(formula, re_formula), hsb, require_final=False))


@pytest.mark.parametrize("name", MODELS)
def test_combined_is_level2_substituted_into_level1(hsb: pd.DataFrame, name: str) -> None:
    eqs = equations_of(hsb, name)
    substituted = eqs.level1.rhs.xreplace({e.lhs: e.rhs for e in eqs.level2})
    assert sympy.expand(eqs.combined.rhs - substituted) == 0


@pytest.mark.parametrize("name", MODELS)
def test_one_level2_equation_per_beta_and_every_fixed_effect_once(
    hsb: pd.DataFrame, name: str
) -> None:
    eqs = equations_of(hsb, name)
    betas = [t[0] for t in eqs.level1.terms if t[0] != r]
    assert [e.lhs for e in eqs.level2] == betas
    fixed = [s for e in eqs.level2 for t in e.terms for s in t if str(s).startswith("gamma")]
    assert sorted(map(str, fixed)) == sorted(str(f.symbol) for f in eqs.fixed_effects)


def test_seed_model_prints_exactly_as_domain(hsb: pd.DataFrame) -> None:
    eqs = equations_of(hsb, "one random slope (seed)")
    assert eqs.level1.text() == SEED_LEVEL1
    assert tuple(e.text() for e in eqs.level2) == SEED_LEVEL2
    assert eqs.combined.text() == SEED_COMBINED
    level2 = [f"  {e}" for e in SEED_LEVEL2]
    lines = ["Level 1:", f"  {SEED_LEVEL1}", "Level 2:", *level2, "Combined:", f"  {SEED_COMBINED}"]
    assert str(eqs) == "\n".join(lines)


def test_cross_level_interactions_enter_the_slope_equation(hsb: pd.DataFrame) -> None:
    eqs = equations_of(hsb, "cross-level (R&B 4.5)")
    assert eqs.level1.text() == "mathach_ij = β0j + β1j·cses_ij + r_ij"
    assert [e.text() for e in eqs.level2] == [
        "β0j = γ00 + γ01·meanses_j + γ02·sector_j + u0j",
        "β1j = γ10 + γ11·meanses_j + γ12·sector_j + u1j",
    ]
    assert "γ11·meanses_j·cses_ij + γ12·sector_j·cses_ij" in eqs.combined.text()
    assert eqs.gamma_terms[gamma(1, 1)] == "cses:meanses"


def test_random_slopes_come_first_then_level1_predictors_alphabetically(
    hsb: pd.DataFrame,
) -> None:
    eqs = equations_of(hsb, "two random slopes")
    assert [c.variables for c in eqs.coefficients] == [(), ("minority",), ("cses",)]
    assert [c.random for c in eqs.coefficients] == [True, True, True]
    product = equations_of(hsb, "level-1 product")
    assert [c.variables for c in product.coefficients] == [
        (),
        ("female",),
        ("ses", "female"),
        ("ses",),
    ]


def test_school_level_predictor_goes_to_the_intercept(hsb: pd.DataFrame) -> None:
    eqs = equations_of(hsb, "size")
    assert eqs.level2[0].text() == "β0j = γ00 + γ01·size_j + u0j"
    assert "size" not in eqs.level1.text()


def test_without_random_intercept_beta0_has_no_u(hsb: pd.DataFrame) -> None:
    eqs = equations_of(hsb, "slope without intercept")
    assert eqs.level2[0].text() == "β0j = γ00 + γ01·meanses_j + γ02·himinty_j"
    assert eqs.level2[1].text() == "β1j = γ10 + γ11·meanses_j + u1j"
    assert [e.symbol for e in eqs.random_effects] == [u(1), r]


def test_effect_lists_name_variables_and_variance_components(hsb: pd.DataFrame) -> None:
    eqs = equations_of(hsb, "one random slope (seed)")
    assert [(str(f.symbol), f.term) for f in eqs.fixed_effects] == [
        ("gamma_00", "Intercept"),
        ("gamma_01", "meanses"),
        ("gamma_02", "pracad"),
        ("gamma_10", "minority"),
        ("gamma_20", "female"),
        ("gamma_30", "ses"),
    ]
    assert [(e.symbol, e.variables, e.variance) for e in eqs.random_effects] == [
        (u(0), (), tau(0, 0)),
        (u(1), (x("minority"),), tau(1, 1)),
        (r, (), sigma2),
    ]
    assert eqs.u_variables["u1j"] == "minority"


def test_latex_uses_textbook_subscripts(hsb: pd.DataFrame) -> None:
    eqs = equations_of(hsb, "one random slope (seed)")
    assert eqs.level1.latex() == (
        r"mathach_{ij} = \beta_{0j} + \beta_{1j} \cdot minority_{ij} + \beta_{2j} \cdot "
        r"female_{ij} + \beta_{3j} \cdot ses_{ij} + r_{ij}"
    )
    assert r"\gamma_{01} \cdot meanses_{j}" in eqs.level2[0].latex()
    assert eqs._repr_latex_().startswith("$$\\begin{aligned}")


def test_mathml_is_presentation_markup(hsb: pd.DataFrame) -> None:
    mathml = equations_of(hsb, "one random slope (seed)").mathml()
    assert mathml.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    assert "<msub><mi>&#946;</mi><mi>0j</mi></msub>" in mathml
    assert "<msub><mi>meanses</mi><mi>j</mi></msub>" in mathml
    assert mathml.count("<mtr>") == 6


def test_two_digit_indices_are_comma_separated() -> None:
    assert sympy.latex(gamma(1, 10)) == r"\gamma_{1,10}"
    assert sympy.latex(beta(10)) == r"\beta_{10,j}"
    assert sympy.latex(gamma(1, 0)) == r"\gamma_{10}"


def test_with_estimates_uses_fitted_values_rounded(hsb: pd.DataFrame) -> None:
    eqs = equations_of(hsb, "one random slope (seed)")
    est = estimate_equations(eqs, SEED_LME4, SEED_T, ["Group", "minority"], 35.68694)
    assert est.combined.text() == (
        "mathach_ij = 11.802 + 1.130·meanses_j + 4.386·pracad_j - 2.945·minority_ij - "
        "1.233·female_ij + 1.888·ses_ij + u0j + u1j·minority_ij + r_ij"
    )
    assert [e.text() for e in est.variance_components] == [
        "τ00 = 1.379",
        "τ11 = 1.673",
        "τ01 = 0.053",
        "σ² = 35.687",
    ]
    assert est.estimate(gamma(1, 0)) == pytest.approx(-2.94470)
    assert "- 2.945 \\cdot minority_{ij}" in est.latex()


def test_with_estimates_matches_interactions_by_factor_set(hsb: pd.DataFrame) -> None:
    eqs = equations_of(hsb, "cross-level (R&B 4.5)")
    est = estimate_equations(eqs, CROSS_LME4, CROSS_T, ["Group", "cses"], 36.7212, decimals=2)
    assert "1.04·meanses_j·cses_ij - 1.64·sector_j·cses_ij" in est.combined.text()
    assert est.variance_components[2].text() == "τ01 = 0.19"


def test_with_estimates_reports_what_is_missing(hsb: pd.DataFrame) -> None:
    eqs = equations_of(hsb, "one random slope (seed)")
    partial = {k: v for k, v in SEED_LME4.items() if k != "pracad"}
    with pytest.raises(EquationError, match="no estimate for the fixed effect 'pracad'"):
        estimate_equations(eqs, partial, SEED_T, ["Group", "minority"], 35.7)
    with pytest.raises(EquationError, match="2×2 covariance matrix"):
        estimate_equations(eqs, SEED_LME4, [[1.0]], ["Group"], 35.7)
    with pytest.raises(EquationError, match="does not have"):
        estimate_equations(eqs, SEED_LME4, SEED_T, ["Group", "female"], 35.7)
    with pytest.raises(EquationError, match="finite"):
        estimate_equations(eqs, SEED_LME4, SEED_T, ["Group", "minority"], float("nan"))


def test_with_estimates_accepts_pandas_objects(hsb: pd.DataFrame) -> None:
    eqs = equations_of(hsb, "one random slope (seed)")
    names = ["Group", "minority"]
    cov_re = pd.DataFrame(SEED_T, index=names, columns=names)
    est = estimate_equations(eqs, pd.Series(SEED_LME4), cov_re, list(cov_re.index), 35.68694)
    assert est.combined.text().startswith("mathach_ij = 11.802 + 1.130·meanses_j")


def test_symbols_are_plain_and_shared_with_the_notation_module() -> None:
    from reference import notation

    assert notation.beta(1) == beta(1) == sympy.Symbol("beta_1j")
    assert notation.w("meanses") == w("meanses") == sympy.Symbol("meanses_j")
    assert notation.y == y == sympy.Symbol("mathach_ij")
    assert beta(1).assumptions0 == sympy.Symbol("z").assumptions0
