"""Reading a student's equation into terms that can be matched with the model's.

Symbols are read by name (:func:`reference.equations.symbols.read_symbol`), whatever notation produced them:
variables get their true level from the data (a subscript that says otherwise is a finding, not a
failure), and β/γ/u/r are renamed to the canonical symbols. The equation is then solved for the
symbol it defines (mathach_ij, or β_pj in level 2) and expanded, so term order, factoring and sides
(``a - b = 0``) do not matter.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import sympy

from reference.compare.findings import Finding
from reference.equations.display import ordered_terms
from reference.equations.symbols import (
    SymbolInfo,
    beta,
    gamma,
    r,
    read_symbol,
    response_symbol,
    symbol_text,
    u,
    w,
    x,
)

COEFFICIENT_KINDS = frozenset({"beta", "gamma", "u", "residual"})
#: Names of the constant column (statsmodels' ``Intercept``, ``const`` of ``add_constant``).
INTERCEPT_WORDS = frozenset({"intercept", "const", "constant"})
_EXPECTED_SUBSCRIPT = {"beta": "j", "u": "j", "gamma": "", "residual": "ij", "response": "ij"}
_WHY = {
    "beta": "a level-1 coefficient varies between schools, so it carries the subscript j",
    "u": "a school's random effect carries the subscript j",
    "gamma": "a fixed effect is the same in every school, so γ has no subscript j",
    "residual": "the residual varies between students, so it carries the subscript ij",
    "response": "the response varies between students, so it carries the subscript ij",
}


@dataclass(frozen=True, slots=True)
class Term:
    """One term of the right-hand side: number × coefficients × variables (× anything else)."""

    number: sympy.Expr
    coefficients: tuple[sympy.Symbol, ...]
    monomial: tuple[str, ...]
    other: tuple[sympy.Expr, ...]
    expr: sympy.Expr

    @property
    def text(self) -> str:
        return expr_text(self.expr)


@dataclass(frozen=True, slots=True)
class Reading:
    """A student's equation solved for its defined symbol, as terms; or why it could not be."""

    defined: sympy.Symbol | None
    terms: tuple[Term, ...]
    findings: tuple[Finding, ...]


def expr_text(expr: sympy.Expr) -> str:
    """Plain text of an expression with terms in textbook order (``γ10·minority_ij``)."""
    from reference.equations.display import Equation  # the same printer equations use

    return Equation(sympy.S.Zero, ordered_terms(expr)).text().removeprefix("0 = ")


def canonical(
    info: SymbolInfo,
    school_level: frozenset[str],
    aliases: Mapping[str, str] | None = None,
    *,
    response: str,
) -> sympy.Symbol | None:
    """The notation's symbol for what a name means; ``None`` when it means nothing known.

    ``aliases`` maps other names of the model's variables to their names in the model (a student's
    ``cses`` for the ``ses_c`` they computed themselves); ``response`` is the response column.
    """
    kind, index = info.kind, info.index
    if kind == "variable":
        base = (aliases or {}).get(info.base, info.base)
        return w(base) if base in school_level else x(base)
    if kind == "response":
        return response_symbol(response)
    if kind == "residual":
        return r
    if kind == "beta":
        return beta(*index)
    if kind == "u":
        return u(*index)
    return gamma(*index) if kind == "gamma" else None


def read_equation(
    equation: object,
    part: str,
    *,
    defines: str,
    response: str,
    school_level: frozenset[str],
    aliases: Mapping[str, str] | None = None,
    known: frozenset[str] = frozenset(),
    model_variables: frozenset[str] = frozenset(),
) -> Reading:
    """Read a student's equation of ``part``, solving it for a symbol of kind ``defines``.

    Args:
        equation: a sympy ``Eq`` or an expression meaning ``expression = 0``.
        part: what the equation is, for messages (``level-1 equation``).
        defines: ``response`` (mathach_ij) or ``beta`` (a level-2 equation).
        response: the assignment's response column (``mathach``).
        school_level: the data's school-level variables.
        aliases: other names of the model's variables (see :func:`canonical`).
        known: every variable a name may mean; another name gets a "did you mean" note, which
            suggests one of ``model_variables`` first.
    """
    if isinstance(equation, sympy.Equality):
        sides = (equation.lhs, equation.rhs)
    elif isinstance(equation, sympy.Expr):
        sides = (equation, sympy.S.Zero)
    else:
        found = "a list or other object" if isinstance(equation, Iterable) else "not an expression"
        return Reading(None, (), (Finding("not_an_equation", part, found=found),))
    symbols = sides[0].free_symbols | sides[1].free_symbols
    renames, notes = _rename(symbols, (school_level, response), aliases or {}, known,
                             model_variables)  # fmt: skip
    lhs, rhs = (side.xreplace(renames) for side in sides)
    # Candidates come from the sides: in y - (y + r) sympy cancels y before we could see it.
    written = lhs.free_symbols | rhs.free_symbols
    defined, rhs, problem = _solve(lhs - rhs, written, defines, part, response)
    if problem is not None:
        return Reading(None, (), (*notes, problem))
    terms = tuple(_term(t, response) for t in sympy.Add.make_args(rhs) if t != 0)
    return Reading(defined, terms, notes)


def _rename(
    symbols: Iterable[sympy.Basic],
    levels: tuple[frozenset[str], str],
    aliases: Mapping[str, str],
    known: frozenset[str],
    model_variables: frozenset[str],
) -> tuple[dict[sympy.Basic, sympy.Basic], tuple[Finding, ...]]:
    """Each symbol as the notation names what it means; ``levels``: the school-level variables
    and the response."""
    school_level, response = levels
    renames: dict[sympy.Basic, sympy.Basic] = {}
    notes: list[Finding] = []
    for symbol in sorted(symbols, key=str):
        if not isinstance(symbol, sympy.Symbol):
            continue
        info = read_symbol(symbol.name, response)
        if info.kind == "variable" and info.base in INTERCEPT_WORDS:
            renames[symbol] = sympy.S.One  # "12.658*Intercept" printed from fe_params: a constant
            continue
        if info.kind == "variable":
            info = replace(info, base=aliases.get(info.base, info.base))
            spelled = _respelled(info.base, known)
            if spelled is not None:
                notes.append(Finding("spelling", spelled, found=info.base))
                info = replace(info, base=aliases.get(spelled, spelled))
            elif known and info.base not in known:
                notes.append(_unknown_variable(symbol, info.base, known, model_variables))
        # A name nobody has keeps the level its subscript says: we know nothing to correct it by.
        unknown = info.kind == "variable" and bool(known) and info.base not in known
        school = school_level | {info.base} if unknown and info.subscript == "j" else school_level
        target = canonical(info, school, response=response)
        if target is None:
            notes.append(Finding("unknown_symbol", found=symbol.name))
            continue
        renames[symbol] = target
        note = None if unknown else _subscript_note(symbol, info, target, school_level)
        if note is not None:
            notes.append(note)
    return renames, tuple(notes)


def _respelled(base: str, known: frozenset[str]) -> str | None:
    """The one known name ``base`` spells without its underscores (``sesc`` for ``ses_c``)."""
    if not known or base in known:
        return None
    squashed = base.replace("_", "")
    matches = [k for k in known if k.replace("_", "") == squashed]
    return matches[0] if len(matches) == 1 else None


def _unknown_variable(
    symbol: sympy.Symbol, base: str, known: frozenset[str], model: frozenset[str]
) -> Finding:
    """A variable nobody has, with the closest name the model (else the data) has."""
    close = difflib.get_close_matches(base, sorted(model), n=1, cutoff=0.6)
    close = close or difflib.get_close_matches(base, sorted(known), n=1, cutoff=0.6)
    detail = f"; did you mean {close[0]}?" if close else f" ({', '.join(sorted(model))})."
    return Finding("unknown_variable", found=symbol.name, detail=detail)


def _subscript_note(
    symbol: sympy.Symbol, info: SymbolInfo, target: sympy.Symbol, school_level: frozenset[str]
) -> Finding | None:
    if info.kind == "variable":
        school = info.base in school_level
        expected = "j" if school else "ij"
        why = (
            f"{info.base} is a school-level variable (constant within a school)"
            if school
            else f"{info.base} is a student-level variable (it varies within a school)"
        )
    else:
        expected = _EXPECTED_SUBSCRIPT.get(info.kind, info.subscript)
        why = _WHY.get(info.kind, "")
    if info.subscript == expected:
        return None
    return Finding("wrong_subscript", why, symbol_text(target.name), symbol.name)


def _solve(
    difference: sympy.Expr, written: set[sympy.Basic], defines: str, part: str, response: str
) -> tuple[sympy.Symbol | None, sympy.Expr, Finding | None]:
    """Solve ``difference = 0`` for its one symbol of kind ``defines`` (which must be linear)."""
    candidates = sorted((s for s in written if _kind(s, response) == defines), key=str)
    expanded = sympy.expand(difference)
    wanted = f"{response}_ij" if defines == "response" else "one β_pj"
    if len(candidates) != 1:
        found = ", ".join(symbol_text(s.name) for s in candidates) or "none"
        return None, expanded, Finding("wrong_response", part, wanted, found)
    (defined,) = candidates
    weight, rest = sympy.S.Zero, []
    for term in sympy.Add.make_args(expanded):
        if defined not in term.free_symbols:
            rest.append(term)
            continue
        ratio = term / defined
        if not ratio.is_Number:
            found = f"{expr_text(term)}, where {symbol_text(defined.name)} is not alone"
            return None, expanded, Finding("not_an_equation", part, found=found)
        weight += ratio
    if weight == 0:
        return None, expanded, Finding("not_an_equation", part, found="it cancels out")
    return defined, sympy.Add(*(-term / weight for term in rest)), None


def _kind(symbol: sympy.Basic, response: str) -> str:
    return (
        read_symbol(symbol.name, response).kind if isinstance(symbol, sympy.Symbol) else "unknown"
    )


def _term(expr: sympy.Expr, response: str) -> Term:
    number: sympy.Expr = sympy.S.One
    coefficients: list[sympy.Symbol] = []
    monomial: list[str] = []
    other: list[sympy.Expr] = []
    for factor in sympy.Mul.make_args(expr):
        variable, times = _variable_power(factor, response)
        if factor.is_Number:
            number *= factor
        elif isinstance(factor, sympy.Symbol) and _kind(factor, response) in COEFFICIENT_KINDS:
            coefficients.append(factor)
        elif variable is not None:
            monomial += [variable] * times
        else:
            other.append(factor)
    return Term(number, tuple(coefficients), tuple(sorted(monomial)), tuple(other), expr)


def _variable_power(factor: sympy.Expr, response: str) -> tuple[str | None, int]:
    base, power = factor.as_base_exp()
    if not (isinstance(base, sympy.Symbol) and power.is_Integer and 0 < int(power) <= 10):
        return None, 0
    info = read_symbol(base.name, response)
    return (info.base, int(power)) if info.kind == "variable" else (None, 0)
