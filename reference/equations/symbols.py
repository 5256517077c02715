"""The symbols of Raudenbush & Bryk's notation, and how any symbol name is read back.

One naming convention is shared by the reference equations and the students' notation module, so a
student's equation can be compared symbol by symbol: plain :class:`sympy.Symbol` objects (no
assumptions) named

========================  =====================  ==================
meaning                   sympy name             renders as
========================  =====================  ==================
response                  ``mathach_ij``         mathach_{ij}   (the assignment's)
level-1 coefficient β_p   ``beta_0j``            β_{0j}
fixed effect γ_pq         ``gamma_01``           γ_{01}
school random effect u_p  ``u_0j``               u_{0j}
level-1 residual          ``r_ij``               r_{ij}
student-level variable    ``minority_ij``        minority_{ij}
school-level variable     ``meanses_j``          meanses_{j}
variance components       ``tau_01``, ``sigma^2``  τ_{01}, σ^{2}
========================  =====================  ==================

Indices are written without separators while every index is a single digit (γ_{10}); from 10 on
they are separated by commas (γ_{1,10}, β_{10,j}) so the subscript stays unambiguous.

Names read back from a student (:func:`read_symbol`) may use other unambiguous spellings:
``beta_{0j}``, ``\\beta_0j``, ``β0j``, ``u_{0j}``, ``Y_ij`` or ``minority`` without subscript. The
response is ``Y`` (Raudenbush & Bryk's letter) or the assignment's response column, whose name the
caller gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import sympy

from reference.errors import EquationError

MAX_INDEX = 99
_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*\Z")
#: An index-like part (``mu_0j``, ``x_1ij``): a coefficient of a kind we do not know, not a name.
_INDEXED = re.compile(r"_\d+(?:i?j)?(?:_|\Z)")
#: A variable name, underscores allowed (``ses_c``), then its subscript after the last underscore.
_VARIABLE = re.compile(r"(?P<base>[a-z][a-z0-9_]*?)(?:_(?P<sub>ij|ji|j|i))?\Z")
_GREEK = {"beta": "β", "gamma": "γ", "tau": "τ", "sigma": "σ"}
#: Bases whose index is glued to the letter in plain text (β0j), as DOMAIN.md and R&B print them.
_GLUED = frozenset({"beta", "gamma", "tau", "u"})
_ALIASES = {
    "beta": "beta",
    "β": "beta",
    "gamma": "gamma",
    "γ": "gamma",
    "u": "u",
    "tau": "tau",
    "τ": "tau",
    "r": "residual",
    "e": "residual",
    "epsilon": "residual",
    "varepsilon": "residual",
    "ε": "residual",
    "ϵ": "residual",
    "y": "response",
}
#: Unicode subscripts (γ₀₀, u₀ⱼ, sesᵢⱼ) as the plain subscript they spell (γ_00, u_0j, ses_ij).
_UNICODE_SUB = re.compile(r"_?([₀-₉ᵢⱼ]+)")
_SUB_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉ᵢⱼ", "0123456789ij")
_SPLIT = re.compile(r"(?P<base>[^\W\d_]+)_?(?P<sub>.*)\Z")
_ONE_INDEX = re.compile(r"(?P<p>\d+),?(?P<j>j?)\Z")
_TWO_INDICES = re.compile(r"(?:(?P<p>\d)(?P<q>\d)|(?P<pp>\d+),(?P<qq>\d+)),?(?P<j>j?)\Z")


def index_text(*indices: int) -> str:
    """Subscript digits: glued while all are single digits, comma-separated otherwise.

    >>> index_text(1, 0), index_text(1, 10), index_text(10)
    ('10', '1,10', '10')
    """
    if any(
        not isinstance(i, int) or isinstance(i, bool) or not 0 <= i <= MAX_INDEX for i in indices
    ):
        raise EquationError(
            f"indices must be whole numbers from 0 to {MAX_INDEX}; got {indices!r}. "
            "Write, e.g., beta(1) or gamma(1, 0)."
        )
    return ("," if any(i > 9 for i in indices) else "").join(str(i) for i in indices)


def _j_suffix(digits: str) -> str:
    return digits + ("," if "," in digits or len(digits) > 1 else "") + "j"


def beta(p: int) -> sympy.Symbol:
    """The level-1 coefficient β_pj of school j (β_0j is the intercept).

    >>> beta(0), beta(12)
    (beta_0j, beta_12,j)
    """
    return sympy.Symbol("beta_" + _j_suffix(index_text(p)))


def gamma(p: int, q: int) -> sympy.Symbol:
    """The fixed effect γ_pq: term q of the level-2 equation of β_pj.

    >>> gamma(0, 1), gamma(1, 10)
    (gamma_01, gamma_1,10)
    """
    return sympy.Symbol("gamma_" + index_text(p, q))


def u(p: int) -> sympy.Symbol:
    """The school random effect u_pj of β_pj.

    >>> u(1)
    u_1j
    """
    return sympy.Symbol("u_" + _j_suffix(index_text(p)))


def tau(p: int, q: int) -> sympy.Symbol:
    """The covariance τ_pq of u_pj and u_qj; T is symmetric, so τ_10 is written τ_01.

    >>> tau(1, 0)
    tau_01
    """
    low, high = sorted((p, q))
    return sympy.Symbol("tau_" + index_text(low, high))


def _variable_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise EquationError(
            "a variable name must be lower-case letters and digits, words joined by single "
            f"underscores, like 'minority' or 'ses_c'; got {name!r}."
        )
    return name


def x(name: str) -> sympy.Symbol:
    """A student-level (level-1) variable: it varies within schools, subscript ij.

    >>> x("minority")
    minority_ij
    """
    return sympy.Symbol(_variable_name(name) + "_ij")


def w(name: str) -> sympy.Symbol:
    """A school-level (level-2) variable: constant within a school, subscript j.

    >>> w("meanses")
    meanses_j
    """
    return sympy.Symbol(_variable_name(name) + "_j")


def response_symbol(name: str) -> sympy.Symbol:
    """The response of student i in school j, named by the assignment's response column.

    >>> response_symbol("mathach")
    mathach_ij
    """
    return sympy.Symbol(_variable_name(name) + "_ij")


r = sympy.Symbol("r_ij")
sigma2 = sympy.Symbol("sigma^2")


@dataclass(frozen=True, slots=True)
class SymbolInfo:
    """What a symbol's name says, whoever wrote it.

    Attributes:
        kind: ``response``, ``beta``, ``gamma``, ``u``, ``tau``, ``residual``, ``sigma2``,
            ``variable`` or ``unknown``.
        base: the variable's lower-case name for variables, else the kind.
        index: β/u: ``(p,)``; γ/τ: ``(p, q)``; otherwise ``()``.
        subscript: the letters of the subscript: ``"ij"``, ``"j"`` or ``""``.
    """

    kind: str
    base: str
    index: tuple[int, ...] = ()
    subscript: str = ""


def plain_name(name: str) -> str:
    """A symbol's name without TeX braces, backslashes or spaces, lower case, with unicode
    subscripts as plain ones.

    >>> plain_name("Gamma_{01} "), plain_name("π₀ⱼ")
    ('gamma_01', 'π_0j')
    """
    clean = re.sub(r"[\\{}\s]", "", name).lower()
    return _UNICODE_SUB.sub(lambda m: "_" + m[1].translate(_SUB_DIGITS), clean)


@lru_cache(maxsize=4096)  # pure, and called for every factor of every term of a comparison
def read_symbol(name: str, response: str = "") -> SymbolInfo:
    """Read a symbol name written in any unambiguous spelling; never evaluates anything.

    ``response`` is the assignment's response column: its name, with or without a subscript, is
    the response (``Y`` always is); without it, that name reads as a variable.

    >>> read_symbol("beta_{0j}")
    SymbolInfo(kind='beta', base='beta', index=(0,), subscript='j')
    >>> read_symbol("MEANSES")
    SymbolInfo(kind='variable', base='meanses', index=(), subscript='')
    >>> read_symbol("ses_c_ij")
    SymbolInfo(kind='variable', base='ses_c', index=(), subscript='ij')
    >>> read_symbol("mathach_{ij}", "mathach"), read_symbol("mathach_ij").kind
    (SymbolInfo(kind='response', base='response', index=(), subscript='ij'), 'variable')
    >>> read_symbol("γ₀₁").index, read_symbol("u₀ⱼ").kind, read_symbol("varepsilon_{ij}").kind
    ((0, 1), 'u', 'residual')
    """
    clean = plain_name(name)
    if clean in {"sigma^2", "sigma2", "σ^2", "σ²"}:
        return SymbolInfo("sigma2", "sigma2")
    match = _SPLIT.match(clean)
    if match is None:
        return SymbolInfo("unknown", clean)
    base, sub = match["base"], match["sub"]
    kind = _ALIASES.get(base, "variable")
    if kind in {"beta", "u"}:
        return _indexed(kind, _ONE_INDEX.match(sub), ("p",), clean)
    if kind in {"gamma", "tau"}:
        return _indexed(kind, _TWO_INDICES.match(sub), ("p", "q"), clean)
    if kind == "variable":
        found = _variable(clean)
        if response and found.kind == "variable" and found.base == response:
            return SymbolInfo("response", "response", (), found.subscript)
        return found
    if not re.fullmatch(r"[a-z]*", sub):
        return SymbolInfo("unknown", clean)
    return SymbolInfo(kind, kind, (), sub)


def _variable(clean: str) -> SymbolInfo:
    """A variable's name and subscript: ``ses_c_ij`` is the variable ``ses_c`` with subscript ij."""
    match = _VARIABLE.match(clean)
    if match is None or not _NAME.match(match["base"]) or _INDEXED.search(match["base"]):
        return SymbolInfo("unknown", clean)
    return SymbolInfo("variable", match["base"], (), match["sub"] or "")


def _indexed(
    kind: str, match: re.Match[str] | None, groups: tuple[str, ...], clean: str
) -> SymbolInfo:
    if match is None:
        return SymbolInfo("unknown", clean)
    found = match.groupdict()
    index = tuple(int(found[g] if found[g] is not None else found[g + g]) for g in groups)
    if max(index) > MAX_INDEX:
        return SymbolInfo("unknown", clean)
    return SymbolInfo(kind, kind, index, match["j"])


def symbol_text(name: str) -> str:
    """Plain-text form of a symbol name: β0j, γ01, u1j, τ00, σ², mathach_ij, meanses_j.

    >>> symbol_text("gamma_01"), symbol_text("minority_ij"), symbol_text("sigma^2")
    ('γ01', 'minority_ij', 'σ²')
    """
    if name == sigma2.name:
        return "σ²"
    clean = re.sub(r"[\\{}]", "", name)
    base, underscore, sub = clean.partition("_")
    if base in _GLUED:
        return _GREEK.get(base, base) + sub
    return _GREEK.get(base, base) + underscore + sub
