"""One answer as the extraction step encoded it (untrusted JSON), and readers that turn it into a
value of the kind a part needs: a number, a list of names, estimates, an equation tree.

A wrong or unreadable answer becomes an :class:`Invalid` value (graded as invalid), never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Encoded = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Invalid:
    """An answer that is present but unusable; ``reason`` is said to the student."""

    reason: str


def number_of(enc: Encoded | None) -> float | Invalid:
    """A number answer as a float (nan and inf kept as such), or why it is not one."""
    if enc is None:
        return Invalid("missing")
    kind = enc.get("type")
    if kind == "number":
        special = enc.get("special")
        if isinstance(special, str) and special in {"nan", "inf", "-inf"}:
            return float(special)
        value = enc.get("value")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    if kind == "list" and len(items := _items(enc)) == 1 and isinstance(items[0], dict):
        return number_of(items[0])
    if kind == "string":
        return _number_from_text(str(enc.get("value", "")))
    return Invalid(_describe(enc, "a number"))


def _items(enc: Encoded) -> list[Any]:
    """A list or mapping answer's items; anything but a list (forged data) counts as none."""
    items = enc.get("items")
    return items if isinstance(items, list) else []


def _number_from_text(text: str) -> float | Invalid:
    try:
        return float(text.strip().rstrip("%")) / (100.0 if text.strip().endswith("%") else 1.0)
    except ValueError:
        return Invalid(f"a string ({text[:40]!r}) where a number was expected")


def names_of(enc: Encoded | None) -> tuple[str, ...] | Invalid:
    """A list-of-names answer; sympy symbols are read by their names."""
    if enc is None:
        return Invalid("missing")
    if enc.get("type") == "mapping":  # e.g. fe_params.to_dict(): its keys are the names
        pairs = _items(enc)
        return tuple(str(p[0]) for p in pairs if isinstance(p, list) and p)
    if enc.get("type") != "list":
        return Invalid(_describe(enc, "a list of names"))
    out: list[str] = []
    for item in _items(enc):
        name = _name_of(item)
        if name is None:
            return Invalid("a list whose items are not all names (strings)")
        out.append(name)
    return tuple(out)


def _name_of(item: object) -> str | None:
    if not isinstance(item, dict):
        return None
    if item.get("type") == "string" and isinstance(item.get("value"), str):
        return str(item["value"])
    tree = item.get("tree")
    if item.get("type") == "sympy" and isinstance(tree, dict) and tree.get("op") == "Symbol":
        name = tree.get("name")
        return name if isinstance(name, str) else None
    return None


def estimates_of(enc: Encoded | None) -> dict[str, float] | Invalid:
    """A ``{term: estimate}`` answer (dict, pandas Series, or one-column DataFrame)."""
    if enc is None:
        return Invalid("missing")
    if enc.get("type") != "mapping":
        return Invalid(_describe(enc, "a dict {term: estimate}"))
    out: dict[str, float] = {}
    for pair in _items(enc):
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
            return Invalid("a mapping that could not be read")
        value = number_of(pair[1] if isinstance(pair[1], dict) else None)
        if isinstance(value, Invalid):
            return Invalid(f"the estimate for {pair[0]!r} is not a number")
        out[pair[0]] = value
    return out


def tree_of(enc: Encoded | None) -> dict[str, Any] | list[dict[str, Any]] | Invalid:
    """The serialised sympy tree(s) of an equation answer (a list for several equations)."""
    if enc is None:
        return Invalid("missing")
    if enc.get("type") == "sympy" and isinstance(enc.get("tree"), dict):
        tree: dict[str, Any] = enc["tree"]
        return tree
    if enc.get("type") == "list":
        trees = [tree_of(i) if isinstance(i, dict) else Invalid("?") for i in _items(enc)]
        if all(isinstance(t, dict) for t in trees):
            return [t for t in trees if isinstance(t, dict)]
        return Invalid("a list whose items are not all sympy equations")
    return Invalid(_describe(enc, "a sympy equation (Eq) written with reference.notation"))


def _describe(enc: Encoded, wanted: str) -> str:
    kind = enc.get("type")
    if kind == "invalid":
        return f"the value {enc.get('reason', 'could not be read')}"
    if kind == "unsupported":
        return f"a {str(enc.get('pytype', 'object'))[:80]} where {wanted} was expected"
    if kind == "none":
        return f"None where {wanted} was expected"
    if kind == "number":  # only a forged or damaged record is a number that is not one
        return "a number whose record could not be read"
    return f"a {kind} where {wanted} was expected"
