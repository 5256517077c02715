"""Equations as they are printed: terms in textbook order, as plain text, LaTeX or MathML.

sympy keeps the terms of a sum in its own canonical order (γ_{11} minority_{ij} sector_{j}), which
does not read like Raudenbush & Bryk. An :class:`Equation` therefore stores its right-hand side as
a tuple of terms, each a tuple of factors, in display order; its sympy form is derived from them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import sympy

from reference.equations.symbols import read_symbol, symbol_text

Factors = tuple[sympy.Expr, ...]
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_COEFFICIENT_KINDS = ("beta", "gamma", "u", "residual", "tau", "sigma2")


@dataclass(frozen=True, slots=True, repr=False)
class Equation:
    """``lhs = term + term + …`` with the terms kept in the order they are printed.

    Attributes:
        lhs: the left-hand side, usually a single symbol (``mathach_ij``, ``β_1j``, ``τ_00``).
        terms: the right-hand side's terms, each a tuple of factors (numbers, then coefficients,
            then school-level, then student-level variables).
        decimals: digits printed after the decimal point for floats; shortest form when ``None``.
    """

    lhs: sympy.Expr
    terms: tuple[Factors, ...]
    decimals: int | None = None

    @classmethod
    def from_sympy(cls, equation: sympy.Basic) -> Equation:
        """Order any sympy equation (or expression, read as ``expr = 0``) like the textbook.

        >>> from reference.notation import Eq, y, beta, x, r
        >>> print(Equation.from_sympy(Eq(y, r + beta(1) * x("minority") + beta(0))))
        mathach_ij = β0j + β1j·minority_ij + r_ij
        """
        if isinstance(equation, sympy.Equality):
            lhs, rhs = equation.lhs, equation.rhs
        else:
            lhs, rhs = equation, sympy.S.Zero
        return cls(lhs, ordered_terms(rhs))

    @property
    def rhs(self) -> sympy.Expr:
        return sympy.Add(*(sympy.Mul(*factors) for factors in self.terms))

    @property
    def sympy(self) -> sympy.Equality:
        """The equation as a sympy ``Eq`` (unevaluated, so ``Eq(x, x)`` stays an equation)."""
        return sympy.Eq(self.lhs, self.rhs, evaluate=False)

    def text(self) -> str:
        return self._render(_TEXT, " = ")

    def latex(self, *, align: bool = False) -> str:
        return self._render(_LATEX, " &= " if align else " = ")

    def mathml_row(self) -> str:
        """Presentation MathML ``<mrow>`` of the equation, for embedding in a table."""
        return "<mrow>" + self._render(_MATHML, "<mo>=</mo>") + "</mrow>"

    def mathml(self) -> str:
        return math_element(self.mathml_row())

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()

    def _render(self, style: _Style, equals: str) -> str:
        lhs = _render(ordered_terms(self.lhs), None, style)
        return lhs + equals + _render(self.terms, self.decimals, style)


def math_element(content: str) -> str:
    """Wrap presentation MathML in a block-level ``<math>`` element."""
    return f'<math xmlns="{MATHML_NS}" display="block">{content}</math>'


def math_table(equations: Sequence[Equation]) -> str:
    """Equations one under another, left-aligned, as one block-level ``<math>`` element."""
    cells = "".join(f"<mtr><mtd>{e.mathml_row()}</mtd></mtr>" for e in equations)
    return math_element(f"<mtable columnalign='left'>{cells}</mtable>")


def ordered_terms(expr: sympy.Expr) -> tuple[Factors, ...]:
    """Split a sum into terms and factors in textbook order.

    Terms: intercepts and fixed parts first (by coefficient index), then u's, then r_ij.
    Factors: numbers, coefficients, school-level (``_j``) then student-level (``_ij``) variables.
    """
    terms = [
        tuple(sorted(sympy.Mul.make_args(t), key=_factor_key)) for t in sympy.Add.make_args(expr)
    ]
    return tuple(sorted(terms, key=_term_key))


def _factor_key(factor: sympy.Expr) -> tuple[int, str]:
    if factor.is_Number:
        return (0, "")
    base = factor.base if isinstance(factor, sympy.Pow) else factor
    if not isinstance(base, sympy.Symbol):
        return (4, str(factor))
    info = read_symbol(base.name)
    if info.kind in _COEFFICIENT_KINDS:
        return (1, base.name)
    return (2 if info.subscript == "j" else 3, base.name)


def _term_key(factors: Factors) -> tuple[int, tuple[int, ...], str]:
    for factor in factors:
        if isinstance(factor, sympy.Symbol):
            info = read_symbol(factor.name)
            rank = {"u": 1, "residual": 2}.get(info.kind, 0)
            if info.kind in _COEFFICIENT_KINDS:
                return (rank, info.index, str(factors))
    # Numbers in place of γ's (an equation with estimates): the constant first, then terms by
    # their variables, school-level (_j) before student-level (_ij), as the textbook writes them.
    variables = [f for f in factors if not f.is_Number]
    return (0, (), "".join(f"{k}{name}" for k, name in map(_factor_key, variables)))


def _split_sign(factors: Factors) -> tuple[bool, Factors]:
    """Pull a negative leading number out as a sign; drop a bare ±1 factor."""
    if not factors or not factors[0].is_Number:
        return False, factors
    number = factors[0]
    negative = bool(number < 0)
    magnitude = -number if negative else number
    rest = factors[1:]
    if magnitude == 1 and rest:
        return negative, rest
    return negative, (magnitude, *rest)


def _signed(terms: Iterable[Factors]) -> list[tuple[str, Factors]]:
    signed = [_split_sign(factors) for factors in terms]
    out = [("-" if negative else "+", factors) for negative, factors in signed]
    return out or [("+", (sympy.S.Zero,))]


def _number_text(number: sympy.Expr, decimals: int | None) -> str:
    if isinstance(number, sympy.Float):
        value = float(number)
        return f"{value:.{decimals}f}" if decimals is not None else repr(value)
    return str(number)


def _factor_text(factor: sympy.Expr, decimals: int | None) -> str:
    if factor.is_Number:
        return _number_text(factor, decimals)
    if isinstance(factor, sympy.Symbol):
        return symbol_text(factor.name)
    if isinstance(factor, sympy.Pow) and isinstance(factor.base, sympy.Symbol):
        return f"{symbol_text(factor.base.name)}^{factor.exp}"
    return f"({factor})"


def _factor_latex(factor: sympy.Expr, decimals: int | None) -> str:
    if isinstance(factor, sympy.Float):
        return _number_text(factor, decimals)
    text = sympy.latex(factor)
    return text if factor.is_Atom or isinstance(factor, sympy.Pow) else rf"\left({text}\right)"


def _factor_mathml(factor: sympy.Expr, decimals: int | None) -> str:
    if isinstance(factor, sympy.Float):
        return f"<mn>{_number_text(factor, decimals)}</mn>"
    text = str(sympy.mathml(factor, printer="presentation"))
    if factor.is_Atom or isinstance(factor, sympy.Pow):
        return text
    return f"<mrow><mo>(</mo>{text}<mo>)</mo></mrow>"


@dataclass(frozen=True, slots=True)
class _Style:
    factor: Callable[[sympy.Expr, int | None], str]
    times: str
    plus: str
    minus: str
    lead_minus: str
    wrap: str = "{}"


_TEXT = _Style(_factor_text, "·", " + ", " - ", "-")
_LATEX = _Style(_factor_latex, r" \cdot ", " + ", " - ", "-")
_MATHML = _Style(
    _factor_mathml,
    "<mo>&#x22C5;</mo>",
    "<mo>+</mo>",
    "<mo>&#x2212;</mo>",
    "<mo>&#x2212;</mo>",
    "<mrow>{}</mrow>",
)


def _render(terms: Iterable[Factors], decimals: int | None, style: _Style) -> str:
    out = []
    for i, (sign, factors) in enumerate(_signed(terms)):
        if sign == "-":
            out.append(style.minus if i else style.lead_minus)
        elif i:
            out.append(style.plus)
        out.append(style.times.join(style.factor(f, decimals) for f in factors))
    return style.wrap.format("".join(out))
