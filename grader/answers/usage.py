"""What the notebook's code does with its variables, read with :mod:`ast` (parsed, never run).

Which fitted model did the student use for their later answers? The AIC change computed from
``m3.aic``, estimates from ``m3.fe_params``, a forecast built from those estimates: following the
assignments from each answer back to the models it reads names the model the notebook treats as
final, whatever was fitted after it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from grader.answers.notebook_text import NotebookText

MAX_SOURCE = 50_000
MAX_WALK = 5_000  # names visited when following reads back


@dataclass(frozen=True, slots=True)
class CodeFacts:
    """Assignments and reads of the notebook's code cells.

    Attributes:
        assigned: each name and the cells (1-based) that assign it, in order.
        reads: each name and every name its assigned values read.
        fitted_from: each name assigned ``obj.fit(...)`` and the ``obj`` names.
        cell_reads: each cell's names read anywhere in it.
    """

    assigned: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    reads: Mapping[str, frozenset[str]] = field(default_factory=dict)
    fitted_from: Mapping[str, frozenset[str]] = field(default_factory=dict)
    cell_reads: Mapping[int, frozenset[str]] = field(default_factory=dict)
    attributes: Mapping[str, frozenset[tuple[str, str]]] = field(default_factory=dict)
    operation: Mapping[str, str] = field(default_factory=dict)

    def computes(self, name: str) -> str | None:
        """The answer a variable's code computes, from its shape, whatever its name:
        ``(m0.scale - m1.scale) / m0.scale`` the σ² change, ``m1.aic - m0.aic`` the AIC change,
        ``m.cov_re…/(m.cov_re… + m.scale)`` the ICC (through the variables it reads)."""
        attrs: set[tuple[str, str]] = set()
        seen: set[str] = set()
        todo = [name]
        while todo and len(seen) < 200:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                attrs |= self.attributes.get(current, frozenset())
                todo += self.reads.get(current, ())

        def roots(attr: str) -> set[str]:
            return {root for root, a in attrs if a == attr}

        operation = self.operation.get(name)
        if operation == "Div" and len(roots("scale")) >= 2:
            return "residual_variance_change"
        if operation == "Div" and roots("cov_re") and roots("scale"):
            return "icc"
        if operation == "Sub" and (len(roots("aic")) >= 2 or len(roots("llf")) >= 2):
            return "aic_change"
        return None

    def reaches(self, names: Iterable[str], targets: Iterable[str]) -> set[str]:
        """The ``targets`` that ``names`` read, directly or through other variables.

        The walk stops at a target: ``best = max([m1, m2], key=...)`` read by an answer names
        ``best``, not every model ``best`` was chosen from.
        """
        wanted = set(targets)
        seen: set[str] = set()
        todo = list(names)
        while todo and len(seen) < MAX_WALK:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            if name not in wanted:
                todo += self.reads.get(name, ())
        return seen & wanted

    def last_assigned(self, name: str) -> int:
        """The last cell assigning ``name`` (0 when no cell visibly does)."""
        cells = self.assigned.get(name, ())
        return cells[-1] if cells else 0


def code_facts(notebook: NotebookText) -> CodeFacts:
    """Parse every code cell (magics dropped); a cell that does not parse is skipped."""
    assigned: dict[str, list[int]] = {}
    reads: dict[str, set[str]] = {}
    fitted: dict[str, set[str]] = {}
    cell_reads: dict[int, frozenset[str]] = {}
    attributes: dict[str, set[tuple[str, str]]] = {}
    operation: dict[str, str] = {}
    for cell in notebook.code:
        tree = _parse(cell.source)
        if tree is None:
            continue
        for target, value, extra in _assignments(tree):
            assigned.setdefault(target, []).append(cell.number)
            reads.setdefault(target, set()).update(_names(value) | extra)
            attributes.setdefault(target, set()).update(_attributes(value))
            operation[target] = _operation(value)
            obj = _fit_object(value)
            if obj is not None:
                fitted.setdefault(target, set()).add(obj)
        cell_reads[cell.number] = frozenset(_names(tree))
    return CodeFacts(
        {k: tuple(v) for k, v in assigned.items()},
        {k: frozenset(v) for k, v in reads.items()},
        {k: frozenset(v) for k, v in fitted.items()},
        cell_reads,
        {k: frozenset(v) for k, v in attributes.items()},
        operation,
    )


def _attributes(node: ast.AST) -> set[tuple[str, str]]:
    """``(m0, "scale")`` for each ``m0.scale`` the expression reads."""
    return {
        (n.value.id, n.attr)
        for n in ast.walk(node)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
    }


def _operation(node: ast.AST) -> str:
    """The expression's outermost operation: ``Div`` for ``(a - b) / a``, ``Sub``, ``Call``…"""
    if isinstance(node, ast.BinOp):
        return type(node.op).__name__
    return type(node).__name__


def _parse(source: str) -> ast.Module | None:
    lines = [
        "" if line.lstrip().startswith(("%", "!")) or line.rstrip().endswith("?") else line
        for line in source[:MAX_SOURCE].split("\n")
    ]
    try:
        return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _assignments(tree: ast.AST) -> list[tuple[str, ast.AST, set[str]]]:
    """(target name, value, extra names read) for each assignment anywhere in the tree."""
    out: list[tuple[str, ast.AST, set[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            out += [(n, node.value, set()) for t in node.targets for n in _targets(t)]
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and node.value is not None:
            extra = set(_targets(node.target)) if isinstance(node, ast.AugAssign) else set()
            out += [(n, node.value, extra) for n in _targets(node.target)]
        elif isinstance(node, ast.NamedExpr):
            out.append((node.target.id, node.value, set()))
        elif isinstance(node, ast.For | ast.comprehension):
            out += [(n, node.iter, set()) for n in _targets(node.target)]
    return out


def _targets(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [n for t in target.elts for n in _targets(t)]
    if isinstance(target, ast.Subscript | ast.Attribute | ast.Starred):
        return _targets(target.value)  # results["m3"] = ... reads into results
    return []


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _fit_object(value: ast.AST) -> str | None:
    """``m`` for ``m.fit(...)`` (a model object's fit), else None."""
    if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Attribute):
        return None
    if value.func.attr not in {"fit", "fit_regularized"}:
        return None
    root = value.func.value
    return root.id if isinstance(root, ast.Name) else None
