"""The students' notation: same symbols as the reference, textbook rendering, safe construction."""

from __future__ import annotations

import pandas as pd
import pytest
import sympy

from reference.equations.model import model_equations
from reference.equations.symbols import read_symbol, symbol_text
from reference.errors import EquationError
from reference.model.spec import parse_spec
from reference.notation import Eq, beta, gamma, r, show, sigma2, tau, u, w, x, y
from tests.hlm import SEED_FINAL


def test_students_seed_equations_are_structurally_the_references(hsb: pd.DataFrame) -> None:
    eqs = model_equations(parse_spec(SEED_FINAL, hsb))
    level1 = Eq(
        y, beta(0) + beta(1) * x("minority") + beta(2) * x("female") + beta(3) * x("ses") + r
    )
    level2 = [
        Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("pracad") + u(0)),
        Eq(beta(1), gamma(1, 0) + u(1)),
        Eq(beta(2), gamma(2, 0)),
        Eq(beta(3), gamma(3, 0)),
    ]
    assert level1 == eqs.level1.sympy
    assert level2 == [e.sympy for e in eqs.level2]


def test_symbols_render_like_the_textbook() -> None:
    rendered = [sympy.latex(s) for s in (y, beta(0), gamma(0, 1), u(0), r, tau(0, 1), sigma2)]
    assert rendered == [
        "mathach_{ij}",
        r"\beta_{0j}",
        r"\gamma_{01}",
        "u_{0j}",
        "r_{ij}",
        r"\tau_{01}",
        r"\sigma^{2}",
    ]
    assert sympy.latex(x("minority")) == "minority_{ij}"
    assert sympy.latex(w("meanses")) == "meanses_{j}"


def test_tau_is_symmetric() -> None:
    assert tau(1, 0) == tau(0, 1)


def test_eq_keeps_the_equation_as_written() -> None:
    same = Eq(beta(2), beta(2))
    assert isinstance(same, sympy.Equality)
    assert same.lhs == same.rhs == beta(2)


def test_eq_never_parses_text() -> None:
    with pytest.raises(sympy.SympifyError):
        Eq(y, "beta_0j + r_ij")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["", "Minority", "ses ij", "a__b", "a_", "__import__('os')", 3])
def test_variable_names_are_checked(bad: object) -> None:
    with pytest.raises(EquationError, match="variable name"):
        x(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1, 100, 1.5, True])
def test_indices_are_small_whole_numbers(bad: object) -> None:
    with pytest.raises(EquationError, match="indices"):
        beta(bad)  # type: ignore[arg-type]


def test_show_orders_terms_like_the_textbook() -> None:
    written = Eq(y, r + u(1) * x("minority") + gamma(1, 0) * x("minority") + u(0) + gamma(0, 0))
    assert str(show(written)) == "mathach_ij = γ00 + γ10·minority_ij + u0j + u1j·minority_ij + r_ij"
    cross = Eq(beta(1), gamma(1, 1) * w("sector") + gamma(1, 0) + u(1))
    assert repr(show([cross])) == "[β1j = γ10 + γ11·sector_j + u1j]"


def test_show_renders_latex_for_notebooks() -> None:
    shown = show(Eq(beta(1), gamma(1, 0) + u(1)))
    assert shown._repr_latex_() == r"$\displaystyle \beta_{1j} = \gamma_{10} + u_{1j}$"


@pytest.mark.parametrize(
    ("name", "kind", "index", "subscript"),
    [
        ("beta_0j", "beta", (0,), "j"),
        ("beta_{0j}", "beta", (0,), "j"),
        (r"\beta_{1j}", "beta", (1,), "j"),
        ("β2j", "beta", (2,), "j"),
        ("beta_10,j", "beta", (10,), "j"),
        ("gamma_01", "gamma", (0, 1), ""),
        ("gamma_{1,10}", "gamma", (1, 10), ""),
        ("u_{0j}", "u", (0,), "j"),
        ("u0", "u", (0,), ""),
        ("r_ij", "residual", (), "ij"),
        ("Y_ij", "response", (), "ij"),
        ("mathach", "response", (), ""),
        ("minority", "variable", (), ""),
        ("MEANSES_j", "variable", (), "j"),
        ("tau_00", "tau", (0, 0), ""),
        ("sigma^2", "sigma2", (), ""),
        ("mu_0j", "unknown", (), ""),
        ("gamma_012", "unknown", (), ""),
        ("beta_100j", "unknown", (), ""),
        ("__import__('os').system('ls')", "unknown", (), ""),
    ],
)
def test_read_symbol_accepts_unambiguous_spellings(
    name: str, kind: str, index: tuple[int, ...], subscript: str
) -> None:
    info = read_symbol(name, "mathach")  # the HSB assignment's response
    assert (info.kind, info.index, info.subscript) == (kind, index, subscript)


@pytest.mark.parametrize(
    ("name", "base", "subscript"),
    [
        ("ses_c_ij", "ses_c", "ij"),  # a variable the student made, named with underscores
        ("SES_Centered_ij", "ses_centered", "ij"),
        ("mean_ses_j", "mean_ses", "j"),
        ("ses_c", "ses_c", ""),
        ("ses2_ij", "ses2", "ij"),
    ],
)
def test_variable_names_may_hold_underscores(name: str, base: str, subscript: str) -> None:
    info = read_symbol(name, "mathach")
    assert (info.kind, info.base, info.subscript) == ("variable", base, subscript)


@pytest.mark.parametrize("name", ["x_1ij", "mu_0j", "w_2j", "ses__ij", "ses_ij_"])
def test_index_like_or_malformed_names_are_not_variables(name: str) -> None:
    assert read_symbol(name).kind == "unknown"


def test_plain_text_names() -> None:
    names = ["beta_0j", "gamma_1,10", "u_1j", "tau_01", "sigma^2", "meanses_j", "r_ij"]
    assert [symbol_text(n) for n in names] == [
        "β0j",
        "γ1,10",
        "u1j",
        "τ01",
        "σ²",
        "meanses_j",
        "r_ij",
    ]
