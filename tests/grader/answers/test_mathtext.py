r"""Equations as students write them in Markdown math, read into hand-built sympy objects.

Each test is one style a class writes (DOMAIN.md, the seed notebook): the expected equation is
built by hand from Symbols, never by the code under test.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import Eq, Float, Integer, Rational

from grader.answers.mathtext import MathReading, ReadEquation, read_math
from reference.equations.symbols import read_symbol


def S(name: str) -> sympy.Symbol:
    return sympy.Symbol(name)


def equations(text: str) -> list[sympy.Equality]:
    reading = read_math(text)
    assert reading.error is None, reading.error
    return [found.equation for found in reading.equations]


def only(text: str) -> sympy.Equality:
    (equation,) = equations(text)
    return equation


def same(found: sympy.Equality, lhs: sympy.Expr, rhs: sympy.Expr) -> bool:
    """Structural identity (sympy's ==), sides in place: no algebra decides it."""
    return isinstance(found, sympy.Equality) and found.lhs == lhs and found.rhs == rhs


# --- the seed notebook and DOMAIN.md ---------------------------------------------------------------


def test_the_seed_level_two_line_with_times_and_text():
    found = only(r"u_{0j} = \gamma_{00} + \gamma_{01} \times \text{minority} + \mu_{0j}")
    assert same(found, S("u_0j"), S("gamma_00") + S("gamma_01") * S("minority") + S("mu_0j"))


def test_level_one_with_thin_space_before_a_variable():
    found = only(r"mathach_{ij} = \beta_{0j} + \beta_{1j}\,minority_{ij} + r_{ij}")
    assert same(found, S("mathach_ij"), S("beta_0j") + S("beta_1j") * S("minority_ij") + S("r_ij"))


def test_the_reading_is_the_documented_value():
    reading = read_math(r"Y_{ij} = \beta_{0j} + r_{ij}")
    assert reading == MathReading(
        (ReadEquation(r"Y_{ij} = \beta_{0j} + r_{ij}", Eq(S("Y_ij"), S("beta_0j") + S("r_ij"))),),
        (),
        None,
    )


# --- level-2 sets ------------------------------------------------------------------------------------


def test_level_two_set_in_aligned_with_ampersand_equals():
    text = r"""
    \begin{aligned}
      \beta_{0j} &= \gamma_{00} + \gamma_{01}\text{meanses}_j + u_{0j} \\
      \beta_{1j} &= \gamma_{10} + \gamma_{11}\text{meanses}_j \\
      \beta_{2j} &= \gamma_{20}
    \end{aligned}"""
    first, second, third = equations(text)
    assert same(first, S("beta_0j"), S("gamma_00") + S("gamma_01") * S("meanses_j") + S("u_0j"))
    assert same(second, S("beta_1j"), S("gamma_10") + S("gamma_11") * S("meanses_j"))
    assert same(third, S("beta_2j"), S("gamma_20"))


def test_level_two_set_in_cases():
    text = r"""\begin{cases}
    \beta_{0j} = \gamma_{00} + \gamma_{01} W_{1j} + u_{0j} \\
    \beta_{1j} = \gamma_{10} + u_{1j}
    \end{cases}"""
    first, second = equations(text)
    assert same(first, S("beta_0j"), S("gamma_00") + S("gamma_01") * S("W_1j") + S("u_0j"))
    assert same(second, S("beta_1j"), S("gamma_10") + S("u_1j"))


def test_left_brace_array_framing_rows_is_dropped_with_its_column_spec():
    text = (
        r"\left\{ \begin{array}{ll} \beta_{0j} = \gamma_{00} + u_{0j}, & u_{0j} \sim N(0,\tau_{00})"
        r" \\ \beta_{1j} = \gamma_{10} & \end{array} \right."
    )
    reading = read_math(text)
    first, second = (found.equation for found in reading.equations)
    assert same(first, S("beta_0j"), S("gamma_00") + S("u_0j"))
    assert same(second, S("beta_1j"), S("gamma_10"))
    assert any(r"a distribution (\sim)" in note for note in reading.notes)


def test_row_spacing_hline_and_old_font_switches_are_layout():
    text = r"""\begin{array}{l} {\rm mathach}_{ij} = \beta_{0j} + r_{ij} \\[4pt] \hline
    [\beta_{0j}] = {\bf \gamma}_{00} \end{array}"""
    first, second = equations(text)
    assert same(first, S("mathach_ij"), S("beta_0j") + S("r_ij"))
    assert same(second, S("beta_0j"), S("gamma_00"))


def test_rows_separated_by_double_backslash_without_environment():
    first, second = equations(r"Y_{ij} = \beta_{0j} + r_{ij} \\ \beta_{0j} = \gamma_{00} + u_{0j}")
    assert same(first, S("Y_ij"), S("beta_0j") + S("r_ij"))
    assert same(second, S("beta_0j"), S("gamma_00") + S("u_0j"))


# --- combined models ----------------------------------------------------------------------------------


def test_combined_model_with_cdot_times_implicit_products_and_a_cross_level_bracket():
    text = (
        r"mathach_{ij} = \gamma_{00} + \gamma_{01} \cdot meanses_j + (\gamma_{10} + "
        r"\gamma_{11} \times meanses_j) ses_{ij} + u_{0j} + u_{1j}ses_{ij} + r_{ij}"
    )
    slope = S("gamma_10") + S("gamma_11") * S("meanses_j")
    rhs = (
        S("gamma_00")
        + S("gamma_01") * S("meanses_j")
        + slope * S("ses_ij")
        + S("u_0j")
        + S("u_1j") * S("ses_ij")
        + S("r_ij")
    )
    assert same(only(text), S("mathach_ij"), rhs)


def test_combined_model_spread_over_aligned_rows_continues_after_an_operator():
    text = r"""\begin{aligned}
    MATHACH_{ij} &= \gamma_{00} + \gamma_{01}\cdot MEANSES_j + \gamma_{10}\cdot SES_{ij} \\
                 &\quad + \gamma_{20} \times MINORITY_{ij} + u_{0j} + r_{ij}
    \end{aligned}"""
    rhs = (
        S("gamma_00")
        + S("gamma_01") * S("MEANSES_j")
        + S("gamma_10") * S("SES_ij")
        + S("gamma_20") * S("MINORITY_ij")
        + S("u_0j")
        + S("r_ij")
    )
    assert same(only(text), S("MATHACH_ij"), rhs)


def test_combined_model_over_lines_inside_one_display_and_a_row_ending_with_plus():
    text = "mathach_{ij} = \\gamma_{00}\n + \\gamma_{10} ses_{ij} + \\\\\n u_{0j} + r_{ij}"
    rhs = S("gamma_00") + S("gamma_10") * S("ses_ij") + S("u_0j") + S("r_ij")
    assert same(only(text), S("mathach_ij"), rhs)


def test_aligned_rows_starting_with_equals_keep_the_left_side_above():
    text = r"""\begin{aligned} mathach_{ij} &= \beta_{0j} + r_{ij} \\
    &= \gamma_{00} + u_{0j} + r_{ij} \end{aligned}"""
    first, second = equations(text)
    assert same(first, S("mathach_ij"), S("beta_0j") + S("r_ij"))
    assert same(second, S("mathach_ij"), S("gamma_00") + S("u_0j") + S("r_ij"))


def test_a_chain_takes_the_first_equals_and_says_so():
    reading = read_math(r"Y_{ij} = \beta_{0j} + r_{ij} = \gamma_{00} + u_{0j} + r_{ij}")
    (found,) = reading.equations
    assert same(found.equation, S("Y_ij"), S("beta_0j") + S("r_ij"))
    assert any("2 = signs" in note for note in reading.notes)


# --- names ---------------------------------------------------------------------------------------------


def test_text_mathrm_and_escaped_underscores_make_one_name():
    text = (
        r"\mathrm{SES}_{ij} + \text{ses_c}_{ij} + \textit{meanses}_j + ses\_c_{ij} + "
        r"\operatorname{sector}_j + \text{minority} = 0"
    )
    lhs = S("SES_ij") + 2 * S("ses_c_ij") + S("meanses_j") + S("sector_j") + S("minority")
    assert same(only(text), lhs, Integer(0))
    assert same(only(r"\text{ses\_c}_{ij} = 1"), S("ses_c_ij"), Integer(1))


def test_markdown_escaped_underscores_still_subscript():
    found = only(r"mathach\_{ij} = \beta\_{0j} + \beta\_{1j} ses\_{ij} + r\_{ij}")
    rhs = S("beta_0j") + S("beta_1j") * S("ses_ij") + S("r_ij")
    assert same(found, S("mathach_ij"), rhs)


def test_level_labels_in_text_are_read_as_words_not_names():
    level_1, level_2 = equations(
        r"\text{Level 1: } mathach_{ij} = \beta_{0j} + \beta_{1j}(ses_{ij}) + r_{ij} \\"
        r"\textbf{Level 2:}\quad \beta_{0j} = \gamma_{00} + u_{0j}"
    )
    assert same(level_1, S("mathach_ij"), S("beta_0j") + S("beta_1j") * S("ses_ij") + S("r_ij"))
    assert same(level_2, S("beta_0j"), S("gamma_00") + S("u_0j"))


def test_upper_case_names_keep_their_case():
    found = only(r"MATHACH_{ij} = \gamma_{00} + \gamma_{10}\,SES_{ij} + U_{0j} + R_{ij}")
    rhs = S("gamma_00") + S("gamma_10") * S("SES_ij") + S("U_0j") + S("R_ij")
    assert same(found, S("MATHACH_ij"), rhs)


def test_y_x_w_letters_and_e_for_the_residual():
    level_1, level_2 = equations(
        r"Y_{ij} = \beta_{0j} + \beta_{1j} X_{1ij} + e_{ij} \\"
        r"\beta_{0j} = \gamma_{00} + \gamma_{01} W_{2j} + u_{0j}"
    )
    assert same(level_1, S("Y_ij"), S("beta_0j") + S("beta_1j") * S("X_1ij") + S("e_ij"))
    assert same(level_2, S("beta_0j"), S("gamma_00") + S("gamma_01") * S("W_2j") + S("u_0j"))


def test_hats_on_estimates_keep_the_name_and_read_the_numbers():
    found = only(r"\hat{mathach}_{ij} = 11.80 + 1.89\,ses_{ij} - 2.94\,minority_{ij}")
    rhs = Float(11.8) + Float(1.89) * S("ses_ij") - Float(2.94) * S("minority_ij")
    assert same(found, S("mathach_ij"), rhs)
    assert same(only(r"\widehat{mathach_{ij}} = \hat\gamma_{00}"), S("mathach_ij"), S("gamma_00"))
    assert same(only(r"\overline{ses}_{j} = \tilde{\beta}_{0j}"), S("ses_j"), S("beta_0j"))


@pytest.mark.parametrize(
    ("written", "name"),
    [
        (r"\gamma_{0 1}", "gamma_01"),
        (r"\beta_{0,j}", "beta_0,j"),
        (r"\gamma_{1,10}", "gamma_1,10"),
        (r"X_{1ij}", "X_1ij"),
        (r"\varepsilon_{ij}", "epsilon_ij"),
        (r"\epsilon_{ij}", "epsilon_ij"),
        (r"\sigma^2", "sigma^2"),
        (r"\sigma^{2}", "sigma^2"),
        (r"\tau^2_{0}", "tau^2_0"),
        (r"\tau_0^2", "tau^2_0"),
        (r"\tau_{00}", "tau_00"),
        (r"\boldsymbol{\beta}_{0j}", "beta_0j"),
        (r"\Gamma", "Gamma"),
        (r"x1", "x1"),
        (r"u0j", "u_0j"),
        (r"β_{0j}", "beta_0j"),
        (r"u₀ⱼ", "u_0j"),
    ],
)
def test_each_spelling_becomes_one_symbol(written, name):
    assert same(only(f"{written} = 0"), S(name), Integer(0))


def test_pi_is_a_symbol_named_pi_never_the_constant():
    found = only(r"\pi_{0j} + \pi = 1")
    assert found.lhs == S("pi_0j") + S("pi")
    assert sympy.pi not in found.lhs.atoms()


def test_the_names_produced_are_read_back_by_the_symbol_table():
    found = only(
        r"Y_{ij} = \beta_{0j} + \gamma_{1,10} + u_{1j} + e_{ij} + \varepsilon_{ij}"
        r" + \text{meanses}_j + \tau_{01} + \sigma^2"
    )
    kinds = {s.name: read_symbol(s.name) for s in found.free_symbols}
    assert kinds["Y_ij"].kind == "response"
    assert (kinds["beta_0j"].kind, kinds["beta_0j"].index) == ("beta", (0,))
    assert (kinds["gamma_1,10"].kind, kinds["gamma_1,10"].index) == ("gamma", (1, 10))
    assert (kinds["u_1j"].kind, kinds["u_1j"].subscript) == ("u", "j")
    assert kinds["e_ij"].kind == kinds["epsilon_ij"].kind == "residual"
    assert (kinds["meanses_j"].base, kinds["meanses_j"].subscript) == ("meanses", "j")
    assert (kinds["tau_01"].kind, kinds["tau_01"].index) == ("tau", (0, 1))
    assert kinds["sigma^2"].kind == "sigma2"


# --- TeX traps -------------------------------------------------------------------------------------


def test_the_beta_0j_trap_is_read_as_meant_and_noted():
    reading = read_math(r"mathach_ij = \beta_0j + \beta_1j ses_ij + r_ij")
    (found,) = reading.equations
    rhs = S("beta_0j") + S("beta_1j") * S("ses_ij") + S("r_ij")
    assert same(found.equation, S("mathach_ij"), rhs)
    assert any(r"`\beta_0j`" in note and r"\beta_{0j}" in note for note in reading.notes)
    assert any("`mathach_ij`" in note and "mathach_{ij}" in note for note in reading.notes)


def test_a_single_character_subscript_is_no_trap():
    reading = read_math(r"meanses_j = \beta_1 X_1")
    assert same(reading.equations[0].equation, S("meanses_j"), S("beta_1") * S("X_1"))
    assert reading.notes == ()


def test_an_index_glued_to_a_greek_command_is_read_as_its_index_and_noted():
    reading = read_math(r"\beta0j = \gamma00 + u_{0j}")
    assert same(reading.equations[0].equation, S("beta_0j"), S("gamma_00") + S("u_0j"))
    assert any(r"\gamma_{00}" in note for note in reading.notes)


def test_a_double_subscript_is_joined_and_noted():
    reading = read_math(r"ses_c_{ij} = 1")
    assert same(reading.equations[0].equation, S("ses_c_ij"), Integer(1))
    assert any("two subscripts" in note for note in reading.notes)


# --- operators and numbers ----------------------------------------------------------------------------


def test_numbers_powers_of_ten_fractions_and_plus_minus():
    found = only(r"y = 1.2 \times 10^{-3} + .5 x^{2} + \frac{1}{4} + \frac{a + b}{2} + - 3 z")
    rhs = (
        Float(0.0012)
        + Float(0.5) * S("x") ** 2
        + Rational(1, 4)
        + (S("a") + S("b")) / 2
        - 3 * S("z")
    )
    assert same(found, S("y"), rhs)
    assert isinstance(only("y = 11").rhs, Integer)


def test_brackets_of_every_kind_group():
    found = only(r"y = 2\left( a + b \right) + [c - d]\cdot 3 + \{e\} + \big( f \big)^2")
    rhs = 2 * (S("a") + S("b")) + 3 * (S("c") - S("d")) + S("e") + S("f") ** 2
    assert same(found, S("y"), rhs)


def test_layout_commands_are_ignored():
    text = (
        r"\displaystyle Y_{ij} \; = \; \beta_{0j} \! + ~ r_{ij} \hspace{1em} \nonumber"
        r" \label{eq:level1} \tag{1}"
    )
    assert same(only(text), S("Y_ij"), S("beta_0j") + S("r_ij"))


def test_a_fraction_by_a_name_skips_its_row_with_a_note():
    reading = read_math(r"y = \frac{a}{b} \\ z = 1")
    (found,) = reading.equations
    assert same(found.equation, S("z"), Integer(1))
    assert any("denominator is a number" in note for note in reading.notes)


# --- rows skipped, rows kept -------------------------------------------------------------------------


def test_distribution_rows_are_skipped_with_a_note_and_equations_kept():
    text = r"""\begin{aligned}
    Y_{ij} &= \beta_{0j} + r_{ij}, \qquad r_{ij} \sim N(0, \sigma^2) \\
    \beta_{0j} &= \gamma_{00} + u_{0j} \quad u_{0j} \sim \mathcal{N}(0, \tau_{00}) \\
    \tau_{00} &\geq 0
    \end{aligned}"""
    reading = read_math(text)
    first, second = (found.equation for found in reading.equations)
    assert same(first, S("Y_ij"), S("beta_0j") + S("r_ij"))
    assert same(second, S("beta_0j"), S("gamma_00") + S("u_0j"))
    assert sum("a distribution (\\sim)" in note for note in reading.notes) == 2
    assert sum("a condition (\\geq)" in note for note in reading.notes) == 1


def test_an_approximation_is_not_an_equation_and_the_note_says_how_to_write_one():
    reading = read_math(r"\hat{Y}_{ij} \approx 11.8 + 1.9\,ses_{ij}")
    assert reading.equations == ()
    assert reading.notes == (
        r"`\hat{Y}_{ij} \approx 11.8 + 1.9\,ses_{ij}` states an approximation (\approx), so it was"
        " not read as an equation; write = if it is one.",
    )


def test_an_unknown_command_skips_only_its_row_and_is_named():
    reading = read_math(r"y = \sum{x} \\ z = \int x + 1 \\ w = 2")
    (found,) = reading.equations
    assert same(found.equation, S("w"), Integer(2))
    assert any(r"\sum is not part of the notation" in note for note in reading.notes)
    assert any(r"\int is not part of the notation" in note for note in reading.notes)


def test_a_function_of_one_variable_is_the_variable_the_student_made_with_it():
    """``np.log(size)`` in a model is the grader's log_size; students write it as a function."""
    reading = read_math(
        r"\beta_{0j} = \gamma_{00} + \gamma_{01}\log(size_j) + \gamma_{02}\ln(\text{size})_j"
    )
    assert same(
        reading.equations[0].equation,
        S("beta_0j"),
        S("gamma_00") + S("gamma_01") * S("log_size_j") + S("gamma_02") * S("log_size_j"),
    )
    printed = read_math("mathach_ij = 7.641 + 0.687*np.log(size) + u_0j", syntax="plain")
    assert same(
        printed.equations[0].equation,
        S("mathach_ij"),
        Float(7.641) + Float(0.687) * S("log_size") + S("u_0j"),
    )
    assert "one variable" in read_math(r"y = \log(2 x)").notes[0]


def test_a_span_without_equals_is_silent():
    assert read_math(r"\gamma_{01}") == MathReading((), (), None)


def test_prose_in_text_is_a_gap_not_a_name():
    reading = read_math(r"\beta_{0j} = \gamma_{00} + u_{0j} \quad \text{(intercept of school } j)")
    assert same(reading.equations[0].equation, S("beta_0j"), S("gamma_00") + S("u_0j"))


def test_the_source_echoes_the_row_as_written():
    (found,) = read_math("  \\beta_{1j} &= \\gamma_{10}\n\t ").equations
    assert found.source == r"\beta_{1j} &= \gamma_{10}"
