"""Equations as students print them: plain text, ``_`` part of names, Unicode letters and signs."""

from __future__ import annotations

import sympy
from sympy import Float, Integer

from grader.answers.mathtext import read_math
from reference.compare.reading import read_equation


def S(name: str) -> sympy.Symbol:
    return sympy.Symbol(name)


def plain(text: str) -> list[sympy.Equality]:
    reading = read_math(text, syntax="plain")
    assert reading.error is None, reading.error
    return [found.equation for found in reading.equations]


def test_the_seed_printed_combined_model_exactly():
    line = (
        "mathach_ij = 11.945 + 1.878*ses_ij + 1.236*meanses_ij + 4.097*pracad_ij"
        " + -2.965*minority_ij + -1.231*female_ij + u_0j + r_ij"
    )
    (found,) = plain(line)
    rhs = (
        Float(11.945)
        + Float(1.878) * S("ses_ij")
        + Float(1.236) * S("meanses_ij")
        + Float(4.097) * S("pracad_ij")
        + Float(-2.965) * S("minority_ij")
        + Float(-1.231) * S("female_ij")
        + S("u_0j")
        + S("r_ij")
    )
    assert found.lhs == S("mathach_ij") and found.rhs == rhs
    assert read_math(line, syntax="plain").equations[0].source == line


def test_the_seed_line_feeds_the_comparison_as_an_equation_of_mathach():
    line = "mathach_ij = 11.945 + 1.878*ses_ij + -2.965*minority_ij + u_0j + r_ij"
    (found,) = read_math(line, syntax="plain").equations
    reading = read_equation(
        found.equation,
        "combined model",
        defines="response",
        response="mathach",
        school_level=frozenset({"meanses"}),
    )
    assert reading.defined == S("mathach_ij")
    assert len(reading.terms) == 5 and reading.findings == ()


def test_middle_dots_unicode_minus_and_glued_indices():
    (found,) = plain("Y_ij = 11.8 + 1.89·SES_ij − 2.94·MINORITY_ij + u0j + rij")
    rhs = (
        Float(11.8)
        + Float(1.89) * S("SES_ij")
        - Float(2.94) * S("MINORITY_ij")
        + S("u_0j")
        + S("r_ij")
    )
    assert found.lhs == S("Y_ij") and found.rhs == rhs


def test_greek_letters_with_glued_and_underscored_indices():
    (found,) = plain("β0j = γ00 + γ_01*meanses_j + u0j")
    rhs = S("gamma_00") + S("gamma_01") * S("meanses_j") + S("u_0j")
    assert found.lhs == S("beta_0j") and found.rhs == rhs


def test_ascii_greek_words_unicode_scripts_and_squares():
    (found,) = plain("sigma2 + σ² + tau00 + beta1j + u₀ⱼ + x² = 0")
    lhs = 2 * S("sigma^2") + S("tau_00") + S("beta_1j") + S("u_0j") + S("x") ** 2
    assert found.lhs == lhs and found.rhs == Integer(0)


def test_scientific_notation_and_python_powers():
    (found,) = plain("y = 1.2e-3*x**2 + 2.5E+2 + 10^-3")
    assert found.rhs == Float(0.0012) * S("x") ** 2 + Float(250.0) + sympy.Rational(1, 1000)


def test_printed_lines_with_labels_and_a_wrapped_equation():
    text = (
        "Level 1: mathach_ij = beta_0j + r_ij\n"
        "Level 2: beta_0j = gamma_00 + u_0j\n"
        "Combined model:\n"
        "mathach_ij = 11.9 + 2.1*ses_ij +\n"
        "    u_0j + r_ij\n"
        "Forecasted mathach: 14.2"
    )
    level_1, level_2, combined = plain(text)
    assert level_1.lhs == S("mathach_ij") and level_1.rhs == S("beta_0j") + S("r_ij")
    assert level_2.lhs == S("beta_0j") and level_2.rhs == S("gamma_00") + S("u_0j")
    assert combined.rhs == Float(11.9) + Float(2.1) * S("ses_ij") + S("u_0j") + S("r_ij")
    assert read_math(text, syntax="plain").notes == ()  # printed lines around it are not noted


def test_a_tilde_is_a_distribution_in_plain_text():
    reading = read_math("u_0j ~ N(0, tau_00)\nr_ij ~ N(0, sigma^2)", syntax="plain")
    assert reading.equations == ()
    assert len(reading.notes) == 2 and all("~" in note for note in reading.notes)


def test_no_tex_trap_in_plain_text():
    reading = read_math("mathach_ij = beta_0j + r_ij", syntax="plain")
    assert reading.notes == ()
