"""Comparing students' equations with the model's: one hand-written mistake per test."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pandas as pd
import pytest
import sympy
from sympy import Symbol as S

from reference.compare.equations import (
    compare_combined,
    compare_estimates,
    compare_level1,
    compare_level2,
)
from reference.compare.findings import KINDS, Comparison, Finding
from reference.equations.estimates import EstimatedEquations, estimate_equations
from reference.equations.model import ModelEquations, model_equations
from reference.equations.serialize import from_tree, to_tree
from reference.model.spec import make_spec, parse_spec
from reference.notation import Eq, beta, gamma, r, u, w, x, y
from tests.hlm import SEED_FINAL

# lme4 1.1-31 ML estimates of the seed model (DOMAIN.md), independent of our code.
SEED_LME4 = {
    "Intercept": 11.80175,
    "ses": 1.88795,
    "meanses": 1.13019,
    "pracad": 4.38578,
    "minority": -2.94470,
    "female": -1.23279,
}


#: The HSB assignment's sentences for findings (its messages.toml), read as data.
FINDINGS = tomllib.loads(
    (Path(__file__).parents[2] / "assignments" / "hlm" / "messages.toml").read_text("utf-8")
)["findings"]


def said(finding: Finding) -> str:
    """A finding in the HSB assignment's words."""
    return finding.render(FINDINGS)


@pytest.fixture(scope="module")
def seed(hsb: pd.DataFrame) -> ModelEquations:
    return model_equations(parse_spec(SEED_FINAL, hsb))


@pytest.fixture(scope="module")
def cross(hsb: pd.DataFrame) -> ModelEquations:
    formula = "mathach ~ meanses + sector + cses + cses:meanses + cses:sector"
    return model_equations(parse_spec(make_spec(formula, "~cses"), hsb, require_final=False))


@pytest.fixture(scope="module")
def seed_estimates(seed: ModelEquations) -> EstimatedEquations:
    t = [[1.37873, 0.05253], [0.05253, 1.67347]]
    return estimate_equations(seed, SEED_LME4, t, ["Group", "minority"], 35.68694)


def kinds(result: Comparison) -> list[str]:
    return [f.kind for f in result.findings]


def only(result: Comparison, kind: str) -> Finding:
    found = [f for f in result.findings if f.kind == kind]
    assert len(found) == 1, result.findings
    return found[0]


LEVEL1 = Eq(y, beta(0) + beta(1) * x("minority") + beta(2) * x("female") + beta(3) * x("ses") + r)
LEVEL2 = [
    Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("pracad") + u(0)),
    Eq(beta(1), gamma(1, 0) + u(1)),
    Eq(beta(2), gamma(2, 0)),
    Eq(beta(3), gamma(3, 0)),
]
FIXED = (
    gamma(0, 0)
    + gamma(0, 1) * w("meanses")
    + gamma(0, 2) * w("pracad")
    + gamma(1, 0) * x("minority")
    + gamma(2, 0) * x("female")
    + gamma(3, 0) * x("ses")
)
COMBINED = Eq(y, FIXED + u(0) + u(1) * x("minority") + r)


# --- level 1 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "student",
    [
        LEVEL1,
        Eq(beta(3) * x("ses") + r + beta(0) + beta(2) * x("female") + beta(1) * x("minority"), y),
        Eq(y - r, beta(0) + beta(1) * x("minority") + beta(2) * x("female") + beta(3) * x("ses")),
        LEVEL1.lhs - LEVEL1.rhs,  # "a − b = 0" written as an expression
        Eq(2 * y, 2 * LEVEL1.rhs),
    ],
)
def test_level1_equivalent_whatever_the_order_or_sides(
    seed: ModelEquations, student: sympy.Basic
) -> None:
    result = compare_level1(student, seed)
    assert result.equivalent and result.findings == ()


def test_level1_betas_numbered_differently_are_matched_by_variable(seed: ModelEquations) -> None:
    student = Eq(
        y, beta(0) + beta(1) * x("ses") + beta(2) * x("minority") + beta(3) * x("female") + r
    )
    result = compare_level1(student, seed)
    assert result.equivalent and result.findings == ()
    assert (beta(2), beta(1)) in result.matches and (beta(1), beta(3)) in result.matches


def test_level1_missing_term(seed: ModelEquations) -> None:
    result = compare_level1(Eq(y, beta(0) + beta(1) * x("minority") + beta(3) * x("ses") + r), seed)
    assert not result.equivalent
    finding = only(result, "missing_term")
    assert finding.expected == "β2j·female_ij" and finding.subject == "female_ij"


def test_level1_extra_term(seed: ModelEquations) -> None:
    result = compare_level1(Eq(y, LEVEL1.rhs + beta(4) * x("cses")), seed)
    assert kinds(result) == ["extra_term"] and only(result, "extra_term").found == "β4j·cses_ij"


def test_level1_school_level_variable(seed: ModelEquations) -> None:
    result = compare_level1(Eq(y, LEVEL1.rhs + beta(4) * w("meanses")), seed)
    assert kinds(result) == ["school_var_in_level1"]
    assert "meanses_j is a school-level variable" in said(result.findings[0])


def test_level1_missing_residual(seed: ModelEquations) -> None:
    result = compare_level1(Eq(y, LEVEL1.rhs - r), seed)
    assert kinds(result) == ["missing_residual"] and not result.equivalent


def test_level1_subscripts_are_notes_and_still_match(seed: ModelEquations) -> None:
    student = Eq(
        S("mathach_ij"),
        S("beta_{0j}")
        + S("β1j") * S("minority")
        + S("beta_2j") * w("female")
        + S("beta_3j") * S("ses_ij")
        + S("r_ij"),
    )
    result = compare_level1(student, seed)
    assert result.equivalent
    assert kinds(result) == ["wrong_subscript", "wrong_subscript"]
    assert {f.found for f in result.findings} == {"minority", "female_j"}
    assert only_message(result, "female_j") == (
        "Write female_ij instead of female_j: female is a student-level variable "
        "(it varies within a school)."
    )


def only_message(result: Comparison, found: str) -> str:
    return next(said(f) for f in result.findings if f.found == found)


def test_level1_intercept_index_on_a_slope_is_a_note(seed: ModelEquations) -> None:
    student = Eq(
        y, beta(1) + beta(0) * x("minority") + beta(2) * x("female") + beta(3) * x("ses") + r
    )
    result = compare_level1(student, seed)
    assert result.equivalent and kinds(result) == ["wrong_index", "wrong_index"]


def test_level1_one_beta_for_two_predictors(seed: ModelEquations) -> None:
    student = Eq(
        y, beta(0) + beta(1) * x("minority") + beta(1) * x("female") + beta(3) * x("ses") + r
    )
    result = compare_level1(student, seed)
    assert kinds(result) == ["duplicate_coefficient"]
    assert result.findings[0].found == "β1j·minority_ij, β1j·female_ij"


def test_level1_random_effects_and_gammas_do_not_belong(seed: ModelEquations) -> None:
    result = compare_level1(Eq(y, LEVEL1.rhs + u(0)), seed)
    assert kinds(result) == ["extra_term"]
    result = compare_level1(Eq(y, LEVEL1.rhs - beta(3) * x("ses") + gamma(3, 0) * x("ses")), seed)
    assert kinds(result) == ["wrong_coefficient", "missing_term"]


@pytest.mark.parametrize(
    ("student", "kind"),
    [
        (Eq(beta(0), gamma(0, 0)), "wrong_response"),
        (Eq(y, y * x("ses") + r), "not_an_equation"),
        (Eq(y, y + r), "not_an_equation"),
        ("mathach_ij = β0j + r_ij", "not_an_equation"),
        ([LEVEL1], "not_an_equation"),
    ],
)
def test_level1_unreadable(seed: ModelEquations, student: object, kind: str) -> None:
    result = compare_level1(student, seed)
    assert kinds(result) == [kind] and not result.equivalent


def test_unknown_symbols_are_reported_once(seed: ModelEquations) -> None:
    result = compare_level1(Eq(y, LEVEL1.rhs + S("mu_0j") + S("mu_0j") * x("ses")), seed)
    assert kinds(result) == ["unknown_symbol"] and result.findings[0].found == "mu_0j"


# --- level 2 -------------------------------------------------------------------------------------


def test_level2_equivalent_also_as_rebuilt_tree(seed: ModelEquations) -> None:
    shuffled = [LEVEL2[2], Eq(LEVEL2[0].rhs, LEVEL2[0].lhs), LEVEL2[3], LEVEL2[1]]
    for student in (LEVEL2, shuffled, from_tree(to_tree(LEVEL2))):
        result = compare_level2(student, seed)
        assert result.equivalent and result.findings == ()


def test_level2_follows_the_students_own_numbering(seed: ModelEquations) -> None:
    level1 = Eq(
        y, beta(0) + beta(1) * x("ses") + beta(2) * x("minority") + beta(3) * x("female") + r
    )
    level2 = [
        LEVEL2[0],
        Eq(beta(1), gamma(1, 0)),
        Eq(beta(2), gamma(2, 0) + u(2)),
        Eq(beta(3), gamma(3, 0)),
    ]
    assert compare_level2(level2, seed, level1=level1).equivalent
    without_level1 = compare_level2(level2, seed)
    assert sorted(kinds(without_level1)) == ["missing_random", "random_on_fixed"]


def test_level2_missing_random_effect_on_a_random_slope(seed: ModelEquations) -> None:
    result = compare_level2([*LEVEL2[:1], Eq(beta(1), gamma(1, 0)), *LEVEL2[2:]], seed)
    finding = only(result, "missing_random")
    assert said(finding) == (
        "The random effect u1j is missing: the model lets the effect of minority_ij vary "
        "between schools."
    )


def test_level2_random_effect_on_a_fixed_slope(seed: ModelEquations) -> None:
    result = compare_level2([*LEVEL2[:2], Eq(beta(2), gamma(2, 0) + u(2)), LEVEL2[3]], seed)
    assert kinds(result) == ["random_on_fixed"] and result.findings[0].subject == "female_ij"


def test_level2_wrong_number_of_equations(seed: ModelEquations) -> None:
    result = compare_level2(LEVEL2[:3], seed)
    assert kinds(result) == ["missing_level2", "level2_count"]
    assert only(result, "missing_level2").expected == "β3j = γ30"
    assert said(only(result, "level2_count")).startswith("Found 3 level-2 equation(s)")


def test_level2_equation_for_a_beta_not_in_level1(seed: ModelEquations) -> None:
    result = compare_level2([*LEVEL2, Eq(beta(4), gamma(4, 0))], seed, level1=LEVEL1)
    assert kinds(result) == ["level2_unknown_beta", "level2_count"]
    assert result.findings[0].subject == "β4j"


def test_level2_two_equations_for_one_beta(seed: ModelEquations) -> None:
    result = compare_level2([*LEVEL2, LEVEL2[3]], seed)
    assert kinds(result) == ["duplicate_equation", "level2_count"]


def test_level2_student_level_variable(seed: ModelEquations) -> None:
    result = compare_level2(
        [LEVEL2[0], Eq(beta(1), gamma(1, 0) + gamma(1, 1) * x("female") + u(1)), *LEVEL2[2:]], seed
    )
    assert kinds(result) == ["student_var_in_level2"]


def test_level2_intercept_random_effect_reused_on_a_slope(seed: ModelEquations) -> None:
    result = compare_level2([LEVEL2[0], Eq(beta(1), gamma(1, 0) + u(0)), *LEVEL2[2:]], seed)
    assert kinds(result) == ["wrong_index", "duplicate_coefficient"]
    assert not result.equivalent


def test_level2_gamma_index_not_the_betas_is_a_note(seed: ModelEquations) -> None:
    result = compare_level2([LEVEL2[0], Eq(beta(1), gamma(5, 0) + u(1)), *LEVEL2[2:]], seed)
    assert result.equivalent and kinds(result) == ["wrong_index"]


def test_level2_seed_students_equation_for_u(seed: ModelEquations) -> None:
    # The seed student's "u_0j = γ00 + γ01·minority + μ0j".
    student = [Eq(S("u_0j"), S("gamma_00") + S("gamma_01") * S("minority") + S("mu_0j"))]
    result = compare_level2(student, seed)
    assert "wrong_response" in kinds(result) and "unknown_symbol" in kinds(result)
    assert kinds(result).count("missing_level2") == 4


def test_level2_cross_level_term_missing(cross: ModelEquations) -> None:
    level2 = [
        Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector") + u(0)),
        Eq(beta(1), gamma(1, 0) + gamma(1, 2) * w("sector") + u(1)),
    ]
    finding = only(compare_level2(level2, cross), "missing_term")
    assert finding.expected == "γ11·meanses_j" and finding.subject == "meanses_j·cses_ij"


# --- combined ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "student",
    [
        COMBINED,
        Eq(
            y, FIXED - gamma(1, 0) * x("minority") + (gamma(1, 0) + u(1)) * x("minority") + u(0) + r
        ),
        Eq(y - FIXED - r, u(0) + u(1) * x("minority")),
        Eq(y, LEVEL1.rhs.xreplace({e.lhs: e.rhs for e in LEVEL2})),
    ],
)
def test_combined_equivalent_whatever_the_form(seed: ModelEquations, student: sympy.Basic) -> None:
    result = compare_combined(student, seed)
    assert result.equivalent and result.findings == ()


def test_combined_seed_student_drops_the_random_slope(seed: ModelEquations) -> None:
    result = compare_combined(Eq(y, FIXED + u(0) + r), seed)
    assert kinds(result) == ["missing_random"] and not result.equivalent
    assert result.findings[0].expected == "u1j·minority_ij"


def test_combined_intercept_random_effect_on_a_slope(seed: ModelEquations) -> None:
    result = compare_combined(Eq(y, FIXED + u(1) + u(0) * x("minority") + r), seed)
    assert kinds(result) == ["wrong_index", "wrong_index"] and result.equivalent
    both = compare_combined(Eq(y, FIXED + u(0) + u(0) * x("minority") + r), seed)
    assert kinds(both) == ["wrong_index", "duplicate_coefficient"] and not both.equivalent


def test_combined_random_effect_on_a_fixed_slope(seed: ModelEquations) -> None:
    result = compare_combined(Eq(y, COMBINED.rhs + u(3) * x("ses")), seed)
    assert kinds(result) == ["random_on_fixed"] and result.findings[0].subject == "ses_ij"


def test_combined_with_betas_left_in(seed: ModelEquations) -> None:
    result = compare_combined(
        Eq(y, COMBINED.rhs - gamma(2, 0) * x("female") + beta(2) * x("female")), seed
    )
    assert kinds(result) == ["wrong_coefficient", "missing_term"]


def test_combined_variable_without_coefficient(seed: ModelEquations) -> None:
    result = compare_combined(Eq(y, COMBINED.rhs - gamma(3, 0) * x("ses") + x("ses")), seed)
    assert kinds(result) == ["missing_coefficient"]
    assert result.findings[0].expected == "γ30·ses_ij"


def test_combined_negative_coefficient_is_a_note(seed: ModelEquations) -> None:
    result = compare_combined(Eq(y, COMBINED.rhs - 2 * gamma(3, 0) * x("ses")), seed)
    assert result.equivalent and kinds(result) == ["sign"]


def test_combined_cross_level_model(cross: ModelEquations) -> None:
    assert compare_combined(cross.combined.sympy, cross).equivalent
    without = Eq(y, cross.combined.rhs - gamma(1, 2) * w("sector") * x("cses"))
    finding = only(compare_combined(without, cross), "missing_term")
    assert finding.expected == "γ12·sector_j·cses_ij"


# --- combined with estimates ---------------------------------------------------------------------

RANDOM = u(0) + u(1) * x("minority") + r


def test_estimates_rounded_to_three_or_two_decimals(
    seed_estimates: EstimatedEquations,
) -> None:
    three = compare_estimates(seed_estimates.combined.sympy, seed_estimates)
    assert three.equivalent and three.findings == ()
    values = {k: round(v, 2) for k, v in SEED_LME4.items()}
    two = Eq(
        y,
        values["Intercept"] + values["meanses"] * w("meanses") + values["pracad"] * w("pracad")
        + values["minority"] * x("minority") + values["female"] * x("female")
        + values["ses"] * x("ses") + RANDOM,
    )  # fmt: skip
    assert compare_estimates(two, seed_estimates).equivalent


def test_estimates_seed_students_answer(seed_estimates: EstimatedEquations) -> None:
    # Verbatim from the seed: statsmodels' non-optimal fit, school-level variables with ij,
    # and no u1j·minority_ij although minority has a random slope.
    student = Eq(
        S("mathach_ij"),
        11.945 + 1.878 * S("ses_ij") + 1.236 * S("meanses_ij") + 4.097 * S("pracad_ij")
        + -2.965 * S("minority_ij") + -1.231 * S("female_ij") + S("u_0j") + S("r_ij"),
    )  # fmt: skip
    result = compare_estimates(student, seed_estimates)
    assert not result.equivalent
    assert kinds(result) == ["wrong_subscript"] * 2 + ["wrong_estimate"] * 4 + ["missing_random"]
    wrong = {
        f.subject: (f.found, f.expected) for f in result.findings if f.kind == "wrong_estimate"
    }
    assert wrong == {
        "the intercept": ("11.945", "11.802"),
        "meanses_j": ("1.236", "1.130"),
        "pracad_j": ("4.097", "4.386"),
        "minority_ij": ("-2.965", "-2.945"),
    }


def test_estimates_tolerance_is_configurable(seed_estimates: EstimatedEquations) -> None:
    shifted = Eq(y, seed_estimates.combined.rhs + 0.05 * x("ses"))
    assert kinds(compare_estimates(shifted, seed_estimates)) == ["wrong_estimate"]
    assert compare_estimates(shifted, seed_estimates, atol=0.0, rtol=0.05).equivalent


def test_estimates_random_part_must_be_present(seed_estimates: EstimatedEquations) -> None:
    fixed_only = seed_estimates.combined.rhs - RANDOM
    result = compare_estimates(Eq(y, fixed_only), seed_estimates)
    assert kinds(result) == ["missing_random", "missing_random", "missing_residual"]


def test_estimates_gamma_left_as_symbol(seed_estimates: EstimatedEquations) -> None:
    student = Eq(
        y,
        seed_estimates.combined.rhs
        + 1.888 * x("ses")
        - gamma(3, 0) * x("ses")
        - 2 * 1.888 * x("ses"),
    )
    result = compare_estimates(student, seed_estimates)
    finding = only(result, "symbol_not_estimate")
    assert said(finding) == "Replace γ30 in -γ30·ses_ij by its estimate, 1.888."


def test_estimates_extra_and_missing_terms(seed_estimates: EstimatedEquations) -> None:
    student = Eq(y, seed_estimates.combined.rhs - 1.888 * x("ses") + 0.5 * x("cses"))
    assert kinds(compare_estimates(student, seed_estimates)) == ["missing_term", "extra_term"]


# --- data from the kernel ------------------------------------------------------------------------


def test_code_named_symbols_from_a_tree_are_inert(
    seed: ModelEquations, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a relative name keeps the symbol under 100 characters
    target = tmp_path / "pwned"
    name = "__import__('os').system('touch pwned')"
    tree = to_tree(Eq(y, LEVEL1.rhs + S(name) * x("ses")))
    result = compare_level1(from_tree(tree), seed)
    assert kinds(result) == ["unknown_symbol"] and result.findings[0].found == name
    [said(f) for f in result.findings]
    assert not target.exists()


def test_every_kind_has_a_message_and_messages_can_be_reworded() -> None:
    finding = Finding("missing_residual", "level-1 equation")
    assert said(finding) == "The level-1 residual r_ij is missing from the level-1 equation."
    assert finding.render({"missing_residual": "Add r_ij to your {subject}."}) == (
        "Add r_ij to your level-1 equation."
    )
    for kind in KINDS:
        said(Finding(kind, "s", "e", "f"))  # every template's fields exist


def test_the_largest_equation_from_tree_compares_in_seconds(seed: ModelEquations) -> None:
    names = ["minority_ij", "ses_ij", "female_ij", "cses_ij", "meanses_j"] * 2
    variables = {"op": "Add", "args": [{"op": "Symbol", "name": n} for n in names]}
    gammas = {"op": "Add", "args": [{"op": "Symbol", "name": f"gamma_{i:02d}"} for i in range(99)]}
    product = {"op": "Mul", "args": [variables, gammas]}  # 990 terms once multiplied out
    equation = from_tree({"op": "Eq", "args": [{"op": "Symbol", "name": "mathach_ij"}, product]})
    started = time.perf_counter()
    result = compare_combined(equation, seed)
    assert time.perf_counter() - started < 15 and not result.equivalent


def test_a_name_spelled_without_its_underscore_is_read_as_the_variable(hsb) -> None:
    from reference.model.derived import Derived, Expr, col

    centred = Derived("ses_c", Expr("centre", (col("ses"),)))
    spec = make_spec("mathach ~ ses_c + meanses", derived=(centred,))
    eqs = model_equations(parse_spec(spec, hsb, require_final=False))
    result = compare_level1(Eq(y, beta(0) + beta(1) * x("sesc") + r), eqs)
    assert result.equivalent and "spelling" in kinds(result)
    result = compare_level1(Eq(y, beta(0) + beta(1) * x("sesx") + r), eqs)
    assert not result.equivalent and "did you mean ses_c?" in " ".join(
        said(f) for f in result.findings
    )
