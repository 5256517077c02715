"""The cells every assignment's nbgrader source notebook is built from (``assignments/<name>/
build_notebook.py``): nbgrader's cell metadata, and the hidden test code that calls this package.

An assignment's builder writes its own text; these are the kinds of cell it uses, in nbgrader's
metadata (``schema_version`` 3), and the parts of the notebook that follow from the assignment's
files — the grading table, the answer callouts, the autograder test cells — so no notebook can
drift from what the grader checks:

* solution cells: code between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` is replaced by a stub
  in the students' copy;
* autograder test cells (locked, with points): the code between ``### BEGIN HIDDEN TESTS`` and
  ``### END HIDDEN TESTS`` is removed from the students' copy and restored when grading; the cell's
  last expression is the part's score;
* manually graded answer cells (markdown, with points): the model answer is replaced by
  "YOUR ANSWER HERE";
* read-only cells (e.g. the forecast profile), so every student works from the same values.

The builders run from a checkout (``python assignments/<name>/build_notebook.py``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat

from grader.assignment.assignment import Assignment
from grader.notebook.wheel import wheel_filename

Cell = nbformat.NotebookNode
#: Answers a student may also write as LaTeX in a Markdown cell.
EQUATION_KINDS = ("equation", "equations")
MANUAL_POINTS = 5


def wheel(repository: Path) -> str:
    """The wheel ``hlm-grader course init`` puts beside the notebook, named by the checkout's version."""
    pyproject = tomllib.loads((repository / "pyproject.toml").read_text(encoding="utf-8"))
    return wheel_filename(pyproject["project"]["version"])


def _nbgrader(cell: Cell, **meta: Any) -> Cell:
    cell.metadata["nbgrader"] = {"schema_version": 3, **meta}
    return cell


def markdown(text: str) -> Cell:
    return nbformat.v4.new_markdown_cell(text.strip("\n"))


def code(text: str) -> Cell:
    return nbformat.v4.new_code_cell(text.strip("\n"))


def read_only(grade_id: str, text: str) -> Cell:
    """A locked code cell: students cannot edit it, and autograding restores it if they do."""
    return _nbgrader(code(text), grade=False, solution=False, locked=True, grade_id=grade_id)


def solution(grade_id: str, text: str) -> Cell:
    """A code cell whose ``### BEGIN SOLUTION`` region becomes a stub in the release."""
    return _nbgrader(code(text), grade=False, solution=True, locked=False, grade_id=grade_id)


def manual(grade_id: str, answer: str, points: float = MANUAL_POINTS) -> Cell:
    """A manually graded markdown answer; the model answer becomes "YOUR ANSWER HERE"."""
    cell = markdown(answer)
    return _nbgrader(
        cell, grade=True, solution=True, locked=False, points=points, grade_id=grade_id
    )


def test(part_id: str, assignment: Assignment) -> Cell:
    """The locked autograder cell of a part: its hidden region scores the part."""
    part = assignment.grading.part(part_id)
    names = ", ".join(f"`{a.name}`" for a in assignment.contract.of_part(part_id))
    text = f"""
# Autograder test: {part.title} ({part.points:g} points), from {names}.
# This cell is locked and runs when your notebook is graded. To check your answers now, see
# "Checking yourself" at the top: `hlm-grader check {assignment.notebook}` in a terminal, or a cell with
# `from grader.notebook import check; check()`.
### BEGIN HIDDEN TESTS
from grader.notebook import grade

grade("{part_id}")
### END HIDDEN TESTS
"""
    return _nbgrader(code(text), grade=True, solution=False, locked=True, points=part.points,
                     grade_id=f"test_{part_id}")  # fmt: skip


def tests(assignment: Assignment) -> list[Cell]:
    """One autograder test cell per part, in grading.toml's order."""
    return [test(part.id, assignment) for part in assignment.grading.parts]


def answer_line(part_id: str, assignment: Assignment) -> str:
    """Callouts naming the variable(s) a part is read from, from the contract: one blockquote
    each, so that two of them never run together into one paragraph."""
    return "\n\n".join(
        f"> **Answer in** `{a.name}`: {a.description}"
        + (
            " (or LaTeX in a Markdown cell: see *Writing equations*)."
            if a.kind in EQUATION_KINDS
            else "."
        )
        for a in assignment.contract.of_part(part_id)
    )


def grading_table(assignment: Assignment, manual_questions: Sequence[str]) -> str:
    """The table of parts, their answer variables and points, then the written questions."""
    config, contract = assignment.grading, assignment.contract
    rows = [
        f"| {i} | {p.title} | {', '.join(f'`{a.name}`' for a in contract.of_part(p.id))} "
        f"| {p.points:g} |"
        for i, p in enumerate(config.parts, start=1)
    ]
    manual_rows = [
        f"| Q{i} | {title} (written, graded by hand) | markdown cell | {MANUAL_POINTS} |"
        for i, title in enumerate(manual_questions, start=1)
    ]
    total = config.max_score + MANUAL_POINTS * len(manual_questions)
    return "\n".join(
        [
            "| # | Part | Answer variable(s) | Points |",
            "|---|---|---|---|",
            *rows,
            *manual_rows,
            f"| | **Total** | | **{total:g}** |",
        ]
    )


def notebook(cells: list[Cell]) -> nbformat.NotebookNode:
    """The source notebook of ``cells`` (cell ids are stable, so rebuilding gives a reviewable diff)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = cells
    for index, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell["id"] = grade_id.replace("_", "-") if grade_id else f"cell-{index:02d}"
    nbformat.validate(nb)
    return nb


#: ``show(...)``, defined in the notebooks: sympy equations as MathML, term by term so that long
#: ones wrap, in textbook order (numbers, β/γ, then u, then r_ij).
SHOW = '''
from IPython.display import display
from sympy.printing.mathml import mathml


def show(*equations):
    """Display sympy equations as in the textbook, term by term so that long ones wrap.

    They are shown as MathML, which JupyterLab and exported HTML pages render, even offline.
    """
    for equation in equations:
        pieces = [as_math(equation.lhs), "="]
        for i, term in enumerate(sorted(equation.rhs.as_ordered_terms(), key=textbook_order)):
            negative = term.could_extract_minus_sign()
            pieces += ["−"] if negative else ["+"] if i else []
            pieces.append(as_math(-term if negative else term))
        page = '<div style="text-align: left">' + " ".join(pieces) + "</div>"
        display({"text/html": page, "text/plain": str(equation)}, raw=True)


def textbook_order(term):
    """Numbers first, then β0j, β1j, … or γ00, γ01, …, then u0j, u1j, …, and r_ij last."""
    names = sorted(s.name for s in term.free_symbols)
    greek = [n for n in names if n.startswith(("beta_", "gamma_", "u_"))]
    random = "r_ij" in names, any(n.startswith("u_") for n in names)
    return random, bool(names), greek, names


def as_math(term):
    """A term as MathML, its coefficient (a number, γ, β or u) before its variable: γ01·sector_j."""
    def coefficient_first(factor):
        return (not factor.is_number, not str(factor).startswith(("gamma_", "beta_", "u_")))

    factors = sorted(sp.Mul.make_args(term), key=coefficient_first)
    inner = "<mo>·</mo>".join(mathml(f, printer="presentation") for f in factors)
    return f"<math><mrow>{inner}</mrow></math>"
'''
