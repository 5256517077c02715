"""R&B's three-level letters for two levels, read as the standard notation (by hand)."""

from __future__ import annotations

import sympy

from grader.answers.pi_notation import from_pi, uses_pi
from reference.equations.symbols import beta, gamma, r, u, w, x

Y = sympy.Symbol("mathach_ij")


def test_a_level1_equation_with_pi_coefficients_is_the_pi_notation():
    level1 = sympy.Eq(
        Y, sympy.Symbol("pi_0j") + sympy.Symbol("π_1j") * x("ses") + sympy.Symbol("e_ij")
    )
    assert uses_pi([level1], "mathach")


def test_standard_equations_are_not_the_pi_notation():
    level1 = sympy.Eq(Y, beta(0) + beta(1) * x("ses") + r)
    combined = sympy.Eq(Y, gamma(0, 0) + gamma(1, 0) * x("ses") + u(0) + r)
    assert not uses_pi([level1, combined], "mathach")
    # π in an equation of something else (π0j = …) says nothing about the level-1 letters
    assert not uses_pi([sympy.Eq(sympy.Symbol("pi_0j"), gamma(0, 0))], "mathach")


def test_every_letter_is_renamed():
    combined = sympy.Eq(
        Y,
        sympy.Symbol("beta_00") + sympy.Symbol("beta_01") * w("meanses")
        + sympy.Symbol("beta_{1,10}") * x("ses") + sympy.Symbol("r_0j")
        + sympy.Symbol("r_{2j}") * x("minority") + sympy.Symbol("\\varepsilon_{ij}"),
    )  # fmt: skip
    expected = sympy.Eq(Y, gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(1, 10) * x("ses")
                        + u(0) + u(2) * x("minority") + r)  # fmt: skip
    assert from_pi(combined) == expected
    level2 = sympy.Eq(sympy.Symbol("π₂ⱼ"), sympy.Symbol("β₂₀") + sympy.Symbol("r₂ⱼ"))
    assert from_pi(level2) == sympy.Eq(beta(2), gamma(2, 0) + u(2))


def test_variables_are_left_alone():
    equation = sympy.Eq(Y, sympy.Symbol("pracad_j") + sympy.Symbol("ses_ij") + sympy.Symbol("r_ij"))
    assert from_pi(equation) == equation
