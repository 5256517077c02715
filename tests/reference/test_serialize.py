"""Equations as data: round trips, an allow-list only, limits, and objects that lie."""

from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path
from typing import Any

import pytest
import sympy

from reference.equations import totree
from reference.equations.serialize import MAX_TERMS, from_tree, to_tree
from reference.equations.symbols import symbol_text
from reference.errors import EquationError
from reference.notation import Eq, beta, gamma, r, u, w, x, y


def round_trip(expr: object) -> sympy.Basic:
    return from_tree(json.loads(json.dumps(to_tree(expr), allow_nan=False)))


def sym(name: str) -> dict[str, Any]:
    return {"op": "Symbol", "name": name}


def node(op: str, *args: dict[str, Any]) -> dict[str, Any]:
    return {"op": op, "args": list(args)}


def integer(value: int) -> dict[str, Any]:
    return {"op": "Integer", "value": value}


@pytest.mark.parametrize(
    "expr",
    [
        Eq(y, beta(0) + beta(1) * x("minority") + r),
        Eq(y, 11.802 - 2.945 * x("minority") + u(0) + u(1) * x("minority") + r),
        Eq(y - gamma(0, 0) - r, 0),
        (gamma(1, 0) + u(1)) * x("minority") / 2 + sympy.Rational(3, 7) * w("meanses") ** 2,
        sympy.sqrt(x("ses")) - 1,
        sympy.S.Half * y,
    ],
)
def test_round_trip_through_json(expr: sympy.Basic) -> None:
    assert round_trip(expr) == expr


def test_a_list_of_equations_comes_back_as_a_tuple() -> None:
    level2 = [Eq(beta(0), gamma(0, 0) + u(0)), Eq(beta(1), gamma(1, 0))]
    assert list(round_trip(level2)) == level2


def test_a_symbol_named_like_code_stays_an_inert_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a relative name keeps the symbol under 100 characters
    target = tmp_path / "x"
    name = "__import__('os').system('touch x')"
    expr = Eq(sympy.Symbol(name), beta(0) + sympy.Symbol(name) * x("ses"))
    rebuilt = round_trip(expr)
    assert sympy.Symbol(name) in rebuilt.free_symbols
    str(rebuilt), sympy.latex(rebuilt), symbol_text(name)  # printing must not run it either
    assert not target.exists()


class Liar:
    """Every dunder a careless serializer might call records the call and raises."""

    calls: list[str] = []  # noqa: RUF012 - shared on purpose, to see any call

    def _called(self, what: str) -> Any:
        self.calls.append(what)
        raise RuntimeError(what)

    def __repr__(self) -> str:
        return self._called("repr")  # type: ignore[no-any-return]

    def __str__(self) -> str:
        return self._called("str")  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> bool:
        return self._called("eq")  # type: ignore[no-any-return]

    def __hash__(self) -> int:
        return self._called("hash")  # type: ignore[no-any-return]

    def __float__(self) -> float:
        return self._called("float")  # type: ignore[no-any-return]

    def __iter__(self) -> Any:
        return self._called("iter")

    def __len__(self) -> int:
        return self._called("len")  # type: ignore[no-any-return]

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # the lie under test
        return sympy.Symbol


class LyingMeta(type):
    @property
    def __name__(cls) -> str:  # type: ignore[override]
        raise RuntimeError("name")

    def __eq__(cls, other: object) -> bool:
        raise RuntimeError("eq")

    def __hash__(cls) -> int:
        raise RuntimeError("hash")


class Nameless(metaclass=LyingMeta):
    pass


class FakeSymbol(sympy.Symbol):
    """A sympy subclass whose structure lies: only sympy's exact classes are read."""

    @property
    def args(self) -> tuple[Any, ...]:  # type: ignore[override]
        raise RuntimeError("args")

    def __repr__(self) -> str:
        raise RuntimeError("repr")


@pytest.mark.parametrize(
    "bad",
    [
        Liar(),
        [Liar()],
        (Eq(y, r), Liar()),
        Nameless(),
        sympy.Basic.__new__(sympy.Add, x("ses"), Liar()),  # smuggled past sympy's checks
        FakeSymbol("beta_0j"),
    ],
)
def test_lying_objects_give_a_clean_error_and_are_never_called(bad: object) -> None:
    Liar.calls.clear()
    with pytest.raises(EquationError, match="cannot be sent"):
        to_tree(bad)
    assert Liar.calls == []


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("mathach_ij = beta_0j + r_ij", "text, not a sympy equation"),
        (sympy.Eq(y, y), "True/False"),
        (sympy.Function("f")(x("ses")), "type f"),
        (sympy.oo, "type Infinity"),
        (sympy.Symbol("a" * 101), "longer than 100"),
        (sympy.Integer(10**16), "larger than"),
        ([], "empty"),
    ],
)
def test_unsupported_objects_say_why(bad: object, message: str) -> None:
    with pytest.raises(EquationError, match=message):
        to_tree(bad)


def test_to_tree_caps_size_and_depth() -> None:
    wide = sympy.Add(*(sympy.Symbol(f"v{i}") for i in range(totree.MAX_NODES + 1)))
    with pytest.raises(EquationError, match="more than 5000 parts"):
        to_tree(wide)
    deep: sympy.Expr = x("ses")
    for i in range(totree.MAX_DEPTH + 1):
        deep = sympy.Add(sympy.Symbol(f"a{i}"), sympy.Mul(sympy.Symbol(f"m{i}"), deep))
    with pytest.raises(EquationError, match="nested more than 50"):
        to_tree(deep)


def test_to_tree_imports_only_sympy_and_the_standard_library() -> None:
    tree = ast.parse(inspect.getsource(totree))
    imported = {
        n.module if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    assert {str(m).split(".")[0] for m in imported} <= {"__future__", "math", "typing", "sympy"}


@pytest.mark.parametrize(
    ("tree", "message"),
    [
        ({"op": "Function", "args": []}, "'Function', which is not allowed"),
        ({"op": "__import__", "args": [sym("os")]}, "not allowed"),
        ({"op": "eval", "name": "1+1"}, "not allowed"),
        ({"op": 3}, "not allowed"),
        ("Symbol", "malformed"),
        ({"op": "Symbol", "name": "a", "extra": 1}, "unexpected fields"),
        ({"op": "Symbol", "name": ""}, "symbol name"),
        ({"op": "Symbol", "name": "a" * 101}, "symbol name"),
        ({"op": "Symbol", "name": "a\nb"}, "symbol name"),
        ({"op": "Symbol", "name": ["a"]}, "symbol name"),
        ({"op": "Integer", "value": 10**16}, "at most"),
        ({"op": "Integer", "value": True}, "whole numbers"),
        ({"op": "Integer", "value": "12"}, "whole numbers"),
        ({"op": "Float", "value": float("nan")}, "finite"),
        ({"op": "Float", "value": 1e300}, "finite"),
        ({"op": "Rational", "value": [1, 0]}, "q > 0"),
        ({"op": "Add", "args": "abc"}, "wrong number of parts"),
        (node("Pow", sym("a")), "wrong number of parts"),
        (node("Eq", sym("a")), "wrong number of parts"),
        (node("Pow", sym("a"), sym("b")), "exponent must be a plain number"),
        # was TypeError (unhashable type: 'list') instead of an EquationError
        (node("Pow", sym("a"), {"op": [], "args": []}), "exponent must be a plain number"),
        (node("Pow", sym("a"), integer(11)), "powers above 10"),
        (node("Pow", node("Pow", integer(10), integer(5)), integer(5)), "nested powers"),
        (node("Add", node("Eq", sym("a"), sym("b")), sym("c")), "cannot be part of"),
        (node("Tuple", node("Tuple", sym("a"))), "whole answer"),
    ],
)
def test_from_tree_rejects_what_is_not_allowed(tree: object, message: str) -> None:
    with pytest.raises(EquationError, match=message):
        from_tree(tree)


def test_from_tree_caps_nodes_depth_and_expansion() -> None:
    wide = node("Add", *(sym(f"v{i}") for i in range(5001)))
    with pytest.raises(EquationError, match="parts"):
        from_tree(wide)
    deep = sym("a")
    for _ in range(60):
        deep = node("Add", sym("b"), node("Mul", sym("c"), deep))
    with pytest.raises(EquationError, match="nested more than 50"):
        from_tree(deep)
    sum_of_ten = node("Add", *(sym(f"v{i}") for i in range(10)))
    product = node("Mul", *([sum_of_ten] * 5))  # 10**5 terms once multiplied out
    with pytest.raises(EquationError, match=f"more than {MAX_TERMS} terms"):
        from_tree(product)


def test_error_messages_are_for_students() -> None:
    with pytest.raises(EquationError, match=r"^Your equation could not be read: "):
        from_tree({"op": "Lambda", "args": []})
